using TabTwin.Distributions;
namespace TabTwin.Synthesizers.GaussianCopula.Marginals;

/// <summary>
/// Frequency-interval encoding of a discrete dimension: categories are laid end to end on [0, 1] in
/// <see cref="Order"/>, each taking an interval as wide as its training share. A training value's normal score is
/// Φ⁻¹ of a point drawn inside its interval; sampling maps Φ(z) back to the category whose interval holds it.
/// Codes are the encoded column's codes; a column's missing rows use code <c>cardinality</c> (one past the last).
/// Categories never seen in training get no interval and are never sampled.
/// </summary>
internal sealed class CategoricalMarginal
{
    private readonly double[] _lowerByCode;
    private readonly double[] _upperByCode;

    public CategoricalMarginal(int[] order, double[] upperBounds, int codeCount)
    {
        if (order.Length != upperBounds.Length || order.Length == 0)
            throw new ArgumentException("A categorical marginal needs one upper bound per ordered category (at least one).");
        Order = order;
        UpperBounds = upperBounds;
        UpperBounds[^1] = 1;
        CodeCount = codeCount;
        _lowerByCode = new double[codeCount];
        _upperByCode = new double[codeCount];
        double lower = 0;
        for (int i = 0; i < order.Length; i++)
        {
            _lowerByCode[order[i]] = lower;
            _upperByCode[order[i]] = upperBounds[i];
            lower = upperBounds[i];
        }
    }

    /// <summary>Codes in interval order (only codes seen in training).</summary>
    public int[] Order { get; }
    /// <summary>Cumulative upper bound of each ordered category's interval; the last is 1.</summary>
    public double[] UpperBounds { get; }
    /// <summary>Number of codes including the missing code when the column has one.</summary>
    public int CodeCount { get; }

    public (double Lower, double Upper) Band(int code) => (_lowerByCode[code], _upperByCode[code]);

    public int CodeAtNormalScore(double z)
    {
        double u = NormalMath.Cdf(z);
        var bounds = UpperBounds;
        int lo = 0, hi = bounds.Length - 1;                    // first bound > u; the last bound (1) catches u = 1
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (bounds[mid] > u) hi = mid; else lo = mid + 1; }
        return Order[lo];
    }

    /// <summary>Intervals in the given order with widths proportional to <paramref name="counts"/> (zero counts skipped).</summary>
    public static CategoricalMarginal FromCounts(int[] counts, IEnumerable<int> order) => FromCounts(Array.ConvertAll(counts, c => (long)c), order);

    /// <summary>As above, with counts past int's range (a streamed table of billions of rows).</summary>
    public static CategoricalMarginal FromCounts(long[] counts, IEnumerable<int> order)
    {
        long total = counts.Sum();
        if (total == 0) throw new ArgumentException("A categorical marginal needs at least one counted value.");
        var kept = order.Where(c => counts[c] > 0).ToArray();
        var upper = new double[kept.Length];
        long running = 0;
        for (int i = 0; i < kept.Length; i++) { running += counts[kept[i]]; upper[i] = running / (double)total; }
        return new CategoricalMarginal(kept, upper, counts.Length);
    }

    /// <summary>Most frequent first (ties by code), the usual frequency-encoding order.</summary>
    public static IEnumerable<int> FrequencyOrder(int[] counts)
        => Enumerable.Range(0, counts.Length).OrderByDescending(c => counts[c]).ThenBy(c => c);
}
