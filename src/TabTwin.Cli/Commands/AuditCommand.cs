using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TabTwin.Evaluation.Audit;
using TabTwin.Evaluation.Report;
using TabTwin.IO;
using TabTwin.Registry;
using TabTwin.Synthesizers;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>tabtwin audit data.csv --synthesizer NAME [--epsilon E]</c>: an empirical lower bound on ε for the synthesizer
/// (<see cref="PrivacyAudit"/>), checked against the ε it claims. With <c>--epsilon</c> the synthesizer is built with
/// <c>{"epsilon": E, "delta": D}</c> and must honour it; one that cannot is refused, never run silently non-private.
/// </summary>
internal static class AuditCommand
{
    public const double DefaultDelta = 1e-9;

    public static Command Build(CliConsole console)
    {
        var source = CommonOptions.Source();
        var format = CommonOptions.Format();
        var encoding = CommonOptions.Encoding();
        var table = CommonOptions.TableName();
        var query = CommonOptions.Query();
        var metadata = CommonOptions.Metadata();
        var synthesizer = CommonOptions.Synthesizer();
        var options = CommonOptions.SynthesizerOptions();
        var epsilon = new Option<double?>("--epsilon") { Description = "Fit with this differential-privacy budget ε (> 0) and check the audit against it; only DP synthesizers take it." };
        var delta = new Option<double?>("--delta") { Description = $"δ of the DP budget given with --epsilon (default {DefaultDelta.ToString(CultureInfo.InvariantCulture)}; below 1/rows)." };
        var canaries = new Option<int>("--canaries") { Description = $"Canary records planted, each trained on with probability 1/2 (at least {AuditOptions.MinimumCanaries}; the table needs as many rows).", DefaultValueFactory = _ => AuditOptions.DefaultCanaries };
        var seed = CommonOptions.Seed();
        var json = new Option<string?>("--json") { Description = "Write the audit as JSON (the bound under 'epsilonLowerBound') to this file." };
        var report = new Option<string?>("--report") { Description = "Write a self-contained HTML report of the audit to this file." };
        var quiet = CommonOptions.Quiet();
        var outputs = new OutputOptions();
        var cmd = new Command("audit", "Measure an empirical lower bound on ε for a synthesizer (one-run privacy audit with canary records); a bound above the claimed ε proves a privacy bug.")
            { source, format, encoding, table, query, metadata, synthesizer, options, epsilon, delta, canaries, seed, json, report, quiet, outputs.Overwrite };
        cmd.SetAction(r =>
        {
            console.Quiet = r.GetValue(quiet);
            outputs.Check(r, null, null, r.GetValue(json), r.GetValue(report));
            var auditOptions = new AuditOptions { Canaries = r.GetValue(canaries), Seed = r.GetValue(seed) };
            if (auditOptions.Canaries < AuditOptions.MinimumCanaries)
                throw new UsageException("audit.too-few-canaries", $"--canaries {auditOptions.Canaries} is too few to show a meaningful bound; the audit needs at least {AuditOptions.MinimumCanaries}.",
                    hint: $"Use --canaries {AuditOptions.DefaultCanaries} (the default).");
            var chosen = Create(r.GetValue(synthesizer)!, r.GetValue(options), r.GetValue(epsilon), r.GetValue(delta));
            var data = CommonOptions.ReadTable(console, r.GetValue(source)!, r.GetValue(format), r.GetValue(table), r.GetValue(query), r.GetValue(encoding));
            var schema = CommonOptions.ResolveSchema(data, r.GetValue(metadata), null);
            var result = console.Step($"Auditing {chosen.Name} with {auditOptions.Canaries:N0} canaries",
                p => PrivacyAudit.Run(data, schema, chosen, auditOptions with { Progress = p }));
            Print(console, result);
            if (r.GetValue(json) is { } jsonPath)
            {
                console.Step($"Writing {jsonPath}", _ => AtomicFile.WriteAllText(jsonPath, result.ToJson()));
                console.Out($"Audit written to {Path.GetFullPath(jsonPath)}");
            }
            if (r.GetValue(report) is { } reportPath)
            {
                console.Step($"Writing {reportPath}", _ => AtomicFile.WriteAllText(reportPath, AuditHtmlReport.Render(result)));
                console.Out($"Report written to {Path.GetFullPath(reportPath)}");
            }
            return CliApp.ExitOk;
        });
        return cmd;
    }

    /// <summary>
    /// The synthesizer to audit. With ε, its options get <c>epsilon</c> and <c>delta</c> (added to <c>--options</c>), and it
    /// must be differentially private (<see cref="IDifferentiallyPrivate"/>): a synthesizer that cannot honour ε is a usage
    /// error before any work.
    /// </summary>
    internal static ISynthesizer Create(string name, string? optionsText, double? epsilon, double? delta)
    {
        var entry = SynthesizerRegistry.Get(name);
        var userOptions = CommonOptions.ParseSynthesizerOptions(optionsText);
        if (epsilon is null)
        {
            if (delta is not null)
                throw new UsageException("cli.delta-without-epsilon", "--delta is part of a DP budget and needs --epsilon.", hint: "Add --epsilon, or drop --delta.");
            return entry.Create(userOptions);
        }
        double e = epsilon.Value, d = delta ?? DefaultDelta;
        if (!(e > 0) || !double.IsFinite(e))
            throw new UsageException("cli.epsilon", $"--epsilon must be a positive number, not {e.ToString(CultureInfo.InvariantCulture)}.", hint: "Use e.g. --epsilon 1.");
        if (!(d >= 0 && d < 1))
            throw new UsageException("cli.delta", $"--delta must lie in [0, 1), not {d.ToString(CultureInfo.InvariantCulture)}.", hint: $"Use e.g. --delta {DefaultDelta.ToString(CultureInfo.InvariantCulture)} (well below 1/rows).");
        ISynthesizer? plain = null;
        try { plain = entry.Create(userOptions); }
        catch (TabTwinException) { /* a DP synthesizer may need its budget to be built at all */ }
        if (plain is not null and not IDifferentiallyPrivate)
            throw NotPrivate(entry.Name);
        var merged = userOptions is { ValueKind: JsonValueKind.Object } u ? JsonNode.Parse(u.GetRawText())!.AsObject() : new JsonObject();
        merged["epsilon"] = e;
        merged["delta"] = d;
        var synthesizer = entry.Create(JsonSerializer.SerializeToElement(merged));
        return synthesizer is IDifferentiallyPrivate ? synthesizer : throw NotPrivate(entry.Name);
    }

    private static UsageException NotPrivate(string name) =>
        new("synthesizer.not-private",
            $"--epsilon asks for differential privacy, but the '{name}' synthesizer cannot honour an ε (its privacy rules are protections, not DP); it is not run without the guarantee.",
            hint: "Use a DP synthesizer (mst, aim or dp-tvae), or drop --epsilon to audit what its rules alone give.");

    internal static void Print(CliConsole console, AuditResult a)
    {
        static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        static string G(double v) => v.ToString("g3", CultureInfo.InvariantCulture);
        console.Out($"Audit       '{a.Synthesizer}': {a.Canaries:N0} canaries, {a.Included:N0} trained on; fitted once on {a.TrainingRows:N0} rows, {a.SyntheticRows:N0} synthetic rows");
        console.Out($"Epsilon     >= {F(a.EpsilonLowerBound)}  (empirical lower bound at {a.Confidence * 100:0.#}% confidence, delta {G(a.Delta)})");
        console.Out($"Claimed     {(a.ClaimedEpsilon is { } e ? $"epsilon {F(e)}, delta {G(a.ClaimedDelta ?? 0)}" : "none (not differentially private)")}");
        console.Out($"Guesses     {a.CorrectGuesses:N0} of {a.Guesses:N0} correct (abstained on {a.Canaries - a.Guesses:N0})");
        console.Out($"Verdict     {a.Verdict}");
    }
}
