using System.Diagnostics;
using System.Globalization;
using System.Text;
using TabTwin.Evaluation.Quality;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;

namespace TabTwin.Bench;

/// <summary>
/// Streaming fit (issue 18 step 1): CART learned in passes over a Parquet file read in chunks, against the in-memory fit
/// of the same rows. The data: 20 columns of credit_default_taiwan (the real table has 30,000 rows), grown to 1 M and
/// 10 M rows by sampling a CART model fitted on it (seeded, 1 M rows per row group) — a bench shortcut for a big table
/// with real shapes. Each case runs in its own process; peak RSS is the process's peak working set.
/// </summary>
internal sealed class StreamingSection : BenchSection
{
    public override string Key => "streaming";

    private static readonly string[] Columns =
    [
        "LIMIT_BAL", "SEX", "EDUCATION", "MARRIAGE", "AGE", "PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5",
        "BILL_AMT1", "BILL_AMT2", "BILL_AMT3", "BILL_AMT4", "BILL_AMT5", "BILL_AMT6", "PAY_AMT1", "PAY_AMT2", "PAY_AMT3", "default_payment_next_month",
    ];

    public override Dictionary<string, string>? RunCase(string name, string[] args) => name switch
    {
        "stream-prepare" => Prepare(args[0], args[1], long.Parse(args[2], CultureInfo.InvariantCulture)),
        "stream-fit" => Fit(args[0], args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1),
        _ => null,
    };

    public override void Write(StringBuilder sb, BenchContext context)
    {
        var real = Path.Combine(context.Datasets, "credit_default_taiwan", "credit_default_taiwan.csv");
        var small = Path.Combine(context.Work, "credit-1m.parquet");
        var large = Path.Combine(context.Work, "credit-10m.parquet");
        context.Child("stream-prepare", real, small, "1000000");
        context.Child("stream-prepare", real, large, "10000000");
        sb.AppendLine("## Streaming fit: CART in bounded memory (issue 18)");
        sb.AppendLine();
        sb.AppendLine($"Machine: {MachineInfo.CpuModel()}, {Environment.ProcessorCount} cores; measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {MachineInfo.LoadAverage()}.");
        sb.AppendLine();
        sb.AppendLine("Data: 20 columns of `credit_default_taiwan` (30,000 real rows) grown to 1 M and 10 M rows by a seeded CART model, written as Parquet " +
                      "with 1 M-row row groups. `stream`: `TableChunks.Open` (100,000-row chunks) → `TableReservoir` (200,000 rows: schema and encoding) → " +
                      "`CartSynthesizer.FitStreaming` (histogram budget 256 MB; the tree levels read the binned spill, not the source). `memory`: `TableReader.Read` → `CartSynthesizer.Fit`. " +
                      "Quality: SDMetrics-style quality of 100,000 sampled rows against the reservoir.");
        sb.AppendLine();
        sb.AppendLine("| rows | mode | passes over the source | fit wall (s) | CPU (s) | peak RSS (MB) | quality |");
        sb.AppendLine("|---:|---|---:|---:|---:|---:|---:|");
        var results = new Dictionary<string, Dictionary<string, string>>();
        foreach (var (label, path) in new[] { ("1 M", small), ("10 M", large) })
            foreach (var mode in new[] { "memory", "stream" })
            {
                if (label == "10 M" && mode == "memory") continue; // 10 M rows in memory: the case streaming exists for
                var r = context.Child("stream-fit", path, mode);
                results[label + mode] = r;
                sb.AppendLine($"| {label} | {mode} | {r.GetValueOrDefault("passes", "–")} | {r["wall"]} | {r["cpu"]} | {r["peakMb"]} | {r["quality"]} |");
            }
        // 100 M rows is run once by hand (about half an hour here: TABTWIN_BENCH_100M=1), its result kept in bench/streaming-100m.json.
        var saved = Path.Combine(context.Repo, "bench", "streaming-100m.json");
        if (Environment.GetEnvironmentVariable("TABTWIN_BENCH_100M") == "1")
        {
            var r = context.Child("stream-fit", large, "stream", "10");
            r["rows"] = "100 M (the 10 M file read 10 times)";
            r["measured"] = $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC (end), load average {MachineInfo.LoadAverage()}";
            File.WriteAllText(saved, System.Text.Json.JsonSerializer.Serialize(r, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        }
        var hundred = File.Exists(saved) ? System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(saved)) : null;
        sb.AppendLine();
        if (hundred is not null)
            sb.AppendLine($"\n100 M rows, run once (bench/streaming-100m.json; measured {hundred["measured"]}): {hundred["rows"]}, streamed in " +
                          $"{hundred["wall"]} s wall ({hundred["cpu"]} s CPU) at {hundred["peakMb"]} MB peak RSS, quality {hundred["quality"]}" +
                          (hundred.TryGetValue("spillGb", out var gb) ? $"; the binned spill took {gb} GB of temporary disk." : "."));
        sb.AppendLine($"Streaming against in-memory on the same 1 M rows: wall {Ratio(results["1 Mstream"]["wall"], results["1 Mmemory"]["wall"])}, " +
                      $"peak RSS {Ratio(results["1 Mstream"]["peakMb"], results["1 Mmemory"]["peakMb"])}. Targets: 10 M × 20 in ≤ 3 min and ≤ 1 GB peak RSS.");
    }

    private static Dictionary<string, string> Prepare(string real, string path, long rows)
    {
        if (File.Exists(path)) return new() { ["path"] = path };
        var table = TableReader.Read(real).Select(Columns);
        var schema = SchemaDetector.Detect(table);
        var model = new CartSynthesizer().Fit(table, schema, new FitContext(0));
        const int chunk = 1_000_000;
        using var sink = TableSinks.Open(path);
        for (long done = 0, block = 0; done < rows; done += chunk, block++)
            sink.Write(model.Sample((int)Math.Min(chunk, rows - done), (ulong)block + 1));
        sink.Complete();
        return new() { ["path"] = path };
    }

    private static Dictionary<string, string> Fit(string path, string mode, int repeat)
    {
        var sw = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var result = new Dictionary<string, string>();
        ISynthesizerModel model;
        Table reference;
        if (mode == "memory")
        {
            var table = TableReader.Read(path);
            var schema = SchemaDetector.Detect(table);
            model = new CartSynthesizer().Fit(table, schema, new FitContext(0));
            reference = TableReservoir.Read(new InMemoryChunks(table, 100_000), 200_000, 0).Sample;
        }
        else
        {
            ITableChunkSource source = TableChunks.Open(path, chunkRows: 100_000);
            if (repeat > 1) source = new RepeatedSource(source, repeat);
            var (sample, rows) = TableReservoir.Read(source, 200_000, 0);
            var schema = SchemaDetector.Detect(sample);
            var passes = 0;
            model = new CartSynthesizer().FitStreaming(new CountingSource(source, () => passes++), sample, rows, schema, new FitContext(0));
            result["passes"] = (passes + 1).ToString(CultureInfo.InvariantCulture); // + the reservoir's
            reference = sample;
        }
        result["wall"] = F(sw.Elapsed.TotalSeconds, "0.0");
        result["cpu"] = F((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, "0.0");
        result["peakMb"] = F(MachineInfo.PeakRssMb(), "0");
        var synthetic = model.Sample(100_000, 1);
        result["quality"] = F(QualityReport.Compute(reference, synthetic, model.Schema).Overall, "0.000");
        return result;
    }

    /// <summary>A source read <paramref name="times"/> times over per pass (a large table from a file that exists).</summary>
    private sealed class RepeatedSource(ITableChunkSource inner, int times) : ITableChunkSource
    {
        public string Name => $"{inner.Name} ×{times}";

        public IEnumerable<Table> ReadChunks(CancellationToken cancel = default)
        {
            for (int t = 0; t < times; t++)
                foreach (var chunk in inner.ReadChunks(cancel)) yield return chunk;
        }
    }

    /// <summary>Counts the passes a fit makes over a source.</summary>
    private sealed class CountingSource(ITableChunkSource inner, Action pass) : ITableChunkSource
    {
        public string Name => inner.Name;

        public IEnumerable<Table> ReadChunks(CancellationToken cancel = default)
        {
            pass();
            return inner.ReadChunks(cancel);
        }
    }
}
