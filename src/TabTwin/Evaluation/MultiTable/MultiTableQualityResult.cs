using System.Globalization;
using System.Text.Json.Serialization;
using TabTwin.Evaluation.Quality;
using TabTwin.Schema;
using TabTwin.Schema.Relational;

namespace TabTwin.Evaluation.MultiTable;

/// <summary>What <see cref="MultiTableQuality.Evaluate"/> measures beyond the defaults.</summary>
public sealed record MultiTableQualityOptions
{
    public static readonly MultiTableQualityOptions Default = new();

    /// <summary>Which column pairs count in Column Pair Trends and Intertable Trends (SDMetrics' thresholds by default).</summary>
    public QualityOptions Pairs { get; init; } = QualityOptions.SdMetrics;

    /// <summary>
    /// Column kinds per table; a table missing here has its kinds detected from the real table, with the kinds its
    /// metadata sets (<see cref="DatabaseMetadata.ColumnSchemas"/>, e.g. from metadata.json) applied over them. Key columns (primary and foreign) are never scored, whatever kind they are given: SDMetrics' metadata
    /// marks them as ids.
    /// </summary>
    public IReadOnlyDictionary<string, TableSchema>? Schemas { get; init; }
}

/// <summary>
/// Referential integrity of one foreign key in one database: of the <see cref="ChildRows"/>, <see cref="MissingKeys"/>
/// have no key (a missing component) and reference nothing, <see cref="Resolved"/> name an existing parent, and the
/// rest are <see cref="Orphans"/>. <see cref="Share"/> = resolved / non-missing (NaN when every key is missing).
/// </summary>
public sealed record ReferentialIntegrity(int ChildRows, int MissingKeys, int Resolved)
{
    public int Orphans => ChildRows - MissingKeys - Resolved;
    public double Share => ChildRows == MissingKeys ? double.NaN : Resolved / (double)(ChildRows - MissingKeys);
}

/// <summary>How many parents have exactly <see cref="Children"/> children, in the real and in the synthetic database.</summary>
public sealed record ChildrenPerParent(int Children, int RealParents, int SyntheticParents);

/// <summary>
/// One table's single-table quality, the details the multi-table properties pool; <see cref="Schema"/> holds the
/// columns scored (the table's kinds, key columns and unscored kinds left out).
/// </summary>
public sealed record TableQuality(string Table, int RealRows, int SyntheticRows, TableSchema Schema, QualityResult Quality);

/// <summary>
/// One foreign key's scores. <see cref="Cardinality"/>: SDMetrics' CardinalityShapeSimilarity, 1 − the KS statistic
/// between the real and synthetic children-per-parent counts (every parent row, childless ones as 0; the counts are in
/// <see cref="Histogram"/>). <see cref="CardinalityBoundaryAdherence"/>: share of synthetic parents whose child count
/// lies within the real minimum and maximum. <see cref="IntertableTrends"/>: mean of the <see cref="IntertablePairs"/>
/// that meet the thresholds (ColumnA a parent column, ColumnB a child column, scored on the child ⋈ parent join).
/// </summary>
public sealed record RelationshipQuality(
    string Relationship,
    string ParentTable,
    string ChildTable,
    IReadOnlyList<string> ForeignKeyColumns,
    double Cardinality,
    double CardinalityBoundaryAdherence,
    IReadOnlyList<ChildrenPerParent> Histogram,
    double IntertableTrends,
    IReadOnlyList<ColumnPairScore> IntertablePairs,
    ReferentialIntegrity RealIntegrity,
    ReferentialIntegrity SyntheticIntegrity,
    string? CardinalityError = null);

/// <summary>A scored item named for the summary: where (table or relationship), what, and its score.</summary>
public sealed record NamedScore(string Where, string What, double Score);

/// <summary>
/// SDMetrics' multi-table QualityReport for a synthetic database: four property scores and their mean
/// (<see cref="Overall"/>, NaN properties ignored), the per-table and per-relationship details behind them, and
/// referential integrity as a diagnostic beside them (it is not part of SDMetrics' quality score).
/// </summary>
public sealed record MultiTableQualityResult(
    double Overall,
    double ColumnShapes,
    double ColumnPairTrends,
    double Cardinality,
    double IntertableTrends,
    IReadOnlyList<TableQuality> Tables,
    IReadOnlyList<RelationshipQuality> Relationships)
{
    /// <summary>Share of the synthetic database's non-missing foreign-key values, over every relationship, that name an existing parent (NaN without any).</summary>
    public double ReferentialIntegrity
    {
        get
        {
            long present = Relationships.Sum(r => (long)(r.SyntheticIntegrity.ChildRows - r.SyntheticIntegrity.MissingKeys));
            return present == 0 ? double.NaN : Relationships.Sum(r => (long)r.SyntheticIntegrity.Resolved) / (double)present;
        }
    }

    /// <summary>The column whose shape is kept worst.</summary>
    [JsonIgnore]
    public NamedScore? WorstColumn => Tables.SelectMany(t => t.Quality.ColumnDetails.Select(c => new NamedScore(t.Table, c.Column, c.Score)))
        .Where(s => double.IsFinite(s.Score)).MinBy(s => s.Score);

    /// <summary>The within-table pair (among those with a real trend) kept worst.</summary>
    [JsonIgnore]
    public NamedScore? WorstPair => Tables.Select(t => t.Quality.WorstTrendPair is { } p ? new NamedScore(t.Table, $"{p.ColumnA} × {p.ColumnB}", p.Score) : null)
        .OfType<NamedScore>().MinBy(s => s.Score);

    /// <summary>The relationship whose children-per-parent distribution is kept worst.</summary>
    [JsonIgnore]
    public NamedScore? WorstCardinality => Relationships.Where(r => double.IsFinite(r.Cardinality))
        .Select(r => new NamedScore(r.Relationship, "children per parent", r.Cardinality)).MinBy(s => s.Score);

    /// <summary>The parent × child pair (among those with a real trend) kept worst.</summary>
    [JsonIgnore]
    public NamedScore? WorstIntertablePair => Relationships
        .SelectMany(r => r.IntertablePairs.Where(p => p.MeetsThreshold == true && double.IsFinite(p.Score))
            .Select(p => new NamedScore(r.Relationship, $"{r.ParentTable}.{p.ColumnA} × {r.ChildTable}.{p.ColumnB}", p.Score)))
        .MinBy(s => s.Score);

    /// <summary>The summary the command line prints: one line per property, per relationship's cardinality and integrity, the worst items.</summary>
    public IReadOnlyList<string> SummaryLines()
    {
        static string F(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
        int pairs = Tables.Sum(t => t.Quality.PairsMeetingThreshold);
        int crossPairs = Relationships.Sum(r => r.IntertablePairs.Count(p => p.MeetsThreshold == true && double.IsFinite(p.Score)));
        var lines = new List<string>
        {
            $"Quality   {F(Overall)}  (SDMetrics {QualityResult.SdMetricsVersion} multi-table quality: mean of the four properties)",
            $"  Column Shapes       {F(ColumnShapes)}  over {Tables.Sum(t => t.Quality.ColumnDetails.Count(c => double.IsFinite(c.Score)))} columns in {Tables.Count} tables",
            $"  Column Pair Trends  {F(ColumnPairTrends)}  over {pairs} pair{(pairs == 1 ? "" : "s")} with a real trend",
            $"  Cardinality         {F(Cardinality)}  over {Relationships.Count(r => double.IsFinite(r.Cardinality))} relationships",
            $"  Intertable Trends   {F(IntertableTrends)}  over {crossPairs} parent × child pair{(crossPairs == 1 ? "" : "s")} with a real trend",
        };
        foreach (var r in Relationships)
            lines.Add($"  {r.Relationship}: cardinality {F(r.Cardinality)}, integrity {F(r.SyntheticIntegrity.Share)}" +
                      (r.SyntheticIntegrity.Orphans > 0 ? $" ({r.SyntheticIntegrity.Orphans} orphan{(r.SyntheticIntegrity.Orphans == 1 ? "" : "s")})" : "") +
                      (r.RealIntegrity.Orphans > 0 ? $"; the real data has {r.RealIntegrity.Orphans} orphan{(r.RealIntegrity.Orphans == 1 ? "" : "s")}" : ""));
        lines.Add($"Integrity {F(ReferentialIntegrity)}  share of synthetic foreign-key values that name an existing parent");
        foreach (var (label, worst) in new[] { ("column", WorstColumn), ("pair", WorstPair), ("relationship", WorstCardinality), ("parent × child pair", WorstIntertablePair) })
            if (worst is not null) lines.Add($"  worst {label}: {worst.Where} {worst.What} {F(worst.Score)}");
        return lines;
    }

    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, QualityResult.JsonOptions);
}
