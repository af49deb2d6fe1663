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
        "gen-related" => Related(args[0], args[1]),
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
        sb.AppendLine();
        sb.AppendLine("Related tables: 100,000 customers → orders (poisson(3) per customer, dated after signup by an exponential gap) → " +
                      "order lines (binomial(6, 0.4) per order, shipped after the order); no fake personal data. Rows/s count the rows of all three tables.");
        sb.AppendLine();
        sb.AppendLine("| output | customers / orders / lines | generate (s) | rows/s | + write (s) | rows/s end to end | peak RSS (MB) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var output in new[] { Path.Combine(dir, "shop"), "duckdb:" + Path.Combine(dir, "shop.duckdb") })
        {
            var r = context.Child("gen-related", output, "100000");
            sb.AppendLine($"| {(output.StartsWith("duckdb:") ? "DuckDB with PRIMARY/FOREIGN KEYs" : "folder of CSV files")} | {r["shape"]} | {r["generate"]} | {r["rowsPerSecond"]} | {r["write"]} | {r["endToEnd"]} | {r["peakMb"]} |");
        }
    }

    private static Dictionary<string, string> Related(string output, string customers)
    {
        var spec = Generation.Spec.SpecReader.FromYaml(ShopSpec.Replace("rows: 100000", "rows: " + customers));
        Generation.Related.RelatedTablesGenerator.Generate(spec, 1, rootRows: 1000); // JIT warm-up
        var sw = Stopwatch.StartNew();
        var tables = Generation.Related.RelatedTablesGenerator.Generate(spec, 1);
        double generate = sw.Elapsed.TotalSeconds;
        sw.Restart();
        Generation.Related.RelatedTablesWriter.Write(tables, output);
        double write = sw.Elapsed.TotalSeconds;
        long rows = tables.Order.Sum(t => (long)tables[t].RowCount);
        return new()
        {
            ["shape"] = string.Join(" / ", tables.Order.Select(t => tables[t].RowCount.ToString("#,0", CultureInfo.InvariantCulture))),
            ["generate"] = F(generate), ["rowsPerSecond"] = F(rows / generate, "#,0"),
            ["write"] = F(write), ["endToEnd"] = F(rows / (generate + write), "#,0"), ["peakMb"] = F(MachineInfo.PeakRssMb(), "0"),
        };
    }

    private const string ShopSpec = """
        tables:
          - name: customers
            rows: 100000
            columns:
              customer_id: { type: id, format: "CUST-{000000}" }
              segment: { type: categorical, values: { consumer: 0.7, small_business: 0.25, enterprise: 0.05 } }
              signup_date: { type: date, from: 2021-01-01, to: 2024-12-31 }
          - name: orders
            parent: { table: customers, children: poisson(3), after: { ordered_at: { column: signup_date, gap: exponential(mean=45) } } }
            columns:
              order_id: { type: sequence, start: 100001 }
              ordered_at: { type: datetime, from: 2021-01-01, to: 2025-06-30, resolution: second }
              channel: { type: categorical, values: { web: 0.6, app: 0.3, phone: 0.1 } }
          - name: order_lines
            parent: { table: orders, children: "binomial(6, 0.4)", after: { shipped_at: ordered_at } }
            columns:
              line_id: { type: sequence }
              product: { type: categorical, values: { book: 5, game: 2, music: 3, gadget: 1 } }
              quantity: { type: poisson, lambda: 1.5, min: 1, max: 20 }
              unit_price: { type: lognormal, mean: 25, sd: 20, round: 2, min: 0.5 }
              shipped_at: { type: datetime, from: 2021-01-01, to: 2025-07-31, resolution: minute }
        """;

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
