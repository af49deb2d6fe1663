using TabTwin.Cluster;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;

namespace TabTwin.Tests.Cluster;

/// <summary>
/// Distributed sampling on two silos hosted in this process (localhost development clustering on free ports): the
/// committed folder equals single-process partitioned sampling byte for byte, and nothing else is left beside it.
/// </summary>
public sealed class ClusterSamplingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tabtwin-cluster-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Two_silos_write_the_same_parts_as_one_process()
    {
        var (modelPath, model) = ClusterTestSupport.SavedModel(_dir);
        var plan = new PartitionPlan(TotalRows: 150_003, Parts: 7);
        var expected = Path.Combine(_dir, "expected");
        SampleLocally(model, plan, seed: 42, expected);

        var connection = ClusterTestSupport.LocalCluster();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var primary = await SiloHost.StartAsync(connection, cancel: timeout.Token);
        await using var secondary = await SiloHost.StartAsync(connection, cancel: timeout.Token);
        Assert.NotEqual(primary.Endpoint, secondary.Endpoint);
        await using var client = await ClusterClient.ConnectAsync(connection, cancel: timeout.Token);
        Assert.Equal(2, (await ClusterTestSupport.WaitForSilos(client, 2, timeout.Token)).Count);

        var reports = new List<ClusterProgress>();
        var output = Path.Combine(_dir, "out");
        var result = await ClusterSampling.SampleAsync(client, modelPath, plan, seed: 42, output,
            progress: new Collect(reports), cancel: timeout.Token);

        Assert.Equal(150_003, result.Rows);
        Assert.Equal(7, result.Parts);
        Assert.Equal(2, result.Silos);
        Assert.Equal(0, result.Reassigned);
        ClusterTestSupport.AssertSameFolder(expected, output);
        ClusterTestSupport.AssertOnly(_dir, "model.tabtwin", "expected", "out");
        Assert.Equal(7, reports[^1].PartsDone);
        Assert.Equal(7, reports[^1].PartsTotal);
        Assert.Equal(150_003, reports[^1].RowsWritten);
    }

    [Fact]
    public async Task An_existing_output_is_refused_before_any_silo_is_asked()
    {
        var (modelPath, _) = ClusterTestSupport.SavedModel(_dir);
        var output = Directory.CreateDirectory(Path.Combine(_dir, "out")).FullName;
        File.WriteAllText(Path.Combine(output, "keep.txt"), "mine");
        var connection = ClusterTestSupport.LocalCluster();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var silo = await SiloHost.StartAsync(connection, cancel: timeout.Token);
        await using var client = await ClusterClient.ConnectAsync(connection, cancel: timeout.Token);
        await Assert.ThrowsAnyAsync<TabTwinException>(() => ClusterSampling.SampleAsync(client, modelPath, new PartitionPlan(100, 2), 1, output, cancel: timeout.Token));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(output, "keep.txt")));
        ClusterTestSupport.AssertOnly(_dir, "model.tabtwin", "out");
    }

    internal static void SampleLocally(ISynthesizerModel model, PartitionPlan plan, ulong seed, string folder) =>
        PartitionedSampling.Sample(model, plan, seed, folder, maxThreads: 1);

    /// <summary>Records reports on the reporting thread (Progress&lt;T&gt; would post them later).</summary>
    private sealed class Collect(List<ClusterProgress> into) : IProgress<ClusterProgress>
    {
        public void Report(ClusterProgress value)
        {
            lock (into) into.Add(value);
        }
    }
}
