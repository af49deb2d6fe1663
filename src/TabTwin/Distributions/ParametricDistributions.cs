using MathNet.Numerics;

namespace TabTwin.Distributions;

// Parametric families. Each Fit returns null when the family cannot describe the sample (constant data,
// impossible moments); the best-fit search then simply skips it.

internal sealed record NormalDistribution(double Mean, double StandardDeviation) : IDistribution
{
    public MarginalFamily Family => MarginalFamily.Normal;
    public double[] Parameters => [Mean, StandardDeviation];
    public double Cdf(double x) => NormalMath.Cdf((x - Mean) / StandardDeviation);
    public double Quantile(double u) => Mean + StandardDeviation * NormalMath.InverseCdf(u);

    public static NormalDistribution? Fit(ColumnSample s)
        => s.StandardDeviation > 0 ? new(s.Mean, s.StandardDeviation) : null;
}

/// <summary>A normal distribution cut to the observed range [Lower, Upper] (location/scale of the untruncated normal).</summary>
internal sealed record TruncatedNormalDistribution(double Location, double Scale, double Lower, double Upper) : IDistribution
{
    private readonly double _cdfLower = NormalMath.Cdf((Lower - Location) / Scale);
    private readonly double _mass = NormalMath.Cdf((Upper - Location) / Scale) - NormalMath.Cdf((Lower - Location) / Scale);

    public MarginalFamily Family => MarginalFamily.TruncatedNormal;
    public double[] Parameters => [Location, Scale, Lower, Upper];

    public double Cdf(double x)
    {
        if (x <= Lower) return 0;
        if (x >= Upper) return 1;
        return Math.Clamp((NormalMath.Cdf((x - Location) / Scale) - _cdfLower) / _mass, 0, 1);
    }

    public double Quantile(double u)
        => Math.Clamp(Location + Scale * NormalMath.InverseCdf(_cdfLower + u * _mass), Lower, Upper);

    /// <summary>
    /// Moment matching: starts from the sample mean/sd and corrects location and scale until the truncated
    /// distribution's mean and sd equal the sample's (a few fixed-point steps; exact MLE is not worth its cost here).
    /// </summary>
    public static TruncatedNormalDistribution? Fit(ColumnSample s)
    {
        if (s.StandardDeviation <= 0) return null;
        double mu = s.Mean, sigma = s.StandardDeviation;
        for (int iteration = 0; iteration < 50; iteration++)
        {
            var (m, sd) = TruncatedMoments(mu, sigma, s.Min, s.Max);
            if (!double.IsFinite(m) || !double.IsFinite(sd) || sd <= 0) break;
            double newMu = mu + (s.Mean - m);
            double newSigma = Math.Min(sigma * s.StandardDeviation / sd, 100 * s.Range);
            bool converged = Math.Abs(newMu - mu) < 1e-9 * s.Range && Math.Abs(newSigma - sigma) < 1e-9 * s.Range;
            mu = newMu; sigma = newSigma;
            if (converged) break;
        }
        if (!(sigma > 0) || !double.IsFinite(mu)) return null;
        var d = new TruncatedNormalDistribution(mu, sigma, s.Min, s.Max);
        return d._mass > 1e-12 ? d : null;
    }

    private static (double Mean, double Sd) TruncatedMoments(double mu, double sigma, double lo, double hi)
    {
        double a = (lo - mu) / sigma, b = (hi - mu) / sigma;
        double z = NormalMath.Cdf(b) - NormalMath.Cdf(a);
        if (z < 1e-12) return (double.NaN, double.NaN);
        double pa = NormalMath.Density(a), pb = NormalMath.Density(b);
        double mean = mu + sigma * (pa - pb) / z;
        double variance = sigma * sigma * (1 + (a * pa - b * pb) / z - Math.Pow((pa - pb) / z, 2));
        return (mean, Math.Sqrt(Math.Max(variance, 0)));
    }
}

/// <summary>ln(x − Shift) is normal. Shift is 0 for positive data, else just below the minimum.</summary>
internal sealed record LogNormalDistribution(double LogMean, double LogStandardDeviation, double Shift) : IDistribution
{
    public MarginalFamily Family => MarginalFamily.LogNormal;
    public double[] Parameters => [LogMean, LogStandardDeviation, Shift];
    public double Cdf(double x) => x <= Shift ? 0 : NormalMath.Cdf((Math.Log(x - Shift) - LogMean) / LogStandardDeviation);
    public double Quantile(double u) => Shift + Math.Exp(LogMean + LogStandardDeviation * NormalMath.InverseCdf(u));

    public static LogNormalDistribution? Fit(ColumnSample s)
    {
        if (s.IsConstant) return null;
        double shift = PositiveShift(s);
        double sum = 0, sumSquares = 0;
        foreach (var v in s.Sorted) { double l = Math.Log(v - shift); sum += l; sumSquares += l * l; }
        double mean = sum / s.Count, variance = sumSquares / s.Count - mean * mean;
        return variance > 0 ? new(mean, Math.Sqrt(variance), shift) : null;
    }

    /// <summary>0 when all values are positive; otherwise 1 % of the range below the minimum, so logs stay finite.</summary>
    internal static double PositiveShift(ColumnSample s) => s.Min > 0 ? 0 : s.Min - 0.01 * s.Range;
}

/// <summary>Gamma(Shape, Scale) of x − Shift (shift as for the log-normal).</summary>
internal sealed record GammaDistribution(double Shape, double Scale, double Shift) : IDistribution
{
    public MarginalFamily Family => MarginalFamily.Gamma;
    public double[] Parameters => [Shape, Scale, Shift];
    public double Cdf(double x) => x <= Shift ? 0 : SpecialFunctions.GammaLowerRegularized(Shape, (x - Shift) / Scale);
    public double Quantile(double u) => Shift + Scale * SpecialFunctions.GammaLowerRegularizedInv(Shape, Math.Clamp(u, 1e-15, 1 - 1e-15));

    /// <summary>Maximum likelihood: Minka's closed-form start for the shape, then Newton steps on ln k − ψ(k) = ln x̄ − mean(ln x).</summary>
    public static GammaDistribution? Fit(ColumnSample s)
    {
        if (s.IsConstant) return null;
        double shift = LogNormalDistribution.PositiveShift(s);
        double sum = 0, sumLogs = 0;
        foreach (var v in s.Sorted) { sum += v - shift; sumLogs += Math.Log(v - shift); }
        double mean = sum / s.Count;
        double gap = Math.Log(mean) - sumLogs / s.Count;
        if (!(gap > 0)) return null;
        double k = (3 - gap + Math.Sqrt((gap - 3) * (gap - 3) + 24 * gap)) / (12 * gap);
        for (int i = 0; i < 20; i++)
        {
            double f = Math.Log(k) - SpecialFunctions.DiGamma(k) - gap;
            double derivative = 1 / k - Trigamma(k);
            double next = k - f / derivative;
            if (!(next > 0)) next = k / 2;
            if (Math.Abs(next - k) < 1e-10 * k) { k = next; break; }
            k = next;
        }
        return k > 0 && double.IsFinite(k) ? new(k, mean / k, shift) : null;
    }

    private static double Trigamma(double x)
    {
        // Recurrence up to x ≥ 6, then the asymptotic series; accurate to ~1e-10, ample for Newton steps.
        double result = 0;
        while (x < 6) { result += 1 / (x * x); x += 1; }
        double inv = 1 / x, inv2 = inv * inv;
        return result + inv + inv2 / 2 + inv * inv2 * (1.0 / 6 - inv2 * (1.0 / 30 - inv2 / 42));
    }
}

/// <summary>Beta(A, B) on the observed range [Lower, Upper], fitted by the method of moments.</summary>
internal sealed record BetaDistribution(double A, double B, double Lower, double Upper) : IDistribution
{
    public MarginalFamily Family => MarginalFamily.Beta;
    public double[] Parameters => [A, B, Lower, Upper];

    public double Cdf(double x)
    {
        if (x <= Lower) return 0;
        if (x >= Upper) return 1;
        return SpecialFunctions.BetaRegularized(A, B, (x - Lower) / (Upper - Lower));
    }

    public double Quantile(double u)
    {
        // Bisection safeguarded Newton on the regularized incomplete beta function.
        u = Math.Clamp(u, 0, 1);
        double lo = 0, hi = 1, y = A / (A + B);
        double logNorm = SpecialFunctions.BetaLn(A, B);
        for (int i = 0; i < 60; i++)
        {
            double f = SpecialFunctions.BetaRegularized(A, B, y) - u;
            if (Math.Abs(f) < 1e-12) break;
            if (f > 0) hi = y; else lo = y;
            double density = Math.Exp((A - 1) * Math.Log(y) + (B - 1) * Math.Log(1 - y) - logNorm);
            double next = y - f / density;
            y = next > lo && next < hi && double.IsFinite(next) ? next : 0.5 * (lo + hi);
            if (hi - lo < 1e-14) break;
        }
        return Lower + y * (Upper - Lower);
    }

    public static BetaDistribution? Fit(ColumnSample s)
    {
        if (s.IsConstant) return null;
        double m = (s.Mean - s.Min) / s.Range, v = s.Variance / (s.Range * s.Range);
        if (!(v > 0) || v >= m * (1 - m)) return null;
        double common = m * (1 - m) / v - 1;
        return new(m * common, (1 - m) * common, s.Min, s.Max);
    }
}

internal sealed record UniformDistribution(double Lower, double Upper) : IDistribution
{
    public MarginalFamily Family => MarginalFamily.Uniform;
    public double[] Parameters => [Lower, Upper];
    public double Cdf(double x) => x <= Lower ? 0 : x >= Upper ? 1 : (x - Lower) / (Upper - Lower);
    public double Quantile(double u) => Lower + Math.Clamp(u, 0, 1) * (Upper - Lower);

    public static UniformDistribution? Fit(ColumnSample s) => s.IsConstant ? null : new(s.Min, s.Max);
}
