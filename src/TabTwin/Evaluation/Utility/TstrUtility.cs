using TabTwin.Evaluation.Quality;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Utility;

/// <summary>What the target column asks a model to do.</summary>
public enum UtilityTask { BinaryClassification, MulticlassClassification, Regression }

/// <summary>Holdout scores of one model: AUC (binary only) and macro-F1 for classification, R² for regression; NaN where not applicable.</summary>
public sealed record ModelScores(double Auc, double MacroF1, double R2, int TrainRows, int TestRows);

/// <summary>TSTR: the model trained on synthetic rows and the one trained on real rows, both tested on the real holdout.</summary>
public sealed record UtilityResult(string Target, UtilityTask Task, ModelScores Synthetic, ModelScores Real)
{
    /// <summary>Synthetic / real for the headline metric (AUC for binary, macro-F1 for multiclass, R² for regression); 1 = synthetic data trains as good a model.</summary>
    public double Ratio => Task switch
    {
        UtilityTask.BinaryClassification => Synthetic.Auc / Real.Auc,
        UtilityTask.MulticlassClassification => Synthetic.MacroF1 / Real.MacroF1,
        _ => Synthetic.R2 / Real.R2,
    };
    public double MacroF1Ratio => Synthetic.MacroF1 / Real.MacroF1;
}

/// <summary>The TSTR ratio as a metric: synthetic-trained score / real-trained score, best at 1 (values above 1 count as 1 when normalized).</summary>
public sealed class TstrRatio : IMetric
{
    public static readonly TstrRatio Instance = new();
    public string Name => "TSTRRatio";
    public Goal Goal => Goal.Maximize;
    public double MinValue => 0;
    public double MaxValue => 1;
}

/// <summary>Options of <see cref="TstrUtility"/>.</summary>
public sealed record UtilityOptions
{
    public BoostingOptions Boosting { get; init; } = new();
    /// <summary>Training rows per model; above it a seeded sample is drawn (keeps LightGBM time bounded).</summary>
    public int MaxTrainRows { get; init; } = 20_000;
    /// <summary>Holdout rows scored; above it a seeded sample is drawn.</summary>
    public int MaxTestRows { get; init; } = 20_000;
}

/// <summary>
/// Train-on-synthetic, test-on-real (TSTR) with LightGBM: one model learns the target from the synthetic table,
/// one from the real training table; both predict the real holdout. Categorical/boolean targets are classification
/// (binary when the real training table has two classes, the positive class being the rarer), numerical/datetime
/// targets regression. Features come from a <see cref="TableFeaturizer"/> fitted on each model's own training
/// table. Rows whose target is missing, or (classification) a class the real training table lacks, are dropped.
/// </summary>
public static class TstrUtility
{
    public static UtilityResult Compute(Table realTrain, Table realHoldout, Table synthetic, TableSchema schema, string target, UtilityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(realTrain);
        ArgumentNullException.ThrowIfNull(schema);
        options ??= new UtilityOptions();
        var kind = schema[target].Kind;
        if (!QualityReport.IsEvaluated(kind))
            throw new SchemaException("utility.target-kind", $"The target column '{target}' is {schema[target].KindLabel}; it must be numerical, datetime, categorical or boolean.", column: target);
        var classes = kind is ColumnKind.Categorical or ColumnKind.Boolean ? ClassesOf(realTrain[target]) : null;
        var task = classes is null ? UtilityTask.Regression : classes.Count == 2 ? UtilityTask.BinaryClassification : UtilityTask.MulticlassClassification;
        if (classes is { Count: < 2 })
            throw new SchemaException("utility.single-class", $"The target column '{target}' has fewer than 2 classes in the real training table.", column: target);
        // The two models are independent and single-threaded: train them side by side.
        ModelScores syntheticScores = null!, realScores = null!;
        try
        {
            Parallel.Invoke(
                () => syntheticScores = TrainAndTest(synthetic, realHoldout, schema, target, classes, options, stream: 1),
                () => realScores = TrainAndTest(realTrain, realHoldout, schema, target, classes, options, stream: 2));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            // Surface the first failure as itself (callers catch ArgumentException/TabTwinException, not AggregateException).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return new UtilityResult(target, task, syntheticScores, realScores);
    }

    /// <summary>Classes in order of descending real frequency (ties by text); for binary, index 1 (the rarer) is positive.</summary>
    private static List<string> ClassesOf(Column column)
        => Coverage.CategoryCounts.Of(column).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key).ToList();

    private static ModelScores TrainAndTest(Table train, Table test, TableSchema schema, string target, List<string>? classes, UtilityOptions options, ulong stream)
    {
        var seed = (ulong)options.Boosting.Seed;
        train = train.Take(EvaluationStatistics.SampleRows(train.RowCount, options.MaxTrainRows, seed, stream));
        test = test.Take(EvaluationStatistics.SampleRows(test.RowCount, options.MaxTestRows, seed, 10));
        var featurizer = TableFeaturizer.Fit(train, schema, exclude: target);
        if (classes is null)
        {
            var (trainRows, trainY) = Numeric(train, target);
            var (testRows, testY) = Numeric(test, target);
            if (trainRows.Length < 2 || testRows.Length < 2) throw new ArgumentException($"Too few rows with a target value to train and test on (train {trainRows.Length}, test {testRows.Length}).");
            var predicted = GradientBoosting.RegressionPredictions(featurizer.Transform(train.Take(trainRows)), trainY.Select(v => (float)v).ToArray(),
                featurizer.Transform(test.Take(testRows)), options.Boosting);
            return new ModelScores(double.NaN, double.NaN, RSquared(testY, predicted), trainRows.Length, testRows.Length);
        }
        var (trainIdx, trainClass) = Classes(train, target, classes);
        var (testIdx, testClass) = Classes(test, target, classes);
        if (trainIdx.Length < 2 || testIdx.Length < 1) throw new ArgumentException($"Too few rows with a known class to train and test on (train {trainIdx.Length}, test {testIdx.Length}).");
        var trainX = featurizer.Transform(train.Take(trainIdx));
        var testX = featurizer.Transform(test.Take(testIdx));
        if (classes.Count == 2)
        {
            // A synthetic table with one class only cannot train a classifier: it scores as chance.
            if (trainClass.Distinct().Count() < 2) return new ModelScores(0.5, MacroF1(testClass, new int[testClass.Length], 2), double.NaN, trainIdx.Length, testIdx.Length);
            var scores = GradientBoosting.BinaryScores(trainX, trainClass.Select(c => c == 1).ToArray(), testX, options.Boosting);
            var positives = scores.Where((_, i) => testClass[i] == 1).ToArray();
            var negatives = scores.Where((_, i) => testClass[i] == 0).ToArray();
            var predicted = scores.Select(s => s > 0 ? 1 : 0).ToArray();
            return new ModelScores(EvaluationStatistics.Auc(positives, negatives), MacroF1(testClass, predicted, 2), double.NaN, trainIdx.Length, testIdx.Length);
        }
        var labels = GradientBoosting.MulticlassPredictions(trainX, trainClass, testX, options.Boosting);
        return new ModelScores(double.NaN, MacroF1(testClass, labels, classes.Count), double.NaN, trainIdx.Length, testIdx.Length);
    }

    private static (int[] Rows, double[] Values) Numeric(Table table, string target)
    {
        var values = ColumnValues.Numbers(table[target]);
        var rows = Enumerable.Range(0, values.Length).Where(i => !double.IsNaN(values[i])).ToArray();
        return (rows, rows.Select(i => values[i]).ToArray());
    }

    private static (int[] Rows, int[] Classes) Classes(Table table, string target, List<string> classes)
    {
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var column = table[target];
        var rows = new List<int>();
        var labels = new List<int>();
        for (int i = 0; i < column.Length; i++)
        {
            if (column.IsMissing(i)) continue;
            string key = column is BooleanColumn b ? (b[i] ? "true" : "false") : column.FormatValue(i)!;
            if (!index.TryGetValue(key, out int c)) continue;
            rows.Add(i);
            labels.Add(c);
        }
        return (rows.ToArray(), labels.ToArray());
    }

    /// <summary>Mean over the classes present in truth or prediction of F1 = 2·TP / (2·TP + FP + FN).</summary>
    public static double MacroF1(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int classes)
    {
        var tp = new double[classes]; var fp = new double[classes]; var fn = new double[classes];
        for (int i = 0; i < truth.Count; i++)
        {
            if (truth[i] == predicted[i]) tp[truth[i]]++;
            else { fp[predicted[i]]++; fn[truth[i]]++; }
        }
        double sum = 0; int counted = 0;
        for (int k = 0; k < classes; k++)
        {
            double denominator = 2 * tp[k] + fp[k] + fn[k];
            if (denominator == 0) continue;
            sum += 2 * tp[k] / denominator;
            counted++;
        }
        return counted == 0 ? double.NaN : sum / counted;
    }

    /// <summary>R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² (can be negative for a model worse than the mean).</summary>
    public static double RSquared(IReadOnlyList<double> truth, IReadOnlyList<double> predicted)
    {
        double mean = truth.Average(), residual = 0, total = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            residual += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
            total += (truth[i] - mean) * (truth[i] - mean);
        }
        return total == 0 ? double.NaN : 1 - residual / total;
    }
}
