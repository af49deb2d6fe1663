using System.Collections.Immutable;

namespace TabTwin.DifferentialPrivacy;

/// <summary>
/// A Rényi DP curve known at integer orders (what a Poisson-subsampled Gaussian step gives: Mironov, Talwar and Zhang
/// 2019). Every curve here is non-decreasing in α, so the value at ⌈α⌉ bounds any order in between.
/// </summary>
public sealed record RenyiCurve(ImmutableArray<double> Epsilons)
{
    /// <summary>The orders <see cref="Epsilons"/> is given at: 2..64, then a few larger ones for tiny budgets.</summary>
    public static ImmutableArray<int> IntegerOrders { get; } =
        [.. Enumerable.Range(2, 63), 80, 96, 128, 160, 192, 256, 384, 512, 768, 1024];

    /// <summary>ε(α) at an order from <see cref="IntegerOrders"/>, or the next listed order above a real α (sound: RDP grows with α).</summary>
    public double At(double order)
    {
        for (int i = 0; i < IntegerOrders.Length; i++)
            if (IntegerOrders[i] >= order) return Epsilons[i];
        return double.PositiveInfinity;
    }

    /// <summary>This curve composed <paramref name="times"/> times (RDP adds up).</summary>
    public RenyiCurve Times(int times) => new([.. Epsilons.Select(e => e * times)]);
}

/// <summary>
/// One access to the data, as the model file's ledger stores it: what was read, by which mechanism, and its cost as
/// zCDP ρ (Gaussian and exponential mechanisms), as a Rényi curve (subsampled Gaussian steps of DP-SGD), and any δ
/// paid outright (thresholded selection of which categories exist).
/// </summary>
public sealed record PrivacyCharge(string Access, string Mechanism, double Rho, double Delta = 0, RenyiCurve? Curve = null)
{
    /// <summary>This charge alone, converted to ε at the accountant's δ (for the ledger's readers; costs compose in ρ, not ε).</summary>
    public double EpsilonAlone(double delta) =>
        Curve is null
            ? PrivacyConversion.Epsilon(Rho, delta)
            : PrivacyConversion.Epsilon(a => Rho * a + Curve.At(a), delta, continuous: false);
}

/// <summary>
/// The one privacy accountant every DP mechanism in TabTwin charges. It holds the user's (ε, δ) target, the ledger
/// of every access to the data so far, and refuses a charge that would take the composed cost past the target.
/// Costs compose as Rényi curves (zCDP adds in ρ); the total is converted to (ε, δ) with <see cref="PrivacyConversion"/>.
/// Not thread-safe: one fit charges it from one thread, in a fixed order, so the ledger is the same on every run.
/// </summary>
public sealed class PrivacyAccountant
{
    private readonly List<PrivacyCharge> _ledger = [];

    public PrivacyAccountant(double epsilon, double delta)
    {
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
            throw new TabTwinException("dp.bad-epsilon", $"ε must be a finite number greater than 0 (got {epsilon}).",
                hint: "Pass --epsilon with a positive number, e.g. --epsilon 1.");
        if (!(delta > 0 && delta < 1))
            throw new TabTwinException("dp.bad-delta", $"δ must be greater than 0 and less than 1 (got {delta}).",
                hint: "Pass --delta with a small positive number, e.g. --delta 1e-9 (well below 1 / rows).");
        Epsilon = epsilon;
        Delta = delta;
        TotalRho = PrivacyConversion.Rho(epsilon, delta);
    }

    /// <summary>The promised ε.</summary>
    public double Epsilon { get; }
    /// <summary>The promised δ.</summary>
    public double Delta { get; }
    /// <summary>The zCDP budget that (ε, δ) allows when every charge is zCDP and pays no δ of its own.</summary>
    public double TotalRho { get; }
    /// <summary>Every charge so far, in order.</summary>
    public IReadOnlyList<PrivacyCharge> Ledger => _ledger;
    /// <summary>The ρ charged so far (zCDP charges only).</summary>
    public double SpentRho => _ledger.Sum(c => c.Rho);
    /// <summary>δ paid outright so far.</summary>
    public double SpentDelta => _ledger.Sum(c => c.Delta);

    /// <summary>
    /// The ρ still available to zCDP charges, given what was spent (curves and δ included): the largest extra ρ for
    /// which the composed ledger stays within (ε, δ).
    /// </summary>
    public double RemainingRho
    {
        get
        {
            // Searched without the tolerance a charge gets, so spending the answer in any number of parts still fits.
            double lo = 0, hi = TotalRho;
            if (!Fits(0, 0, null, 0)) return 0;
            for (int i = 0; i < 100; i++)
            {
                double mid = 0.5 * (lo + hi);
                if (Fits(mid, 0, null, 0)) lo = mid; else hi = mid;
            }
            return lo;
        }
    }

    /// <summary>The ε the ledger so far amounts to at <see cref="Delta"/> (0 for an empty ledger).</summary>
    public double SpentEpsilon => SpentDelta >= Delta ? double.PositiveInfinity : EpsilonOf(_ledger, 0, null, Delta - SpentDelta);

    /// <summary>True when adding a charge of <paramref name="rho"/>, <paramref name="delta"/> and <paramref name="curve"/> keeps the ledger within (ε, δ).</summary>
    public bool Fits(double rho, double delta = 0, RenyiCurve? curve = null) => Fits(rho, delta, curve, 1e-9);

    private bool Fits(double rho, double delta, RenyiCurve? curve, double tolerance)
    {
        // δ paid outright comes off the δ the conversion may use: the guarantee is (ε, δ_conversion + δ_paid).
        double conversionDelta = Delta - SpentDelta - delta;
        // A relative tolerance of 1e-9 lets a mechanism spend exactly "the rest of the budget" despite rounding.
        return conversionDelta > 0 && EpsilonOf(_ledger, rho, curve, conversionDelta) <= Epsilon * (1 + tolerance);
    }

    /// <summary>Records <paramref name="charge"/>; throws <c>dp.budget-exceeded</c> (a bug in the caller's split, never the user's) if it does not fit.</summary>
    public void Charge(PrivacyCharge charge)
    {
        ArgumentNullException.ThrowIfNull(charge);
        if (!(charge.Rho >= 0) || !(charge.Delta >= 0))
            throw new ArgumentOutOfRangeException(nameof(charge), "A charge's ρ and δ must be ≥ 0.");
        if (!Fits(charge.Rho, charge.Delta, charge.Curve))
            throw new TabTwinException("dp.budget-exceeded",
                $"Reading '{charge.Access}' with the {charge.Mechanism} would spend more than ε = {Epsilon:G4}, δ = {Delta:G3}; " +
                $"spent so far: ε ≈ {SpentEpsilon:G4} over {_ledger.Count} accesses.",
                hint: "Give a larger --epsilon, or declare public bounds and categories in the metadata so they need no budget.");
        _ledger.Add(charge);
    }

    /// <summary>What a finished ledger adds up to as ε at <paramref name="delta"/> (δ it paid outright comes off first).</summary>
    public static double EpsilonOfLedger(IReadOnlyList<PrivacyCharge> ledger, double delta)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        double paid = ledger.Sum(c => c.Delta);
        return paid >= delta ? double.PositiveInfinity : EpsilonOf(ledger, 0, null, delta - paid);
    }

    /// <summary>ε of <paramref name="ledger"/> plus one more (ρ, curve), converted at δ = <paramref name="delta"/>.</summary>
    public static double EpsilonOf(IEnumerable<PrivacyCharge> ledger, double extraRho, RenyiCurve? extraCurve, double delta)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var charges = ledger.ToArray();
        double rho = charges.Sum(c => c.Rho) + extraRho;
        var curves = charges.Where(c => c.Curve is not null).Select(c => c.Curve!).ToList();
        if (extraCurve is not null) curves.Add(extraCurve);
        if (rho == 0 && curves.Count == 0) return 0;
        return curves.Count == 0
            ? PrivacyConversion.Epsilon(rho, delta)
            : PrivacyConversion.Epsilon(a => rho * a + curves.Sum(c => c.At(a)), delta, continuous: false);
    }
}
