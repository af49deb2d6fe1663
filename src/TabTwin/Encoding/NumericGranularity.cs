namespace TabTwin.Encoding;

/// <summary>
/// How coarsely a numerical column's values are written: the share of values on each grid of a ladder of steps
/// (…, 10, 5, 1, 0.5, 0.1, …, the column's finest decimal), per value band. Real columns mix precisions — titanic
/// ages are 96 % whole years, some half years and a few infant ages to four decimals — and a synthesizer that rounds
/// everything to the finest decimal writes <c>27.6232</c> where the data says <c>27</c>. Learned from the present
/// non-zero values (zero lies on every grid); applied when decoding, so every synthesizer gets it. Only steps that
/// are clearly preferred (far more values on them than chance) form the ladder; a column with none keeps plain
/// rounding to its finest decimal. Holds band edges (quantiles of the data) and shares only, never values.
/// </summary>
public sealed record NumericGranularity
{
    /// <summary>Minimum share of values on a step (beyond its finer neighbour) for it to enter the ladder.</summary>
    private const double MinimumShare = 0.02;
    /// <summary>
    /// A step enters the ladder when its share exceeds chance (the share of values on the last kept step, times
    /// last / step) by at least this fraction of the most it could exceed it: uniform decimals never qualify.
    /// </summary>
    private const double PreferredExcess = 0.5;
    private const int MaxBands = 8;
    private const int RowsPerBand = 250;
    private const double RobustTail = 0.001;

    /// <summary>The ladder of steps, coarsest first; each step is a whole multiple of the next; the last is the finest grid.</summary>
    public required double[] Steps { get; init; }
    /// <summary>Upper edges of the value bands but the last (ascending); a value v belongs to the first band whose edge is ≥ v.</summary>
    public required double[] BandEdges { get; init; }
    /// <summary>
    /// The 0.1 % and 99.9 % quantiles of the values: coarse rounding never carries a value beyond them (rounding 98.7
    /// hours up to 100 would reach past the real maximum of 99 towards a lone extreme), the privacy rule of the range.
    /// </summary>
    public double Low { get; init; } = double.NegativeInfinity;
    public double High { get; init; } = double.PositiveInfinity;
    /// <summary>Per band, the cumulative share of values whose coarsest step is Steps[0], Steps[0..1], … (last entry 1).</summary>
    public required double[][] CumulativeShares { get; init; }

    /// <summary>The profile of <paramref name="values"/> (present values), or null when only the finest grid is used.</summary>
    internal static NumericGranularity? Learn(IReadOnlyList<double> values, bool isInteger, int decimalPlaces)
    {
        if (!isInteger && decimalPlaces is < 1 or > 12) return null;
        double finest = isInteger ? 1 : Math.Pow(10, -decimalPlaces);
        var nonZero = values.Where(v => v != 0 && double.IsFinite(v)).ToArray();
        if (nonZero.Length < 20) return null;
        double largest = nonZero.Max(Math.Abs);
        var candidates = new List<double>();   // the decimal ladder above the finest grid, finest first: …, 0.1, 0.5, 1, 5, 10, …
        for (int e = (int)Math.Round(Math.Log10(finest)); e <= Math.Floor(Math.Log10(largest)); e++)
        {
            double ten = Math.Pow(10, e);
            if (ten > finest * 1.000001) candidates.Add(ten);
            if (ten * 5 <= largest) candidates.Add(ten * 5);
        }
        // Going coarser, keep a step when clearly more of the values on the last kept step lie on it than chance
        // would put there. Every candidate is a whole multiple of every finer one, so the ladder is nested.
        var ladder = new List<double> { finest };
        double lastShare = 1;
        foreach (double step in candidates)
        {
            double share = nonZero.Count(v => OnGrid(v, step)) / (double)nonZero.Length;
            double chance = lastShare * ladder[^1] / step;
            if (share >= MinimumShare && share - chance >= PreferredExcess * (lastShare - chance))
            {
                ladder.Add(step);
                lastShare = share;
            }
        }
        // Drop steps that hold (almost) no values of their own: their values fall to the next finer step.
        for (int i = ladder.Count - 2; i >= 1; i--)
        {
            double own = nonZero.Count(v => OnGrid(v, ladder[i]) && !OnGrid(v, ladder[i + 1])) / (double)nonZero.Length;
            if (own < MinimumShare / 2) ladder.RemoveAt(i);
        }
        if (ladder.Count == 1) return null;
        ladder.Reverse();
        var steps = ladder.ToArray();

        Array.Sort(nonZero);
        int bands = Math.Clamp(nonZero.Length / RowsPerBand, 1, MaxBands);
        var edges = new List<double>();
        for (int b = 1; b < bands; b++)
        {
            double edge = nonZero[(int)((long)b * nonZero.Length / bands) - 1];
            if (edges.Count == 0 || edge > edges[^1]) edges.Add(edge);
        }
        var counts = new double[edges.Count + 1][];
        for (int b = 0; b < counts.Length; b++) counts[b] = new double[steps.Length];
        foreach (double v in nonZero) counts[Band(edges, v)][CoarsestLevel(steps, v)]++;
        var cumulative = counts.Select(c =>
        {
            double total = c.Sum(), run = 0;
            return c.Select(x => total == 0 ? 1 : (run += x) / total).ToArray();
        }).ToArray();
        foreach (var c in cumulative) c[^1] = 1;
        var all = values.Where(double.IsFinite).Order().ToArray();
        return new NumericGranularity
        {
            Steps = steps, BandEdges = edges.ToArray(), CumulativeShares = cumulative,
            Low = all[(int)Math.Floor(RobustTail * (all.Length - 1))], High = all[(int)Math.Ceiling((1 - RobustTail) * (all.Length - 1))],
        };
    }

    /// <summary>
    /// <paramref name="v"/> written on a step drawn from its band's profile: rounded to that step and kept off the
    /// next coarser step of the ladder (so shares match), within [<paramref name="min"/>, <paramref name="max"/>];
    /// a finer step is tried when the coarse value would leave the range. A value already on the finest grid is a
    /// value the synthesizer took as it was (a point mass, a stored quantile) and already has a real precision: kept.
    /// </summary>
    internal double Round(double v, double min, double max, double uniform)
    {
        double finest = Steps[^1], onFinest = Snap(Math.Round(v / finest, MidpointRounding.AwayFromZero) * finest, finest);
        if (Math.Abs(v - onFinest) <= 1e-9 * Math.Max(1, Math.Abs(v)) || v < Low || v > High) return Math.Clamp(onFinest, min, max);
        double finestMin = min, finestMax = max;
        (min, max) = (Math.Max(min, Low), Math.Min(max, High));
        var shares = CumulativeShares[Band(BandEdges, v)];
        int level = 0;
        while (level < shares.Length - 1 && uniform > shares[level]) level++;
        for (; level < Steps.Length; level++)
        {
            double step = Steps[level];
            double r = Snap(Math.Round(v / step, MidpointRounding.AwayFromZero) * step, step);
            if (level > 0 && r != 0 && OnGrid(r, Steps[level - 1]))
            {
                // Landed on the coarser grid: take the neighbour on this grid nearer to v (both are off the coarser grid).
                double down = Snap(r - step, step), up = Snap(r + step, step);
                r = Math.Abs(v - down) <= Math.Abs(up - v) ? down : up;
                if (r < min || r > max) r = r == down ? up : down;
            }
            if (r >= min && r <= max) return r;
        }
        return Math.Clamp(onFinest, finestMin, finestMax);
    }

    private static int Band(IReadOnlyList<double> edges, double v)
    {
        int b = 0;
        while (b < edges.Count && v > edges[b]) b++;
        return b;
    }

    /// <summary>Index of the coarsest ladder step <paramref name="v"/> lies on (the finest always matches).</summary>
    private static int CoarsestLevel(double[] steps, double v)
    {
        for (int i = 0; i < steps.Length - 1; i++) if (OnGrid(v, steps[i])) return i;
        return steps.Length - 1;
    }

    internal static bool OnGrid(double v, double step)
    {
        double q = v / step;
        return Math.Abs(q - Math.Round(q)) < 1e-6;
    }

    /// <summary>Removes the binary noise of step arithmetic (0.1 · 3 = 0.30000000000000004) by rounding to the step's decimals.</summary>
    private static double Snap(double v, double step)
    {
        int decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(step) - 1e-9), 0, 15);
        return Math.Round(v, decimals, MidpointRounding.AwayFromZero);
    }
}
