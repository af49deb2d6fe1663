using TabTwin.Randomness;

namespace TabTwin.Synthesizers.NeuralData;

/// <summary>
/// One-dimensional weighted k-means (seeded k-means++ then Lloyd's iterations), used only to give the
/// variational mixture a sensible starting partition.
/// </summary>
internal static class KMeans
{
    private const int MaxIterations = 300;

    /// <summary>The cluster index (0..k-1) of every distinct value.</summary>
    public static int[] Labels(WeightedValues data, int k, SeededRandom random)
    {
        var x = data.Values;
        var centers = PlusPlusCenters(data, k, random);
        var labels = new int[x.Length];
        var sums = new double[k];
        var counts = new double[k];
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            bool changed = iteration == 0;
            for (int i = 0; i < x.Length; i++)
            {
                int best = Nearest(x[i], centers);
                if (best != labels[i]) { labels[i] = best; changed = true; }
            }
            if (!changed) break;
            Array.Clear(sums);
            Array.Clear(counts);
            for (int i = 0; i < x.Length; i++) { sums[labels[i]] += data.Counts[i] * x[i]; counts[labels[i]] += data.Counts[i]; }
            for (int c = 0; c < k; c++) if (counts[c] > 0) centers[c] = sums[c] / counts[c]; // an empty cluster keeps its centre
        }
        return labels;
    }

    /// <summary>k-means++: each next centre drawn with probability proportional to count × squared distance from the nearest chosen one.</summary>
    private static double[] PlusPlusCenters(WeightedValues data, int k, SeededRandom random)
    {
        var x = data.Values;
        var centers = new double[k];
        var distance = new double[x.Length];
        var cumulative = new double[x.Length];
        double total = 0;
        for (int i = 0; i < x.Length; i++) cumulative[i] = total += data.Counts[i];
        centers[0] = x[random.NextWeighted(cumulative)];
        for (int i = 0; i < x.Length; i++) distance[i] = Square(x[i] - centers[0]);
        for (int c = 1; c < k; c++)
        {
            total = 0;
            for (int i = 0; i < x.Length; i++) cumulative[i] = total += data.Counts[i] * distance[i];
            // All values coincide with chosen centres: duplicate a centre (the mixture prunes or the BIC rejects it).
            centers[c] = total > 0 ? x[random.NextWeighted(cumulative)] : centers[c - 1];
            for (int i = 0; i < x.Length; i++) distance[i] = Math.Min(distance[i], Square(x[i] - centers[c]));
        }
        return centers;
    }

    private static int Nearest(double v, double[] centers)
    {
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int c = 0; c < centers.Length; c++)
        {
            double d = Square(v - centers[c]);
            if (d < bestDistance) { bestDistance = d; best = c; }
        }
        return best;
    }

    private static double Square(double v) => v * v;
}
