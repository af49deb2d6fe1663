using System.Globalization;
using System.Text;
using TabTwin.Schema;
using TabTwin.Tables;
using static System.Net.WebUtility;

namespace TabTwin.Evaluation.Report;

/// <summary>
/// One self-contained HTML evaluation report: inline CSS and inline SVG charts, no scripts and no network, so it
/// opens offline and can be mailed as one file. Worst columns and pairs come first, since that is where to look.
/// Every chart sits in an element of class <c>chart</c> (heatmaps also <c>heatmap</c>) and every SVG has a title.
/// </summary>
public static class HtmlReport
{
    internal const string Css = """
        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px}
        h1{margin-bottom:4px} h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
        .cards{display:flex;flex-wrap:wrap;gap:12px}
        .card{border:1px solid #ddd;border-radius:8px;padding:12px 16px;min-width:200px;flex:1}
        .card .score{font-size:28px;font-weight:600} .card .verdict{color:#444;font-size:14px}
        .card.skipped{color:#888;background:#fafafa}
        .charts{display:flex;flex-wrap:wrap;gap:16px}
        figure.chart{margin:0;border:1px solid #eee;border-radius:6px;padding:8px}
        figcaption{font-size:13px;color:#444;margin-bottom:4px}
        table{border-collapse:collapse;font-size:14px} td,th{border:1px solid #ddd;padding:4px 8px;text-align:left}
        .muted{color:#777;font-size:13px}
        """;

    public static string Render(EvaluationResult result, Table real, Table synthetic, TableSchema schema) => Render(result, real, synthetic, schema, null);

    /// <summary>The report, with a sequence section (metrics, histories side by side, autocorrelation plots) when <paramref name="sequences"/> is given.</summary>
    public static string Render(EvaluationResult result, Table real, Table synthetic, TableSchema schema, Sequences.SequenceEvaluationResult? sequences) =>
        Render(result, real, synthetic, schema, sequences, null);

    /// <summary>The report, with a "Differential privacy" section (the guarantee and the ledger) when <paramref name="ledger"/> is given.</summary>
    public static string Render(EvaluationResult result, Table real, Table synthetic, TableSchema schema, Sequences.SequenceEvaluationResult? sequences,
        Synthesizers.IPrivacyLedger? ledger) => Render(result, real, synthetic, schema, sequences, ledger, null);

    /// <summary>
    /// The report, with the "Differential privacy" section when <paramref name="ledger"/> is given and, after it, the
    /// "Privacy audit" section (the empirical ε lower bound beside the claimed ε) when <paramref name="audit"/> is.
    /// </summary>
    public static string Render(EvaluationResult result, Table real, Table synthetic, TableSchema schema, Sequences.SequenceEvaluationResult? sequences,
        Synthesizers.IPrivacyLedger? ledger, Audit.AuditResult? audit)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(synthetic);
        ArgumentNullException.ThrowIfNull(schema);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>TabTwin evaluation report</title><style>").Append(Css).Append("</style></head><body>");
        html.Append("<h1>TabTwin evaluation report</h1>")
            .Append($"<p class=\"muted\">{result.Run.RealRows:N0} real rows, {result.Run.SyntheticRows:N0} synthetic rows" +
                    (result.Run.HoldoutRows is { } h ? $", {h:N0} holdout rows" : "") + $"; TabTwin {E(result.Run.TabTwinVersion)}, seed {result.Run.Seed}.</p>");
        Headlines(html, result);
        html.Append("<h2>Where the synthetic data differs most</h2>");
        Worst(html, result.Quality);
        html.Append("<h2>Columns: real vs synthetic (worst first)</h2>");
        ColumnCharts(html, result.Quality, real, synthetic, schema);
        html.Append("<h2>Correlations of numeric columns</h2>");
        Heatmaps(html, real, synthetic, schema);
        if (sequences is not null) SequenceHtmlReport.Section(html, sequences, real, synthetic, schema);
        if (ledger is not null) PrivacyLedgerSection(html, ledger);
        if (audit is not null) AuditHtmlReport.Section(html, audit);
        Details(html, result);
        RunInfo(html, result.Run);
        return html.Append("</body></html>").ToString();
    }

    private static void PrivacyLedgerSection(StringBuilder html, Synthesizers.IPrivacyLedger ledger)
    {
        html.Append("<h2>Differential privacy</h2><p>").Append(E(Synthesizers.PrivacyLedgerText.Summary(ledger))).Append("</p>")
            .Append("<table><tr><th>read of the data</th><th>mechanism</th><th>cost</th></tr>");
        foreach (var (access, mechanism, cost) in Synthesizers.PrivacyLedgerText.Rows(ledger))
            html.Append($"<tr><td>{E(access)}</td><td>{E(mechanism)}</td><td>{E(cost)}</td></tr>");
        html.Append("</table><p class=\"muted\">ρ (zero-concentrated DP) is what composes; a line's ε alone is for orientation (ε values do not add up).</p>");
    }

    internal static string E(string? s) => HtmlEncode(s ?? "");
    internal static string N(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";

    internal static void Card(StringBuilder html, string name, string? score, string verdict)
    {
        html.Append(score is null ? "<div class=\"card skipped\">" : "<div class=\"card\">")
            .Append($"<div>{E(name)}</div><div class=\"score\">{E(score ?? "skipped")}</div><div class=\"verdict\">{E(verdict)}</div></div>");
    }

    private static void Headlines(StringBuilder html, EvaluationResult r)
    {
        string Skip(string part) => r.Run.Parts.FirstOrDefault(p => p.Part == part)?.SkippedReason ?? "skipped";
        html.Append("<h2>Headline scores</h2><div class=\"cards\">");
        var q = r.Quality;
        Card(html, $"Quality (SDMetrics {Quality.QualityResult.SdMetricsVersion} definition; 0–1, higher is better)", N(q.Overall), EvaluationVerdicts.Quality(q));
        double coverage = EvaluationVerdicts.MeanCoverage(r.Coverage);
        Card(html, "Coverage (0–1)", N(coverage), EvaluationVerdicts.Coverage(coverage));
        if (r.Detection is { } d) Card(html, "Detection AUC (0.5 is ideal)", N(d.Auc), EvaluationVerdicts.Detection(d.Auc));
        else Card(html, "Detection", null, Skip("detection"));
        if (r.Privacy is { } p) Card(html, "Privacy: DCR share (0.5 is ideal)", N(p.DcrShare.Value), EvaluationVerdicts.Privacy(p.DcrShare.Value, p.ExactCopyRate));
        else Card(html, "Privacy", null, Skip("privacy"));
        if (r.Utility is { } u) Card(html, $"Utility: TSTR ratio ({u.Target})", N(u.Ratio), EvaluationVerdicts.Utility(u.Ratio));
        else Card(html, "Utility", null, Skip("utility"));
        html.Append("</div>")
            .Append($"<p class=\"muted\">Column shapes {N(q.ColumnShapes)}; column pair trends {N(q.ColumnPairTrends)} over the {q.PairsMeetingThreshold} ")
            .Append($"pair{(q.PairsMeetingThreshold == 1 ? "" : "s")} whose real data holds a trend (|correlation| &gt; {q.RealCorrelationThreshold:0.##} for two numeric columns, Cramér's V &gt; {q.RealAssociationThreshold:0.##} otherwise), ")
            .Append($"as SDMetrics {Quality.QualityResult.SdMetricsVersion} averages them; every pair: {N(q.AllPairTrends)}. ")
            .Append($"Share of the real trends kept beyond independent columns: {N(EvaluationVerdicts.TrendKept(q))}.</p>");
    }

    /// <summary>The worst columns and the worst pairs with a real trend, side by side (shared with the multi-table report's table sections).</summary>
    internal static void Worst(StringBuilder html, Quality.QualityResult quality)
    {
        html.Append("<div class=\"cards\"><div><h3>Worst columns</h3><table><tr><th>column</th><th>metric</th><th>score</th></tr>");
        foreach (var c in quality.ColumnDetails.OrderBy(c => double.IsNaN(c.Score) ? 2 : c.Score).Take(8))
            html.Append($"<tr><td>{E(c.Column)}</td><td>{E(c.Metric)}</td><td>{N(c.Score)}</td></tr>");
        html.Append("</table></div><div><h3>Worst column pairs with a real trend</h3><table><tr><th>pair</th><th>metric</th><th>score</th><th>real trend</th></tr>");
        foreach (var p in quality.PairDetails.Where(p => p.MeetsThreshold == true).OrderBy(p => double.IsNaN(p.Score) ? 2 : p.Score).Take(8))
            html.Append($"<tr><td>{E(p.ColumnA)} × {E(p.ColumnB)}</td><td>{E(p.Metric)}</td><td>{N(p.Score)}</td>")
                .Append($"<td>{(p.RealCorrelation is { } c ? "correlation " + N(c) : p.RealAssociation is { } v ? "Cramér's V " + N(v) : "")}</td></tr>");
        html.Append("</table></div></div>");
    }

    /// <summary>One real-vs-synthetic chart per evaluated column, worst shape first.</summary>
    internal static void ColumnCharts(StringBuilder html, Quality.QualityResult quality, Table real, Table synthetic, TableSchema schema)
    {
        var scores = quality.ColumnDetails.ToDictionary(c => c.Column, c => c.Score);
        var columns = schema.Columns.Where(c => Quality.QualityReport.IsEvaluated(c.Kind) && real.Contains(c.Name) && synthetic.Contains(c.Name))
            .OrderBy(c => scores.TryGetValue(c.Name, out var s) && double.IsFinite(s) ? s : 2).ToList();
        html.Append("<div class=\"charts\">");
        foreach (var c in columns)
        {
            bool numeric = c.Kind is ColumnKind.Numerical or ColumnKind.Datetime;
            var (labels, rs, ss) = numeric ? ReportData.Histogram(real[c.Name], synthetic[c.Name], c.Kind == ColumnKind.Datetime)
                                           : ReportData.Categories(real[c.Name], synthetic[c.Name]);
            string score = scores.TryGetValue(c.Name, out var s) ? N(s) : "n/a";
            string title = $"{c.Name} ({c.Kind.ToString().ToLowerInvariant()}): share of rows per {(numeric ? "bin" : "category")}, real vs synthetic";
            html.Append($"<figure class=\"chart\" data-column=\"{E(c.Name)}\"><figcaption><b>{E(c.Name)}</b> — shape score {score}</figcaption>")
                .Append(SvgCharts.GroupedBars(title, labels, rs, ss, rotateLabels: true)).Append("</figure>");
        }
        html.Append("</div>");
    }

    /// <summary>Real, synthetic and absolute-difference correlation heatmaps of the numeric columns.</summary>
    internal static void Heatmaps(StringBuilder html, Table real, Table synthetic, TableSchema schema)
    {
        var names = schema.Columns.Where(c => c.Kind is ColumnKind.Numerical or ColumnKind.Datetime && real.Contains(c.Name) && synthetic.Contains(c.Name))
            .Select(c => c.Name).ToList();
        if (names.Count < 2) { html.Append("<p class=\"muted\">Fewer than two numeric columns: no correlations to compare.</p>"); return; }
        var r = ReportData.Correlations(names.Select(n => real[n]).ToList());
        var s = ReportData.Correlations(names.Select(n => synthetic[n]).ToList());
        var diff = new double[names.Count, names.Count];
        for (int i = 0; i < names.Count; i++)
            for (int j = 0; j < names.Count; j++) diff[i, j] = Math.Abs(r[i, j] - s[i, j]);
        html.Append("<div class=\"charts\">");
        foreach (var (caption, m, isDiff) in new[] { ("Real", r, false), ("Synthetic", s, false), ("Absolute difference", diff, true) })
            html.Append($"<figure class=\"chart heatmap\"><figcaption>{E(caption)}</figcaption>")
                .Append(SvgCharts.Heatmap($"{caption} Pearson correlations", names, m, isDiff)).Append("</figure>");
        html.Append("</div>");
    }

    private static void Details(StringBuilder html, EvaluationResult r)
    {
        html.Append("<h2>Privacy</h2>");
        if (r.Privacy is { } p)
            html.Append("<table>")
                .Append($"<tr><td>DCR share (synthetic rows closer to a training row than to a holdout row; 0.5 = no memorization)</td><td>{N(p.DcrShare.Value)} (95% CI {N(p.DcrShare.Lower)}–{N(p.DcrShare.Upper)})</td></tr>")
                .Append($"<tr><td>Nearest-neighbour distance ratio (training / holdout baseline)</td><td>{N(p.Nndr)} / {N(p.HoldoutNndr)}</td></tr>")
                .Append($"<tr><td>Exact copies of training rows (holdout baseline)</td><td>{N(p.ExactCopyRate)} / {N(p.HoldoutExactCopyRate)}</td></tr>")
                .Append($"<tr><td>Membership-inference AUC (0.5 = attacker guesses)</td><td>{N(p.MembershipInferenceAuc)}</td></tr>")
                .Append($"<tr><td>Synthetic rows scored / reference rows</td><td>{p.SyntheticRowsScored:N0} / {p.ReferenceRows:N0}</td></tr></table>");
        else html.Append($"<p class=\"muted\">Skipped: {E(r.Run.Parts.First(x => x.Part == "privacy").SkippedReason)}.</p>");

        html.Append("<h2>Utility (train on synthetic, test on real)</h2>");
        if (r.Utility is { } u)
            html.Append($"<p>Target <b>{E(u.Target)}</b>, {E(u.Task.ToString())}.</p><table><tr><th>trained on</th><th>AUC</th><th>macro-F1</th><th>R²</th><th>train rows</th><th>test rows</th></tr>")
                .Append($"<tr><td>synthetic</td><td>{N(u.Synthetic.Auc)}</td><td>{N(u.Synthetic.MacroF1)}</td><td>{N(u.Synthetic.R2)}</td><td>{u.Synthetic.TrainRows:N0}</td><td>{u.Synthetic.TestRows:N0}</td></tr>")
                .Append($"<tr><td>real</td><td>{N(u.Real.Auc)}</td><td>{N(u.Real.MacroF1)}</td><td>{N(u.Real.R2)}</td><td>{u.Real.TrainRows:N0}</td><td>{u.Real.TestRows:N0}</td></tr></table>");
        else html.Append($"<p class=\"muted\">Skipped: {E(r.Run.Parts.First(x => x.Part == "utility").SkippedReason)}.</p>");

        html.Append("<h2>Detection</h2>");
        if (r.Detection is { } d)
            html.Append($"<p>A LightGBM classifier trained to tell real from synthetic rows ({d.RowsPerSide:N0} per side, {d.FoldAucs.Count}-fold) reached AUC {N(d.Auc)} ")
                .Append($"(folds: {string.Join(", ", d.FoldAucs.Select(N))}). 0.5 means it cannot tell them apart.</p>");
        else html.Append($"<p class=\"muted\">Skipped: {E(r.Run.Parts.First(x => x.Part == "detection").SkippedReason)}.</p>");
    }

    private static void RunInfo(StringBuilder html, EvaluationRunInfo run)
    {
        html.Append("<h2>Run</h2><table>")
            .Append($"<tr><td>TabTwin version</td><td>{E(run.TabTwinVersion)}</td></tr><tr><td>seed</td><td>{run.Seed}</td></tr>")
            .Append($"<tr><td>started (UTC)</td><td>{E(run.StartedUtc.ToString("u", CultureInfo.InvariantCulture))}</td></tr>")
            .Append($"<tr><td>total time</td><td>{run.TotalSeconds:0.0} s</td></tr>")
            .Append($"<tr><td>target</td><td>{E(run.Target ?? "(none)")}</td></tr></table><h3>Parts</h3><table><tr><th>part</th><th>time</th><th>note</th></tr>");
        foreach (var p in run.Parts)
            html.Append($"<tr><td>{E(p.Part)}</td><td>{(p.Ran ? $"{p.Seconds:0.00} s" : "—")}</td><td>{E(p.Ran ? "" : "skipped: " + p.SkippedReason)}</td></tr>");
        html.Append("</table>");
    }
}
