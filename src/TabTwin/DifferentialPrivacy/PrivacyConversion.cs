namespace TabTwin.DifferentialPrivacy;

/// <summary>
/// Conversions between Rényi/zero-concentrated DP and (ε, δ)-DP. Every mechanism in TabTwin is accounted as a Rényi
/// curve R(α) (zCDP with parameter ρ is the straight line R(α) = ρα), and the curve is turned into (ε, δ) with the tight
/// conversion of Canonne, Kamath and Steinke (2020, Prop. 12; also Asoodeh et al. 2021):
/// <c>δ = exp((α−1)(R(α)−ε) + α·ln(1−1/α)) / (α−1)</c>, minimised over α &gt; 1. It is never worse than the classic
/// <c>ε = ρ + 2√(ρ·ln(1/δ))</c> of Bun and Steinke (2016), and often a third smaller, which is budget users get back.
/// </summary>
public static class PrivacyConversion
{
    /// <summary>Largest order searched; beyond it the bound only loosens for every budget a user would ask for.</summary>
    private const double MaxOrder = 1e7;

    /// <summary>The smallest δ for which ρ-zCDP gives (ε, δ)-DP.</summary>
    public static double Delta(double rho, double epsilon)
    {
        CheckRho(rho);
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be ≥ 0.");
        if (rho == 0) return 0;
        // ln δ(α) is convex in α for a line R(α)=ρα, so its minimum is where its derivative, (2α−1)ρ − ε + ln(1−1/α),
        // crosses zero; the derivative increases with α, so bisection finds it.
        double lo = 1.000001, hi = Math.Max(2, (epsilon + 1) / (2 * rho) + 2);
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            if ((2 * mid - 1) * rho - epsilon + Math.Log(1 - 1 / mid) < 0) lo = mid; else hi = mid;
        }
        return Math.Min(1, Math.Exp(LogDelta(rho * hi, hi, epsilon)));
    }

    /// <summary>The smallest ε for which ρ-zCDP gives (ε, δ)-DP.</summary>
    public static double Epsilon(double rho, double delta)
    {
        CheckRho(rho);
        CheckDelta(delta);
        if (rho == 0) return 0;
        return Epsilon(a => rho * a, delta, continuous: true);
    }

    /// <summary>The smallest ε for a Rényi curve and δ.</summary>
    /// <param name="renyi">ε(α) at order α.</param>
    /// <param name="delta">The δ of the (ε, δ) guarantee.</param>
    /// <param name="continuous">True when <paramref name="renyi"/> is defined for every real α &gt; 1; false when it is only
    /// known at integer orders (then only integer orders are tried, which is sound).</param>
    public static double Epsilon(Func<double, double> renyi, double delta, bool continuous)
    {
        ArgumentNullException.ThrowIfNull(renyi);
        CheckDelta(delta);
        double best = double.PositiveInfinity;
        if (!continuous)
        {
            foreach (int a in RenyiCurve.IntegerOrders) best = Math.Min(best, EpsilonAt(renyi(a), a, delta));
            return Math.Max(0, best);
        }
        // A geometric scan brackets the minimum, then golden-section search refines it (ε(α) is unimodal for the
        // curves accounted here: lines and sums of convex RDP curves).
        double bestOrder = 2;
        for (double a = 1.0001; a < MaxOrder; a *= 1.02)
        {
            double e = EpsilonAt(renyi(a), a, delta);
            if (e < best) { best = e; bestOrder = a; }
        }
        double left = Math.Max(1.0001, bestOrder / 1.02), right = bestOrder * 1.02;
        const double golden = 0.6180339887498949;
        for (int i = 0; i < 80; i++)
        {
            double x1 = right - golden * (right - left), x2 = left + golden * (right - left);
            if (EpsilonAt(renyi(x1), x1, delta) < EpsilonAt(renyi(x2), x2, delta)) right = x2; else left = x1;
        }
        double mid = 0.5 * (left + right);
        return Math.Max(0, Math.Min(best, EpsilonAt(renyi(mid), mid, delta)));
    }

    /// <summary>The largest ρ whose (ε, δ) conversion stays within <paramref name="epsilon"/> at <paramref name="delta"/>.</summary>
    public static double Rho(double epsilon, double delta)
    {
        if (!(epsilon > 0) || double.IsInfinity(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be a finite number > 0.");
        CheckDelta(delta);
        double lo = 0, hi = epsilon + 1;   // ρ ≤ ε always, because ε(ρ) ≥ ρ
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Delta(mid, epsilon) <= delta) lo = mid; else hi = mid;
        }
        return lo;
    }

    /// <summary>ε at one order: solve the CKS conversion for ε given δ.</summary>
    internal static double EpsilonAt(double renyi, double order, double delta) =>
        renyi + (order * Math.Log(1 - 1 / order) - Math.Log(order - 1) - Math.Log(delta)) / (order - 1);

    private static double LogDelta(double renyi, double order, double epsilon) =>
        (order - 1) * (renyi - epsilon) + order * Math.Log(1 - 1 / order) - Math.Log(order - 1);

    private static void CheckRho(double rho)
    {
        if (!(rho >= 0) || double.IsInfinity(rho)) throw new ArgumentOutOfRangeException(nameof(rho), rho, "ρ must be a finite number ≥ 0.");
    }

    private static void CheckDelta(double delta)
    {
        if (!(delta > 0 && delta < 1)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be in (0, 1).");
    }
}
