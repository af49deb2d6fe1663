using TabTwin.DifferentialPrivacy;

namespace TabTwin.Synthesizers;

/// <summary>
/// A fitted DP model's record of its fit: every read of the data, with its mechanism and cost, as the one accountant
/// charged it. Model files keep it; <c>tabtwin inspect model.tabtwin</c> prints it and the HTML report shows it.
/// </summary>
public interface IPrivacyLedger : IDifferentiallyPrivate
{
    /// <summary>Every access to the data, in the order the fit made them.</summary>
    IReadOnlyList<PrivacyCharge> Ledger { get; }

    /// <summary>What the ledger adds up to, as ε at <see cref="IDifferentiallyPrivate.Delta"/> (never above the promised ε).</summary>
    double SpentEpsilon { get; }
}
