using TabTwin.Evaluation.Quality;
using TabTwin.Evaluation.Utility;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Evaluation.Detection;

/// <summary>
/// Cross-validated AUC of a classifier telling real rows from synthetic ones: 0.5 means they cannot be told apart
/// (ideal), 1 that every synthetic row gives itself away. Normalized score 1 − 2·|AUC − 0.5|.
/// </summary>
public sealed class DetectionAuc : ITargetMetric
{
    public static readonly DetectionAuc Instance = new();
    public string Name => "DetectionAUC";
    public Goal Goal => Goal.Target;
    public double Target => 0.5;
    public double MinValue => 0;
    public double MaxValue => 1;
}

/// <summary>Settings of the classifier two-sample test.</summary>
public sealed record DetectionOptions
{
    public BoostingOptions Boosting { get; init; } = new() { Iterations = 50 };
    public int Folds { get; init; } = 5;
    /// <summary>Folds trained at once (−1 = one per core); results do not depend on it.</summary>
    public int MaxParallelFolds { get; init; } = -1;
    /// <summary>Rows per side; both sides are sampled (seeded) to the same size, min(|real|, |synthetic|, this).</summary>
    public int MaxRowsPerSide { get; init; } = 5_000;

    /// <summary>
    /// Fewest rows per side the test runs on: LightGBM keeps at least 20 rows in a leaf, and below about 25 rows per side
    /// (32 training rows per fold) it grows no tree at all and ML.NET fails with an internal error. 50 leaves a margin.
    /// </summary>
    public const int MinRowsPerSide = 50;
}

/// <summary>The test's outcome: mean AUC over folds, its normalized score, and each fold's AUC.</summary>
public sealed record DetectionResult(double Auc, double Score, IReadOnlyList<double> FoldAucs, int RowsPerSide);

/// <summary>
/// Classifier two-sample test (as SDMetrics' LogisticDetection, with LightGBM): equal-size seeded samples of real and
/// synthetic rows are labelled 0/1, featurized by a <see cref="TableFeaturizer"/> fitted on the real rows, split
/// into k stratified folds by a seeded shuffle; each fold is scored by a model trained on the others.
/// </summary>
public static class ClassifierDetection
{
    public static DetectionResult Compute(Table real, Table synthetic, TableSchema schema, DetectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(synthetic);
        options ??= new DetectionOptions();
        if (options.Folds < 2) throw new ArgumentOutOfRangeException(nameof(options), "Detection needs at least 2 folds.");
        var seed = (ulong)options.Boosting.Seed;
        int perSide = Math.Min(Math.Min(real.RowCount, synthetic.RowCount), options.MaxRowsPerSide);
        if (perSide < Math.Max(options.Folds, DetectionOptions.MinRowsPerSide))
            throw new TabTwinException("detection.too-few-rows",
                $"The detection test needs at least {Math.Max(options.Folds, DetectionOptions.MinRowsPerSide)} rows in each table; it got {perSide}.",
                hint: "Sample more synthetic rows (or use a larger real table) to run it.");
        real = real.Take(EvaluationStatistics.SampleRows(real.RowCount, perSide, seed, 21));
        synthetic = synthetic.Take(EvaluationStatistics.SampleRows(synthetic.RowCount, perSide, seed, 22));

        var featurizer = TableFeaturizer.Fit(real, schema);
        var rows = featurizer.Transform(real).Concat(featurizer.Transform(synthetic)).ToArray();
        var isSynthetic = Enumerable.Range(0, 2 * perSide).Select(i => i >= perSide).ToArray();
        var fold = StratifiedFolds(perSide, options.Folds, seed);

        var aucs = new double[options.Folds];
        // Folds train independent single-threaded models, so they run side by side with identical results.
        Parallel.For(0, options.Folds, new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelFolds }, k =>
        {
            var trainIdx = Enumerable.Range(0, rows.Length).Where(i => fold[i] != k).ToArray();
            var testIdx = Enumerable.Range(0, rows.Length).Where(i => fold[i] == k).ToArray();
            var scores = GradientBoosting.BinaryScores(trainIdx.Select(i => rows[i]).ToArray(), trainIdx.Select(i => isSynthetic[i]).ToArray(),
                testIdx.Select(i => rows[i]).ToArray(), options.Boosting);
            var positives = testIdx.Select((row, j) => (row, j)).Where(p => isSynthetic[p.row]).Select(p => scores[p.j]).ToArray();
            var negatives = testIdx.Select((row, j) => (row, j)).Where(p => !isSynthetic[p.row]).Select(p => scores[p.j]).ToArray();
            aucs[k] = EvaluationStatistics.Auc(positives, negatives);
        });
        double auc = aucs.Average();
        return new DetectionResult(auc, MetricScale.Normalize(DetectionAuc.Instance, auc), aucs, perSide);
    }

    /// <summary>Fold of each row (real rows 0..n−1, then synthetic n..2n−1): each side shuffled and dealt round-robin, so every fold holds both sides equally.</summary>
    private static int[] StratifiedFolds(int perSide, int folds, ulong seed)
    {
        var fold = new int[2 * perSide];
        for (int side = 0; side < 2; side++)
        {
            var order = EvaluationStatistics.SampleRows(perSide, perSide, seed, 0).ToArray();
            var rng = Randomness.SeededRandom.For(seed, 30 + (ulong)side);
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            for (int i = 0; i < order.Length; i++) fold[side * perSide + order[i]] = i % folds;
        }
        return fold;
    }
}
