using System.Text.Json.Nodes;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Audit;

/// <summary>
/// The privacy part of a differentially private run's evaluation report (<c>run --epsilon --report/--json</c>): the
/// ledger always, and a one-run audit of the DP synthesizer (<see cref="PrivacyAudit"/>) beside the claimed ε when the
/// user asks for one. The audit costs a second fit, so it is never run by default.
/// </summary>
public static class PrivateRunAudit
{
    /// <summary>
    /// Checks an audit request before anything is fitted: enough canaries, and no more than the rows the run trains on;
    /// <paramref name="option"/> names the setting in the hint (e.g. <c>--audit-canaries</c>).
    /// </summary>
    public static void Check(int canaries, int trainingRows, string option) => PrivacyAudit.CheckCanaries(canaries, trainingRows, option);

    /// <summary>
    /// Audits the DP synthesizer a run used, fitted afresh with planted canaries on the rows the run trained on (the holdout
    /// stays unseen). The metadata's constraints are left out: enforcing them is post-processing, which cannot raise ε, so
    /// the claim stands or falls with the bare synthesizer (and the canaries combine values freely, which rules may forbid).
    /// </summary>
    public static AuditResult Run(Table training, TableSchema schema, ISynthesizer synthesizer, int canaries, ulong seed,
        IProgress<StepProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(synthesizer);
        if (synthesizer is not IDifferentiallyPrivate)
            throw new TabTwinException("dp.not-private", $"The '{synthesizer.Name}' synthesizer claims no differential privacy; a run's audit checks a DP claim.",
                hint: "Audit it with 'tabtwin audit', which reports what its rules alone give.");
        return PrivacyAudit.Run(training, SchemaConstraints.Without(schema), synthesizer,
            new AuditOptions { Canaries = canaries, Seed = seed, Progress = progress, Cancel = cancel });
    }

    /// <summary>
    /// The report JSON's <c>differentialPrivacy</c> object: the guarantee, the ledger (one entry per read of the data) and,
    /// when given, the audit under <c>audit</c> (its bound under <c>audit.epsilonLowerBound</c>, beside <c>epsilon</c>).
    /// </summary>
    public static JsonObject ToJsonNode(IPrivacyLedger ledger, AuditResult? audit)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var json = new JsonObject
        {
            ["epsilon"] = ledger.Epsilon,
            ["delta"] = ledger.Delta,
            ["spentEpsilon"] = ledger.SpentEpsilon,
            ["summary"] = PrivacyLedgerText.Summary(ledger),
            ["ledger"] = new JsonArray([.. ledger.Ledger.Select(c => (JsonNode)new JsonObject
            {
                ["access"] = c.Access,
                ["mechanism"] = c.Mechanism,
                ["rho"] = c.Curve is null ? c.Rho : null,
                ["delta"] = c.Delta,
                ["epsilonAlone"] = c.EpsilonAlone(ledger.Delta),
            })]),
        };
        if (audit is not null) json["audit"] = audit.ToJsonNode();
        return json;
    }
}
