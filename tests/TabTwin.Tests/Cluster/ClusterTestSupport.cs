using System.Net;
using System.Net.Sockets;
using TabTwin.Cluster;
using TabTwin.IO;
using TabTwin.Models;
using TabTwin.Schema;
using TabTwin.Synthesizers.GaussianCopula;
using TabTwin.Synthesizers;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cluster;

/// <summary>What the cluster tests share: a small saved model, free port ranges, and comparing two part folders.</summary>
internal static class ClusterTestSupport
{
    /// <summary>A fitted model saved to <paramref name="folder"/>: Berka's cards with the copula, card_id and disp_id as
    /// keys (keys are numbered by global row, so a part on the wrong rows would show).</summary>
    public static (string Path, ISynthesizerModel Model) SavedModel(string folder)
    {
        var table = TableReader.Read(TestData.Dataset("berka_financial", "card.csv"));
        var detected = SchemaDetector.Detect(table);
        var schema = detected with
        {
            Columns = [.. detected.Columns.Select(c => c.Name is "card_id" or "disp_id" ? c with { Kind = ColumnKind.Id } : c)],
        };
        var model = new GaussianCopulaSynthesizer().Fit(table, schema, new FitContext(5));
        var path = System.IO.Path.Combine(folder, "model.tabtwin");
        ModelFile.Save(model, path);
        return (path, ModelFile.Load(path));
    }

    /// <summary>The start of <paramref name="count"/> consecutive ports that are free now (tests run beside other tests and silos).</summary>
    public static int FreePortRange(int count)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int start = Random.Shared.Next(20_000, 60_000 - count);
            if (Enumerable.Range(start, count).All(Free)) return start;
        }
        throw new InvalidOperationException("No free port range found.");
    }

    private static bool Free(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException) { return false; }
    }

    /// <summary>A localhost cluster on free ports with a cluster id of its own.</summary>
    public static ClusterConnection LocalCluster() => ClusterConnection.Parse("localhost", "test-" + Guid.NewGuid().ToString("N")[..8]) with
    {
        LocalSiloBase = FreePortRange(ClusterConnection.MaxLocalSilos), LocalGatewayBase = FreePortRange(ClusterConnection.MaxLocalSilos),
    };

    /// <summary>Every file of both folders, by name, byte for byte.</summary>
    public static void AssertSameFolder(string expected, string actual)
    {
        var names = Directory.GetFiles(expected).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names, Directory.GetFiles(actual).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToList());
        Assert.Empty(Directory.GetDirectories(actual));
        foreach (var name in names)
            Assert.True(File.ReadAllBytes(System.IO.Path.Combine(expected, name!)).AsSpan().SequenceEqual(File.ReadAllBytes(System.IO.Path.Combine(actual, name!))), $"{name} differs");
    }

    /// <summary>Nothing but the given entries in <paramref name="folder"/> (no staging folder or temporary file left).</summary>
    public static void AssertOnly(string folder, params string[] entries) =>
        Assert.Equal(entries.Order(StringComparer.Ordinal), Directory.EnumerateFileSystemEntries(folder).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal));

    /// <summary>Removes a test cluster's rows from the PostgreSQL membership tables (each test run uses a cluster id of its own).</summary>
    public static async Task ForgetCluster(string server, string clusterId)
    {
        await using var c = new Npgsql.NpgsqlConnection(server);
        await c.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "DELETE FROM OrleansMembershipTable WHERE DeploymentId = @id; DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @id", c);
        command.Parameters.AddWithValue("id", clusterId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Waits until the client sees at least <paramref name="count"/> active silos.</summary>
    public static async Task<IReadOnlyList<Orleans.Runtime.SiloAddress>> WaitForSilos(ClusterClient client, int count, CancellationToken cancel)
    {
        while (true)
        {
            var silos = await client.ActiveSilosAsync();
            if (silos.Count >= count) return silos;
            await Task.Delay(200, cancel);
        }
    }
}
