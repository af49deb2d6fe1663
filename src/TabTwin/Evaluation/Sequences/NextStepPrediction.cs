using TabTwin.Evaluation.Utility;

namespace TabTwin.Evaluation.Sequences;

/// <summary>
/// Next-step prediction of one numerical step column: mean absolute error on held-out real entities of a model trained
/// on real entities (<see cref="RealOnRealError"/>) and of one trained on synthetic entities (<see cref="SyntheticOnRealError"/>);
/// <see cref="Ratio"/> = real-on-real error / synthetic-on-real error: 1 ideal (the synthetic histories teach the step-to-step
/// dynamics as well as real ones), towards 0 they teach nothing; above 1 is possible by chance.
/// </summary>
public sealed record NextStepScore(string Column, double RealOnRealError, double SyntheticOnRealError, double Ratio);

/// <summary>
/// Train on synthetic, test on real, for the dynamics: each numerical step column x at step t is predicted from step
/// t − 1 (every numerical and categorical step column, categories as their codes), the gap from t − 1 to t and the step
/// index t. The models learn the change x_t − x_{t−1} (the error of the implied x_t is the same): trees cannot extrapolate,
/// and a level learned from stocks trading at 20 says nothing about one trading at 900, while a change does. The real kept entities are split in halves by a seeded shuffle: the first half trains the real-on-real
/// model, the second is the test set of both models. At most <see cref="SequenceEvaluationOptions.MaxPredictionRows"/>
/// transitions train each model and at most that many test it (seeded samples), so the cost is bounded.
/// </summary>
internal static class NextStepPrediction
{
    /// <summary>Fewest training transitions a model is fitted on (LightGBM needs a few leaves' worth).</summary>
    public const int MinTransitions = 50;

    public static List<NextStepScore> Compute(SequenceData real, SequenceData synthetic, SequenceColumns columns,
        SequenceEvaluationOptions options, out string? skipped)
    {
        skipped = null;
        if (columns.Numeric.Length == 0) { skipped = "the table has no numerical step column"; return []; }
        if (options.MaxPredictionRows <= 0) { skipped = "it is turned off (MaxPredictionRows = 0)"; return []; }
        var shuffled = Enumerable.Range(0, real.Count).ToArray();
        var rng = Randomness.SeededRandom.For(options.Seed, 51);
        for (int i = shuffled.Length - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]); }
        var realTrainEntities = shuffled[..(shuffled.Length / 2)];
        var realTestEntities = shuffled[(shuffled.Length / 2)..];

        var realTrain = Transitions(real, realTrainEntities, options.MaxPredictionRows, options.Seed, 52);
        var realTest = Transitions(real, realTestEntities, options.MaxPredictionRows, options.Seed, 53);
        var syntheticTrain = Transitions(synthetic, Enumerable.Range(0, synthetic.Count).ToArray(), options.MaxPredictionRows, options.Seed, 54);
        int fewest = Math.Min(Math.Min(realTrain.Count, realTest.Count), syntheticTrain.Count);
        if (fewest < MinTransitions)
        {
            skipped = $"it needs at least {MinTransitions} step-to-step transitions in each of the real training half, the real test half and the synthetic table; the fewest is {fewest}";
            return [];
        }
        var testFeatures = realTest.Select(p => Features(real, p)).ToArray();
        var realFeatures = realTrain.Select(p => Features(real, p)).ToArray();
        var syntheticFeatures = syntheticTrain.Select(p => Features(synthetic, p)).ToArray();
        var boosting = options.Boosting with { Seed = (int)(options.Seed % int.MaxValue) };
        var scores = new NextStepScore?[columns.Numeric.Length];
        Parallel.For(0, scores.Length, new ParallelOptions { MaxDegreeOfParallelism = options.MaxThreads }, j =>
        {
            var test = Present(real, realTest, j);
            var realRows = Present(real, realTrain, j);
            var syntheticRows = Present(synthetic, syntheticTrain, j);
            if (test.Length == 0 || realRows.Length < MinTransitions || syntheticRows.Length < MinTransitions) return;
            var testX = test.Select(i => testFeatures[i]).ToArray();
            var truth = test.Select(i => Change(real, realTest[i], j)).ToArray();
            double realError = MeanAbsoluteError(GradientBoosting.RegressionPredictions(realRows.Select(i => realFeatures[i]).ToArray(),
                realRows.Select(i => (float)Change(real, realTrain[i], j)).ToArray(), testX, boosting), truth);
            double syntheticError = MeanAbsoluteError(GradientBoosting.RegressionPredictions(syntheticRows.Select(i => syntheticFeatures[i]).ToArray(),
                syntheticRows.Select(i => (float)Change(synthetic, syntheticTrain[i], j)).ToArray(), testX, boosting), truth);
            double ratio = syntheticError > 0 ? realError / syntheticError : realError == 0 ? 1 : 0;
            scores[j] = new NextStepScore(columns.Numeric[j], realError, syntheticError, ratio);
        });
        return [.. scores.OfType<NextStepScore>()];
    }

    /// <summary>(entity, step t ≥ 1) pairs of the given entities, a seeded sample of at most <paramref name="cap"/>.</summary>
    private static List<(int Entity, int Step)> Transitions(SequenceData data, int[] entities, int cap, ulong seed, ulong stream)
    {
        var all = new List<(int, int)>();
        foreach (var e in entities.Order()) for (int t = 1; t < data.LengthOf(e); t++) all.Add((e, t));
        return [.. EvaluationStatistics.SampleRows(all.Count, cap, seed, stream).Select(i => all[i])];
    }

    private static int[] Present(SequenceData data, List<(int Entity, int Step)> transitions, int column)
        => Enumerable.Range(0, transitions.Count).Where(i => !double.IsNaN(Change(data, transitions[i], column))).ToArray();

    /// <summary>x_t − x_{t−1}: NaN when either is missing (the pair is then not trained or tested on).</summary>
    private static double Change(SequenceData data, (int Entity, int Step) p, int column)
        => data.Numbers[column][p.Entity][p.Step] - data.Numbers[column][p.Entity][p.Step - 1];

    private static float[] Features(SequenceData data, (int Entity, int Step) p)
    {
        var (e, t) = p;
        var f = new float[data.Numbers.Length + data.Codes.Length + 2];
        int at = 0;
        foreach (var column in data.Numbers) f[at++] = (float)column[e][t - 1];
        foreach (var column in data.Codes) f[at++] = column[e][t - 1] < 0 ? float.NaN : column[e][t - 1]; // NaN: marked below
        f[at++] = (float)(data.Order[e][t] - data.Order[e][t - 1]);
        f[at] = t;
        return Undefined.Mark(f);
    }

    private static double MeanAbsoluteError(double[] predicted, double[] truth)
    {
        double sum = 0;
        for (int i = 0; i < truth.Length; i++) sum += Math.Abs(predicted[i] - truth[i]);
        return sum / truth.Length;
    }
}
