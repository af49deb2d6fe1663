using TabTwin.Distributions;

namespace TabTwin.Generation.Describe;

/// <summary>
/// A coarse, privacy-safe histogram of a numeric sample: roughly equal-count bins whose edges sit on a coarse grid
/// (never on a record's exact value), a bin of its own for every point mass (a value shared by many rows, such as a
/// frequent 0), and no bin summarising fewer than k rows (small bins are merged into a neighbour; empty gaps get weight 0).
/// </summary>
internal static class HistogramBuilder
{
    /// <param name="sorted">The (trimmed) present values, ascending.</param>
    /// <param name="grain">The data's resolution (1 for integers, 0.01 for 2-decimal values) or 0 for full precision.</param>
    /// <param name="minimumCount">The fewest rows a bin may summarise (k); smaller bins merge into a neighbour.</param>
    /// <param name="maximumBins">The most bins the histogram may have.</param>
    public static (double[] Edges, double[] Weights) Build(double[] sorted, double grain, int minimumCount, int maximumBins)
    {
        var groups = DistinctGroups.Of(sorted);
        int n = sorted.Length;
        double low = sorted[0], high = sorted[^1];
        double range = Math.Max(high - low, grain);
        double coarse = range > 0 ? Math.Pow(10, Math.Floor(Math.Log10(range / (maximumBins * 4.0)))) : 1;
        if (grain > 0) coarse = Math.Max(grain, Math.Round(coarse / grain) * grain);
        double target = n / (double)maximumBins;
        double heavy = Math.Max(minimumCount, Math.Max(0.5 * target, 0.01 * n));
        double Half(double v) => grain > 0 ? grain / 2 : 1e-9 * Math.Max(1, Math.Abs(v));

        var edges = new List<double> { low - Half(low) };
        long running = 0;
        for (int i = 0; i < groups.Values.Length; i++)
        {
            double v = groups.Values[i];
            int count = groups.Counts[i];
            if (count >= heavy)
            {
                double left = v - Half(v);
                if (left > edges[^1]) edges.Add(left);   // closes the running bin (weight 0 if nothing was in it: a gap)
                edges.Add(v + Half(v));
                running = 0;
                continue;
            }
            running += count;
            if (running < target || running < minimumCount || i == groups.Values.Length - 1) continue;
            double next = groups.Values[i + 1];
            double edge = grain > 0 ? Math.Round(v / coarse) * coarse + grain / 2 : Math.Round((v + next) / 2 / coarse) * coarse;
            if (edge > edges[^1] && edge <= next - Half(next)) { edges.Add(edge); running = 0; }
        }
        double last = high + Half(high);
        if (last > edges[^1]) edges.Add(last); else edges[^1] = Math.Max(edges[^1], last);
        if (edges.Count < 2) edges.Add(edges[0] + Math.Max(grain, 1e-9));
        // The spec publishes edges to 10 significant digits; two edges that differ only by float noise (1.78 + 0.005
        // closing a bin, 1.79 − 0.005 opening the next) would print equal and the spec would not read back.
        // Snap them here, before counting, so the counts match the published edges.
        SnapToPublishedPrecision(edges);

        var counts = Count(sorted, edges);
        MergeSmallBins(edges, counts, minimumCount);
        return (edges.ToArray(), counts.Select(c => (double)c).ToArray());
    }

    private static void SnapToPublishedPrecision(List<double> edges)
    {
        for (int i = 0; i < edges.Count; i++) edges[i] = DescribeQuantiles.Significant(edges[i], 10);
        for (int i = edges.Count - 1; i > 0; i--)
            if (edges[i] <= edges[i - 1]) edges.RemoveAt(edges.Count - 1 == i ? i - 1 : i);
        if (edges.Count < 2) edges.Add(edges[0] + Math.Max(Math.Abs(edges[0]) * 1e-9, 1e-9));
    }

    private static List<long> Count(double[] sorted, List<double> edges)
    {
        var counts = new List<long>(new long[edges.Count - 1]);
        int bin = 0;
        foreach (var v in sorted)
        {
            while (bin < counts.Count - 1 && v >= edges[bin + 1]) bin++;
            counts[bin]++;
        }
        return counts;
    }

    /// <summary>Removes edges until every non-empty bin holds at least <paramref name="minimumCount"/> rows.</summary>
    private static void MergeSmallBins(List<double> edges, List<long> counts, int minimumCount)
    {
        while (counts.Count > 1)
        {
            int small = counts.FindIndex(c => c > 0 && c < minimumCount);
            if (small < 0) return;
            // Merge into the neighbour with fewer rows (a gap if there is one), so large bins keep their shape.
            int neighbour = small == 0 ? 1 : small == counts.Count - 1 ? small - 1
                : counts[small - 1] <= counts[small + 1] ? small - 1 : small + 1;
            int keep = Math.Min(small, neighbour);
            counts[keep] = counts[small] + counts[neighbour];
            counts.RemoveAt(keep + 1);
            edges.RemoveAt(keep + 1);
        }
    }
}

/// <summary>The piecewise-uniform distribution of a histogram, so it can be scored by the same KS distance as the parametric fits.</summary>
internal sealed class HistogramDistribution(double[] edges, double[] weights) : IDistribution
{
    private readonly double[] _cumulative = Cumulative(weights);

    public MarginalFamily Family => MarginalFamily.Empirical;
    public double[] Parameters => [.. edges, .. weights];

    public double Cdf(double x)
    {
        if (x <= edges[0]) return 0;
        if (x >= edges[^1]) return 1;
        int bin = Array.BinarySearch(edges, x);
        if (bin >= 0) return bin == 0 ? 0 : _cumulative[bin - 1];
        bin = ~bin - 1;
        double before = bin == 0 ? 0 : _cumulative[bin - 1];
        return before + (_cumulative[bin] - before) * (x - edges[bin]) / (edges[bin + 1] - edges[bin]);
    }

    public double Quantile(double u)
    {
        int bin = Array.FindIndex(_cumulative, c => c >= u);
        if (bin < 0) return edges[^1];
        double before = bin == 0 ? 0 : _cumulative[bin - 1];
        double share = _cumulative[bin] - before;
        return edges[bin] + (share > 0 ? (u - before) / share : 0) * (edges[bin + 1] - edges[bin]);
    }

    private static double[] Cumulative(double[] weights)
    {
        double total = weights.Sum(), running = 0;
        return weights.Select(w => (running += w) / total).ToArray();
    }
}
