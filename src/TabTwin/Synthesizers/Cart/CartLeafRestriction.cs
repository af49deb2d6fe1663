using TabTwin.Synthesizers.Conditioning;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Cart;

/// <summary>
/// The distribution of one continuous leaf draw (<see cref="CartModel.DrawValue"/> followed by the clamp to the
/// robust range) restricted to a set of allowed values: its mass in the set, and a draw from it conditioned on the
/// set. Each stored quantile is a component: a point (ties, no jitter, single value) or a uniform kernel; the two
/// clamps together are one clamp to [A, B], so a component's mass in the set is the uniform's share of
/// the allowed part of [A, B] plus the shares below A and above B when A or B is allowed.
/// </summary>
internal static class CartLeafRestriction
{
    public static double Mass(ReadOnlySpan<double> q, LeafKernel jitter, double low, double high, Interval[] allowed)
    {
        double total = 0;
        for (int i = 0; i < q.Length; i++) total += ComponentMass(q, i, jitter, low, high, allowed);
        return total / q.Length;
    }

    /// <summary>A value from the leaf's distribution given that it lies in <paramref name="allowed"/> (whose mass must be positive).</summary>
    public static double Draw(SeededRandom random, ReadOnlySpan<double> q, LeafKernel jitter, double low, double high, Interval[] allowed)
    {
        Span<double> cumulative = q.Length <= 512 ? stackalloc double[q.Length] : new double[q.Length];
        double sum = 0;
        for (int i = 0; i < q.Length; i++) cumulative[i] = sum += ComponentMass(q, i, jitter, low, high, allowed);
        int c = random.NextWeighted(cumulative);
        var (isPoint, a, b) = jitter.Component(q, c);
        var (clampLow, clampHigh) = Clamps(q, low, high);
        if (isPoint) return Math.Clamp(a, clampLow, clampHigh);
        // Pieces of the component: the clamped tail at A, the clamped tail at B, and allowed segments inside [A, B].
        double width = b - a;
        double pickAt = random.NextDouble() * (cumulative[c] - (c > 0 ? cumulative[c - 1] : 0)) * width;
        double below = Math.Clamp(clampLow - a, 0, width);
        if (below > 0 && Allows(allowed, clampLow)) { if (pickAt < below) return clampLow; pickAt -= below; }
        double above = Math.Clamp(b - clampHigh, 0, width);
        if (above > 0 && Allows(allowed, clampHigh)) { if (pickAt < above) return clampHigh; pickAt -= above; }
        double lastInside = double.NaN;
        foreach (var iv in allowed)
        {
            double s = Math.Max(Math.Max(a, clampLow), iv.Low), e = Math.Min(Math.Min(b, clampHigh), iv.High);
            if (!(s <= e)) continue;
            lastInside = e;
            if (pickAt < e - s || e == s) return Math.Clamp(s + pickAt, s, e);
            pickAt -= e - s;
        }
        // Rounding left a sliver: the last allowed point of the component.
        return double.IsNaN(lastInside) ? (Allows(allowed, clampLow) ? clampLow : clampHigh) : lastInside;
    }

    private static double ComponentMass(ReadOnlySpan<double> q, int i, LeafKernel jitter, double low, double high, Interval[] allowed)
    {
        var (isPoint, a, b) = jitter.Component(q, i);
        var (clampLow, clampHigh) = Clamps(q, low, high);
        if (isPoint) return Allows(allowed, Math.Clamp(a, clampLow, clampHigh)) ? 1 : 0;
        double width = b - a, mass = 0;
        if (Allows(allowed, clampLow)) mass += Math.Clamp(clampLow - a, 0, width);
        if (Allows(allowed, clampHigh)) mass += Math.Clamp(b - clampHigh, 0, width);
        foreach (var iv in allowed)
        {
            double s = Math.Max(Math.Max(a, clampLow), iv.Low), e = Math.Min(Math.Min(b, clampHigh), iv.High);
            if (s < e) mass += e - s;
        }
        return Math.Min(1, mass / width);
    }

    /// <summary>clamp(clamp(x, q₀, q_last), low, high) = clamp(x, A, B).</summary>
    private static (double A, double B) Clamps(ReadOnlySpan<double> q, double low, double high) =>
        (Math.Clamp(q[0], low, high), Math.Clamp(q[^1], low, high));

    private static bool Allows(Interval[] allowed, double x)
    {
        foreach (var iv in allowed) if (iv.Contains(x)) return true;
        return false;
    }
}
