namespace TabTwin.Neural;

/// <summary>
/// An ordered set of disjoint half-open index ranges [start, end), e.g. the columns of a layer's input that hold
/// one-hot conditions. Immutable; products use it to skip or select parts of a dimension.
/// </summary>
internal sealed class IndexRanges
{
    private readonly int[] _bounds;   // start₀, end₀, start₁, end₁, … (ascending, disjoint, non-empty)

    public IndexRanges(IEnumerable<(int Start, int End)> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var list = new List<int>();
        int previousEnd = int.MinValue;
        foreach (var (start, end) in ranges.OrderBy(r => r.Start))
        {
            if (start < 0 || end < start) throw new ArgumentException($"Invalid range [{start}, {end}).");
            if (start == end) continue;
            if (start < previousEnd) throw new ArgumentException($"Range [{start}, {end}) overlaps the one before it.");
            if (start == previousEnd) list[^1] = end;   // adjacent ranges merge
            else { list.Add(start); list.Add(end); }
            previousEnd = end;
        }
        _bounds = list.ToArray();
    }

    public int Count => _bounds.Length / 2;
    public int Start(int i) => _bounds[2 * i];
    public int End(int i) => _bounds[2 * i + 1];

    /// <summary>How many indices the ranges hold.</summary>
    public int Total
    {
        get
        {
            int total = 0;
            for (int i = 0; i < Count; i++) total += End(i) - Start(i);
            return total;
        }
    }

    /// <summary>The last index + 1 (0 when empty).</summary>
    public int Limit => _bounds.Length == 0 ? 0 : _bounds[^1];

    /// <summary>Everything in [0, <paramref name="length"/>) not in these ranges.</summary>
    public IndexRanges Complement(int length)
    {
        if (Limit > length) throw new ArgumentException($"The ranges reach {Limit}, beyond the length {length}.");
        var gaps = new List<(int, int)>();
        int at = 0;
        for (int i = 0; i < Count; i++) { gaps.Add((at, Start(i))); at = End(i); }
        gaps.Add((at, length));
        return new IndexRanges(gaps);
    }

    /// <summary>The same ranges repeated <paramref name="times"/> times, each copy shifted by <paramref name="stride"/>.</summary>
    public static IndexRanges Repeat(int start, int end, int times, int stride) =>
        new(Enumerable.Range(0, times).Select(t => (start + t * stride, end + t * stride)));
}
