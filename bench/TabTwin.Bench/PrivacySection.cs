using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TabTwin.Evaluation;
using TabTwin.Evaluation.Coverage;
using TabTwin.Evaluation.Privacy;
using TabTwin.Evaluation.Quality;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Registry;
using TabTwin.Sampling.Constraints;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;

namespace TabTwin.Bench;

/// <summary>
/// The default <c>cart</c> synthesizer's privacy on every shared table of at least 300 rows: DCR share (0.5 ideal)
/// beside range coverage, under the current defaults fitted once and through the fit's privacy check.
/// Tables above <see cref="MaxRows"/> rows are measured on a seeded random subsample of that many rows (2 shared
/// cores); each case fits on one thread.
/// </summary>
internal sealed class PrivacySection : BenchSection
{
    /// <summary>Rows kept of larger tables (seeded random subsample).</summary>
    public const int MaxRows = 10_000;

    public override string Key => "privacy";

    public override Dictionary<string, string>? RunCase(string name, string[] args) =>
        name == "privacy-table" ? PrivacyCases.Run(args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args[3])
        : name == "privacy-seeds" ? PrivacyProbe.Seeds(args[0], args[1], double.Parse(args[2], CultureInfo.InvariantCulture), args[3], int.Parse(args[4], CultureInfo.InvariantCulture))
        : name == "privacy-checked" ? PrivacyProbe.Checked(args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture))
        : name == "privacy-probe" ? PrivacyProbe.Run(args[0], args[1], double.Parse(args[2], CultureInfo.InvariantCulture), args.Length > 3 ? args[3] : "default") : null;

    public override void Write(StringBuilder sb, BenchContext context)
    {
        sb.AppendLine("## CART privacy on every shared table (DCR share and range coverage, the fit's privacy check off and on)");
        sb.AppendLine();
        sb.AppendLine($"Every CSV of ≥ 300 rows in ../shared/datasets; tables above {MaxRows:N0} rows on a seeded random {MaxRows:N0}-row subsample " +
                      "(2 shared cores; say so when comparing). 80/20 split (seed 0), CART fitted on train on one thread, as many rows sampled as train. " +
                      "DCR share: synthetic rows nearer to train than to an equally large holdout (0.5 ideal; 95% Wilson interval; ✓ = at most 0.53 with " +
                      "the interval reaching 0.5). Range coverage: share of each numeric train range the synthetic data spans (1 ideal). Before: the " +
                      "defaults fitted once (leaves of at least max(5, n/1000, 2·√n, min(n/10, 100)) rows; key-like categories emitted only where 5 rows " +
                      "of a leaf share them). After: the same through the fit's privacy check (`PrivacyCheck`, as SyntheticData and `tabtwin fit`/`run` " +
                      "fit): the check holds out slices of train, measures the DCR share and raises the protection level (×1.5 per round, at most 4 " +
                      "levels) until it is ≤ 0.53 with its interval reaching 0.5; `level` is the level the model was fitted at, `leaf` its smallest leaf.");
        sb.AppendLine();
        sb.AppendLine("| table | rows (train) | before: DCR [95% CI] | range cov. | quality | after: DCR [95% CI] | range cov. | quality | level | leaf |");
        sb.AppendLine("|---|---:|---|---:|---:|---|---:|---:|---:|---:|");
        int before = 0, after = 0, tables = 0;
        foreach (var file in PrivacyCases.Tables(context.Datasets))
        {
            var b = context.Child("privacy-table", context.Datasets, file, MaxRows.ToString(CultureInfo.InvariantCulture), "default");
            var a = context.Child("privacy-table", context.Datasets, file, MaxRows.ToString(CultureInfo.InvariantCulture), "checked");
            tables++;
            if (Holds(b)) before++;
            if (Holds(a)) after++;
            sb.AppendLine($"| {file} | {a["rows"]} ({a["train"]}) | {b["dcr"]} [{b["dcrLow"]}, {b["dcrHigh"]}]{Mark(b)} | {b["rangeCov"]} | {b["overall"]} | " +
                          $"{a["dcr"]} [{a["dcrLow"]}, {a["dcrHigh"]}]{Mark(a)} | {a["rangeCov"]} | {a["overall"]} | {a["level"]} | {a["leaf"]} |");
        }
        sb.AppendLine();
        sb.AppendLine($"Tables meeting the bound (≤ 0.53, interval reaching 0.5): before {before} of {tables}, after {after} of {tables}.");
    }

    private static bool Holds(Dictionary<string, string> r) =>
        double.TryParse(r["dcr"], CultureInfo.InvariantCulture, out double v) && double.TryParse(r["dcrLow"], CultureInfo.InvariantCulture, out double low)
        && v <= 0.53 && low <= 0.5;

    private static string Mark(Dictionary<string, string> r) => Holds(r) ? " ✓" : "";
}

/// <summary>One privacy measurement of CART on one shared table (run in a child process).</summary>
internal static class PrivacyCases
{
    /// <summary>Every shared CSV with at least 300 data rows, as paths relative to the datasets folder, sorted.</summary>
    public static IEnumerable<string> Tables(string datasets) =>
        Directory.EnumerateFiles(datasets, "*.csv", SearchOption.AllDirectories)
            .Where(f => File.ReadLines(f).Skip(1).Take(300).Count() >= 300)
            .Select(f => Path.GetRelativePath(datasets, f))
            .Order(StringComparer.Ordinal);

    public static Dictionary<string, string> Run(string datasets, string file, int maxRows, string optionsJson)
    {
        var table = TableReader.Read(Path.Combine(datasets, file));
        int rows = table.RowCount;
        if (table.RowCount > maxRows) table = HoldoutSplit.Split(table, maxRows / (double)table.RowCount, seed: 7).Train;
        var (train, holdout) = HoldoutSplit.Split(table, 0.8, seed: 0);
        var schema = SchemaDetector.Detect(train);
        CartSynthesizer synth;
        if (optionsJson is "default" or "checked") synth = new CartSynthesizer();
        else
        {
            using var doc = JsonDocument.Parse(optionsJson);
            synth = (CartSynthesizer)SynthesizerRegistry.Get("cart").Create(doc.RootElement);
        }
        var sw = Stopwatch.StartNew();
        // "checked": the defaults through the fit's privacy self-check, as SyntheticData and the CLI's fit/run fit.
        var check = optionsJson == "checked" ? PrivacyCheck.Run(synth, train, schema, new FitContext(0) { MaxThreads = 1 }, ConstraintSet.Empty) : null;
        if (check is not null) synth = (CartSynthesizer)synth.WithProtectionLevel(check.ChosenLevel);
        var model = synth.Fit(train, schema, new FitContext(0) { MaxThreads = 1 });
        var synthetic = model.Sample(train.RowCount, 0, new SampleContext { MaxThreads = 1 });
        double seconds = sw.Elapsed.TotalSeconds;
        var privacy = PrivacyReport.Compute(train, holdout, synthetic, schema, new PrivacyOptions { MaxThreads = 1 });
        var coverage = CoverageReport.Compute(train, synthetic, schema);
        var quality = QualityReport.Compute(train, synthetic, schema);
        return new()
        {
            ["rows"] = rows.ToString("N0", CultureInfo.InvariantCulture),
            ["train"] = train.RowCount.ToString("N0", CultureInfo.InvariantCulture),
            ["dcr"] = F(privacy.DcrShare.Value), ["dcrLow"] = F(privacy.DcrShare.Lower), ["dcrHigh"] = F(privacy.DcrShare.Upper),
            ["rangeCov"] = F(coverage.RangeCoverage), ["catCov"] = F(coverage.CategoryCoverage),
            ["overall"] = F(quality.Overall), ["seconds"] = F(seconds, "0.0"),
            ["leaf"] = model.SmallestLeaf.ToString(CultureInfo.InvariantCulture),
            ["level"] = (check?.ChosenLevel ?? 1).ToString("0.###", CultureInfo.InvariantCulture),
            ["checkRounds"] = (check?.Rounds.Count ?? 0).ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string F(double v, string format = "0.000") => v.ToString(format, CultureInfo.InvariantCulture);
}
