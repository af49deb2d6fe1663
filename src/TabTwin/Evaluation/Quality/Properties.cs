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
/// Column Pair Trends: CorrelationSimilarity for pairs of numerical/datetime columns, ContingencySimilarity for every
/// other pair (numbers binned into 10 equal-width bins of the real range).
/// </summary>
public sealed class ColumnPairTrends : IQualityProperty<ColumnPairScore>
{
    public static readonly ColumnPairTrends Instance = new();
    public string Name => "Column Pair Trends";

    public IReadOnlyList<ColumnPairScore> Details(Table real, Table synthetic, IReadOnlyList<ColumnSchema> columns)
    {
        var pairs = new List<ColumnPairScore>();
        for (int i = 0; i < columns.Count; i++)
            for (int j = i + 1; j < columns.Count; j++)
                pairs.Add(Score(columns[i], columns[j], real, synthetic));
        return pairs;
    }

    private static ColumnPairScore Score(ColumnSchema a, ColumnSchema b, Table real, Table synthetic)
    {
        Column ra = real[a.Name], rb = real[b.Name], sa = synthetic[a.Name], sb = synthetic[b.Name];
        if (QualityKinds.IsNumber(a.Kind) && QualityKinds.IsNumber(b.Kind))
        {
            var metric = CorrelationSimilarity.Instance;
            try
            {
                double rho = CorrelationSimilarity.Pearson(ColumnValues.Numbers(ra), ColumnValues.Numbers(rb), "real", a.Name, b.Name);
                double sigma = CorrelationSimilarity.Pearson(ColumnValues.Numbers(sa), ColumnValues.Numbers(sb), "synthetic", a.Name, b.Name);
                return new(a.Name, b.Name, metric.Name, MetricScale.Normalize(metric, 1 - Math.Abs(rho - sigma) / 2), rho, sigma);
            }
            catch (MetricUndefinedException e) { return new(a.Name, b.Name, metric.Name, double.NaN, Error: e.Message); }
        }
        var contingency = ContingencySimilarity.Instance;
        try
        {
            double score = contingency.Compute(ra, rb, sa, sb, QualityKinds.IsNumber(a.Kind), QualityKinds.IsNumber(b.Kind));
            return new(a.Name, b.Name, contingency.Name, MetricScale.Normalize(contingency, score));
        }
        catch (MetricUndefinedException e) { return new(a.Name, b.Name, contingency.Name, double.NaN, Error: e.Message); }
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
