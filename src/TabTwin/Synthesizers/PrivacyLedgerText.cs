using System.Globalization;

namespace TabTwin.Synthesizers;

/// <summary>
/// A DP model's ledger as people read it (<c>tabtwin inspect model.tabtwin</c>, the HTML report): the guarantee, then
/// one line per read of the data with its mechanism and cost. ρ (zCDP) is what composes; the ε of a line alone is
/// given for orientation only (ε values do not add up).
/// </summary>
public static class PrivacyLedgerText
{
    /// <summary>The guarantee in one line.</summary>
    public static string Summary(IPrivacyLedger model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return string.Create(CultureInfo.InvariantCulture,
            $"(ε = {model.Epsilon:G4}, δ = {model.Delta:G3})-differentially private; the ledger below adds up to ε = {model.SpentEpsilon:0.####} " +
            $"over {model.Ledger.Count} reads of the data (zCDP composition, tight conversion to (ε, δ)).");
    }

    /// <summary>(read, mechanism, cost) per ledger entry, in the order the fit made them.</summary>
    public static IReadOnlyList<(string Access, string Mechanism, string Cost)> Rows(IPrivacyLedger model)
    {
        ArgumentNullException.ThrowIfNull(model);
        double delta = model.Delta;
        return [.. model.Ledger.Select(c => (c.Access, c.Mechanism, string.Create(CultureInfo.InvariantCulture,
            $"{(c.Curve is null ? $"ρ = {c.Rho:G3}" : "Rényi curve (DP-SGD steps)")}{(c.Delta > 0 ? $", δ = {c.Delta:G3}" : "")}; alone ε ≈ {c.EpsilonAlone(delta):G3}")))];
    }
}
