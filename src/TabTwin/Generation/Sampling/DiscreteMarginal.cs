using MathNet.Numerics;

namespace TabTwin.Generation.Sampling;

/// <summary>
/// An integer distribution as a table of its CDF over the values that carry all but ~1e-15 of the probability;
/// the inverse CDF is a binary search. Built once per column, so Poisson, binomial and Zipf all cost the same per value.
/// </summary>
internal sealed class DiscreteMarginal : NumericMarginal
{
    private readonly long _first;       // the value at index 0
    private readonly double[] _cumulative; // P(X ≤ first + i)

    private DiscreteMarginal(long first, double[] probabilities)
    {
        _first = first;
        _cumulative = new double[probabilities.Length];
        double sum = 0;
        for (int i = 0; i < probabilities.Length; i++) { sum += probabilities[i]; _cumulative[i] = sum; }
        for (int i = 0; i < _cumulative.Length; i++) _cumulative[i] /= sum;
        _cumulative[^1] = 1;
    }

    public override bool IsDiscrete => true;

    public static DiscreteMarginal Poisson(double lambda)
    {
        double sd = Math.Sqrt(lambda);
        long lo = Math.Max(0, (long)Math.Floor(lambda - 12 * sd - 10)), hi = (long)Math.Ceiling(lambda + 12 * sd + 30);
        var p = new double[hi - lo + 1];
        double logLambda = Math.Log(lambda);
        for (long k = lo; k <= hi; k++) p[k - lo] = Math.Exp(k * logLambda - lambda - SpecialFunctions.GammaLn(k + 1));
        return new DiscreteMarginal(lo, p);
    }

    public static DiscreteMarginal Binomial(int n, double prob)
    {
        if (prob <= 0) return new DiscreteMarginal(0, [1]);
        if (prob >= 1) return new DiscreteMarginal(n, [1]);
        double mean = n * prob, sd = Math.Sqrt(n * prob * (1 - prob));
        long lo = Math.Max(0, (long)Math.Floor(mean - 12 * sd - 10)), hi = Math.Min(n, (long)Math.Ceiling(mean + 12 * sd + 10));
        var p = new double[hi - lo + 1];
        double lp = Math.Log(prob), lq = Math.Log(1 - prob), lnN = SpecialFunctions.GammaLn(n + 1);
        for (long k = lo; k <= hi; k++)
            p[k - lo] = Math.Exp(lnN - SpecialFunctions.GammaLn(k + 1) - SpecialFunctions.GammaLn(n - k + 1) + k * lp + (n - k) * lq);
        return new DiscreteMarginal(lo, p);
    }

    public static DiscreteMarginal Zipf(double s, int n)
    {
        var p = new double[n];
        for (int k = 1; k <= n; k++) p[k - 1] = Math.Pow(k, -s);
        return new DiscreteMarginal(1, p);
    }

    public override double Quantile(double u)
    {
        // The first index whose cumulative probability reaches u.
        var c = _cumulative;
        int lo = 0, hi = c.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (c[mid] >= u) hi = mid; else lo = mid + 1;
        }
        return _first + lo;
    }

    public override double Cdf(double x)
    {
        double k = Math.Floor(x);
        if (k < _first) return 0;
        long i = (long)k - _first;
        return i >= _cumulative.Length ? 1 : _cumulative[i];
    }

    public override double CdfBelow(double x) => Cdf(Math.Ceiling(x) - 1);
}
