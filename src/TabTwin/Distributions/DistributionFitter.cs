namespace TabTwin.Distributions;

/// <summary>
/// Fits one parametric family to a sample and measures a fit by its Kolmogorov–Smirnov distance; shared by the
/// Gaussian copula's marginal search and by spec description, so both judge a fit the same way.
/// </summary>
internal static class DistributionFitter
{
    /// <summary>KS is evaluated at no more than this many distinct values (evenly spaced in rank, plus every point mass).</summary>
    internal const int MaximumKsEvaluationPoints = 4000;

    public static IDistribution? FitFamily(MarginalFamily family, ColumnSample s) => family switch
    {
        MarginalFamily.Normal => NormalDistribution.Fit(s),
        MarginalFamily.TruncatedNormal => TruncatedNormalDistribution.Fit(s),
        MarginalFamily.LogNormal => LogNormalDistribution.Fit(s),
        MarginalFamily.Gamma => GammaDistribution.Fit(s),
        MarginalFamily.Beta => BetaDistribution.Fit(s),
        MarginalFamily.Uniform => UniformDistribution.Fit(s),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Not a concrete parametric family."),
    };

    /// <summary>
    /// sup |ECDF − F| over the data, where F is the marginal as sampled: for whole-number columns the CDF of the
    /// rounded variable (F(k + ½) at k, F(k − ½) just below), otherwise F itself with its left limits.
    /// </summary>
    internal static double KsStatistic(DistinctGroups groups, IDistribution d, bool integerValued)
    {
        double n = groups.Total, worst = 0;
        foreach (int k in groups.EvaluationIndices)
        {
            double x = groups.Values[k];
            double below = groups.CumulativeCounts[k] - groups.Counts[k];
            double upTo = groups.CumulativeCounts[k];
            double fUpTo = integerValued ? d.Cdf(x + 0.5) : d.Cdf(x);
            double fBelow = integerValued ? d.Cdf(x - 0.5) : d.CdfLeft(x);
            worst = Math.Max(worst, Math.Max(Math.Abs(upTo / n - fUpTo), Math.Abs(below / n - fBelow)));
        }
        return worst;
    }
}

/// <summary>Distinct values of a sorted sample with counts, and the ranks at which KS is evaluated.</summary>
internal sealed class DistinctGroups
{
    private DistinctGroups(double[] values, int[] counts, long[] cumulative, int[] evaluation, int total)
    {
        Values = values; Counts = counts; CumulativeCounts = cumulative; EvaluationIndices = evaluation; Total = total;
    }

    public double[] Values { get; }
    public int[] Counts { get; }
    public long[] CumulativeCounts { get; }
    public int[] EvaluationIndices { get; }
    public int Total { get; }

    public static DistinctGroups Of(double[] sorted)
    {
        var values = new List<double>();
        var counts = new List<int>();
        for (int i = 0; i < sorted.Length;)
        {
            int j = i;
            while (j < sorted.Length && sorted[j] == sorted[i]) j++;
            values.Add(sorted[i]); counts.Add(j - i);
            i = j;
        }
        var cumulative = new long[values.Count];
        long running = 0;
        for (int i = 0; i < cumulative.Length; i++) { running += counts[i]; cumulative[i] = running; }

        // A deterministic subsample: every stride-th distinct value, the last one, and every value heavy
        // enough to move the ECDF by more than the stride could hide.
        int stride = Math.Max(1, (values.Count + DistributionFitter.MaximumKsEvaluationPoints - 1) / DistributionFitter.MaximumKsEvaluationPoints);
        double heavy = sorted.Length / (double)DistributionFitter.MaximumKsEvaluationPoints;
        var evaluation = new List<int>();
        for (int i = 0; i < values.Count; i++)
            if (i % stride == 0 || i == values.Count - 1 || counts[i] >= heavy) evaluation.Add(i);
        return new DistinctGroups(values.ToArray(), counts.ToArray(), cumulative, evaluation.ToArray(), sorted.Length);
    }
}
