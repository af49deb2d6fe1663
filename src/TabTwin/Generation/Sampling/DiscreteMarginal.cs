using MathNet.Numerics;

namespace TabTwin.Generation.Sampling;

/// <summary>
/// An integer distribution as a table of its CDF over the values that carry all but ~1e-15 of the probability;
/// the inverse CDF is the first table entry at or above u, found through a guide table (Chen's method: the entry
/// where the search for any u in one of 1,024 equal buckets starts, then a step or two). Built once per column, so
/// Poisson, binomial and Zipf all cost the same per value. Copula columns skip u = Φ(z) altogether: the table is
/// also kept as the normal scores where <see cref="FastNormal.Cdf"/> crosses each entry, so z maps to the value
/// directly — the same value as through Φ(z), without evaluating Φ.
/// </summary>
internal sealed class DiscreteMarginal : NumericMarginal
{
    private const int GuideSize = 1024;
    private const double ScoreRange = 9; // normal scores beyond ±9 share the outermost buckets (Φ is clamped long before)
    private readonly long _first;       // the value at index 0
    private readonly double[] _cumulative; // P(X ≤ first + i)
    private readonly int[] _guide;         // _guide[b]: entries whose bucket lies below b, i.e. where the search for a u in bucket b starts
    private readonly double[] _scoreThresholds; // the largest z with FastNormal.Cdf(z) ≤ _cumulative[i]
    private readonly int[] _scoreGuide;

    private DiscreteMarginal(long first, double[] probabilities)
    {
        _first = first;
        _cumulative = new double[probabilities.Length];
        double sum = 0;
        for (int i = 0; i < probabilities.Length; i++) { sum += probabilities[i]; _cumulative[i] = sum; }
        for (int i = 0; i < _cumulative.Length; i++) _cumulative[i] /= sum;
        _cumulative[^1] = 1;
        _guide = Guide(_cumulative, UnitBucket);
        _scoreThresholds = _cumulative.Select(LargestScoreAtOrBelow).ToArray();
        _scoreGuide = Guide(_scoreThresholds, ScoreBucket);
    }

    private static int UnitBucket(double u) => (int)Math.Clamp(u * GuideSize, 0, GuideSize - 1);

    private static int ScoreBucket(double z) => (int)Math.Clamp((z + ScoreRange) * (GuideSize / (2 * ScoreRange)), 0, GuideSize - 1);

    /// <summary>
    /// For each bucket, how many of the (ascending) keys fall in an earlier bucket: every one of those is below any
    /// value in the bucket (the bucket function is monotone), so a search can start after them.
    /// </summary>
    private static int[] Guide(double[] ascending, Func<double, int> bucket)
    {
        var guide = new int[GuideSize];
        for (int b = 0, j = 0; b < GuideSize; b++)
        {
            while (j < ascending.Length && bucket(ascending[j]) < b) j++;
            guide[b] = j;
        }
        return guide;
    }

    /// <summary>The largest z with FastNormal.Cdf(z) ≤ c, by bisection over doubles (±∞ when no or every z qualifies).</summary>
    private static double LargestScoreAtOrBelow(double c)
    {
        double lo = -40, hi = 40;
        if (FastNormal.Cdf(hi) <= c) return double.PositiveInfinity;
        if (FastNormal.Cdf(lo) > c) return double.NegativeInfinity;
        while (true)
        {
            double mid = lo + (hi - lo) / 2;
            if (mid <= lo || mid >= hi) return lo;
            if (FastNormal.Cdf(mid) <= c) lo = mid; else hi = mid;
        }
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
        // The first index whose cumulative probability reaches u (the last when rounding pushed u past 1).
        var c = _cumulative;
        int k = _guide[UnitBucket(u)], last = c.Length - 1;
        while (k < last && c[k] < u) k++;
        return _first + k;
    }

    public override bool FillsFromNormal => true;

    /// <summary>Quantile(FastNormal.Cdf(z)) for every score: the first index whose threshold score reaches z.</summary>
    public override bool TryFillFromNormal(ReadOnlySpan<double> scores, Span<double> values)
    {
        var t = _scoreThresholds;
        var guide = _scoreGuide;
        int last = t.Length - 1;
        for (int i = 0; i < scores.Length; i++)
        {
            double z = scores[i];
            int k = guide[ScoreBucket(z)];
            while (k < last && z > t[k]) k++;
            values[i] = _first + k;
        }
        return true;
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
