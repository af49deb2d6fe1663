using System.Globalization;
using System.Text;
using TabTwin.Evaluation;
using TabTwin.Evaluation.Quality;
using TabTwin.IO;
using TabTwin.Registry;
using TabTwin.Schema;
using TabTwin.Synthesizers;

namespace TabTwin.Bench;

/// <summary>
/// Quality alone, under the SDMetrics definitions the report reproduces, for every synthesizer on the shared datasets:
/// the thresholded Column Pair Trends beside the all-pairs figure, the share of real trends kept, the worst pair and
/// the verdict. Same split, seed and sample size as the datasets section, so the synthetic tables are the ones it scores.
/// </summary>
internal sealed class QualitySection : BenchSection
{
    /// <summary>The neural synthesizers run only where their training is short on 2 shared cores (on Adult TVAE is ≈ 100 and CTGAN ≈ 400 CPU-seconds).</summary>
    private static readonly (string Dataset, string Synthesizer)[] NeuralCases =
        [("insurance", "tvae"), ("insurance", "ctgan"), ("wine_quality", "tvae"), ("wine_quality", "ctgan")];

    public override string Key => "quality";

    public override Dictionary<string, string>? RunCase(string name, string[] args) =>
        name == "quality-case" ? Run(args[0], args[1], args[2]) : null;

    public override void Write(StringBuilder sb, BenchContext context)
    {
        sb.AppendLine($"## Quality under the SDMetrics {QualityResult.SdMetricsVersion} definitions (80/20 split, seed 0; sample as many rows as train)");
        sb.AppendLine();
        sb.AppendLine($"Column pair trends (SDMetrics {QualityResult.SdMetricsVersion}): mean over the pairs whose real data holds a trend (|Pearson ρ| > 0.5 for two numeric columns, Cramér's V > 0.3 otherwise); " +
                      "pairs = how many of all pairs met that; all pairs = the mean over every pair (the figure before the thresholds). Overall = mean of column shapes and pair trends. " +
                      "Kept = share of the real trends kept beyond independent columns (0 = the `independent` baseline, 1 = all of it). Worst pair = lowest-scoring pair with a real trend. " +
                      "Same fits as § Synthesizers on shared datasets (same seed and split); TVAE and CTGAN only for " +
                      string.Join(", ", NeuralCases.Select(c => $"{c.Synthesizer} on {c.Dataset}")) + " (the others take 5–20 minutes each on this shared machine; their quality columns in the other sections count every pair).");
        sb.AppendLine();
        sb.AppendLine("| dataset | synthesizer | shapes | pair trends | pairs | all pairs | overall | kept | worst pair | verdict |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var ds in DatasetCases.Datasets)
            foreach (var synthesizer in new[] { "independent", "gaussian-copula", "cart", "tvae", "ctgan" })
            {
                if (synthesizer is "tvae" or "ctgan" && !NeuralCases.Contains((ds.Name, synthesizer))) continue;
                var r = context.Child("quality-case", context.Datasets, ds.Name, synthesizer);
                sb.AppendLine($"| {ds.Name} | {synthesizer} | {r["shapes"]} | {r["trends"]} | {r["pairs"]} | {r["allPairs"]} | {r["overall"]} | {r["kept"]} | {r["worst"]} | {r["verdict"]} |");
            }
    }

    private static Dictionary<string, string> Run(string datasetsDir, string datasetName, string synthesizer)
    {
        var ds = DatasetCases.Datasets.Single(d => d.Name == datasetName);
        var table = TableReader.Read(Path.Combine(datasetsDir, ds.File));
        var (train, _) = HoldoutSplit.Split(table, 0.8, seed: 0);
        var schema = SchemaDetector.Detect(train);
        var synthetic = SynthesizerRegistry.Get(synthesizer).Create(null).Fit(train, schema, new FitContext(0)).Sample(train.RowCount, 0);
        var q = QualityReport.Compute(train, synthetic, schema);
        var worst = q.WorstTrendPair;
        return new()
        {
            ["shapes"] = F(q.ColumnShapes, "0.000"), ["trends"] = F(q.ColumnPairTrends, "0.000"), ["allPairs"] = F(q.AllPairTrends, "0.000"),
            ["pairs"] = $"{q.PairsMeetingThreshold} / {q.PairDetails.Count}", ["overall"] = F(q.Overall, "0.000"),
            ["kept"] = F(EvaluationVerdicts.TrendKept(q), "0.00"),
            ["worst"] = worst is null ? "–" : $"{worst.ColumnA} × {worst.ColumnB} {worst.Score.ToString("0.00", CultureInfo.InvariantCulture)}",
            ["verdict"] = EvaluationVerdicts.Quality(q).Split(':')[0],
        };
    }
}
