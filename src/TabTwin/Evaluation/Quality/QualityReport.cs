using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Quality;

/// <summary>One column's score in the Column Shapes property (NaN with an <see cref="Error"/> when it could not be computed).</summary>
public sealed record ColumnShapeScore(string Column, string Metric, double Score, string? Error = null);

/// <summary>One column pair's score in the Column Pair Trends property; correlations are set for CorrelationSimilarity.</summary>
public sealed record ColumnPairScore(string ColumnA, string ColumnB, string Metric, double Score,
    double? RealCorrelation = null, double? SyntheticCorrelation = null, string? Error = null);

/// <summary>The SDMetrics-style quality report: two property scores, their mean, and the details behind them.</summary>
public sealed record QualityResult(
    double Overall,
    double ColumnShapes,
    double ColumnPairTrends,
    IReadOnlyList<ColumnShapeScore> ColumnDetails,
    IReadOnlyList<ColumnPairScore> PairDetails);

/// <summary>
/// Quality of a synthetic table against the real one, defined as SDMetrics' single-table QualityReport so numbers
/// compare across tools. Column Shapes: mean over columns of KSComplement (numerical, datetime) and TVComplement
/// (categorical, boolean). Column Pair Trends: mean over column pairs of CorrelationSimilarity (both
/// numerical/datetime) or ContingencySimilarity (otherwise). Id, pii and text columns are left out. A metric
/// that is undefined for one column or pair (e.g. a constant column's correlation) is recorded with its error and
/// left out of the mean. Overall = mean of the two properties.
/// </summary>
public static class QualityReport
{
    public static QualityResult Compute(Table real, Table synthetic, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(synthetic);
        ArgumentNullException.ThrowIfNull(schema);
        var columns = schema.Columns.Where(c => IsEvaluated(c.Kind)).ToList();
        foreach (var c in columns)
        {
            if (!real.Contains(c.Name)) throw new SchemaException("quality.missing-column", $"The real table has no column '{c.Name}' named in the metadata.", column: c.Name);
            if (!synthetic.Contains(c.Name)) throw new SchemaException("quality.missing-column", $"The synthetic table has no column '{c.Name}' named in the metadata.", column: c.Name);
        }

        var shapes = columns.Select(c => ColumnShape(c, real[c.Name], synthetic[c.Name])).ToList();
        var pairs = new List<ColumnPairScore>();
        for (int i = 0; i < columns.Count; i++)
            for (int j = i + 1; j < columns.Count; j++)
                pairs.Add(PairTrend(columns[i], columns[j], real, synthetic));

        double shapeScore = MeanIgnoringNaN(shapes.Select(s => s.Score));
        double pairScore = MeanIgnoringNaN(pairs.Select(p => p.Score));
        return new QualityResult(MeanIgnoringNaN([shapeScore, pairScore]), shapeScore, pairScore, shapes, pairs);
    }

    public static bool IsEvaluated(ColumnKind kind) => kind is ColumnKind.Numerical or ColumnKind.Datetime or ColumnKind.Categorical or ColumnKind.Boolean;
    private static bool IsNumber(ColumnKind kind) => kind is ColumnKind.Numerical or ColumnKind.Datetime;

    private static ColumnShapeScore ColumnShape(ColumnSchema schema, Column real, Column synthetic)
    {
        IColumnMetric metric = IsNumber(schema.Kind) ? KSComplement.Instance : TVComplement.Instance;
        try { return new(schema.Name, metric.Name, MetricScale.Normalize(metric, metric.Compute(real, synthetic))); }
        catch (MetricUndefinedException e) { return new(schema.Name, metric.Name, double.NaN, e.Message); }
    }

    private static ColumnPairScore PairTrend(ColumnSchema a, ColumnSchema b, Table real, Table synthetic)
    {
        Column ra = real[a.Name], rb = real[b.Name], sa = synthetic[a.Name], sb = synthetic[b.Name];
        if (IsNumber(a.Kind) && IsNumber(b.Kind))
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
            double score = contingency.Compute(ra, rb, sa, sb, IsNumber(a.Kind), IsNumber(b.Kind));
            return new(a.Name, b.Name, contingency.Name, MetricScale.Normalize(contingency, score));
        }
        catch (MetricUndefinedException e) { return new(a.Name, b.Name, contingency.Name, double.NaN, Error: e.Message); }
    }

    private static double MeanIgnoringNaN(IEnumerable<double> values)
    {
        double sum = 0; int n = 0;
        foreach (var v in values) if (!double.IsNaN(v)) { sum += v; n++; }
        return n == 0 ? double.NaN : sum / n;
    }
}
