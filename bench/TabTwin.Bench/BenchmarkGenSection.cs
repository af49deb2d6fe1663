using System.Diagnostics;
using System.Globalization;
using System.Text;
using TabTwin.Generation.Benchmarks;
using TabTwin.IO;

namespace TabTwin.Bench;

/// <summary>Throughput of the ML benchmark generators (and, with them, of writing their output).</summary>
internal sealed class BenchmarkGenSection : BenchSection
{
    public override string Key => "benchmark-gen";

    public override Dictionary<string, string>? RunCase(string name, string[] args) => name switch
    {
        "gen-classification" => Classification(args[0], args[1]),
        "gen-regression" => Regression(args[0]),
        _ => null,
    };

    public override void Write(StringBuilder sb, BenchContext context)
    {
        sb.AppendLine("## Generating ML benchmark data (`tabtwin generate --classification/--regression`)");
        sb.AppendLine();
        sb.AppendLine($"{Environment.ProcessorCount} cores; rows are generated in parallel blocks (identical output on any thread count). " +
                      "`generate` = building the in-memory table; `+ write` = writing it to the file (6 decimals). Measured while other jobs shared the machine: see the load average.");
        sb.AppendLine();
        sb.AppendLine("| case | rows × features | generate (s) | rows/s | + write (s) | rows/s end to end | file (MB) | peak RSS (MB) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        var dir = Path.Combine(context.Work, "benchmark-gen");
        Directory.CreateDirectory(dir);
        foreach (var format in new[] { "csv", "parquet" })
        {
            var r = context.Child("gen-classification", Path.Combine(dir, "classification." + format), "1000000");
            Row(sb, $"classification, 5 informative, 3 classes → {format}", "1,000,000 × 20", r);
        }
        Row(sb, "regression, 10 informative → csv", "1,000,000 × 20", context.Child("gen-regression", Path.Combine(dir, "regression.csv")));
    }

    private static void Row(StringBuilder sb, string name, string shape, Dictionary<string, string> r) =>
        sb.AppendLine($"| {name} | {shape} | {r["generate"]} | {r["rowsPerSecond"]} | {r["write"]} | {r["endToEnd"]} | {r["fileMb"]} | {r["peakMb"]} |");

    private static Dictionary<string, string> Classification(string output, string rows)
    {
        var options = new ClassificationOptions
        {
            Rows = long.Parse(rows, CultureInfo.InvariantCulture), Features = 20, Informative = 5, Classes = 3,
            Weights = [0.8, 0.15, 0.05], LabelNoise = 0.01, Seed = 1, Decimals = 6,
        };
        new ClassificationGenerator(options with { Rows = 10_000 }).Generate(); // JIT warm-up
        return Measure(() => new ClassificationGenerator(options).Generate(), output);
    }

    private static Dictionary<string, string> Regression(string output)
    {
        var options = new RegressionOptions { Rows = 1_000_000, Features = 20, Informative = 10, Noise = 1, Seed = 1, Decimals = 6 };
        new RegressionGenerator(options with { Rows = 10_000 }).Generate();
        return Measure(() => new RegressionGenerator(options).Generate(), output);
    }

    private static Dictionary<string, string> Measure(Func<Tables.Table> generate, string output)
    {
        var sw = Stopwatch.StartNew();
        var table = generate();
        double generateSeconds = sw.Elapsed.TotalSeconds;
        sw.Restart();
        TableWriter.Write(table, output);
        double write = sw.Elapsed.TotalSeconds;
        return new()
        {
            ["generate"] = F(generateSeconds), ["rowsPerSecond"] = F(table.RowCount / generateSeconds, "#,0"),
            ["write"] = F(write), ["endToEnd"] = F(table.RowCount / (generateSeconds + write), "#,0"),
            ["fileMb"] = F(new FileInfo(output).Length / 1e6, "0"), ["peakMb"] = F(MachineInfo.PeakRssMb(), "0"),
        };
    }
}
