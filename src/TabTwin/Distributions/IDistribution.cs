namespace TabTwin.Distributions;

/// <summary>
/// A fitted one-dimensional distribution: CDF, left limit of the CDF (differs from <see cref="Cdf"/> only at
/// point masses), quantile function and the numbers that rebuild it. Immutable and thread-safe.
/// </summary>
internal interface IDistribution
{
    MarginalFamily Family { get; }
    double Cdf(double x);
    /// <summary>P(X &lt; x): equal to <see cref="Cdf"/> except at a point mass.</summary>
    double CdfLeft(double x) => Cdf(x);
    double Quantile(double u);
    /// <summary>The family's parameters in a fixed order (see each family's <c>FromParameters</c>).</summary>
    double[] Parameters { get; }
}

/// <summary>The present values of one column, sorted, with the summaries every family's fit needs.</summary>
internal sealed class ColumnSample
{
    public ColumnSample(double[] sortedValues)
    {
        Sorted = sortedValues;
        Count = sortedValues.Length;
        Min = Sorted[0];
        Max = Sorted[^1];
        double sum = 0;
        bool integer = true;
        foreach (var v in Sorted)
        {
            sum += v;
            if (integer && v != Math.Floor(v)) integer = false;
        }
        Mean = sum / Count;
        double ss = 0;
        foreach (var v in Sorted) ss += (v - Mean) * (v - Mean);
        Variance = Count > 1 ? ss / (Count - 1) : 0;
        IsIntegerValued = integer;
    }

    public double[] Sorted { get; }
    public int Count { get; }
    public double Min { get; }
    public double Max { get; }
    public double Mean { get; }
    public double Variance { get; }
    public double StandardDeviation => Math.Sqrt(Variance);
    public double Range => Max - Min;
    /// <summary>Every value is a whole number (counts, ages, whole seconds): sampled values are rounded back.</summary>
    public bool IsIntegerValued { get; }
    public bool IsConstant => Max == Min;
}
