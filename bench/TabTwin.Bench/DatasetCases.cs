using System.Diagnostics;
using System.Globalization;
using TabTwin.Evaluation;
using TabTwin.Evaluation.Coverage;
using TabTwin.Evaluation.Detection;
using TabTwin.Evaluation.Privacy;
using TabTwin.Evaluation.Quality;
using TabTwin.Evaluation.Utility;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Registry;
using TabTwin.Synthesis;
using TabTwin.Sampling.Constraints;

namespace TabTwin.Bench;

/// <summary>A shared dataset with its target column (see ../shared/datasets/INDEX.md).</summary>
internal sealed record BenchDataset(string Name, string File, string Target, string Task);

/// <summary>
/// Quality, utility (TSTR), privacy, time and memory of one synthesizer on one shared dataset:
/// 80/20 split (seed 0), fit on train, sample as many rows as train, evaluate against train/holdout.
/// </summary>
internal static class DatasetCases
{
    public static readonly BenchDataset[] Datasets =
    [
        new("adult", "adult/adult.csv", "income", "binary"),
        new("bank_marketing", "bank_marketing/bank_full.csv", "y", "binary"),
        new("credit_default_taiwan", "credit_default_taiwan/credit_default_taiwan.csv", "default_payment_next_month", "binary"),
        new("california_housing", "california_housing/california_housing.csv", "median_house_value", "regression"),
        new("insurance", "insurance/insurance.csv", "charges", "regression"),
        new("wine_quality", "wine_quality/wine_quality.csv", "quality", "regression"),
    ];

    public static Dictionary<string, string> Run(string datasetsDir, string datasetName, string synthesizer)
    {
        var ds = Datasets.Single(d => d.Name == datasetName);
        var table = TableReader.Read(Path.Combine(datasetsDir, ds.File));
        var (train, holdout) = HoldoutSplit.Split(table, 0.8, seed: 0);
        var schema = SchemaDetector.Detect(train);
        // "cart+check": the default cart through the fit's privacy check, as SyntheticData and the CLI fit (bench § privacy).
        bool checkPrivacy = synthesizer == "cart+check";
        if (checkPrivacy) synthesizer = "cart";
        var entry = SynthesizerRegistry.Get(synthesizer);
        using (var warm = System.Text.Json.JsonDocument.Parse("""{"epochs": 1}"""))   // JIT warm-up (one epoch for neural ones)
            entry.Create(synthesizer is "tvae" or "ctgan" ? warm.RootElement : null).Fit(train.Head(300), schema, new FitContext(1)).Sample(50, 1);

        var sw = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var model = checkPrivacy
            ? PrivacyCheck.Fit(entry.Create(null), train, schema, new FitContext(0), ConstraintSet.Empty).Model
            : entry.Create(null).Fit(train, schema, new FitContext(0));
        double fit = sw.Elapsed.TotalSeconds;
        double fitCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        sw.Restart();
        var synthetic = model.Sample(train.RowCount, 0);
        double sample = sw.Elapsed.TotalSeconds;
        double peak = MachineInfo.PeakRssMb();

        var quality = QualityReport.Compute(train, synthetic, schema);
        var utility = TstrUtility.Compute(train, holdout, synthetic, schema, ds.Target);
        var privacy = PrivacyReport.Compute(train, holdout, synthetic, schema);
        var coverage = CoverageReport.Compute(train, synthetic, schema);
        var detection = ClassifierDetection.Compute(train, synthetic, schema);
        return new()
        {
            ["rows"] = table.RowCount.ToString(CultureInfo.InvariantCulture),
            ["cols"] = table.ColumnCount.ToString(CultureInfo.InvariantCulture),
            ["fit"] = F(fit), ["fitCpu"] = F(fitCpu, "0.0"), ["sample"] = F(sample), ["seconds"] = F(fit + sample), ["peakMb"] = F(peak, "0"),
            ["shapes"] = F(quality.ColumnShapes), ["trends"] = $"{F(quality.ColumnPairTrends)} (all {F(quality.AllPairTrends)})", ["overall"] = F(quality.Overall),
            ["tstr"] = F(utility.Ratio), ["task"] = ds.Task,
            ["realScore"] = F(ds.Task == "binary" ? utility.Real.Auc : utility.Real.R2),
            ["synthScore"] = F(ds.Task == "binary" ? utility.Synthetic.Auc : utility.Synthetic.R2),
            ["dcr"] = F(privacy.DcrShare.Value), ["dcrLow"] = F(privacy.DcrShare.Lower), ["dcrHigh"] = F(privacy.DcrShare.Upper),
            ["copies"] = F(privacy.ExactCopyRate, "0.0000"), ["holdoutCopies"] = F(privacy.HoldoutExactCopyRate, "0.0000"),
            ["mia"] = F(privacy.MembershipInferenceAuc),
            ["rangeCov"] = F(coverage.RangeCoverage), ["catCov"] = F(coverage.CategoryCoverage),
            ["detAuc"] = F(detection.Auc),
        };
    }

    private static string F(double v, string format = "0.000") => v.ToString(format, CultureInfo.InvariantCulture);
}
