using Npgsql;

namespace TabTwin.Cluster.Membership;

/// <summary>
/// Creates Orleans' ADO.NET membership tables in a PostgreSQL database on first use (PostgreSQL-Membership.sql, embedded).
/// The script runs in one transaction holding a transaction-scoped advisory lock, so silos that start together take
/// turns and the later ones find the tables made; a database where every query Orleans needs is already present
/// (set up by Orleans' own scripts, or by an earlier silo) is only read, so the role needs no DDL rights then.
/// </summary>
internal static class MembershipSchema
{
    /// <summary>Every query key Microsoft.Orleans.Clustering.AdoNet 10.4 loads from OrleansQuery.</summary>
    internal static readonly string[] QueryKeys =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey", "MembershipReadRowKey",
        "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey", "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
    ];

    /// <summary>Arbitrary constant naming TabTwin's schema lock (pg_advisory_xact_lock takes a 64-bit key).</summary>
    private const long LockKey = 0x54_61_62_54_77_69_6E_4F; // "TabTwinO"

    internal static string Script()
    {
        using var stream = typeof(MembershipSchema).Assembly.GetManifestResourceStream("TabTwin.Cluster.PostgreSQL-Membership.sql")
            ?? throw new InvalidOperationException("The membership script is not embedded in TabTwin.Cluster.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Makes sure the tables and queries exist; a server that cannot be reached is a <see cref="TabTwinException"/>.</summary>
    public static async Task EnsureAsync(string connectionString, string display, CancellationToken cancel)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancel);
            if (await HasAllQueries(connection, cancel)) return;
            await using var transaction = await connection.BeginTransactionAsync(cancel);
            await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({LockKey})", connection, transaction))
                await lockCommand.ExecuteNonQueryAsync(cancel);
            await using (var create = new NpgsqlCommand(Script(), connection, transaction))
                await create.ExecuteNonQueryAsync(cancel);
            await transaction.CommitAsync(cancel);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException and not ObjectDisposedException && !cancel.IsCancellationRequested)
        {
            throw new TabTwinException("cluster.membership", $"Cannot set up the cluster membership tables in {display}: {e.Message}",
                hint: "Check that PostgreSQL is running and that the role may create tables in that database (or run Orleans' PostgreSQL clustering scripts once).",
                inner: e);
        }
    }

    private static async Task<bool> HasAllQueries(NpgsqlConnection connection, CancellationToken cancel)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'orleansquery'", connection);
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancel)) == 0) return false;
        command.CommandText = "SELECT count(DISTINCT QueryKey) FROM OrleansQuery WHERE QueryKey = ANY(@keys)";
        command.Parameters.AddWithValue("keys", QueryKeys);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancel)) == QueryKeys.Length;
    }
}
