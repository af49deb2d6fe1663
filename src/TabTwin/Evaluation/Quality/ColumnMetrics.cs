using TabTwin.Tables;

namespace TabTwin.Evaluation.Quality;

/// <summary>
/// 1 − the two-sample Kolmogorov–Smirnov statistic between real and synthetic values (missing dropped), as
/// SDMetrics' KSComplement. For numerical and datetime columns.
/// </summary>
public sealed class KSComplement : IColumnMetric
{
    public static readonly KSComplement Instance = new();
    public string Name => "KSComplement";
    public Goal Goal => Goal.Maximize;
    public double MinValue => 0;
    public double MaxValue => 1;

    public double Compute(Column real, Column synthetic)
    {
        var a = ColumnValues.PresentNumbers(real);
        var b = ColumnValues.PresentNumbers(synthetic);
        if (a.Length == 0 || b.Length == 0) throw new MetricUndefinedException($"Column '{real.Name}' has no present values on one side.");
        return 1 - KsStatistic(a, b);
    }

    /// <summary>sup |F_a − F_b| over all values, with ties handled exactly (both ECDFs step past equal values together).</summary>
    public static double KsStatistic(double[] a, double[] b)
    {
        a = (double[])a.Clone(); b = (double[])b.Clone();
        Array.Sort(a); Array.Sort(b);
        int i = 0, j = 0;
        double worst = 0;
        while (i < a.Length && j < b.Length)
        {
            double x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] == x) i++;
            while (j < b.Length && b[j] == x) j++;
            worst = Math.Max(worst, Math.Abs(i / (double)a.Length - j / (double)b.Length));
        }
        return worst;
    }
}

/// <summary>
/// 1 − total variation distance between the real and synthetic frequencies of the present categories (missing
/// values dropped on both sides, as SDMetrics' TVComplement does). For categorical and boolean columns.
/// </summary>
public sealed class TVComplement : IColumnMetric
{
    public static readonly TVComplement Instance = new();
    public string Name => "TVComplement";
    public Goal Goal => Goal.Maximize;
    public double MinValue => 0;
    public double MaxValue => 1;

    public double Compute(Column real, Column synthetic)
    {
        var (r, s, count) = ColumnValues.CategoryCodes(real, synthetic);
        // Code 0 is missing: leave it out of both distributions.
        r = r.Where(c => c != 0).ToArray();
        s = s.Where(c => c != 0).ToArray();
        if (r.Length == 0 || s.Length == 0) throw new MetricUndefinedException($"Column '{real.Name}' has no present values on one side.");
        return 1 - ColumnValues.TotalVariation(r, s, count);
    }
}
