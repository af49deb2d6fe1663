using System.Globalization;
using System.Text;
using TabTwin.Evaluation.Audit;
using static TabTwin.Evaluation.Report.HtmlReport;

namespace TabTwin.Evaluation.Report;

/// <summary>
/// The "Privacy audit" section (and a self-contained page holding only it, what <c>tabtwin audit --report</c> writes):
/// the empirical lower bound on ε beside the claimed ε, the verdict, what the number means and every guess set tried.
/// Same styles and cards as the evaluation report.
/// </summary>
public static class AuditHtmlReport
{
    /// <summary>A self-contained HTML page with the audit section.</summary>
    public static string Render(AuditResult audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>TabTwin privacy audit</title><style>").Append(Css).Append("</style></head><body>")
            .Append($"<h1>TabTwin privacy audit: {E(audit.Synthesizer)}</h1>");
        Section(html, audit);
        return html.Append("</body></html>").ToString();
    }

    /// <summary>Appends the "Privacy audit" section to a report.</summary>
    internal static void Section(StringBuilder html, AuditResult a)
    {
        static string G(double v) => v.ToString("g3", CultureInfo.InvariantCulture);
        html.Append("<h2>Privacy audit</h2><div class=\"cards\">");
        Card(html, $"Empirical ε lower bound ({a.Confidence * 100:0.#}% confidence, δ = {G(a.Delta)})", N(a.EpsilonLowerBound), a.Verdict);
        Card(html, "Claimed ε", a.ClaimedEpsilon is { } e ? N(e) : null,
            a.ClaimedEpsilon is null ? "none: this synthesizer claims no differential privacy" : $"δ = {G(a.ClaimedDelta ?? 0)}");
        Card(html, "Correct guesses", $"{a.CorrectGuesses:N0} / {a.Guesses:N0}", $"of {a.Canaries:N0} canaries, {a.Included:N0} of them trained on");
        html.Append("</div>")
            .Append($"<p>{a.Canaries:N0} canary records (real values in combinations no real row has) were each added to the training table with ")
            .Append($"probability 1/2; the synthesizer was fitted once on {a.TrainingRows:N0} rows and sampled {a.SyntheticRows:N0}. An attacker who sees ")
            .Append("only the synthetic table scored each canary by how much nearer its nearest synthetic row is than its nearest real row, ")
            .Append("guessed \"in\" for the highest scores and \"out\" for the lowest, and abstained on the rest (one-run auditing, Steinke, Nasr and ")
            .Append("Jagielski 2023). The bound is the largest ε such that an (ε, δ)-DP synthesizer would let so many guesses be right with ")
            .Append($"probability below {G(1 - a.Confidence)}. <b>A low bound does not prove privacy</b> (a stronger attack may find more); ")
            .Append("<b>a bound above the claimed ε proves a bug</b> in the mechanism or its accounting.</p>")
            .Append($"<h3>Guess sets tried (each judged at confidence 1 − {G(1 - a.Confidence)}/{a.GuessSets.Count}, so the best holds at {a.Confidence * 100:0.#}%)</h3>")
            .Append("<table><tr><th>guessed in</th><th>guessed out</th><th>correct</th><th>ε lower bound</th></tr>");
        foreach (var g in a.GuessSets)
        {
            bool best = g.Guesses == a.Guesses && g.Correct == a.CorrectGuesses && g.EpsilonLowerBound == a.EpsilonLowerBound;
            html.Append(best ? "<tr style=\"font-weight:600\">" : "<tr>")
                .Append($"<td>{g.GuessedIn:N0}</td><td>{g.GuessedOut:N0}</td><td>{g.Correct:N0} / {g.Guesses:N0}</td><td>{N(g.EpsilonLowerBound)}</td></tr>");
        }
        html.Append($"</table><p class=\"muted\">Seed {a.Seed}.</p>");
    }
}
