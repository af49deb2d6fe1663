namespace TabTwin.Synthesizers.Cart;

/// <summary>
/// A fine grid over one continuous column's values that a streaming fit keeps leaf contents on: a leaf counts its rows per
/// grid bin instead of holding them, so its memory is the grid, not the rows. A column with at most <see cref="Size"/>
/// distinct values gets one point per value, and leaf quantiles are then exactly the in-memory ones. Otherwise the grid
/// cuts the column at its 1/<see cref="Size"/> quantiles: each cut value is a bin of its own (so a value many rows share —
/// 0 in an amount column — stays exactly that value: one measured column lost 0.03 of shape score when its point mass was
/// spread over the bin below it), and the open interval between two cuts is a bin whose ranks are placed evenly across it
/// (the i-th of c rows at (i + ½)/c of its width). That moves a quantile by at most one grid bin — 1/1024 of the column's
/// rows — less than the jitter a draw adds within its leaf.
/// </summary>
internal sealed class TargetGrid
{
    public const int Size = 1024;

    private TargetGrid(double[] points, double[] edges, double low, double high)
    {
        Points = points; Edges = edges; Low = low; High = high;
    }

    /// <summary>One exact point per distinct value (sorted), or empty when the grid has intervals.</summary>
    public double[] Points { get; }

    /// <summary>The cut values of an interval grid (bin 2i+1 is {Edges[i]}, bin 2i the open interval below it), or empty when the grid has points.</summary>
    public double[] Edges { get; }

    public double Low { get; }
    public double High { get; }
    public bool HasPoints => Points.Length > 0;
    public int BinCount => HasPoints ? Points.Length : 2 * Edges.Length + 1;

    public static TargetGrid OfPoints(double[] sortedDistinct) =>
        sortedDistinct.Length > 0 ? new(sortedDistinct, [], sortedDistinct[0], sortedDistinct[^1]) : new([0], [], 0, 0);

    /// <summary>Cuts <paramref name="edges"/> (strictly increasing, each in (low, high]) with the open intervals between them.</summary>
    public static TargetGrid OfIntervals(double[] edges, double low, double high) => new([], edges, low, high);

    public int BinOf(double value)
    {
        if (!HasPoints)
        {
            int cut = Array.BinarySearch(Edges, value);
            return cut >= 0 ? 2 * cut + 1 : 2 * ~cut;
        }
        int i = Array.BinarySearch(Points, value);
        return i >= 0 ? i : Math.Clamp(~i, 0, Points.Length - 1);
    }

    /// <summary>
    /// The leaf outcome the in-memory builder stores (k mid-point quantiles, or every value when k equals the count), from the
    /// leaf's counts per grid bin.
    /// </summary>
    public void LeafValues(ReadOnlySpan<int> counts, int count, int k, List<double> output)
    {
        if (count == 0) return;
        var cumulative = new long[counts.Length + 1];
        for (int b = 0; b < counts.Length; b++) cumulative[b + 1] = cumulative[b] + counts[b];
        if (k == count)
        {
            for (int r = 0; r < count; r++) output.Add(ValueAtRank(cumulative, r));
            return;
        }
        for (int q = 0; q < k; q++)
        {
            var (lo, hi, frac) = CartTreeBuilder.QuantilePosition(q, k, count);
            double a = ValueAtRank(cumulative, lo), b = ValueAtRank(cumulative, hi);
            output.Add(a == b ? a : a + (b - a) * frac);
        }
    }

    /// <summary>The value standing for the rank-th smallest (0-based) of the counted rows.</summary>
    private double ValueAtRank(long[] cumulative, long rank)
    {
        // The bin b with cumulative[b] ≤ rank < cumulative[b + 1].
        int lo = 0, hi = cumulative.Length - 2;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (cumulative[mid] <= rank) lo = mid; else hi = mid - 1;
        }
        if (HasPoints) return Points[lo];
        if ((lo & 1) == 1) return Edges[lo >> 1];
        int interval = lo >> 1;
        double from = interval == 0 ? Low : Edges[interval - 1], to = interval == Edges.Length ? High : Edges[interval];
        long inBin = cumulative[lo + 1] - cumulative[lo];
        return from + (to - from) * ((rank - cumulative[lo] + 0.5) / inBin);
    }

    internal void Write(BinaryWriter writer)
    {
        Streaming.PassWire.WriteArray<double>(writer, Points);
        Streaming.PassWire.WriteArray<double>(writer, Edges);
        writer.Write(Low); writer.Write(High);
    }

    internal static TargetGrid Read(BinaryReader reader) =>
        new(Streaming.PassWire.ReadArray<double>(reader), Streaming.PassWire.ReadArray<double>(reader), reader.ReadDouble(), reader.ReadDouble());
}
