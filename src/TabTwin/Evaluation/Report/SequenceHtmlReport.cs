using System.Text;
using TabTwin.Evaluation.Quality;
using TabTwin.Evaluation.Sequences;
using TabTwin.Schema;
using TabTwin.Tables;
using static TabTwin.Evaluation.Report.HtmlReport;

namespace TabTwin.Evaluation.Report;

/// <summary>
/// The report's sequence section: the sequence metrics with their ideals, a few real and synthetic histories side by
/// side for each numerical step column (same y scale on both sides, so levels and volatility compare at a glance), and
/// each column's real and synthetic autocorrelation over lags 1..k.
/// </summary>
internal static class SequenceHtmlReport
{
    /// <summary>Histories drawn per side, and the most points one line keeps (longer ones are thinned evenly).</summary>
    public const int SeriesShown = 3, MaxPoints = 400;
    /// <summary>Numerical step columns charted (the first ones in table order).</summary>
    public const int MaxColumns = 6;

    public static void Section(StringBuilder html, SequenceEvaluationResult r, Table real, Table synthetic, TableSchema schema)
    {
        html.Append("<h2>Sequences</h2>");
        Metrics(html, r);
        var columns = r.Autocorrelations.Select(a => a.Column).Take(MaxColumns).ToList();
        if (columns.Count == 0 || schema.Sequence is not { } spec) return;
        var (realSeries, realStride) = Histories(real, spec, columns, salt: 1);
        var (syntheticSeries, syntheticStride) = Histories(synthetic, spec, columns, salt: 2);
        html.Append($"<h3>Histories: {SeriesShown} real and {SeriesShown} synthetic entities (the longest of a seeded sample), step by step</h3><div class=\"charts\">");
        for (int j = 0; j < columns.Count; j++)
        {
            var all = realSeries.Concat(syntheticSeries).SelectMany(s => s[j]).Where(double.IsFinite).ToArray();
            double lo = all.Length == 0 ? 0 : all.Min(), hi = all.Length == 0 ? 1 : all.Max();
            foreach (var (side, series, stride, colour) in new[] { ("real", realSeries, realStride, SvgCharts.RealColour), ("synthetic", syntheticSeries, syntheticStride, SvgCharts.SyntheticColour) })
                html.Append($"<figure class=\"chart\" data-column=\"{E(columns[j])}\"><figcaption><b>{E(columns[j])}</b> — {side}</figcaption>")
                    .Append(SvgCharts.Lines($"{columns[j]}: {series.Count} {side} histories over their steps", [.. series.Select(s => (s[j], colour))], lo, hi, 0, stride, markers: false, legend: false))
                    .Append("</figure>");
        }
        html.Append("</div><h3>Autocorrelation within entities (lags 1…k)</h3><div class=\"charts\">");
        foreach (var a in r.Autocorrelations.Take(MaxColumns))
        {
            var values = a.Real.Concat(a.Synthetic).Where(double.IsFinite).ToArray();
            double lo = Math.Min(-0.2, values.DefaultIfEmpty(0).Min()), hi = Math.Max(0.2, values.DefaultIfEmpty(0).Max());
            html.Append($"<figure class=\"chart\" data-column=\"{E(a.Column)}\"><figcaption><b>{E(a.Column)}</b> — mean |real − synthetic| {N(a.MeanAbsoluteDifference)}</figcaption>")
                .Append(SvgCharts.Lines($"{a.Column}: autocorrelation at lags 1 to {a.Real.Count}, real vs synthetic",
                    [(a.Real.ToArray(), SvgCharts.RealColour), (a.Synthetic.ToArray(), SvgCharts.SyntheticColour)], lo, hi, 1, 1, markers: true, legend: true))
                .Append("</figure>");
        }
        html.Append("</div>");
    }

    private static void Metrics(StringBuilder html, SequenceEvaluationResult r)
    {
        void Row(string name, string value, string ideal) => html.Append($"<tr><td>{E(name)}</td><td>{E(value)}</td><td>{E(ideal)}</td></tr>");
        html.Append($"<p class=\"muted\">{r.RealEntities:N0} real and {r.SyntheticEntities:N0} synthetic entities evaluated.</p>")
            .Append("<table><tr><th>metric</th><th>value</th><th>ideal (target)</th></tr>");
        Row("Column shapes over all steps (and context per entity)", N(r.ColumnShapes), "1 (≥ 0.95)");
        Row("Sequence length KS", N(r.LengthKs), "0 (≤ 0.10)");
        Row("Inter-event gap KS", N(r.GapKs), "0");
        Row("Steps repeating the previous step's order value (synthetic / real)", $"{N(r.SyntheticRepeatedOrderShare)} / {N(r.RealRepeatedOrderShare)}", "as real");
        Row("Lag-1 autocorrelation, mean |real − synthetic|", N(r.Lag1AutocorrelationError), "0 (≤ 0.15)");
        Row("Autocorrelation over all lags, mean |real − synthetic|", N(r.AutocorrelationError), "0");
        if (r.Transitions.Count > 0) Row("Lag-1 transition matrix distance (categorical steps)", N(r.TransitionDistance), "0");
        Row("Discriminative AUC (per-entity features)", r.Discrimination is { } d ? N(d.Auc) : "skipped: " + r.DiscriminationSkipped, "0.5 (≤ 0.80)");
        if (r.DynamicsDiscrimination is { } dd) Row("Discriminative AUC on dynamics only (scale-free features)", N(dd.Auc), "0.5");
        Row("Next-step prediction ratio (real-on-real / synthetic-on-real error)", r.Predictive.Count > 0 ? N(r.PredictiveRatio) : "skipped: " + r.PredictiveSkipped, "1");
        var p = r.Reproduction;
        Row($"Reproduced histories / runs of {p.RunLength} identical steps", $"{p.ReproducedSequences} / {p.ReproducedRuns} (in {p.EntitiesWithReproducedRun} entities)", "0 / 0");
        Row("Entity-level DCR share", r.EntityDcrShare is { } dcr ? N(dcr.Value) : "skipped: no holdout given", "0.5 (≤ 0.53)");
        foreach (var x in r.Returns)
            Row($"{x.Column}: lag-1 autocorrelation of log returns / of |log returns|, real vs synthetic",
                $"{N(x.RealReturnLag1)} vs {N(x.SyntheticReturnLag1)} / {N(x.RealAbsoluteReturnLag1)} vs {N(x.SyntheticAbsoluteReturnLag1)}", "equal on both sides");
        html.Append("</table>");
    }

    /// <summary>
    /// Up to <see cref="SeriesShown"/> histories: the longest among a seeded sample of 20 entities (a long history shows its
    /// dynamics; the sample keeps the pick from always being the same extreme entity), each column's values in step order,
    /// every stride-th step when the longest has more than <see cref="MaxPoints"/> (one stride for all, so they align).
    /// </summary>
    private static (List<double[][]> Series, int Stride) Histories(Table table, SequenceSpec spec, IReadOnlyList<string> columns, ulong salt)
    {
        var layout = SequenceLayout.Of(table, spec with { Context = [] });
        var numbers = columns.Select(c => table.TryGetColumn(c, out var column) && column is NumericColumn ? ColumnValues.Numbers(column) : null).ToArray();
        var picked = EvaluationStatistics.SampleRows(layout.EntityCount, 20, salt, 71)
            .OrderByDescending(layout.LengthOf).ThenBy(e => e).Take(SeriesShown).Order().ToArray();
        int longest = picked.Select(layout.LengthOf).DefaultIfEmpty(1).Max();
        int stride = Math.Max(1, (longest + MaxPoints - 1) / MaxPoints);
        return ([.. picked.Select(e =>
        {
            var kept = layout.StepsOf(e).ToArray().Where((_, t) => t % stride == 0).ToArray();
            return numbers.Select(n => n is null ? [] : kept.Select(row => n[row]).ToArray()).ToArray();
        })], stride);
    }
}
