using Npgsql;

namespace TabTwin.Tests.Support;

/// <summary>
/// The PostgreSQL server the database tests use: env TABTWIN_TEST_PG (an Npgsql connection string), defaulting to
/// the server .ci/start-postgres.sh starts. Probed once per test run. Under TABTWIN_REQUIRE_PG=1 (CI) a missing
/// server fails the test instead of skipping it.
/// </summary>
public static class TestPostgres
{
    private const string DefaultConnection = "Host=127.0.0.1;Port=5432;Username=tabtwin;Password=tabtwin;Database=tabtwin_test";

    // The probe runs while the rest of the suite starts up on every core, so a loaded CI machine can take seconds to
    // complete a first handshake: a generous timeout and a few attempts tell "slow" from "absent".
    private static readonly Lazy<(string Connection, string? Unavailable)> Server = new(() =>
    {
        var connection = Environment.GetEnvironmentVariable("TABTWIN_TEST_PG") is { Length: > 0 } env ? env : DefaultConnection;
        Exception? last = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connection) { Timeout = 20 }.ConnectionString);
                c.Open();
                return (connection, null);
            }
            catch (Exception e)
            {
                last = e;
                Thread.Sleep(1000);
            }
        }
        return (connection, $"No PostgreSQL server reachable ({last!.Message}); run .ci/start-postgres.sh or set TABTWIN_TEST_PG.");
    });

    /// <summary>The connection string of a reachable server; skips the test (or fails it under CI) when there is none.</summary>
    public static string Connection()
    {
        if (Server.Value.Unavailable is { } reason && Environment.GetEnvironmentVariable("TABTWIN_REQUIRE_PG") == "1")
            throw new InvalidOperationException("TABTWIN_REQUIRE_PG=1 but " + reason);
        if (Server.Value.Unavailable is { } why) SkipReasons.Skip(why);
        return Server.Value.Connection;
    }
}
