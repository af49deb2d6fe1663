using TabTwin.Evaluation.Utility;
using TabTwin.Randomness;

namespace TabTwin.Evaluation.Sequences;

/// <summary>
/// The discriminative score's outcome: mean ROC AUC over the folds (0.5 ideal: real and synthetic histories cannot be
/// told apart; 1: every synthetic history gives itself away), each fold's AUC, and the units compared per side.
/// </summary>
public sealed record SequenceDiscriminationResult(double Auc, IReadOnlyList<double> FoldAucs, int UnitsPerSide, int WindowLength);

/// <summary>
/// Classifier two-sample test on histories rather than rows: every entity (cut into windows of
/// <see cref="SequenceEvaluationOptions.DiscriminatorWindow"/> steps) becomes one <see cref="EntityFeatures"/> vector,
/// equal-size seeded samples of real and synthetic units are labelled 0/1 and dealt into stratified folds, and each
/// fold is scored by a LightGBM model trained on the others (as <see cref="Detection.ClassifierDetection"/> does for rows).
/// A flat synthesis that draws each step independently keeps every column's values but not their order, which the
/// per-unit autocorrelation, change spread and gap features expose.
/// </summary>
internal static class SequenceDiscrimination
{
    /// <summary>Fewest units per side: below about 25 LightGBM grows no tree (see <see cref="Detection.DetectionOptions.MinRowsPerSide"/>).</summary>
    public const int MinUnitsPerSide = Detection.DetectionOptions.MinRowsPerSide;

    public static SequenceDiscriminationResult? Compute(EntityFeatures features, SequenceData real, SequenceData synthetic,
        SequenceEvaluationOptions options, out string? skipped)
    {
        var realUnits = EntityFeatures.Windows(real, options.DiscriminatorWindow);
        var syntheticUnits = EntityFeatures.Windows(synthetic, options.DiscriminatorWindow);
        int perSide = Math.Min(Math.Min(realUnits.Length, syntheticUnits.Length), options.MaxUnitsPerSide);
        if (perSide < Math.Max(MinUnitsPerSide, options.Folds))
        {
            skipped = $"it needs at least {Math.Max(MinUnitsPerSide, options.Folds)} entities or {options.DiscriminatorWindow}-step windows per side; it has {perSide}";
            return null;
        }
        skipped = null;
        var realRows = features.Transform(real, Pick(realUnits, perSide, options.Seed, 41));
        var syntheticRows = features.Transform(synthetic, Pick(syntheticUnits, perSide, options.Seed, 42));
        var rows = realRows.Concat(syntheticRows).Select(Undefined.Mark).ToArray();
        var fold = StratifiedFolds(perSide, options.Folds, options.Seed);
        var boosting = options.Boosting with { Seed = (int)(options.Seed % int.MaxValue) };
        var aucs = new double[options.Folds];
        // Folds train independent single-threaded models, so they run side by side with identical results.
        Parallel.For(0, options.Folds, new ParallelOptions { MaxDegreeOfParallelism = options.MaxThreads }, k =>
        {
            var train = Enumerable.Range(0, rows.Length).Where(i => fold[i] != k).ToArray();
            var test = Enumerable.Range(0, rows.Length).Where(i => fold[i] == k).ToArray();
            var scores = GradientBoosting.BinaryScores(train.Select(i => rows[i]).ToArray(), train.Select(i => i >= perSide).ToArray(),
                test.Select(i => rows[i]).ToArray(), boosting);
            var positives = test.Select((row, j) => (row, j)).Where(p => p.row >= perSide).Select(p => scores[p.j]).ToArray();
            var negatives = test.Select((row, j) => (row, j)).Where(p => p.row < perSide).Select(p => scores[p.j]).ToArray();
            aucs[k] = EvaluationStatistics.Auc(positives, negatives);
        });
        return new SequenceDiscriminationResult(aucs.Average(), aucs, perSide, options.DiscriminatorWindow);
    }

    private static SequenceUnit[] Pick(SequenceUnit[] units, int count, ulong seed, ulong stream)
        => EvaluationStatistics.SampleRows(units.Length, count, seed, stream).Select(i => units[i]).ToArray();

    /// <summary>Fold of each unit (real 0..n−1, then synthetic n..2n−1): each side shuffled and dealt round-robin, so every fold holds both sides equally.</summary>
    private static int[] StratifiedFolds(int perSide, int folds, ulong seed)
    {
        var fold = new int[2 * perSide];
        for (int side = 0; side < 2; side++)
        {
            var order = Enumerable.Range(0, perSide).ToArray();
            var rng = SeededRandom.For(seed, 43 + (ulong)side);
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

/// <summary>
/// Undefined features (the spread of one value, the gap of one step) for the LightGBM models: a value below every real one
/// instead of NaN, so a tree can split them off. ML.NET's LightGBM routes a lone NaN feature well, but not these: on cdnow,
/// with single-purchase customers' spreads left as NaN, a discriminator that should find "more than one purchase" in the
/// lengths scored a cross-validated AUC of 0.56; with this mark, 0.70.
/// </summary>
internal static class Undefined
{
    public const float Value = -1e30f;

    public static float[] Mark(float[] features)
    {
        for (int i = 0; i < features.Length; i++) if (float.IsNaN(features[i])) features[i] = Value;
        return features;
    }
}
