namespace TabTwin.Synthesizers.GaussianCopula.Marginals;

/// <summary>
/// Fits every candidate family to a column and keeps the one closest to the data in Kolmogorov–Smirnov
/// distance. The empirical distribution almost always wins on raw KS (it is built from the data), so a
/// parametric family is preferred whenever it is within <see cref="MarginalFitSettings.ParametricTolerance"/>
/// of the empirical one: it is smoother and carries no order statistics of the real data.
/// </summary>
internal static class MarginalFitter
{
    /// <summary>KS is evaluated at no more than this many distinct values (evenly spaced in rank, plus every point mass).</summary>
    internal const int MaximumKsEvaluationPoints = 4000;

    private static readonly MarginalFamily[] ParametricFamilies =
    [
        MarginalFamily.Normal, MarginalFamily.TruncatedNormal, MarginalFamily.LogNormal,
        MarginalFamily.Gamma, MarginalFamily.Beta, MarginalFamily.Uniform,
    ];

    public static ContinuousMarginal Fit(ColumnSample sample, MarginalFamily requested, MarginalFitSettings settings)
    {
        var groups = DistinctGroups.Of(sample.Sorted);
        ContinuousMarginal Score(IDistribution d) => new(d, sample.IsIntegerValued, KsStatistic(groups, d, sample.IsIntegerValued));
        ContinuousMarginal Empirical() => Score(EmpiricalDistribution.Fit(sample, settings.MinimumPointMassCount(sample.Count), settings.MaximumKnots(sample.Count)));

        if (sample.IsConstant || requested == MarginalFamily.Empirical) return Empirical();
        if (requested != MarginalFamily.BestFit)
            return FitFamily(requested, sample) is { } forced ? Score(forced) : Empirical();

        ContinuousMarginal? bestParametric = null;
        foreach (var family in ParametricFamilies)
        {
            if (FitFamily(family, sample) is not { } d) continue;
            var candidate = Score(d);
            if (!double.IsFinite(candidate.KsStatistic)) continue;          // overflow on extreme data: not a usable fit
            if (bestParametric is null || candidate.KsStatistic < bestParametric.KsStatistic) bestParametric = candidate;
        }
        var empirical = Empirical();
        return bestParametric is not null && bestParametric.KsStatistic <= empirical.KsStatistic + settings.ParametricTolerance
            ? bestParametric
            : empirical;
    }

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

/// <summary>Settings of the marginal search (resolved from the options; see <see cref="GaussianCopulaOptions"/>).</summary>
internal sealed record MarginalFitSettings(double ParametricTolerance, double PointMassFraction, int MaximumKnotCount)
{
    public int MinimumPointMassCount(int n) => Math.Max(5, (int)Math.Ceiling(PointMassFraction * n));
    public int MaximumKnots(int n) => Math.Clamp(n / 16, 32, MaximumKnotCount);
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
        int stride = Math.Max(1, (values.Count + MarginalFitter.MaximumKsEvaluationPoints - 1) / MarginalFitter.MaximumKsEvaluationPoints);
        double heavy = sorted.Length / (double)MarginalFitter.MaximumKsEvaluationPoints;
        var evaluation = new List<int>();
        for (int i = 0; i < values.Count; i++)
            if (i % stride == 0 || i == values.Count - 1 || counts[i] >= heavy) evaluation.Add(i);
        return new DistinctGroups(values.ToArray(), counts.ToArray(), cumulative, evaluation.ToArray(), sorted.Length);
    }
}
