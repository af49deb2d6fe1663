using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using Xunit;

namespace TabTwin.Tests.Synthesis;

/// <summary>
/// The distributed streaming fit (passes run unit by unit by workers, grown by a coordinator) against the one-process
/// streaming fit: the same model file, byte for byte, whatever order the units report in, on how many threads, and when
/// a unit's work is lost and run again.
/// </summary>
public sealed class DistributedCartFitTests
{
    /// <summary>Every entry the model stores (the model file without its manifest, which carries the time it was written).</summary>
    internal static byte[] ModelBytes(ISynthesizerModel model)
    {
        var bundle = new TabTwin.Bundles.ModelBundleWriter();
        model.Write(bundle);
        using var stream = new MemoryStream();
        foreach (var (name, json) in bundle.Json.OrderBy(e => e.Key, StringComparer.Ordinal))
            stream.Write(System.Text.Encoding.UTF8.GetBytes(name + "=" + json.GetRawText()));
        foreach (var (name, array) in bundle.Arrays.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(name + "="));
            stream.Write(array.Bytes);
        }
        return stream.ToArray();
    }

    private static byte[] CsvBytes(Table table)
    {
        var path = Path.Combine(TestData.NewTempDir(), "sample.csv");
        TableWriter.Write(table, path);
        return File.ReadAllBytes(path);
    }

    /// <summary>A Parquet folder of <paramref name="files"/> files of small row groups (the partitions).</summary>
    internal static string ParquetFolder(Table table, int files, int rowGroup)
    {
        var dir = TestData.NewTempDir();
        int per = (table.RowCount + files - 1) / files;
        for (int f = 0; f < files; f++)
        {
            var rows = Enumerable.Range(f * per, Math.Min(per, table.RowCount - f * per)).ToArray();
            ParquetTableWriter.Write(table.Take(rows), Path.Combine(dir, $"part-{f:D3}.parquet"), rowGroupSize: rowGroup);
        }
        return dir;
    }

    /// <summary>
    /// An in-process "cluster": units run in a seeded shuffled order on <paramref name="threads"/> threads, each on a source
    /// opened afresh (as a silo opens it); with <paramref name="loseOne"/> the first unit's first run is thrown away and rerun.
    /// </summary>
    private static StreamingPassDispatch Workers(string path, int threads, bool loseOne, List<int> unitsRun)
    {
        return (work, onResult, cancel) =>
        {
            var order = Enumerable.Range(0, work.Units).OrderBy(u => (u * 7919 + work.Number * 104729) % 1009).ToArray();
            if (loseOne) order = [order[0], .. order];
            var lost = loseOne ? order[0] : -1;
            bool lostOnce = false;
            var gate = new object();
            Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancel }, unit =>
            {
                var source = TableChunks.Open(path, chunkRows: 97);
                var result = DistributedCartFit.RunUnit(work.Job, work.Request, source, unit, new ParallelOptions { MaxDegreeOfParallelism = 1 });
                lock (gate)
                {
                    unitsRun.Add(unit);
                    if (unit == lost && !lostOnce) { lostOnce = true; return; } // this worker "died" before reporting
                }
                onResult(unit, result);
            });
        };
    }

    [Theory]
    [InlineData("titanic", "titanic3.csv", 1, false)]
    [InlineData("titanic", "titanic3.csv", 2, true)]
    [InlineData("beijing_pm25", "beijing_pm25.csv", 2, true)]
    public void The_distributed_fit_equals_the_one_process_streaming_fit_byte_for_byte(string dataset, string file, int threads, bool loseOne)
    {
        var table = TableReader.Read(TestData.Dataset(dataset, file));
        if (table.RowCount > 6_000) table = table.Head(6_000);
        var folder = ParquetFolder(table, files: 3, rowGroup: 250);
        var streaming = new StreamingFitOptions { ReservoirRows = 1_000, UnitRows = 400 };
        var local = StreamingSynthesis.Fit(TableChunks.Open(folder, chunkRows: 200), "cart", null, t => SchemaDetector.Detect(t), new FitContext(5), streaming);

        var unitsRun = new List<int>();
        var distributed = StreamingSynthesis.Fit(TableChunks.Open(folder, chunkRows: 200), "cart", null, t => SchemaDetector.Detect(t), new FitContext(5) { MaxThreads = threads },
            streaming, Workers(folder, threads, loseOne, unitsRun));

        Assert.Contains("on the cluster", distributed.Description);
        int units = WorkUnit.Plan(TableChunks.Open(folder), streaming.UnitRows).Count;
        Assert.True(units >= 3, $"the data must span several work units (got {units})");
        Assert.Equal(ModelBytes(local.Model), ModelBytes(distributed.Model));
        Assert.Equal(CsvBytes(local.Model.Sample(500, 9)), CsvBytes(distributed.Model.Sample(500, 9)));
        if (loseOne) Assert.True(unitsRun.Count > 3 * units, "a lost unit was run again");
    }
}
