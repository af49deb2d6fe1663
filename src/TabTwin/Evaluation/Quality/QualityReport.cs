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
    IReadOnlyList<ColumnPairScore> PairDetails)
{
    /// <summary>camelCase JSON; undefined scores are written as <c>"NaN"</c> (JSON has no NaN literal).</summary>
    public static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, JsonOptions);

    public static QualityResult FromJson(string json) => System.Text.Json.JsonSerializer.Deserialize<QualityResult>(json, JsonOptions)
        ?? throw new ArgumentException("The quality report JSON is empty.");
}

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
        var columns = schema.Columns.Where(c => QualityKinds.IsEvaluated(c.Kind)).ToList();
        foreach (var c in columns)
        {
            if (!real.Contains(c.Name)) throw new SchemaException("quality.missing-column", $"The real table has no column '{c.Name}' named in the metadata.", column: c.Name);
            if (!synthetic.Contains(c.Name)) throw new SchemaException("quality.missing-column", $"The synthetic table has no column '{c.Name}' named in the metadata.", column: c.Name);
        }

        var shapes = ColumnShapes.Instance.Details(real, synthetic, columns);
        var pairs = ColumnPairTrends.Instance.Details(real, synthetic, columns);
        double shapeScore = QualityKinds.MeanIgnoringNaN(shapes.Select(s => s.Score));
        double pairScore = QualityKinds.MeanIgnoringNaN(pairs.Select(p => p.Score));
        return new QualityResult(QualityKinds.MeanIgnoringNaN([shapeScore, pairScore]), shapeScore, pairScore, shapes, pairs);
    }

    /// <summary>Whether a column of this kind takes part in the report (id, pii and text columns do not).</summary>
    public static bool IsEvaluated(ColumnKind kind) => QualityKinds.IsEvaluated(kind);
}
