using System.Text;

namespace TabTwin.Bench;

/// <summary>The generated 1 M × 20 CSV shared by the loading and scale sections (written once, kept in the work dir).</summary>
internal static class WideTable
{
    public static string Ensure(BenchContext context)
    {
        var wide = Path.Combine(context.Work, "wide_1m_x20.csv");
        if (!File.Exists(wide)) DataGen.WriteWideCsv(wide, 1_000_000, seed: 42);
        return wide;
    }
}

internal sealed class CsvLoadSection : BenchSection
{
    public override string Key => "csv";
    public override Dictionary<string, string>? RunCase(string name, string[] args) =>
        name is "csv-baseline" or "csv-load" ? Cases.Run(name, args) : null;

    public override void Write(StringBuilder sb, BenchContext context)
    {
        var wide = WideTable.Ensure(context);
        sb.AppendLine("## Loading a CSV: 1,000,000 rows × 20 columns");
        sb.AppendLine();
        sb.AppendLine($"File: generated, {new FileInfo(wide).Length / 1e6:0} MB (8 integer, 5 decimal, 4 categorical, 2 date/time, 1 boolean column; 2% missing).");
        sb.AppendLine("Baseline: reading every field as a string with Sylvan.Data.Csv and keeping nothing (the floor for any CSV reader).");
        sb.AppendLine();
        sb.AppendLine("| case | wall time (s) | peak RSS (MB) | managed allocations (MB) | vs baseline time |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        var baseline = context.Child("csv-baseline", wide);
        var load = context.Child("csv-load", wide);
        Row(sb, "baseline: Sylvan raw field scan", baseline, baseline);
        Row(sb, "TabTwin TableReader.Read → typed Table", load, baseline);
    }

    private static void Row(StringBuilder sb, string name, Dictionary<string, string> r, Dictionary<string, string> b) =>
        sb.AppendLine($"| {name} | {r["seconds"]} | {r["fitCpu"]} | {r["peakMb"]} | {r["allocMb"]} | {Ratio(r["seconds"], b["seconds"])} |");
}

internal sealed class AdultSection : BenchSection
{
    public override string Key => "adult";
    public override Dictionary<string, string>? RunCase(string name, string[] args) =>
        name == "synth-adult" ? Cases.Run(name, args) : null;

    public override void Write(StringBuilder sb, BenchContext context)
    {
        sb.AppendLine("## Synthesizers on UCI Adult (80/20 split, seed 0; fit on 26,048 rows, sample 26,048)");
        sb.AppendLine();
        sb.AppendLine("Baseline: the `independent` synthesizer (each column sampled alone from its marginal) in the same run. Quality: SDMetrics 0.29 QualityReport against the training rows (pair trends over the pairs with a real trend; every pair in parentheses).");
        sb.AppendLine();
        sb.AppendLine("| synthesizer | fit (s) | sample (s) | fit+sample (s) | peak RSS (MB) | column shapes | column-pair trends | overall | vs baseline fit+sample |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var indep = context.Child("synth-adult", context.Adult, "independent");
        var copula = context.Child("synth-adult", context.Adult, "gaussian-copula");
        var cart = context.Child("synth-adult", context.Adult, "cart");
        SynthRow(sb, "independent (baseline)", indep, indep);
        SynthRow(sb, "gaussian-copula", copula, indep);
        SynthRow(sb, "cart (default)", cart, indep);
        sb.AppendLine();
        sb.AppendLine("Reference: SDMetrics 0.29 on SDV GaussianCopula's Adult output: column shapes 0.905, column-pair trends 0.758, overall 0.831.");
        if (copula.TryGetValue("marginals", out var m)) { sb.AppendLine(); sb.AppendLine("Copula marginals chosen on Adult: " + m); }
    }

    private static void SynthRow(StringBuilder sb, string name, Dictionary<string, string> r, Dictionary<string, string> b) =>
        sb.AppendLine($"| {name} | {r["fit"]} | {r["sample"]} | {r["seconds"]} | {r["peakMb"]} | {r["shapes"]} | {r["trends"]} | {r["overall"]} | {Ratio(r["seconds"], b["seconds"])} |");
}

internal sealed class ScaleSection : BenchSection
{
    public override string Key => "scale";
    public override Dictionary<string, string>? RunCase(string name, string[] args) =>
        name == "synth-wide" ? Cases.Run(name, args) : null;

    public override void Write(StringBuilder sb, BenchContext context)
    {
        var wide = WideTable.Ensure(context);
        sb.AppendLine("## Synthesizers at scale: fit on the generated 1,000,000 × 20 table, sample 1,000,000 rows");
        sb.AppendLine();
        sb.AppendLine("| synthesizer | fit (s) | sample (s) | fit+sample (s) | peak RSS (MB) (includes the loaded table) |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var name in new[] { "gaussian-copula", "cart" })
        {
            var r = context.Child("synth-wide", wide, name);
            sb.AppendLine($"| {name} | {r["fit"]} | {r["sample"]} | {r["seconds"]} | {r["peakMb"]} |");
        }
    }
}

internal sealed class DatasetsSection : BenchSection
{
    /// <summary>Synthesizers compared on every shared dataset; a new synthesizer adds its name here.</summary>
    public static readonly string[] Synthesizers = ["independent", "gaussian-copula", "cart", "tvae", "ctgan"];

    public override string Key => "datasets";
    public override Dictionary<string, string>? RunCase(string name, string[] args) =>
        name == "synth-dataset" ? Cases.Run(name, args) : null;

    public override void Write(StringBuilder sb, BenchContext context)
    {
        sb.AppendLine("## Synthesizers on shared datasets (80/20 split, seed 0; sample as many rows as train)");
        sb.AppendLine();
        sb.AppendLine("Quality: SDMetrics 0.29 vs train (pair trends over the pairs with a real trend; every pair in parentheses). TSTR: LightGBM trained on synthetic vs on real train, both tested on the real holdout " +
                      "(AUC for binary targets, R² for regression; ratio = synthetic / real). Privacy: DCR share (synthetic rows nearer to train than to " +
                      "an equally large holdout, 0.5 ideal, 95% Wilson interval on 2,000 rows), exact copies of train rows (synthetic vs the holdout's own rate), " +
                      "distance membership-inference AUC (0.5 ideal). Coverage: range / category coverage of train (1 ideal). Detection: LightGBM real-vs-synthetic " +
                      "5-fold AUC (0.5 ideal). Time: fit + sample (wall) and the fit's process CPU time; baseline `independent` in the same run. " +
                      "TVAE and CTGAN run their defaults (300 epochs, batch 500) on both cores.");
        sb.AppendLine();
        sb.AppendLine("| dataset (rows × cols) | synthesizer | fit+sample (s) | fit CPU (s) | peak RSS (MB) | shapes | trends | overall | real score | synthetic score | TSTR ratio | DCR share [95% CI] | exact copies (holdout) | MIA AUC | coverage range / cat. | detection AUC |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|");
        foreach (var ds in DatasetCases.Datasets)
            foreach (var name in Synthesizers)
            {
                var r = context.Child("synth-dataset", context.Datasets, ds.Name, name);
                sb.AppendLine($"| {ds.Name} ({r["rows"]} × {r["cols"]}) | {name} | {r["seconds"]} | {r["fitCpu"]} | {r["peakMb"]} | {r["shapes"]} | {r["trends"]} | {r["overall"]} | " +
                              $"{r["realScore"]} | {r["synthScore"]} | {r["tstr"]} | {r["dcr"]} [{r["dcrLow"]}, {r["dcrHigh"]}] | {r["copies"]} ({r["holdoutCopies"]}) | {r["mia"]} | {r["rangeCov"]} / {r["catCov"]} | {r["detAuc"]} |");
            }
        sb.AppendLine();
        sb.AppendLine("CART's lower range/category coverage is its privacy protection at work: extremes are clipped to the 0.1–99.9 % range and categories seen fewer than 5 times are never emitted.");
    }
}
