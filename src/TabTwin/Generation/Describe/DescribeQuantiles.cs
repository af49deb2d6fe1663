namespace TabTwin.Generation.Describe;

/// <summary>Quantiles of sorted data and the trimmed middle the describers work on.</summary>
internal static class DescribeQuantiles
{
    /// <summary>Linear interpolation between order statistics (R type 7).</summary>
    public static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>The sorted values inside [q, 1 − q] quantiles and those bounds.</summary>
    public static (double[] Trimmed, double Low, double High) Trim(double[] sorted, double clip)
    {
        double low = Quantile(sorted, clip), high = Quantile(sorted, 1 - clip);
        int from = LowerBound(sorted, low), to = UpperBound(sorted, high);
        return (sorted[from..to], low, high);
    }

    public static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) >> 1; if (sorted[mid] < value) lo = mid + 1; else hi = mid; }
        return lo;
    }

    public static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) >> 1; if (sorted[mid] <= value) lo = mid + 1; else hi = mid; }
        return lo;
    }

    /// <summary>Rounds to <paramref name="digits"/> significant digits (readable specs; the fit is not that precise anyway).</summary>
    public static double Significant(double value, int digits = 6)
    {
        if (value == 0 || !double.IsFinite(value)) return value;
        int magnitude = (int)Math.Floor(Math.Log10(Math.Abs(value))) + 1;
        int decimals = digits - magnitude;
        if (decimals is >= 0 and <= 15) return Math.Round(value, decimals);
        double scale = Math.Pow(10, decimals);
        return Math.Round(value * scale) / scale;
    }
}
