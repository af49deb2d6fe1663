using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Quality;

/// <summary>A property scores one aspect of a synthetic table; its score is the mean of its defined detail scores.</summary>
public interface IQualityProperty<TDetail>
{
    string Name { get; }
    /// <summary>One detail row per column (or column pair); a metric that cannot be computed gives NaN and an error, never an exception.</summary>
    IReadOnlyList<TDetail> Details(Table real, Table synthetic, IReadOnlyList<ColumnSchema> columns);
}

/// <summary>Column Shapes: KSComplement for numerical/datetime columns, TVComplement for categorical/boolean ones.</summary>
public sealed class ColumnShapes : IQualityProperty<ColumnShapeScore>
{
    public static readonly ColumnShapes Instance = new();
    public string Name => "Column Shapes";

    public IReadOnlyList<ColumnShapeScore> Details(Table real, Table synthetic, IReadOnlyList<ColumnSchema> columns)
        => columns.Select(c => Score(c, real[c.Name], synthetic[c.Name])).ToList();

    /// <summary>The metric SDMetrics uses for a column of this kind.</summary>
    public static IColumnMetric MetricFor(ColumnKind kind) => QualityKinds.IsNumber(kind) ? KSComplement.Instance : TVComplement.Instance;

    private static ColumnShapeScore Score(ColumnSchema schema, Column real, Column synthetic)
    {
        var metric = MetricFor(schema.Kind);
        try { return new(schema.Name, metric.Name, MetricScale.Normalize(metric, metric.Compute(real, synthetic))); }
        catch (MetricUndefinedException e) { return new(schema.Name, metric.Name, double.NaN, e.Message); }
    }
}

/// <summary>
/// Column Pair Trends as SDMetrics 0.29 computes it: CorrelationSimilarity for pairs of numerical/datetime columns,
/// ContingencySimilarity for every other pair (a numerical/datetime column cut by <see cref="ColumnValues.HistogramCodes"/>).
/// Every pair is scored; a pair counts towards the property only when the real data holds a trend: |Pearson ρ| above
/// <see cref="QualityOptions.RealCorrelationThreshold"/>, or Cramér's V above <see cref="QualityOptions.RealAssociationThreshold"/>
/// (a threshold of 0 counts every pair, SDMetrics' behaviour before the thresholds).
/// </summary>
public sealed class ColumnPairTrends : IQualityProperty<ColumnPairScore>
{
    public static readonly ColumnPairTrends Instance = new();
    public string Name => "Column Pair Trends";

    public IReadOnlyList<ColumnPairScore> Details(Table real, Table synthetic, IReadOnlyList<ColumnSchema> columns)
        => Details(real, synthetic, columns, QualityOptions.SdMetrics);

    public IReadOnlyList<ColumnPairScore> Details(Table real, Table synthetic, IReadOnlyList<ColumnSchema> columns, QualityOptions options)
    {
        var pairs = new List<(ColumnSchema, ColumnSchema)>();
        for (int i = 0; i < columns.Count; i++)
            for (int j = i + 1; j < columns.Count; j++) pairs.Add((columns[i], columns[j]));
        return Details(real, synthetic, pairs, options);
    }

    /// <summary>
    /// Scores the given pairs only (the multi-table Intertable Trends scores parent × child column pairs of a joined
    /// table this way); each column is cut or read once however many pairs it is in.
    /// </summary>
    internal static IReadOnlyList<ColumnPairScore> Details(Table real, Table synthetic, IEnumerable<(ColumnSchema A, ColumnSchema B)> pairs, QualityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var codes = new Dictionary<string, (int[] Real, int[] Synthetic, int Count)>(StringComparer.Ordinal);
        var numbers = new Dictionary<string, (double[] Real, double[] Synthetic)>(StringComparer.Ordinal);
        (int[], int[], int) Codes(ColumnSchema c)
        {
            if (!codes.TryGetValue(c.Name, out var value))
                codes[c.Name] = value = ContingencySimilarity.Discretize(real[c.Name], synthetic[c.Name], QualityKinds.IsNumber(c.Kind));
            return value;
        }
        (double[], double[]) Numbers(ColumnSchema c)
        {
            if (!numbers.TryGetValue(c.Name, out var value))
                numbers[c.Name] = value = (ColumnValues.PairNumbers(real[c.Name]), ColumnValues.PairNumbers(synthetic[c.Name]));
            return value;
        }

        var scores = new List<ColumnPairScore>();
        foreach (var (a, b) in pairs)
            scores.Add(QualityKinds.IsNumber(a.Kind) && QualityKinds.IsNumber(b.Kind)
                ? Correlation(a.Name, b.Name, Numbers(a), Numbers(b), options.RealCorrelationThreshold)
                : Contingency(a.Name, b.Name, Codes(a), Codes(b), options.RealAssociationThreshold));
        return scores;
    }

    private static ColumnPairScore Correlation(string a, string b, (double[] Real, double[] Synthetic) x, (double[] Real, double[] Synthetic) y, double threshold)
    {
        const string metric = "CorrelationSimilarity";
        try
        {
            var (score, rho, sigma) = CorrelationSimilarity.Breakdown(x.Real, y.Real, x.Synthetic, y.Synthetic, a, b);
            return new(a, b, metric, score, rho, sigma, MeetsThreshold: threshold <= 0 || Math.Abs(rho) > threshold, IndependenceScore: 1 - Math.Abs(rho) / 2);
        }
        catch (MetricUndefinedException e) { return new(a, b, metric, double.NaN, Error: e.Message); }
    }

    private static ColumnPairScore Contingency(string a, string b, (int[] Real, int[] Synthetic, int Count) x, (int[] Real, int[] Synthetic, int Count) y, double threshold)
    {
        const string metric = "ContingencySimilarity";
        try
        {
            var (score, association, independence) = ContingencySimilarity.Breakdown(x.Real, y.Real, x.Synthetic, y.Synthetic, x.Count, y.Count, a, b);
            return new(a, b, metric, score, RealAssociation: double.IsNaN(association) ? null : association,
                MeetsThreshold: threshold <= 0 || association > threshold, IndependenceScore: independence);
        }
        catch (MetricUndefinedException e) { return new(a, b, metric, double.NaN, Error: e.Message); }
    }
}

internal static class QualityKinds
{
    public static bool IsEvaluated(ColumnKind kind) => kind is ColumnKind.Numerical or ColumnKind.Datetime or ColumnKind.Categorical or ColumnKind.Boolean;
    public static bool IsNumber(ColumnKind kind) => kind is ColumnKind.Numerical or ColumnKind.Datetime;

    public static double MeanIgnoringNaN(IEnumerable<double> values)
    {
        double sum = 0; int n = 0;
        foreach (var v in values) if (!double.IsNaN(v)) { sum += v; n++; }
        return n == 0 ? double.NaN : sum / n;
    }
}
