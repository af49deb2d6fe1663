using System.CommandLine;
using TabTwin.DifferentialPrivacy;
using TabTwin.Evaluation.Audit;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>--epsilon</c> and <c>--delta</c> of fit and run: with them the fit is differentially private. The library decides
/// which synthesizer and what the fit may do (<see cref="PrivateSynthesis"/>); this parses, calls it and prints.
/// </summary>
internal sealed class PrivacyOptions
{
    public Option<double?> Epsilon { get; } = new("--epsilon")
    {
        Description = "Fit with (ε, δ)-differential privacy at this ε (e.g. 1): a DP synthesizer (aim, mst, dp-tvae) is chosen unless --synthesizer names one; " +
                      "every read of the data is charged to one privacy budget, whose ledger the model keeps.",
    };

    public Option<double?> Delta { get; } = new("--delta")
    {
        Description = $"The δ of the guarantee with --epsilon (default {PrivateSynthesis.DefaultDelta:G1}); must be below 1 / rows.",
    };

    public IEnumerable<Option> All => [Epsilon, Delta];

    /// <summary>run only: the one-run audit of the DP synthesizer in the report (a second fit, so never by default).</summary>
    public Option<int?> AuditCanaries { get; } = new("--audit-canaries")
    {
        Description = $"With --epsilon and --report/--json: also audit the DP synthesizer with this many canary records (at least {AuditOptions.MinimumCanaries}; " +
                      "a second fit on the training rows) and put the empirical ε lower bound beside the claimed ε in the report.",
    };

    /// <summary>Refuses --audit-canaries where it has nothing to audit or nowhere to go, before any data is read.</summary>
    public void CheckAudit(ParseResult r, bool dp, bool report)
    {
        if (r.GetValue(AuditCanaries) is null) return;
        if (!dp) throw new UsageException("cli.audit-without-epsilon", "--audit-canaries audits a differentially private run and needs --epsilon.",
            hint: "Add --epsilon, or audit any synthesizer with 'tabtwin audit data.csv --synthesizer NAME'.");
        if (!report) throw new UsageException("cli.audit-without-report", "--audit-canaries puts the audit into the report and needs --report or --json.",
            hint: "Add --report report.html or --json metrics.json.");
    }

    /// <summary>True with --epsilon; checks ε, δ and a named synthesizer before any data is read.</summary>
    public bool Requested(ParseResult r, Option<string> synthesizer)
    {
        if (r.GetValue(Epsilon) is not { } epsilon)
        {
            if (r.GetValue(Delta) is not null) throw new UsageException("cli.delta-without-epsilon", "--delta only applies with --epsilon.", hint: "Add --epsilon, e.g. --epsilon 1.");
            return false;
        }
        PrivateSynthesis.CheckRequest(epsilon, r.GetValue(Delta), GenerateCommand.Given(r, synthesizer) ? r.GetValue(synthesizer) : null);
        return true;
    }

    private PrivateChoice Choose(ParseResult r, Option<string> synthesizer, Option<string?> options, string? target, Schema.TableSchema schema) =>
        PrivateSynthesis.Choose(schema, r.GetValue(Epsilon)!.Value, r.GetValue(Delta),
            GenerateCommand.Given(r, synthesizer) ? r.GetValue(synthesizer) : null, CommonOptions.ParseSynthesizerOptions(r.GetValue(options)), target);

    /// <summary>Chooses the DP synthesizer (saying which and why on stderr), fits it and reports what the ledger spent.</summary>
    public ISynthesizerModel Fit(CliConsole console, ParseResult r, Option<string> synthesizer, Option<string?> options, string? target,
        Tables.Table data, Schema.TableSchema schema, ulong seed)
    {
        var choice = Choose(r, synthesizer, options, target, schema);
        console.Info(choice.Reason);
        var model = console.Step($"Fitting {choice.Synthesizer.Name} (differentially private)",
            p => PrivateSynthesis.Fit(choice.Synthesizer, data, schema, new FitContext(seed, p) { Warning = w => console.Error("warning: " + w) }));
        if (PrivateSynthesis.LedgerOf(model) is { } ledger)
            console.Info($"  privacy: {ledger.Ledger.Count} reads of the data charged; together ε = {ledger.SpentEpsilon:0.####} of {ledger.Epsilon:G4} at δ = {ledger.Delta:G3} (the model file keeps the ledger; 'tabtwin inspect' prints it)");
        return model;
    }

    /// <summary>
    /// The audit --audit-canaries asks for, or null: the same DP synthesizer as the fit, audited on the rows the run trains
    /// on (<see cref="PrivateRunAudit"/>); the canary count is checked against them by the caller before the fit.
    /// </summary>
    public AuditResult? Audit(CliConsole console, ParseResult r, Option<string> synthesizer, Option<string?> options, string? target,
        Tables.Table training, Schema.TableSchema schema, ulong seed)
    {
        if (r.GetValue(AuditCanaries) is not { } canaries) return null;
        var chosen = Choose(r, synthesizer, options, target, schema).Synthesizer;
        var audit = console.Step($"Auditing {chosen.Name} with {canaries:N0} canaries (a second fit)",
            p => PrivateRunAudit.Run(training, schema, chosen, canaries, seed, p));
        AuditCommand.Print(console, audit);
        return audit;
    }
}
