namespace TabTwin.Distributions;

/// <summary>
/// A smoothed empirical distribution with point masses, stored as a monotone piecewise-linear quantile
/// function through knots (<see cref="Probabilities"/>[j], <see cref="Values"/>[j]). Frequent values (e.g. the
/// 0 that makes up 92 % of Adult's capital-gain, or each age) are point masses: two knots with the same value
/// whose probabilities differ by the value's share. Everything else is a continuous part whose knots are local
/// means of order statistics at evenly spaced quantile levels, so no single rare record is stored verbatim
/// (except the extremes, which the encoding's range clipping already keeps).
/// </summary>
internal sealed class EmpiricalDistribution : IDistribution
{
    public EmpiricalDistribution(double[] probabilities, double[] values)
    {
        if (probabilities.Length != values.Length || values.Length == 0)
            throw new ArgumentException("Empirical knots need equally many probabilities and values (at least one).");
        Probabilities = probabilities;
        Values = values;
    }

    public MarginalFamily Family => MarginalFamily.Empirical;
    public double[] Parameters => [];
    public double[] Probabilities { get; }
    public double[] Values { get; }

    public double Cdf(double x)
    {
        var v = Values;
        if (x < v[0]) return 0;
        if (x >= v[^1]) return 1;
        int j = UpperBound(v, x) - 1;                      // last knot with value ≤ x
        return Interpolate(v[j], v[j + 1], Probabilities[j], Probabilities[j + 1], x);
    }

    public double CdfLeft(double x)
    {
        var v = Values;
        if (x <= v[0]) return 0;
        if (x > v[^1]) return 1;
        int i = LowerBound(v, x);                          // first knot with value ≥ x
        if (v[i] == x) return Probabilities[i];
        return Interpolate(v[i - 1], v[i], Probabilities[i - 1], Probabilities[i], x);
    }

    public double Quantile(double u)
    {
        var p = Probabilities;
        int j = UpperBound(p, u);                          // first knot with probability > u
        if (j == 0) return Values[0];
        if (j == p.Length) return Values[^1];
        return Interpolate(p[j - 1], p[j], Values[j - 1], Values[j], u);
    }

    /// <summary>
    /// Builds the knots from a sorted sample. A value is a point mass when it occurs at least
    /// <paramref name="minimumPointMassCount"/> times; the rest is summarised by at most
    /// <paramref name="maximumKnots"/> smoothed quantile knots.
    /// </summary>
    public static EmpiricalDistribution Fit(ColumnSample s, int minimumPointMassCount, int maximumKnots)
    {
        var sorted = s.Sorted;
        int n = sorted.Length;
        var atoms = new List<(double Value, double Mass)>();
        var rest = new List<double>(n);
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j < n && sorted[j] == sorted[i]) j++;
            if (j - i >= minimumPointMassCount || n == j - i) atoms.Add((sorted[i], (j - i) / (double)n));
            else for (int k = i; k < j; k++) rest.Add(sorted[k]);
            i = j;
        }
        if (rest.Count == 1) { atoms.Add((rest[0], 1.0 / n)); atoms.Sort(); rest.Clear(); }

        var (restLevels, restValues) = SmoothedQuantileKnots(rest, maximumKnots);
        double continuousMass = rest.Count / (double)n;
        var points = new List<(double Value, double Probability)>(atoms.Count * 2 + restValues.Length);

        // Atom mass strictly below x, and the continuous part's CDF at x (linear between its knots).
        double AtomMassBelow(double x) { double m = 0; foreach (var a in atoms) if (a.Value < x) m += a.Mass; return m; }
        double ContinuousCdf(double x)
        {
            if (restValues.Length == 0 || x <= restValues[0]) return 0;
            if (x >= restValues[^1]) return 1;
            int j = UpperBound(restValues, x) - 1;
            return Interpolate(restValues[j], restValues[j + 1], restLevels[j], restLevels[j + 1], x);
        }

        for (int j = 0; j < restValues.Length; j++)
            points.Add((restValues[j], AtomMassBelow(restValues[j]) + continuousMass * restLevels[j]));
        foreach (var (value, mass) in atoms)
        {
            double below = AtomMassBelow(value) + continuousMass * ContinuousCdf(value);
            points.Add((value, below));
            points.Add((value, below + mass));
        }
        points.Sort((a, b) => a.Value != b.Value ? a.Value.CompareTo(b.Value) : a.Probability.CompareTo(b.Probability));

        var probabilities = new double[points.Count];
        var values = new double[points.Count];
        for (int i = 0; i < points.Count; i++)
        {
            values[i] = points[i].Value;
            probabilities[i] = Math.Clamp(points[i].Probability, i > 0 ? probabilities[i - 1] : 0, 1);
        }
        probabilities[0] = 0;
        probabilities[^1] = 1;
        return new EmpiricalDistribution(probabilities, values);
    }

    /// <summary>Knots at levels j/(K−1); inner knots average the order statistics within half a level step either side.</summary>
    private static (double[] Levels, double[] Values) SmoothedQuantileKnots(List<double> sorted, int maximumKnots)
    {
        int m = sorted.Count;
        if (m == 0) return ([], []);
        int k = Math.Min(m, Math.Max(2, maximumKnots));
        var levels = new double[k];
        var values = new double[k];
        double step = (m - 1) / (double)(k - 1);
        // Sums of values near ±1e308 overflow (then inf − inf is NaN and the knots stop being ordered); such a column
        // is summed scaled by an exact power of two, which leaves ordinary magnitudes bit for bit as before.
        double scale = Math.Max(Math.Abs(sorted[0]), Math.Abs(sorted[m - 1])) > 1e300 ? Math.ScaleB(1, -Math.ILogB(sorted.Max(Math.Abs))) : 1;
        var prefix = new double[m + 1];
        for (int i = 0; i < m; i++) prefix[i + 1] = prefix[i] + sorted[i] * scale;
        for (int j = 0; j < k; j++)
        {
            levels[j] = j / (double)(k - 1);
            if (j == 0) { values[j] = sorted[0]; continue; }
            if (j == k - 1) { values[j] = sorted[m - 1]; continue; }
            double centre = j * step;
            int from = Math.Max(0, (int)Math.Floor(centre - step / 2));
            int to = Math.Min(m - 1, (int)Math.Ceiling(centre + step / 2));
            values[j] = (prefix[to + 1] - prefix[from]) / (to - from + 1) / scale;
        }
        for (int j = 1; j < k; j++) values[j] = Math.Max(values[j], values[j - 1]);   // guard against rounding
        return (levels, values);
    }

    private static double Interpolate(double x0, double x1, double y0, double y1, double x)
    {
        if (x1 == x0) return y1;
        double y = y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        if (double.IsFinite(y)) return y;
        // Knots near ±1e308: halved differences and a convex combination stay finite for any finite inputs.
        double t = Math.Clamp((x * 0.5 - x0 * 0.5) / (x1 * 0.5 - x0 * 0.5), 0, 1);
        return y0 * (1 - t) + y1 * t;
    }

    private static int UpperBound(double[] a, double x)
    {
        int lo = 0, hi = a.Length;
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (a[mid] <= x) lo = mid + 1; else hi = mid; }
        return lo;
    }

    private static int LowerBound(double[] a, double x)
    {
        int lo = 0, hi = a.Length;
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (a[mid] < x) lo = mid + 1; else hi = mid; }
        return lo;
    }
}
