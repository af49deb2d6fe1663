using TabTwin.Distributions;
namespace TabTwin.Synthesizers.GaussianCopula;

/// <summary>
/// Corrects correlations that involve banded dimensions (categories, point masses, whole numbers).
/// <para>
/// A banded dimension's normal score is the latent normal Z redrawn inside the band that holds it, so its
/// covariance with another score is E[s₁(Z₁) s₂(Z₂)], where s(z) is the mean of Z over z's band. With probabilists'
/// Hermite polynomials that expectation is Σₖ ρᵏ α̃ₖ β̃ₖ (α̃ₖ = E[s He_k(Z)] / √k!), which is smaller than the latent ρ:
/// the plain Pearson of the scores attenuates every association with a categorical column. Solving the series for ρ
/// gives the latent correlation (a moment estimator of the polychoric/polyserial correlation) at the cost of a few
/// dozen coefficients per dimension, computed in closed form from the band edges.
/// </para>
/// </summary>
internal static class LatentCorrelation
{
    private const int Terms = 48;
    private const double Limit = 0.999;

    /// <summary>A dimension's probability bands (sorted, disjoint, within [0, 1]); everything outside a band is continuous.</summary>
    public sealed record Bands(double[] Lower, double[] Upper)
    {
        public bool IsEmpty => Lower.Length == 0;
    }

    /// <summary>Normalised Hermite coefficients α̃ₖ = E[s(Z) He_k(Z)] / √k!, k = 1..Terms (index k − 1).</summary>
    public static double[] Coefficients(Bands bands)
    {
        var result = new double[Terms];
        double previousUpper = 0;
        for (int c = 0; c < bands.Lower.Length; c++)
        {
            if (bands.Lower[c] > previousUpper) AddContinuous(result, previousUpper, bands.Lower[c]);
            AddBand(result, bands.Lower[c], bands.Upper[c]);
            previousUpper = bands.Upper[c];
        }
        if (previousUpper < 1) AddContinuous(result, previousUpper, 1);
        return result;
    }

    /// <summary>The latent ρ whose series Σ ρᵏ aₖ bₖ equals the observed score correlation (clamped to ±0.999).</summary>
    public static double Solve(double observed, double[] a, double[] b)
    {
        double Series(double rho)
        {
            double sum = 0, power = 1;
            for (int k = 0; k < Terms; k++) { power *= rho; sum += power * a[k] * b[k]; }
            return sum;
        }
        // Bracket every sign change on a coarse grid and bisect (the series is monotone in practice, but this
        // does not rely on it); among several roots keep the one nearest the observed value. No root: closest grid point.
        const int grid = 200;
        double best = double.NaN, fallback = 0, fallbackGap = double.PositiveInfinity;
        double previousRho = -Limit, previousGap = Series(-Limit) - observed;
        for (int i = 1; i <= grid; i++)
        {
            double rho = -Limit + 2 * Limit * i / grid, gap = Series(rho) - observed;
            if (Math.Abs(gap) < fallbackGap) { fallbackGap = Math.Abs(gap); fallback = rho; }
            if (previousGap * gap <= 0)
            {
                double lo = previousRho, hi = rho, gapLo = previousGap;
                for (int step = 0; step < 50; step++)
                {
                    double mid = 0.5 * (lo + hi), gapMid = Series(mid) - observed;
                    if (gapLo * gapMid <= 0) hi = mid; else { lo = mid; gapLo = gapMid; }
                }
                double root = 0.5 * (lo + hi);
                if (double.IsNaN(best) || Math.Abs(root - observed) < Math.Abs(best - observed)) best = root;
            }
            previousRho = rho; previousGap = gap;
        }
        return double.IsNaN(best) ? fallback : best;
    }

    // Within a band [a, b] (in z) the score is the band mean s; its contribution is s ∫ He_k φ = s [He_{k−1}φ]_b^a.
    private static void AddBand(double[] result, double lower, double upper)
    {
        if (upper <= lower) return;
        double a = ToZ(lower), b = ToZ(upper);
        double mass = upper - lower;
        double mean = (Density(a) - Density(b)) / mass;
        var ha = HermiteTimesDensity(a);
        var hb = HermiteTimesDensity(b);
        for (int k = 1; k <= Terms; k++) result[k - 1] += mean * (ha[k - 1] - hb[k - 1]) / Math.Sqrt(k);
    }

    // Outside bands the score is Z itself: ∫ z He_k φ = [He_k φ]_b^a + k ∫ He_{k−1} φ.
    private static void AddContinuous(double[] result, double lower, double upper)
    {
        double a = ToZ(lower), b = ToZ(upper);
        var ha = HermiteTimesDensity(a);
        var hb = HermiteTimesDensity(b);
        for (int k = 1; k <= Terms; k++)
        {
            double boundary = ha[k] - hb[k];
            double inner = k == 1 ? upper - lower : Math.Sqrt(k / (k - 1.0)) * (ha[k - 2] - hb[k - 2]);
            result[k - 1] += boundary + inner;
        }
    }

    /// <summary>hₘ(z) φ(z) for m = 0..Terms with hₘ = Heₘ / √m! (stable recurrence; 0 at ±∞).</summary>
    private static double[] HermiteTimesDensity(double z)
    {
        var h = new double[Terms + 1];
        if (double.IsInfinity(z)) return h;
        double phi = Density(z), previous = 0, current = 1;
        h[0] = phi;
        for (int m = 0; m < Terms; m++)
        {
            double next = (z * current - Math.Sqrt(m) * previous) / Math.Sqrt(m + 1);
            previous = current; current = next;
            h[m + 1] = current * phi;
        }
        return h;
    }

    private static double ToZ(double u) => u <= 0 ? double.NegativeInfinity : u >= 1 ? double.PositiveInfinity : NormalMath.InverseCdf(u);
    private static double Density(double z) => double.IsInfinity(z) ? 0 : NormalMath.Density(z);
}
