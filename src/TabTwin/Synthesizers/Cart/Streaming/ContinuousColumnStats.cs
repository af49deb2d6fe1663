namespace TabTwin.Synthesizers.Cart.Streaming;

/// <summary>
/// What one pass learns of a continuous encoded column, in memory independent of the rows: a quantile sketch (bin edges,
/// leaf grid), the exact few smallest and largest values (the tail rule's clipped range is a count of rows from each end,
/// so it must be exact), its distinct values while there are few (each then gets its own bin, as in memory), the largest
/// magnitude (the regression scale) and the count of present values.
/// </summary>
internal sealed class ContinuousColumnStats
{
    private QuantileSketch _sketch = new();
    private readonly int _tailCount;
    private readonly List<double> _low = [], _high = [];
    private double _lowCut = double.PositiveInfinity, _highCut = double.NegativeInfinity;
    private HashSet<double>? _distinct = [];
    private readonly int _distinctCap;

    /// <param name="tailCount">How many values from each end to keep exactly.</param>
    /// <param name="distinctCap">Distinct values to remember before giving up (more than any bin count that uses them).</param>
    public ContinuousColumnStats(int tailCount, int distinctCap)
    {
        _tailCount = Math.Max(1, tailCount);
        _distinctCap = distinctCap;
    }

    public long Present { get; private set; }
    public long Missing { get; private set; }
    public double Largest { get; private set; }

    public void Add(double[] values, Tables.Bitmask missing, int rows)
    {
        for (int r = 0; r < rows; r++)
        {
            if (missing[r]) { Missing++; continue; }
            double v = values[r];
            Present++;
            _sketch.Add(v);
            Largest = Math.Max(Largest, Math.Abs(v));
            if (_low.Count < _tailCount || v < _lowCut) { _low.Add(v); if (_low.Count >= 2 * _tailCount) _lowCut = Trim(_low, ascending: true); }
            if (_high.Count < _tailCount || v > _highCut) { _high.Add(v); if (_high.Count >= 2 * _tailCount) _highCut = Trim(_high, ascending: false); }
            if (_distinct is not null && _distinct.Add(v) && _distinct.Count > _distinctCap) _distinct = null;
        }
    }

    /// <summary>
    /// Adds what <paramref name="other"/> learned of other rows. Counts, extremes, tails and distinct values are exact in any
    /// order; the sketch is the same for the same sequence of merges, so partitions are merged in their fixed order.
    /// </summary>
    public void Merge(ContinuousColumnStats other)
    {
        _sketch.Merge(other._sketch);
        Present += other.Present; Missing += other.Missing;
        Largest = Math.Max(Largest, other.Largest);
        _low.AddRange(other._low);
        if (_low.Count >= 2 * _tailCount) _lowCut = Trim(_low, ascending: true);
        _high.AddRange(other._high);
        if (_high.Count >= 2 * _tailCount) _highCut = Trim(_high, ascending: false);
        if (_distinct is not null && other._distinct is not null)
        {
            _distinct.UnionWith(other._distinct);
            if (_distinct.Count > _distinctCap) _distinct = null;
        }
        else _distinct = null;
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(_tailCount); writer.Write(_distinctCap);
        writer.Write(Present); writer.Write(Missing); writer.Write(Largest);
        writer.Write(_lowCut); writer.Write(_highCut);
        writer.WriteArray<double>(_low.ToArray());
        writer.WriteArray<double>(_high.ToArray());
        writer.Write(_distinct is not null);
        if (_distinct is not null) writer.WriteArray<double>(_distinct.Order().ToArray());
        _sketch.Write(writer);
    }

    public static ContinuousColumnStats Read(BinaryReader reader)
    {
        int tail = reader.ReadInt32(), cap = reader.ReadInt32();
        if (tail < 1 || cap < 0) throw new InvalidDataException("Column statistics in a streaming-fit message are damaged.");
        var stats = new ContinuousColumnStats(tail, cap)
        {
            Present = reader.ReadInt64(), Missing = reader.ReadInt64(), Largest = reader.ReadDouble(),
        };
        stats._lowCut = reader.ReadDouble(); stats._highCut = reader.ReadDouble();
        stats._low.AddRange(reader.ReadArray<double>());
        stats._high.AddRange(reader.ReadArray<double>());
        stats._distinct = reader.ReadBoolean() ? [.. reader.ReadArray<double>()] : null;
        stats._sketch = QuantileSketch.Read(reader);
        return stats;
    }

    private double Trim(List<double> values, bool ascending)
    {
        values.Sort();
        if (!ascending) values.Reverse();
        values.RemoveRange(_tailCount, values.Count - _tailCount);
        return values[^1];
    }

    /// <summary>The sorted distinct values, or null when there were more than the cap.</summary>
    public double[]? Distinct => _distinct is null ? null : _distinct.Order().ToArray();

    /// <summary>The i-th smallest present value (exact while i is below the tail count, from the sketch beyond).</summary>
    public double Smallest(long i)
    {
        if (i < _low.Count) { _low.Sort(); return _low[(int)i]; }
        return _sketch.ValueAtRank(i);
    }

    /// <summary>The i-th largest present value (exact while i is below the tail count).</summary>
    public double LargestAt(long i)
    {
        if (i < _high.Count) { _high.Sort(); _high.Reverse(); return _high[(int)i]; }
        return _sketch.ValueAtRank(Present - 1 - i);
    }

    public double[] ValuesAtRanks(IReadOnlyList<long> ranks) => _sketch.ValuesAtRanks(ranks);

    /// <summary>
    /// The predictor bins and clipped range, by <c>CartFitter.ValueEdges</c>' rules: every distinct value its own bin when at
    /// most <paramref name="maxBins"/>, else edges at the 1/maxBins quantiles (here from the sketch); the range is the
    /// tail index's value from each end. The leaf grid: points when at most <see cref="TargetGrid.Size"/> distinct values.
    /// </summary>
    public CartBinning Binning(int maxBins, double tail, int tailRows)
    {
        int n = (int)Present;
        if (n == 0) return new CartBinning([], 0, 0, TargetGrid.OfPoints([]));
        int low = CartFitter.TailIndex(n, tail, tailRows);
        double min = Smallest(0), max = LargestAt(0);
        var distinct = Distinct;
        double[] edges;
        if (distinct is not null && distinct.Length <= maxBins) edges = distinct[..^1];
        else edges = QuantileEdges(n, maxBins, max);
        var grid = distinct is not null && distinct.Length <= TargetGrid.Size
            ? TargetGrid.OfPoints(distinct)
            : TargetGrid.OfIntervals(QuantileEdges(n, TargetGrid.Size, max, cutsAtMax: true), min, max);
        return new CartBinning(edges, Smallest(low), LargestAt(low), grid);
    }

    /// <summary>
    /// Edges at the 1/<paramref name="bins"/> quantiles, increasing, below <paramref name="max"/> — or up to it with
    /// <paramref name="cutsAtMax"/> (a leaf grid cuts there too, so a value many rows share at the top stays exact).
    /// </summary>
    private double[] QuantileEdges(int n, int bins, double max, bool cutsAtMax = false)
    {
        var ranks = new long[bins - 1];
        for (int b = 1; b < bins; b++) ranks[b - 1] = Math.Min(n - 1, (long)b * n / bins);
        var edges = new List<double>();
        foreach (double e in ValuesAtRanks(ranks))
            if ((e < max || cutsAtMax && e == max) && (edges.Count == 0 || e > edges[^1])) edges.Add(e);
        return edges.ToArray();
    }
}
