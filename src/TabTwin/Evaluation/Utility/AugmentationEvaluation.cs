using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Utility;

/// <summary>
/// How well a model trained on one table finds the minority class in the real holdout, at the default decision
/// threshold (probability 0.5): recall = TP / (TP + FN), precision = TP / (TP + FP) (0 when nothing is flagged),
/// F1 = 2·TP / (2·TP + FP + FN), and the threshold-free ROC AUC of the minority-vs-rest score.
/// </summary>
public sealed record MinorityScores(double Recall, double Precision, double F1, double Auc,
    int TrainRows, int TrainMinorityRows, int TestRows, int TestMinorityRows)
{
    /// <summary>Share of the training rows that hold the minority class.</summary>
    public double TrainMinorityShare => TrainRows == 0 ? double.NaN : (double)TrainMinorityRows / TrainRows;
}

/// <summary>The same LightGBM trained on the real training rows and on the augmented (or rebalanced) table, both tested on the real holdout.</summary>
/// <remarks><see cref="MinorityClass"/> is written as the target column writes it.</remarks>
public sealed record AugmentationComparison(string Target, string MinorityClass, MinorityScores RealOnly, MinorityScores Augmented)
{
    public double RecallChange => Augmented.Recall - RealOnly.Recall;
    public double PrecisionChange => Augmented.Precision - RealOnly.Precision;
    public double F1Change => Augmented.F1 - RealOnly.F1;
    public double AucChange => Augmented.Auc - RealOnly.Auc;
}

/// <summary>
/// Reports how augmentation changes a model's view of the rare class (TSTR-style: train on the given tables, test on
/// real rows neither saw). The minority class (default: the rarest class of the real training table) is the positive
/// class of a binary minority-vs-rest LightGBM (<see cref="GradientBoosting"/>) with features from a
/// <see cref="TableFeaturizer"/> fitted on each training table; rows with a missing target are left out. Columns that
/// are not in the schema (such as an <c>is_synthetic</c> marker) are ignored. Deterministic for
/// <see cref="BoostingOptions.Seed"/>.
/// </summary>
public static class AugmentationEvaluation
{
    public static AugmentationComparison Compare(Table realTrain, Table augmentedTrain, Table realHoldout, TableSchema schema, string target,
        string? minorityClass = null, UtilityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(realTrain);
        ArgumentNullException.ThrowIfNull(augmentedTrain);
        ArgumentNullException.ThrowIfNull(realHoldout);
        ArgumentNullException.ThrowIfNull(schema);
        options ??= new UtilityOptions();
        var kind = schema[target].Kind;
        if (kind is not (ColumnKind.Categorical or ColumnKind.Boolean))
            throw new SchemaException("utility.target-kind", $"The target column '{target}' is {schema[target].KindLabel}; minority recall needs a categorical or boolean target.", column: target);
        string minority = minorityClass is null ? Rarest(realTrain[target], target) : Resolve(realTrain[target], minorityClass, target);
        string label = Label(realTrain[target], minority);
        MinorityScores real = null!, augmented = null!;
        try
        {
            Parallel.Invoke(
                () => real = TrainAndTest(realTrain, realHoldout, schema, target, minority, options, stream: 21),
                () => augmented = TrainAndTest(augmentedTrain, realHoldout, schema, target, minority, options, stream: 22));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return new AugmentationComparison(target, label, real, augmented);
    }

    /// <summary>Recall, precision and F1 of the positive class from truth and predictions.</summary>
    public static (double Recall, double Precision, double F1) PositiveClassScores(IReadOnlyList<bool> truth, IReadOnlyList<bool> predicted)
    {
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            if (truth[i] && predicted[i]) tp++;
            else if (predicted[i]) fp++;
            else if (truth[i]) fn++;
        }
        double recall = tp + fn == 0 ? double.NaN : (double)tp / (tp + fn);
        double precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        double f1 = 2 * tp + fp + fn == 0 ? double.NaN : 2.0 * tp / (2 * tp + fp + fn);
        return (recall, precision, f1);
    }

    private static MinorityScores TrainAndTest(Table train, Table test, TableSchema schema, string target, string minority, UtilityOptions options, ulong stream)
    {
        var seed = (ulong)options.Boosting.Seed;
        train = train.Take(EvaluationStatistics.SampleRows(train.RowCount, options.MaxTrainRows, seed, stream));
        test = test.Take(EvaluationStatistics.SampleRows(test.RowCount, options.MaxTestRows, seed, 10));
        var (trainRows, trainY) = Labels(train[target], minority);
        var (testRows, testY) = Labels(test[target], minority);
        if (trainY.Count(y => y) == 0 || trainY.All(y => y))
            throw new SchemaException("utility.single-class", $"The training table needs rows of class '{minority}' of '{target}' and rows of other classes.", column: target);
        if (testRows.Length == 0)
            throw new SchemaException("utility.empty-holdout", $"The holdout has no row with a value in '{target}'.", column: target);
        var featurizer = TableFeaturizer.Fit(train, schema, exclude: target);
        if (featurizer.Width == 0)
            throw new SchemaException("utility.no-features", $"No column besides '{target}' can serve as a feature.", column: target);
        var scores = GradientBoosting.BinaryScores(featurizer.Transform(train.Take(trainRows)), trainY, featurizer.Transform(test.Take(testRows)), options.Boosting);
        var predicted = scores.Select(s => s > 0).ToArray();
        var (recall, precision, f1) = PositiveClassScores(testY, predicted);
        double auc = EvaluationStatistics.Auc(scores.Where((_, i) => testY[i]).ToArray(), scores.Where((_, i) => !testY[i]).ToArray());
        return new MinorityScores(recall, precision, f1, auc, trainRows.Length, trainY.Count(y => y), testRows.Length, testY.Count(y => y));
    }

    private static (int[] Rows, bool[] IsMinority) Labels(Column column, string minority)
    {
        var rows = new List<int>();
        var labels = new List<bool>();
        for (int i = 0; i < column.Length; i++)
        {
            if (column.IsMissing(i)) continue;
            rows.Add(i);
            labels.Add(Key(column, i) == minority);
        }
        return (rows.ToArray(), labels.ToArray());
    }

    /// <summary>Class key of a row: booleans as true/false (so spellings do not matter), other values as written.</summary>
    private static string Key(Column column, int row) => column is BooleanColumn b ? (b[row] ? "true" : "false") : column.FormatValue(row)!;

    /// <summary>The class as the column writes it (a boolean's own spelling, e.g. yes).</summary>
    private static string Label(Column column, string key)
    {
        for (int i = 0; i < column.Length; i++) if (!column.IsMissing(i) && Key(column, i) == key) return column.FormatValue(i)!;
        return key;
    }

    private static string Rarest(Column column, string target)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < column.Length; i++) if (!column.IsMissing(i)) counts[Key(column, i)] = counts.GetValueOrDefault(Key(column, i)) + 1;
        if (counts.Count < 2)
            throw new SchemaException("utility.single-class", $"The target column '{target}' has fewer than 2 classes in the real training table.", column: target);
        return counts.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key;
    }

    private static string Resolve(Column column, string name, string target)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < column.Length; i++)
        {
            if (column.IsMissing(i)) continue;
            if (column.FormatValue(i) == name) return Key(column, i);
            keys.Add(column.FormatValue(i)!);
        }
        if (column is BooleanColumn && (name is "true" or "false")) return name;
        throw new TabTwinException("utility.unknown-class", $"The target column '{target}' has no class '{name}'; its classes are: {string.Join(", ", keys)}.", column: target);
    }
}
