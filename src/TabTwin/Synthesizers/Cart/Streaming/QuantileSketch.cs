namespace TabTwin.Synthesizers.Cart.Streaming;

/// <summary>
/// A mergeable quantile summary in bounded memory (the compactor hierarchy of Munro–Paterson and KLL, with a deterministic
/// choice of which half a compaction keeps, so the same values in the same order always give the same summary). Level l
/// holds items standing for 2^l values; a full level is sorted and every other item (alternately the odd and the even
/// ones) moves up. With k items per level, a rank is off by at most n·log2(n/k)/k; at k = 2,048 and 10 M values that is
/// under 0.6 % of the rows, and typically far less (the errors of the compactions cancel) — the bins need 1/64 of the rows.
/// No package on the NuGet feed here offers KLL or t-digest, so it is written out; tests check its ranks against exact ones.
/// </summary>
internal sealed class QuantileSketch
{
    private readonly int _k;
    private readonly List<List<double>> _levels = [[]];
    private readonly List<int> _compactions = [0];

    public QuantileSketch(int k = 2048)
    {
        if (k < 2 || k % 2 != 0) throw new ArgumentOutOfRangeException(nameof(k), "k must be even and at least 2.");
        _k = k;
    }

    /// <summary>How many values the summary stands for.</summary>
    public long Count { get; private set; }

    public void Add(double value)
    {
        _levels[0].Add(value);
        Count++;
        if (_levels[0].Count >= _k) Compact(0);
    }

    /// <summary>Adds everything <paramref name="other"/> summarized (merging in a fixed order gives a fixed result).</summary>
    public void Merge(QuantileSketch other)
    {
        for (int l = 0; l < other._levels.Count; l++)
        {
            while (_levels.Count <= l) { _levels.Add([]); _compactions.Add(0); }
            _levels[l].AddRange(other._levels[l]);
        }
        Count += other.Count;
        for (int l = 0; l < _levels.Count; l++)
            if (_levels[l].Count >= _k) Compact(l);
    }

    private void Compact(int level)
    {
        var items = _levels[level];
        items.Sort();
        if (level + 1 == _levels.Count) { _levels.Add([]); _compactions.Add(0); }
        var up = _levels[level + 1];
        int offset = _compactions[level]++ & 1;
        int kept = items.Count & ~1; // an odd item out stays at this level: its weight cannot be halved
        for (int i = offset; i < kept; i += 2) up.Add(items[i]);
        var odd = items.Count > kept ? items[^1] : (double?)null;
        items.Clear();
        if (odd is { } v) items.Add(v);
        if (up.Count >= _k) Compact(level + 1);
    }

    /// <summary>
    /// Approximately the rank-th smallest value (0-based) of those summarized: the stored item whose weighted position
    /// first passes the rank.
    /// </summary>
    public double ValueAtRank(long rank)
    {
        if (Count == 0) throw new InvalidOperationException("The sketch is empty.");
        var (values, cumulative) = Sorted();
        double target = (rank + 0.5) * cumulative[^1] / Count;
        int i = Array.BinarySearch(cumulative, target);
        i = i >= 0 ? i : ~i;
        return values[Math.Min(i, values.Length - 1)];
    }

    /// <summary>Values at several ranks in one sort (ranks ascending).</summary>
    public double[] ValuesAtRanks(IReadOnlyList<long> ranks)
    {
        if (Count == 0) throw new InvalidOperationException("The sketch is empty.");
        var (values, cumulative) = Sorted();
        var result = new double[ranks.Count];
        for (int r = 0; r < ranks.Count; r++)
        {
            double target = (ranks[r] + 0.5) * cumulative[^1] / Count;
            int i = Array.BinarySearch(cumulative, target);
            result[r] = values[Math.Min(i >= 0 ? i : ~i, values.Length - 1)];
        }
        return result;
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(_k);
        writer.Write(Count);
        writer.Write(_levels.Count);
        for (int l = 0; l < _levels.Count; l++)
        {
            writer.Write(_compactions[l]);
            writer.WriteArray<double>(_levels[l].ToArray());
        }
    }

    public static QuantileSketch Read(BinaryReader reader)
    {
        int k = reader.ReadInt32();
        long count = reader.ReadInt64();
        int levels = reader.ReadInt32();
        if (k < 2 || k % 2 != 0 || count < 0 || levels < 1 || levels > 64) throw new InvalidDataException("A quantile sketch in a streaming-fit message is damaged.");
        var sketch = new QuantileSketch(k) { Count = count };
        sketch._levels.Clear(); sketch._compactions.Clear();
        for (int l = 0; l < levels; l++)
        {
            sketch._compactions.Add(reader.ReadInt32());
            sketch._levels.Add([.. reader.ReadArray<double>()]);
        }
        return sketch;
    }

    /// <summary>Stored items in value order and their cumulative weights.</summary>
    private (double[] Values, double[] Cumulative) Sorted()
    {
        int total = _levels.Sum(l => l.Count);
        var values = new double[total];
        var weights = new double[total];
        int at = 0;
        for (int l = 0; l < _levels.Count; l++)
            foreach (double v in _levels[l]) { values[at] = v; weights[at++] = Math.ScaleB(1, l); }
        Array.Sort(values, weights);
        for (int i = 1; i < total; i++) weights[i] += weights[i - 1];
        return (values, weights);
    }
}
