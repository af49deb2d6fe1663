using TabTwin.Cluster;
using TabTwin.Tests.Cluster;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary>
/// <c>tabtwin silo</c> and <c>sample … --parts P --cluster</c> from the command line: the silo says it is an Orleans
/// silo; a job through a PostgreSQL-membership cluster (a silo in this process, a cluster id of its own) writes the same
/// folder as without --cluster; what the cluster path cannot honour is refused before any work.
/// </summary>
public sealed class CliClusterTests
{
    private static readonly Lazy<string> Model = new(() =>
    {
        var model = Path.Combine(TestData.NewTempDir(), "cards.tabtwin");
        var fit = CliRunner.Run("fit", TestData.Dataset("berka_financial", "card.csv"), "-o", model, "-s", "gaussian-copula", "-q");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        return model;
    });

    [Fact]
    public void Silo_help_says_it_is_an_Orleans_silo_and_needs_a_cluster()
    {
        var help = CliRunner.Run("silo", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Orleans silo", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--cluster", help.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, CliRunner.Run("silo").ExitCode);
        var bad = CliRunner.Run("silo", "--cluster", "nowhere");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("not a cluster connection", bad.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--metadata", "m.json")]
    [InlineData("--threads", "2")]
    public void Options_the_silos_cannot_honour_are_usage_errors(params string[] extra)
    {
        var dir = TestData.NewTempDir();
        var r = CliRunner.Run(["sample", Model.Value, "-n", "1000", "-o", Path.Combine(dir, "out"), "--parts", "2", "--cluster", "localhost", .. extra]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--cluster", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    [Fact]
    public void A_cluster_id_without_a_cluster_is_a_usage_error() =>
        Assert.Equal(2, CliRunner.Run("sample", Model.Value, "-n", "1000", "-o", Path.Combine(TestData.NewTempDir(), "out"), "--parts", "2", "--cluster-id", "x").ExitCode);

    [Theory]
    [InlineData("cli.cluster", "--parts", "2")]
    [InlineData("cli.option-not-applicable", "--parts", "2", "--cluster", "localhost", "--shard", "1/2")]
    [InlineData("cli.option-not-applicable", "--parts", "2", "--cluster", "localhost", "--threads", "1")]
    [InlineData("cli.parts", "--cluster", "localhost")]
    public void Generate_on_a_cluster_refuses_what_it_cannot_honour(string code, params string[] extra)
    {
        var dir = TestData.NewTempDir();
        var r = CliRunner.Run(["generate", Path.Combine(TestData.RepoRoot, "examples", "customers.yaml"), "-n", "100", "-o", Path.Combine(dir, "out"), .. extra]);
        Assert.True(r.ExitCode == 2, r.Stderr);
        Assert.Contains(code switch { "cli.cluster" => "need --cluster", "cli.parts" => "--parts", _ => "do" }, r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    [SkippableFact]
    public async Task Sample_through_a_PostgreSQL_cluster_writes_the_same_folder_as_one_process()
    {
        var server = TestPostgres.Connection();
        var dir = TestData.NewTempDir();
        string id = "cli-" + Guid.NewGuid().ToString("N")[..10], local = Path.Combine(dir, "local"), clustered = Path.Combine(dir, "clustered");
        int port = ClusterTestSupport.FreePortRange(1), gateway = ClusterTestSupport.FreePortRange(1);
        try
        {
            await using var silo = await SiloHost.StartAsync(ClusterConnection.Parse(server, id), new SiloOptions { Address = "127.0.0.1", Port = port, GatewayPort = gateway });
            SampleThroughCluster(server, id, local, clustered);
        }
        finally
        {
            await ClusterTestSupport.ForgetCluster(server, id);
        }
    }

    private static void SampleThroughCluster(string server, string id, string local, string clustered)
    {
        var one = CliRunner.Run("sample", Model.Value, "-n", "200000", "-o", local, "--parts", "5", "--seed", "9", "-q");
        Assert.True(one.ExitCode == 0, one.Stderr);
        var run = CliRunner.Run("sample", Model.Value, "-n", "200000", "-o", clustered, "--parts", "5", "--seed", "9", "--cluster", server, "--cluster-id", id);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("200,000 synthetic rows written", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("by 1 silo", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("parts 5/5", run.Stderr, StringComparison.Ordinal);
        ClusterTestSupport.AssertSameFolder(local, clustered);
    }
}
