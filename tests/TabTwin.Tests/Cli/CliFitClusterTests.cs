using System.IO.Compression;
using TabTwin.Cluster;
using TabTwin.IO;
using TabTwin.Tests.Cluster;
using TabTwin.Tests.Support;
using TabTwin.Tests.Synthesis;

namespace TabTwin.Tests.Cli;

/// <summary>
/// <c>fit data/ --cluster</c> from the command line: what a cluster fit cannot do is a usage error before any work, and a
/// fit through a PostgreSQL-membership cluster (a silo in this process, a cluster id of its own) saves the model
/// <c>fit --stream</c> saves with the same --unit-rows (every entry but the manifest, which holds the time).
/// </summary>
public sealed class CliFitClusterTests
{
    private static readonly Lazy<string> Folder = new(() =>
        DistributedCartFitTests.ParquetFolder(TableReader.Read(TestData.Dataset("titanic", "titanic3.csv")), files: 3, rowGroup: 200));

    [Theory]
    [InlineData("csv")]
    [InlineData("-s", "gaussian-copula")]
    [InlineData("--epsilon", "1")]
    [InlineData("--spill-folder", "spill")]
    [InlineData("--format", "parquet")]
    public void What_a_cluster_fit_cannot_do_is_a_usage_error(params string[] extra)
    {
        var dir = TestData.NewTempDir();
        var input = extra[0] == "csv" ? TestData.Dataset("titanic", "titanic3.csv") : Folder.Value;
        var options = extra[0] == "csv" ? [] : extra.Select(e => e == "spill" ? Path.Combine(dir, "spill") : e);
        var r = CliRunner.Run(["fit", input, "-o", Path.Combine(dir, "m.tabtwin"), "--cluster", "localhost", .. options]);
        Assert.True(r.ExitCode == 2, r.Stderr);
        Assert.Contains("--cluster", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Trim().Split('\n'), line => line.StartsWith("error:", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
    }

    [Fact]
    public void Fit_help_documents_the_cluster_fit()
    {
        var help = CliRunner.Run("fit", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--cluster", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--unit-rows", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("same path", help.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Fit_through_a_PostgreSQL_cluster_saves_the_model_of_a_streaming_fit()
    {
        var server = TestPostgres.Connection();
        var dir = TestData.NewTempDir();
        string id = "clifit-" + Guid.NewGuid().ToString("N")[..10], local = Path.Combine(dir, "local.tabtwin"), clustered = Path.Combine(dir, "clustered.tabtwin");
        int port = ClusterTestSupport.FreePortRange(1), gateway = ClusterTestSupport.FreePortRange(1);
        try
        {
            await using var silo = await SiloHost.StartAsync(ClusterConnection.Parse(server, id), new SiloOptions { Address = "127.0.0.1", Port = port, GatewayPort = gateway });
            var one = CliRunner.Run("fit", Folder.Value, "--stream", "--unit-rows", "300", "--sample-rows", "500", "--seed", "4", "-o", local, "-q");
            Assert.True(one.ExitCode == 0, one.Stderr);
            var run = CliRunner.Run("fit", Folder.Value, "--cluster", server, "--cluster-id", id, "--unit-rows", "300", "--sample-rows", "500", "--seed", "4", "-o", clustered);
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Contains("learned from 1,309 rows in passes", run.Stdout, StringComparison.Ordinal);
            Assert.Contains("on 1 silo(s)", run.Stderr, StringComparison.Ordinal);
            var (expected, actual) = (Entries(local), Entries(clustered));
            Assert.Equal(expected.Select(e => e.Name), actual.Select(e => e.Name));
            for (int i = 0; i < expected.Count; i++) Assert.True(expected[i].Bytes.AsSpan().SequenceEqual(actual[i].Bytes), $"{expected[i].Name} differs");
        }
        finally
        {
            await ClusterTestSupport.ForgetCluster(server, id);
        }
    }

    /// <summary>Every entry of a model file but its manifest, by name.</summary>
    private static List<(string Name, byte[] Bytes)> Entries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.Where(e => e.FullName != "manifest.json").OrderBy(e => e.FullName, StringComparer.Ordinal).Select(e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (e.FullName, copy.ToArray());
        }).ToList();
    }
}
