using System.Diagnostics;
using System.Globalization;
using System.Text;
using TabTwin.Evaluation;
using TabTwin.Evaluation.Quality;
using TabTwin.IO;
using TabTwin.Randomness;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Private;
using TabTwin.Tables;

namespace TabTwin.Bench;

/// <summary>
/// MST and AIM against private-pgm's own (issue 20's targets), on private-pgm's discretized Adult rebuilt from
/// ../shared (train + test = 48,842 rows, 14 columns, the domain sizes of its adult-domain.json), 80/20 split, ε = 1,
/// δ = 1e-9, scored with the SDMetrics QualityReport with every column categorical.
/// </summary>
internal sealed class DpMarginalSection : BenchSection
{
    public override string Key => "dp-marginal";

    public override Dictionary<string, string>? RunCase(string name, string[] args) => name switch
    {
        "dpm-discretized" => RunDiscretized(args[0], args[1], args[2], double.Parse(args[3], CultureInfo.InvariantCulture)),
        _ => null,
    };

    public override void Write(StringBuilder sb, BenchContext context)
    {
        sb.AppendLine("## Differential privacy: MST and AIM on private-pgm's discretized Adult (issue 20)");
        sb.AppendLine();
        sb.AppendLine("Data: `adult.csv` + `adult_test.csv` from `../shared/datasets/adult` (48,842 rows) discretized as private-pgm's `data/adult.csv` " +
                      "(its `adult-domain.json`: age − 17 (85), fnlwgt / capital-gain / capital-loss in 100 equal-width bins, education-num − 1 (16), " +
                      "hours-per-week − 1 (99), categories coded by frequency with missing as a value, `income>50K`; `education` dropped), every column " +
                      "categorical with its domain declared in the metadata (public, as private-pgm's domain file), seeded 80/20 split. ε = 1, δ = 1e-9; " +
                      "the budget split as published (MST: ⅓ one-way, ⅓ selection, ⅓ pairs; AIM: 10 % one-way, rounds of 90 % measure / 10 % select). " +
                      "Quality: SDMetrics QualityReport (our exact port), synthetic (as many rows as the training part) against the training part; " +
                      "'all pairs' averages every pair instead of only those with a real trend. Reference, private-pgm measured on this machine (issue 20): " +
                      "MST 0.975–0.976 in 64–88 s, AIM 0.989–0.990 in 463–594 s (mean 2-way TVD 0.052 and 0.039).");
        sb.AppendLine();
        sb.AppendLine($"Machine: {MachineInfo.CpuModel()}, {Environment.ProcessorCount} cores; measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {MachineInfo.LoadAverage()}.");
        sb.AppendLine();
        sb.AppendLine("| method | seed | fit (s) | quality | column shapes | pair trends | quality, all pairs | mean 2-way TVD | ε spent |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var test = Path.Combine(context.Datasets, "adult", "adult_test.csv");
        foreach (var method in new[] { "mst", "aim" })
            foreach (var seed in new[] { "1", "2" })
            {
                var r = context.Child("dpm-discretized", context.Adult, test, method, double.Parse(seed, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                sb.AppendLine($"| {method} | {seed} | {r["fit"]} | {r["quality"]} | {r["shapes"]} | {r["pairs"]} | {r["qualityAll"]} | {r["tvd2"]} | {r["spent"]} |");
            }
        sb.AppendLine();
        sb.AppendLine("Targets: MST ≥ 0.975 and AIM ≥ 0.99 at ≤ 1/5 of private-pgm's times (MST ≤ ~13 s, AIM ≤ ~93 s).");
    }

    private static Dictionary<string, string> RunDiscretized(string trainPath, string testPath, string method, double seed)
    {
        var (table, schema) = PrivatePgmAdult(trainPath, testPath);
        var (train, _) = HoldoutSplit.Split(table, 0.8, 7);
        var synthesizer = new DpMarginalSynthesizer(method == "mst" ? DpMarginalMethod.Mst : DpMarginalMethod.Aim,
            new DpMarginalOptions { Epsilon = 1, Delta = 1e-9 });
        var watch = Stopwatch.StartNew();
        var model = synthesizer.Fit(train, schema, new FitContext((ulong)seed));
        double fit = watch.Elapsed.TotalSeconds;
        var synthetic = model.Sample(train.RowCount, (ulong)seed);
        var quality = QualityReport.Compute(train, synthetic, schema);
        var all = QualityReport.Compute(train, synthetic, schema, QualityOptions.AllPairs);
        return new()
        {
            ["fit"] = F(fit, "0.0"), ["quality"] = F(quality.Overall, "0.000"), ["shapes"] = F(quality.ColumnShapes, "0.000"),
            ["pairs"] = F(quality.ColumnPairTrends, "0.000"), ["qualityAll"] = F(all.Overall, "0.000"),
            ["tvd2"] = F(MeanPairTvd(train, synthetic), "0.000"), ["spent"] = F(model.SpentEpsilon, "0.0000"),
        };
    }

    /// <summary>private-pgm's discretization of Adult (see the section's text), every column a categorical code.</summary>
    internal static (Table Table, TableSchema Schema) PrivatePgmAdult(string trainPath, string testPath)
    {
        var raw = Table.Concat(TableReader.Read(trainPath), TableReader.Read(testPath));
        int n = raw.RowCount;
        var columns = new List<(string Name, int Size, int[] Codes)>();
        int[] Numbers(string name, Func<double, int> code, int size) =>
            [.. Enumerable.Range(0, n).Select(i => Math.Clamp(code(((NumericColumn)raw[name])[i]), 0, size - 1))];
        int[] EqualWidth(string name, int bins)
        {
            var v = (NumericColumn)raw[name];
            double min = v.Values.ToArray().Min(), max = v.Values.ToArray().Max();
            return [.. Enumerable.Range(0, n).Select(i => Math.Min(bins - 1, (int)((v[i] - min) / (max - min) * bins)))];
        }
        (int Size, int[] Codes) ByFrequency(string name)
        {
            var c = raw[name];
            var values = Enumerable.Range(0, n).Select(i => c.FormatValue(i) ?? "").ToArray();
            var order = values.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
            var index = order.Select((v, k) => (v, k)).ToDictionary(p => p.v, p => p.k);
            return (order.Count, [.. values.Select(v => index[v])]);
        }
        columns.Add(("age", 85, Numbers("age", v => (int)v - 17, 85)));
        foreach (var name in new[] { "workclass" }) { var (s, c) = ByFrequency(name); columns.Add((name, s, c)); }
        columns.Add(("fnlwgt", 100, EqualWidth("fnlwgt", 100)));
        columns.Add(("education-num", 16, Numbers("education-num", v => (int)v - 1, 16)));
        foreach (var name in new[] { "marital-status", "occupation", "relationship", "race", "sex" }) { var (s, c) = ByFrequency(name); columns.Add((name, s, c)); }
        columns.Add(("capital-gain", 100, EqualWidth("capital-gain", 100)));
        columns.Add(("capital-loss", 100, EqualWidth("capital-loss", 100)));
        columns.Add(("hours-per-week", 99, Numbers("hours-per-week", v => (int)v - 1, 99)));
        { var (s, c) = ByFrequency("native-country"); columns.Add(("native-country", s, c)); }
        { var (s, c) = ByFrequency("income"); columns.Add(("income>50K", s, c)); }
        var labels = columns.Select(c => Enumerable.Range(0, c.Size).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray()).ToList();
        var table = new Table(columns.Select((c, j) => (Column)new CategoricalColumn(c.Name, c.Codes, labels[j])));
        var schema = new TableSchema
        {
            Columns = [.. columns.Select((c, j) => new ColumnSchema { Name = c.Name, Kind = ColumnKind.Categorical, Categories = labels[j] })],
        };
        return (table, schema);
    }

    private static double MeanPairTvd(Table real, Table synthetic)
    {
        double total = 0;
        int pairs = 0;
        for (int a = 0; a < real.ColumnCount; a++)
            for (int b = a + 1; b < real.ColumnCount; b++)
            {
                var p = Joint(real, a, b);
                var q = Joint(synthetic, a, b);
                total += 0.5 * p.Keys.Union(q.Keys).Sum(k => Math.Abs(p.GetValueOrDefault(k) - q.GetValueOrDefault(k)));
                pairs++;
            }
        return total / pairs;
    }

    private static Dictionary<(string?, string?), double> Joint(Table t, int a, int b) =>
        Enumerable.Range(0, t.RowCount).GroupBy(i => (t[a].FormatValue(i), t[b].FormatValue(i)))
            .ToDictionary(g => g.Key, g => g.Count() / (double)t.RowCount);
}
