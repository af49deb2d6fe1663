namespace TabTwin.Synthesizers.Conditioning;

/// <summary>A closed interval of doubles; open bounds are stored as the next representable double inside.</summary>
internal readonly record struct Interval(double Low, double High)
{
    public static readonly Interval All = new(double.NegativeInfinity, double.PositiveInfinity);
    public bool IsEmpty => !(Low <= High);
    public bool Contains(double x) => x >= Low && x <= High;
    public Interval Intersect(Interval other) => new(Math.Max(Low, other.Low), Math.Min(High, other.High));
}

/// <summary>
/// The values a numeric or datetime column may take under some conditions: a union of sorted, disjoint closed
/// intervals (in the column's units: numbers, or wall-clock ticks) plus whether missing is allowed. Immutable.
/// </summary>
internal sealed class NumberSet
{
    public NumberSet(IEnumerable<Interval> intervals, bool allowMissing)
    {
        Intervals = Normalize(intervals);
        AllowMissing = allowMissing;
    }

    public static NumberSet Everything { get; } = new([Interval.All], true);

    public IReadOnlyList<Interval> Intervals { get; }
    public bool AllowMissing { get; }
    public bool AllowsPresent => Intervals.Count > 0;
    public bool IsEmpty => Intervals.Count == 0 && !AllowMissing;

    public bool Contains(double x)
    {
        foreach (var i in Intervals) if (i.Contains(x)) return true;
        return false;
    }

    public NumberSet Intersect(NumberSet other)
    {
        var result = new List<Interval>();
        foreach (var a in Intervals)
            foreach (var b in other.Intervals)
            {
                var c = a.Intersect(b);
                if (!c.IsEmpty) result.Add(c);
            }
        return new NumberSet(result, AllowMissing && other.AllowMissing);
    }

    /// <summary>The set a range allows (never missing); open bounds move one double inwards.</summary>
    public static NumberSet FromRange(double? min, bool minInclusive, double? max, bool maxInclusive)
    {
        double lo = min is { } a ? (minInclusive ? a : Math.BitIncrement(a)) : double.NegativeInfinity;
        double hi = max is { } b ? (maxInclusive ? b : Math.BitDecrement(b)) : double.PositiveInfinity;
        return new NumberSet(lo <= hi ? [new Interval(lo, hi)] : [], false);
    }

    /// <summary>Exactly these points (and missing when asked).</summary>
    public static NumberSet FromPoints(IEnumerable<double> points, bool allowMissing) =>
        new(points.Select(p => new Interval(p, p)), allowMissing);

    /// <summary>Every present value except these points (never missing).</summary>
    public static NumberSet AllExcept(IEnumerable<double> points)
    {
        var result = new List<Interval>();
        double lo = double.NegativeInfinity;
        foreach (var p in points.Distinct().Order())
        {
            double hi = Math.BitDecrement(p);
            if (lo <= hi) result.Add(new Interval(lo, hi));
            lo = Math.BitIncrement(p);
        }
        result.Add(new Interval(lo, double.PositiveInfinity));
        return new NumberSet(result, false);
    }

    private static Interval[] Normalize(IEnumerable<Interval> intervals)
    {
        var sorted = intervals.Where(i => !i.IsEmpty).OrderBy(i => i.Low).ToList();
        var merged = new List<Interval>(sorted.Count);
        foreach (var i in sorted)
        {
            if (merged.Count > 0 && i.Low <= Math.BitIncrement(merged[^1].High))
                merged[^1] = merged[^1] with { High = Math.Max(merged[^1].High, i.High) };
            else merged.Add(i);
        }
        return merged.ToArray();
    }
}
