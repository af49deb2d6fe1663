using System.Text;
using TabTwin.Evaluation.MultiTable;
using TabTwin.Schema.Relational;
using static TabTwin.Evaluation.Report.HtmlReport;

namespace TabTwin.Evaluation.Report;

/// <summary>
/// The self-contained HTML report of a synthetic database (same style and rules as <see cref="HtmlReport"/>: inline CSS
/// and SVG, no script, no network): the four SDMetrics properties and integrity first, the worst items, then one
/// section per relationship (children-per-parent histogram real vs synthetic, integrity, the worst parent × child
/// pairs) and one per table (the single-table report's worst lists, column charts and correlation heatmaps).
/// </summary>
public static class MultiTableHtmlReport
{
    /// <summary>Distinct children-per-parent counts shown one bar each; beyond this they are grouped into ranges.</summary>
    private const int MaxBars = 25;

    public static string Render(MultiTableQualityResult result, RelationalData real, RelationalData synthetic)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(synthetic);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>TabTwin multi-table evaluation report</title><style>").Append(Css).Append("</style></head><body>")
            .Append("<h1>TabTwin multi-table evaluation report</h1>")
            .Append($"<p class=\"muted\">{result.Tables.Count} tables, {result.Relationships.Count} relationships; {real.RowCount:N0} real rows, ")
            .Append($"{synthetic.RowCount:N0} synthetic rows; TabTwin {E(EvaluationReport.Version)}.</p>");
        Headlines(html, result);
        WorstItems(html, result);
        foreach (var r in result.Relationships) Relationship(html, r);
        foreach (var t in result.Tables) TableSection(html, t, real, synthetic);
        return html.Append("</body></html>").ToString();
    }

    private static void Headlines(StringBuilder html, MultiTableQualityResult r)
    {
        string version = Quality.QualityResult.SdMetricsVersion;
        html.Append("<h2>Headline scores</h2><div class=\"cards\">");
        Card(html, $"Quality (SDMetrics {version} multi-table definition; 0–1, higher is better)", N(r.Overall), "mean of the four properties");
        Card(html, "Column Shapes", N(r.ColumnShapes), "each column's distribution, pooled over every table");
        Card(html, "Column Pair Trends", N(r.ColumnPairTrends), "column pairs with a real trend, within each table");
        Card(html, "Cardinality", N(r.Cardinality), "children per parent, per relationship (1 − KS)");
        Card(html, "Intertable Trends", N(r.IntertableTrends), "parent × child column pairs with a real trend");
        Card(html, "Referential integrity", N(r.ReferentialIntegrity), "share of synthetic foreign-key values naming an existing parent");
        html.Append("</div>");
    }

    private static void WorstItems(StringBuilder html, MultiTableQualityResult r)
    {
        html.Append("<h2>Where the synthetic database differs most</h2><table><tr><th>item</th><th>where</th><th>what</th><th>score</th></tr>");
        foreach (var (label, worst) in new[] { ("column", r.WorstColumn), ("pair within a table", r.WorstPair), ("relationship cardinality", r.WorstCardinality), ("parent × child pair", r.WorstIntertablePair) })
            if (worst is not null) html.Append($"<tr><td>{E(label)}</td><td>{E(worst.Where)}</td><td>{E(worst.What)}</td><td>{N(worst.Score)}</td></tr>");
        html.Append("</table><h3>Relationships</h3><table><tr><th>relationship</th><th>cardinality</th><th>within real range</th><th>intertable trends</th>")
            .Append("<th>synthetic integrity</th><th>real orphans</th></tr>");
        foreach (var rel in r.Relationships.OrderBy(x => double.IsFinite(x.Cardinality) ? x.Cardinality : 2))
            html.Append($"<tr><td>{E(rel.Relationship)}</td><td>{N(rel.Cardinality)}</td><td>{N(rel.CardinalityBoundaryAdherence)}</td><td>{N(rel.IntertableTrends)}</td>")
                .Append($"<td>{N(rel.SyntheticIntegrity.Share)}{(rel.SyntheticIntegrity.Orphans > 0 ? $" ({rel.SyntheticIntegrity.Orphans:N0} orphans)" : "")}</td><td>{rel.RealIntegrity.Orphans:N0}</td></tr>");
        html.Append("</table><h3>Tables</h3><table><tr><th>table</th><th>real rows</th><th>synthetic rows</th><th>column shapes</th><th>column pair trends</th></tr>");
        foreach (var t in r.Tables)
            html.Append($"<tr><td>{E(t.Table)}</td><td>{t.RealRows:N0}</td><td>{t.SyntheticRows:N0}</td><td>{N(t.Quality.ColumnShapes)}</td><td>{N(t.Quality.ColumnPairTrends)}</td></tr>");
        html.Append("</table>");
    }

    private static void Relationship(StringBuilder html, RelationshipQuality r)
    {
        html.Append($"<h2 data-relationship=\"{E(r.Relationship)}\">Relationship {E(r.Relationship)}</h2>")
            .Append($"<p>Cardinality {N(r.Cardinality)} (1 − KS statistic of children per {E(r.ParentTable)} row, childless rows counted as 0); ")
            .Append($"{N(r.CardinalityBoundaryAdherence)} of synthetic parents have a child count within the real range. ")
            .Append($"Synthetic integrity {N(r.SyntheticIntegrity.Share)}: {r.SyntheticIntegrity.Resolved:N0} of {r.SyntheticIntegrity.ChildRows - r.SyntheticIntegrity.MissingKeys:N0} ")
            .Append($"present keys resolve, {r.SyntheticIntegrity.Orphans:N0} orphans, {r.SyntheticIntegrity.MissingKeys:N0} missing. ")
            .Append($"The real data has {r.RealIntegrity.Orphans:N0} orphans and {r.RealIntegrity.MissingKeys:N0} missing keys.</p>");
        if (r.CardinalityError is not null) html.Append($"<p class=\"muted\">{E(r.CardinalityError)}</p>");
        var (labels, real, synthetic) = ChildrenHistogram(r.Histogram);
        html.Append($"<div class=\"charts\"><figure class=\"chart\" data-relationship=\"{E(r.Relationship)}\"><figcaption><b>Children per {E(r.ParentTable)} row</b> — cardinality {N(r.Cardinality)}</figcaption>")
            .Append(SvgCharts.GroupedBars($"{r.ChildTable} rows per {r.ParentTable} row: share of parents, real vs synthetic", labels, real, synthetic, rotateLabels: labels.Length > 12))
            .Append("</figure></div>");
        var pairs = r.IntertablePairs.Where(p => p.MeetsThreshold == true).OrderBy(p => double.IsNaN(p.Score) ? 2 : p.Score).Take(8).ToList();
        html.Append($"<p>Intertable trends {N(r.IntertableTrends)} over {r.IntertablePairs.Count(p => p.MeetsThreshold == true && double.IsFinite(p.Score))} ")
            .Append($"of {r.IntertablePairs.Count} parent × child pairs (those with a real trend).</p>");
        if (pairs.Count == 0) return;
        html.Append($"<table><tr><th>{E(r.ParentTable)} column</th><th>{E(r.ChildTable)} column</th><th>metric</th><th>score</th><th>real trend</th></tr>");
        foreach (var p in pairs)
            html.Append($"<tr><td>{E(p.ColumnA)}</td><td>{E(p.ColumnB)}</td><td>{E(p.Metric)}</td><td>{N(p.Score)}</td>")
                .Append($"<td>{(p.RealCorrelation is { } c ? "correlation " + N(c) : p.RealAssociation is { } v ? "Cramér's V " + N(v) : "")}</td></tr>");
        html.Append("</table>");
    }

    /// <summary>Share of parents per child count; when there are many counts, per range of counts.</summary>
    internal static (string[] Labels, double[] Real, double[] Synthetic) ChildrenHistogram(IReadOnlyList<ChildrenPerParent> histogram)
    {
        double realParents = Math.Max(1, histogram.Sum(h => h.RealParents)), syntheticParents = Math.Max(1, histogram.Sum(h => h.SyntheticParents));
        if (histogram.Count <= MaxBars)
            return ([.. histogram.Select(h => h.Children.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                [.. histogram.Select(h => h.RealParents / realParents)], [.. histogram.Select(h => h.SyntheticParents / syntheticParents)]);
        int lo = histogram[0].Children, hi = histogram[^1].Children;
        int width = (int)Math.Ceiling((hi - lo + 1) / (double)(MaxBars - 5));
        int bins = (hi - lo) / width + 1;
        var labels = new string[bins];
        double[] real = new double[bins], synthetic = new double[bins];
        for (int b = 0; b < bins; b++) labels[b] = width == 1 ? $"{lo + b * width}" : $"{lo + b * width}–{lo + (b + 1) * width - 1}";
        foreach (var h in histogram)
        {
            int b = (h.Children - lo) / width;
            real[b] += h.RealParents / realParents;
            synthetic[b] += h.SyntheticParents / syntheticParents;
        }
        return (labels, real, synthetic);
    }

    private static void TableSection(StringBuilder html, TableQuality t, RelationalData real, RelationalData synthetic)
    {
        html.Append($"<h2 data-table=\"{E(t.Table)}\">Table {E(t.Table)}</h2>")
            .Append($"<p class=\"muted\">{t.RealRows:N0} real rows, {t.SyntheticRows:N0} synthetic rows; column shapes {N(t.Quality.ColumnShapes)}, ")
            .Append($"column pair trends {N(t.Quality.ColumnPairTrends)} over {t.Quality.PairsMeetingThreshold} pairs with a real trend. Key columns are not scored.</p>");
        if (t.Schema.Columns.Count == 0) { html.Append("<p class=\"muted\">No column besides keys to score.</p>"); return; }
        Worst(html, t.Quality);
        html.Append("<h3>Columns: real vs synthetic (worst first)</h3>");
        ColumnCharts(html, t.Quality, real[t.Table], synthetic[t.Table], t.Schema);
        html.Append("<h3>Correlations of numeric columns</h3>");
        Heatmaps(html, real[t.Table], synthetic[t.Table], t.Schema);
    }
}
