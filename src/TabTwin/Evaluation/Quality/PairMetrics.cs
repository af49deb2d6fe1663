using TabTwin.Tables;

namespace TabTwin.Evaluation.Quality;

/// <summary>
/// 1 − |ρ_real − ρ_synthetic| / 2 with Pearson's ρ over rows where both columns are present, as SDMetrics'
/// CorrelationSimilarity. For pairs of numerical/datetime columns.
/// </summary>
public sealed class CorrelationSimilarity : IColumnPairMetric
{
    public static readonly CorrelationSimilarity Instance = new();
    public string Name => "CorrelationSimilarity";
    public Goal Goal => Goal.Maximize;
    public double MinValue => 0;
    public double MaxValue => 1;

    public double Compute(Column realA, Column realB, Column syntheticA, Column syntheticB)
    {
        double real = Pearson(ColumnValues.Numbers(realA), ColumnValues.Numbers(realB), "real", realA.Name, realB.Name);
        double synthetic = Pearson(ColumnValues.Numbers(syntheticA), ColumnValues.Numbers(syntheticB), "synthetic", realA.Name, realB.Name);
        return 1 - Math.Abs(real - synthetic) / 2;
    }

    public static double Pearson(double[] x, double[] y, string side, string nameA, string nameB)
    {
        double n = 0, sx = 0, sy = 0;
        for (int i = 0; i < x.Length; i++) if (!double.IsNaN(x[i]) && !double.IsNaN(y[i])) { n++; sx += x[i]; sy += y[i]; }
        if (n < 2) throw new MetricUndefinedException($"The {side} columns '{nameA}' and '{nameB}' share fewer than 2 present rows.");
        double mx = sx / n, my = sy / n, sxx = 0, syy = 0, sxy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(x[i]) || double.IsNaN(y[i])) continue;
            double dx = x[i] - mx, dy = y[i] - my;
            sxx += dx * dx; syy += dy * dy; sxy += dx * dy;
        }
        if (sxx == 0 || syy == 0) throw new MetricUndefinedException($"The {side} column '{(sxx == 0 ? nameA : nameB)}' is constant, so its correlation is undefined.");
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }
}

/// <summary>
/// 1 − total variation distance between the real and synthetic joint frequencies of two columns, as SDMetrics'
/// ContingencySimilarity. Numerical/datetime columns are cut into 10 equal-width bins over the real range
/// (outer bins open-ended); missing is a category/bin of its own. For pairs involving a categorical/boolean.
/// </summary>
public sealed class ContingencySimilarity : IColumnPairMetric
{
    public const int NumericBins = 10;
    public static readonly ContingencySimilarity Instance = new();
    public string Name => "ContingencySimilarity";
    public Goal Goal => Goal.Maximize;
    public double MinValue => 0;
    public double MaxValue => 1;

    /// <summary>Bins a column when its storage is numeric or datetime.</summary>
    public double Compute(Column realA, Column realB, Column syntheticA, Column syntheticB)
        => Compute(realA, realB, syntheticA, syntheticB, IsNumber(realA), IsNumber(realB));

    /// <summary>Bins exactly the columns flagged as numbers (the report decides from the schema kind, not the storage type).</summary>
    public double Compute(Column realA, Column realB, Column syntheticA, Column syntheticB, bool binA, bool binB)
    {
        if (realA.Length == 0 || syntheticA.Length == 0) throw new MetricUndefinedException($"Columns '{realA.Name}' and '{realB.Name}' have no rows on one side.");
        var (ra, sa, countA) = Discretize(realA, syntheticA, binA);
        var (rb, sb, countB) = Discretize(realB, syntheticB, binB);
        if ((long)countA * countB > 50_000_000) throw new MetricUndefinedException($"Columns '{realA.Name}' and '{realB.Name}' have too many value combinations to tabulate.");
        var jointReal = new int[ra.Length];
        var jointSynthetic = new int[sa.Length];
        for (int i = 0; i < ra.Length; i++) jointReal[i] = ra[i] * countB + rb[i];
        for (int i = 0; i < sa.Length; i++) jointSynthetic[i] = sa[i] * countB + sb[i];
        return 1 - ColumnValues.TotalVariation(jointReal, jointSynthetic, countA * countB);
    }

    private static bool IsNumber(Column c) => c is NumericColumn or DateTimeColumn;

    private static (int[] Real, int[] Synthetic, int Count) Discretize(Column real, Column synthetic, bool bin)
    {
        if (!bin) return ColumnValues.CategoryCodes(real, synthetic);
        var r = ColumnValues.Numbers(real);
        var s = ColumnValues.Numbers(synthetic);
        var present = r.Where(v => !double.IsNaN(v)).ToArray();
        double min = present.Length == 0 ? 0 : present.Min(), max = present.Length == 0 ? 0 : present.Max();
        return (ColumnValues.Bins(r, min, max, NumericBins), ColumnValues.Bins(s, min, max, NumericBins), NumericBins + 1);
    }
}
