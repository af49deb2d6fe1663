using TabTwin.Tables;

namespace TabTwin.Evaluation.Quality;

/// <summary>
/// 1 − |ρ_real − ρ_synthetic| / 2 with Pearson's ρ over the rows where both columns are present, as SDMetrics'
/// CorrelationSimilarity. A column with a single distinct present value on either side is an error (SDMetrics
/// raises ConstantInputError); so is a pair with fewer than 2 complete rows. For pairs of numerical/datetime columns.
/// </summary>
public sealed class CorrelationSimilarity : IColumnPairMetric
{
    public static readonly CorrelationSimilarity Instance = new();
    public string Name => "CorrelationSimilarity";
    public Goal Goal => Goal.Maximize;
    public double MinValue => 0;
    public double MaxValue => 1;

    public double Compute(Column realA, Column realB, Column syntheticA, Column syntheticB)
        => Breakdown(ColumnValues.PairNumbers(realA), ColumnValues.PairNumbers(realB),
                     ColumnValues.PairNumbers(syntheticA), ColumnValues.PairNumbers(syntheticB), realA.Name, realB.Name).Score;

    /// <summary>Score with both coefficients; throws <see cref="MetricUndefinedException"/> where SDMetrics gives an error or NaN.</summary>
    public static (double Score, double Real, double Synthetic) Breakdown(double[] realA, double[] realB, double[] syntheticA, double[] syntheticB, string nameA, string nameB)
    {
        RequireNotConstant(realA, realB, "real", nameA, nameB);
        RequireNotConstant(syntheticA, syntheticB, "synthetic", nameA, nameB);
        double real = Pearson(realA, realB, "real", nameA, nameB);
        double synthetic = Pearson(syntheticA, syntheticB, "synthetic", nameA, nameB);
        return (1 - Math.Abs(real - synthetic) / 2, real, synthetic);
    }

    // SDMetrics checks constancy on each whole column (missing values ignored) before dropping incomplete rows.
    private static void RequireNotConstant(double[] a, double[] b, string side, string nameA, string nameB)
    {
        bool ca = ColumnValues.IsConstant(a), cb = ColumnValues.IsConstant(b);
        if (ca || cb)
            throw new MetricUndefinedException(ca && cb
                ? $"The {side} columns '{nameA}' and '{nameB}' are constant, so their correlation is undefined."
                : $"The {side} column '{(ca ? nameA : nameB)}' is constant, so its correlation is undefined.");
    }

    /// <summary>Pearson's ρ over complete rows, computed from centred values as scipy's pearsonr does.</summary>
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
        if (sxx == 0 || syy == 0) throw new MetricUndefinedException($"The {side} column '{(sxx == 0 ? nameA : nameB)}' is constant on the rows where both are present, so the correlation is undefined.");
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }
}

/// <summary>
/// 1 − total variation distance between the real and synthetic joint frequencies of two discrete columns, as
/// SDMetrics' ContingencySimilarity; missing is a value of its own. A numerical/datetime column is first cut as
/// SDMetrics' Column Pair Trends cuts it (see <see cref="ColumnValues.HistogramCodes"/>: 10 equal-width bins over
/// each side's own range). Also gives the real pair's Cramér's V, the association SDMetrics compares with its
/// threshold, and the score a per-column (independent) synthesizer would get.
/// </summary>
public sealed class ContingencySimilarity : IColumnPairMetric
{
    /// <summary>Largest joint table tabulated; beyond it the pair is reported as undefined rather than exhausting memory.</summary>
    public const long MaxCells = 50_000_000;
    public static readonly ContingencySimilarity Instance = new();
    public string Name => "ContingencySimilarity";
    public Goal Goal => Goal.Maximize;
    public double MinValue => 0;
    public double MaxValue => 1;

    /// <summary>Bins a column when its storage is numeric or datetime.</summary>
    public double Compute(Column realA, Column realB, Column syntheticA, Column syntheticB)
    {
        var (ra, sa, countA) = Discretize(realA, syntheticA, realA is NumericColumn or DateTimeColumn);
        var (rb, sb, countB) = Discretize(realB, syntheticB, realB is NumericColumn or DateTimeColumn);
        return Breakdown(ra, rb, sa, sb, countA, countB, realA.Name, realB.Name).Score;
    }

    /// <summary>Codes of a real/synthetic column pair on one scale: bins for numbers, shared category codes otherwise.</summary>
    public static (int[] Real, int[] Synthetic, int Count) Discretize(Column real, Column synthetic, bool bin)
        => bin ? (ColumnValues.HistogramCodes(ColumnValues.PairNumbers(real)), ColumnValues.HistogramCodes(ColumnValues.PairNumbers(synthetic)), ColumnValues.HistogramCodeCount)
               : ColumnValues.CategoryCodes(real, synthetic);

    /// <summary>The score, the real pair's Cramér's V (NaN when the real table has fewer than 2 rows or columns) and the independence score.</summary>
    public static (double Score, double RealAssociation, double IndependenceScore) Breakdown(
        int[] realA, int[] realB, int[] syntheticA, int[] syntheticB, int countA, int countB, string nameA, string nameB)
    {
        if (realA.Length == 0 || syntheticA.Length == 0) throw new MetricUndefinedException($"Columns '{nameA}' and '{nameB}' have no rows on one side.");
        if ((long)countA * countB > MaxCells) throw new MetricUndefinedException($"Columns '{nameA}' and '{nameB}' have too many value combinations to tabulate.");
        var real = Joint(realA, realB, countB, countA * countB);
        var synthetic = Joint(syntheticA, syntheticB, countB, countA * countB);
        double variation = 0;
        for (int k = 0; k < real.Length; k++) variation += Math.Abs(real[k] / (double)realA.Length - synthetic[k] / (double)syntheticA.Length);
        var (association, independence) = RealAssociation(real, countA, countB, realA.Length);
        return (1 - variation / 2, association, independence);
    }

    private static long[] Joint(int[] a, int[] b, int countB, int cells)
    {
        var counts = new long[cells];
        for (int i = 0; i < a.Length; i++) counts[a[i] * countB + b[i]]++;
        return counts;
    }

    /// <summary>
    /// Cramér's V of the real contingency table (rows and columns of values that occur; χ² without continuity
    /// correction, as scipy's <c>association(method="cramer")</c>), and 1 − TV between the real joint frequencies and
    /// the product of their marginals — what a synthesizer that keeps every column but no association would score.
    /// </summary>
    private static (double Association, double IndependenceScore) RealAssociation(long[] joint, int countA, int countB, int n)
    {
        var rows = new long[countA];
        var columns = new long[countB];
        for (int a = 0; a < countA; a++)
            for (int b = 0; b < countB; b++) { rows[a] += joint[a * countB + b]; columns[b] += joint[a * countB + b]; }
        int presentRows = rows.Count(r => r > 0), presentColumns = columns.Count(c => c > 0);
        double chi2 = 0, variation = 0;
        for (int a = 0; a < countA; a++)
        {
            if (rows[a] == 0) continue;
            for (int b = 0; b < countB; b++)
            {
                if (columns[b] == 0) continue;
                double expected = rows[a] * (double)columns[b] / n, observed = joint[a * countB + b];
                chi2 += (observed - expected) * (observed - expected) / expected;
                variation += Math.Abs(observed - expected) / n;
            }
        }
        double association = Math.Min(presentRows, presentColumns) < 2 ? double.NaN : Math.Sqrt(chi2 / n / (Math.Min(presentRows, presentColumns) - 1));
        return (association, 1 - variation / 2);
    }
}
