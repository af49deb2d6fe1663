using MathNet.Numerics;

namespace TabTwin.Synthesizers.GaussianCopula;

/// <summary>The standard normal CDF and its inverse, with the clamping the copula needs at the tails.</summary>
internal static class NormalMath
{
    /// <summary>Probabilities are kept this far from 0 and 1 so normal scores stay finite (|z| ≤ ~8.2).</summary>
    public const double TailGuard = 1e-16;

    public static double Cdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2.0));

    public static double InverseCdf(double p)
    {
        p = Math.Clamp(p, TailGuard, 1 - 1e-16);
        return -Math.Sqrt(2.0) * SpecialFunctions.ErfcInv(2.0 * p);
    }

    public static double Density(double z) => Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
}
