using TabTwin.Cluster;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using TabTwin.Tests.Synthesis;

namespace TabTwin.Tests.Cluster;

/// <summary>
/// The streaming CART fit with its passes run on two silos hosted in this process (localhost development clustering on
/// free ports): the model equals the one-process streaming fit byte for byte (every stored entry), with a different
/// histogram budget (so different level passes) on the cluster, and the progress names the passes and units.
/// </summary>
public sealed class ClusterFittingTests
{
    [Fact]
    public async Task Two_silos_fit_the_same_model_as_one_process()
    {
        var table = TableReader.Read(TestData.Dataset("beijing_pm25", "beijing_pm25.csv")).Head(6_000);
        var folder = DistributedCartFitTests.ParquetFolder(table, files: 3, rowGroup: 250);
        var streaming = new StreamingFitOptions { ReservoirRows = 1_000, UnitRows = 700 };
        var local = StreamingSynthesis.Fit(TableChunks.Open(folder), "cart", null, t => SchemaDetector.Detect(t), new FitContext(5), streaming);

        var connection = ClusterTestSupport.LocalCluster();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var primary = await SiloHost.StartAsync(connection, new SiloOptions { Cores = 1 }, timeout.Token);
        await using var secondary = await SiloHost.StartAsync(connection, new SiloOptions { Cores = 2 }, timeout.Token);
        await using var client = await ClusterClient.ConnectAsync(connection, cancel: timeout.Token);
        Assert.Equal(2, (await ClusterTestSupport.WaitForSilos(client, 2, timeout.Token)).Count);

        var reports = new List<ClusterFitProgress>();
        var result = await ClusterFitting.FitAsync(client, folder, "cart", null, t => SchemaDetector.Detect(t), new FitContext(5, Cancel: timeout.Token),
            streaming with { HistogramBytes = 64 << 10 }, new Collect(reports));

        int units = WorkUnit.Plan(TableChunks.Open(folder), streaming.UnitRows).Count;
        Assert.True(units >= 8, $"the data must span several work units (got {units})");
        Assert.Equal(units, result.Units);
        Assert.Equal(DistributedCartFitTests.ModelBytes(local.Model), DistributedCartFitTests.ModelBytes(result.Fit.Model));
        Assert.Equal(6_000, result.Fit.Rows);
        Assert.Equal(2, result.Silos);
        Assert.Equal(0, result.Reassigned);
        Assert.Contains("on the cluster", result.Fit.Description);
        lock (reports)
        {
            Assert.Equal(["statistics", "order", "trees"], reports.Select(r => r.Stage).Distinct());
            Assert.Equal(result.Passes, reports.Max(r => r.Pass));
            Assert.All(reports, r => Assert.Equal(units, r.UnitsTotal));
            Assert.Equal(Enumerable.Range(1, result.Passes), reports.Where(r => r.UnitsDone == units).Select(r => r.Pass).Distinct().Order());
            Assert.Equal(6_000, reports.First(r => r.UnitsDone == units).Rows);
        }
    }

    [Fact]
    public async Task Csv_input_is_refused_before_connecting()
    {
        var csv = TestData.Dataset("titanic", "titanic3.csv");
        var error = await Assert.ThrowsAsync<TabTwinException>(() => ClusterFitting.FitAsync(ClusterConnection.Parse("localhost", "none"), csv, "cart", null,
            t => SchemaDetector.Detect(t), new FitContext(1)));
        Assert.Equal("cluster.fit-input", error.Code);
    }

    /// <summary>Records reports on the reporting thread (Progress&lt;T&gt; would post them later).</summary>
    private sealed class Collect(List<ClusterFitProgress> into) : IProgress<ClusterFitProgress>
    {
        public void Report(ClusterFitProgress value)
        {
            lock (into) into.Add(value);
        }
    }
}
