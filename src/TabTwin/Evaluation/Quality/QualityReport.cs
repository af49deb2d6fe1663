using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Quality;

/// <summary>One column's score in the Column Shapes property (NaN with an <see cref="Error"/> when it could not be computed).</summary>
public sealed record ColumnShapeScore(string Column, string Metric, double Score, string? Error = null);

/// <summary>
/// One column pair's score in the Column Pair Trends property. Correlations are set for CorrelationSimilarity, the
/// real Cramér's V for ContingencySimilarity. <see cref="MeetsThreshold"/>: the real data holds a trend strong enough
/// for the pair to count (null when the score is undefined). <see cref="IndependenceScore"/>: what a synthesizer
/// that keeps every column but no association (the <c>independent</c> baseline, in expectation) would score.
/// </summary>
public sealed record ColumnPairScore(string ColumnA, string ColumnB, string Metric, double Score,
    double? RealCorrelation = null, double? SyntheticCorrelation = null, string? Error = null,
    double? RealAssociation = null, bool? MeetsThreshold = null, double? IndependenceScore = null);

/// <summary>Which pairs count towards Column Pair Trends; the defaults are SDMetrics' QualityReport defaults.</summary>
public sealed record QualityOptions
{
    /// <summary>SDMetrics' QualityReport defaults: |ρ| &gt; 0.5 for numeric pairs, Cramér's V &gt; 0.3 for the others.</summary>
    public static readonly QualityOptions SdMetrics = new();

    /// <summary>Every pair counts (SDMetrics with both thresholds set to 0, its behaviour before the thresholds came in January 2026).</summary>
    public static readonly QualityOptions AllPairs = new() { RealCorrelationThreshold = 0, RealAssociationThreshold = 0 };

    public double RealCorrelationThreshold { get; init; } = 0.5;
    public double RealAssociationThreshold { get; init; } = 0.3;
}

/// <summary>
/// The SDMetrics quality report: two property scores, their mean, and the details behind them.
/// <see cref="ColumnPairTrends"/> averages the pairs that meet the thresholds (NaN when none does; then
/// <see cref="Overall"/> is the column shapes score, as SDMetrics' nanmean gives); <see cref="AllPairTrends"/> averages
/// every pair that could be scored, the figure older SDMetrics versions reported.
/// </summary>
public sealed record QualityResult(
    double Overall,
    double ColumnShapes,
    double ColumnPairTrends,
    IReadOnlyList<ColumnShapeScore> ColumnDetails,
    IReadOnlyList<ColumnPairScore> PairDetails)
{
    /// <summary>The SDMetrics release whose QualityReport definitions these scores reproduce.</summary>
    public const string SdMetricsVersion = "0.29";

    /// <summary>Mean score over every pair that could be scored, thresholds ignored (the pre-threshold Column Pair Trends).</summary>
    public double AllPairTrends { get; init; } = double.NaN;

    /// <summary>How many pairs met the thresholds and were scored, i.e. how many <see cref="ColumnPairTrends"/> averages.</summary>
    public int PairsMeetingThreshold { get; init; }

    public double RealCorrelationThreshold { get; init; } = QualityOptions.SdMetrics.RealCorrelationThreshold;
    public double RealAssociationThreshold { get; init; } = QualityOptions.SdMetrics.RealAssociationThreshold;

    /// <summary>The lowest-scoring pair among those that meet the thresholds (the real trend worst kept), or null.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ColumnPairScore? WorstTrendPair => PairDetails.Where(p => p.MeetsThreshold == true && double.IsFinite(p.Score)).MinBy(p => p.Score);

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
/// Quality of a synthetic table against the real one, defined as SDMetrics 0.29's single-table QualityReport so the
/// numbers compare across tools. Column Shapes: mean over columns of KSComplement (numerical, datetime) and
/// TVComplement (categorical, boolean). Column Pair Trends: mean over the column pairs whose real data holds a trend
/// (see <see cref="Quality.ColumnPairTrends"/>) of CorrelationSimilarity (both numerical/datetime) or
/// ContingencySimilarity (otherwise). Id, pii and text columns are left out. A metric that is undefined for one
/// column or pair (e.g. a constant column's correlation) is recorded with its error and left out of the mean.
/// Overall = mean of the two properties, ignoring one that is undefined. One deliberate difference: SDMetrics scores
/// contingency pairs of tables above 50,000 rows on a random 50,000-row subsample; TabTwin uses every row, so its
/// figure is SDMetrics' without the subsampling noise (about ±0.001).
/// </summary>
public static class QualityReport
{
    public static QualityResult Compute(Table real, Table synthetic, TableSchema schema) => Compute(real, synthetic, schema, QualityOptions.SdMetrics);

    public static QualityResult Compute(Table real, Table synthetic, TableSchema schema, QualityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
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
        var pairs = ColumnPairTrends.Instance.Details(real, synthetic, columns, options);
        double shapeScore = QualityKinds.MeanIgnoringNaN(shapes.Select(s => s.Score));
        var counted = pairs.Where(p => p.MeetsThreshold == true && !double.IsNaN(p.Score)).ToList();
        double pairScore = QualityKinds.MeanIgnoringNaN(counted.Select(p => p.Score));
        return new QualityResult(QualityKinds.MeanIgnoringNaN([shapeScore, pairScore]), shapeScore, pairScore, shapes, pairs)
        {
            AllPairTrends = QualityKinds.MeanIgnoringNaN(pairs.Select(p => p.Score)),
            PairsMeetingThreshold = counted.Count,
            RealCorrelationThreshold = options.RealCorrelationThreshold,
            RealAssociationThreshold = options.RealAssociationThreshold,
        };
    }

    /// <summary>Whether a column of this kind takes part in the report (id, pii and text columns do not).</summary>
    public static bool IsEvaluated(ColumnKind kind) => QualityKinds.IsEvaluated(kind);
}
