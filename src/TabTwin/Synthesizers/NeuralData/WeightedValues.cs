namespace TabTwin.Synthesizers.NeuralData;

/// <summary>
/// A sample as its distinct values (ascending) with their counts. Tabular numbers repeat a lot (ages,
/// hours, zero capital gains), so the mixture's updates run over distinct values — the same result as over
/// every value, often a hundred times faster. Continuous-valued columns are first rounded to a fine grid
/// (see <see cref="Of"/>) so they too have at most a few thousand distinct values.
/// </summary>
internal sealed class WeightedValues
{
    private WeightedValues(double[] values, double[] counts)
    {
        Values = values;
        Counts = counts;
        Total = counts.Sum();
    }

    public double[] Values { get; }
    public double[] Counts { get; }
    public double Total { get; }
    public int Length => Values.Length;

    /// <summary>
    /// The distinct values of a standardised <paramref name="sample"/>; when there are more than
    /// <paramref name="maxDistinct"/>, after rounding to multiples of <paramref name="grid"/> (1/256 of a
    /// standard deviation adds a variance of 1e-6, the size of the mixture's own covariance regulariser, so the
    /// modes found do not change). Samples with few distinct values are kept exact, so point masses stay put.
    /// </summary>
    public static WeightedValues Of(double[] sample, int maxDistinct = 4096, double grid = 1.0 / 256)
    {
        var exact = Distinct(sample);
        if (exact.Length <= maxDistinct) return exact;
        var rounded = new double[sample.Length];
        for (int i = 0; i < rounded.Length; i++) rounded[i] = Math.Round(sample[i] / grid) * grid;
        return Distinct(rounded);
    }

    private static WeightedValues Distinct(double[] sample)
    {
        var sorted = (double[])sample.Clone();
        Array.Sort(sorted);
        var values = new List<double>();
        var counts = new List<double>();
        foreach (double v in sorted)
        {
            if (values.Count > 0 && values[^1] == v) counts[^1]++;
            else { values.Add(v); counts.Add(1); }
        }
        return new WeightedValues(values.ToArray(), counts.ToArray());
    }

    public double Mean()
    {
        double s = 0;
        for (int i = 0; i < Values.Length; i++) s += Counts[i] * Values[i];
        return s / Total;
    }

    /// <summary>Sample variance (n − 1 denominator, as numpy's cov).</summary>
    public double Variance()
    {
        double mean = Mean(), s = 0;
        for (int i = 0; i < Values.Length; i++) s += Counts[i] * (Values[i] - mean) * (Values[i] - mean);
        return s / Math.Max(1, Total - 1);
    }
}
