using TabTwin.Distributions;

namespace TabTwin.Synthesizers.GaussianCopula.Marginals;

/// <summary>
/// Fits every candidate family to a column and keeps the one closest to the data in Kolmogorov–Smirnov
/// distance. The empirical distribution almost always wins on raw KS (it is built from the data), so a
/// parametric family is preferred whenever it is within <see cref="MarginalFitSettings.ParametricTolerance"/>
/// of the empirical one: it is smoother and carries no order statistics of the real data.
/// </summary>
internal static class MarginalFitter
{
    private static readonly MarginalFamily[] ParametricFamilies =
    [
        MarginalFamily.Normal, MarginalFamily.TruncatedNormal, MarginalFamily.LogNormal,
        MarginalFamily.Gamma, MarginalFamily.Beta, MarginalFamily.Uniform,
    ];

    public static ContinuousMarginal Fit(ColumnSample sample, MarginalFamily requested, MarginalFitSettings settings)
    {
        var groups = DistinctGroups.Of(sample.Sorted);
        ContinuousMarginal Score(IDistribution d) => new(d, sample.IsIntegerValued, DistributionFitter.KsStatistic(groups, d, sample.IsIntegerValued));
        ContinuousMarginal Empirical() => Score(EmpiricalDistribution.Fit(sample, settings.MinimumPointMassCount(sample.Count), settings.MaximumKnots(sample.Count)));

        if (sample.IsConstant || requested == MarginalFamily.Empirical) return Empirical();
        if (requested != MarginalFamily.BestFit)
            return DistributionFitter.FitFamily(requested, sample) is { } forced ? Score(forced) : Empirical();

        ContinuousMarginal? bestParametric = null;
        foreach (var family in ParametricFamilies)
        {
            if (DistributionFitter.FitFamily(family, sample) is not { } d) continue;
            var candidate = Score(d);
            if (!double.IsFinite(candidate.KsStatistic)) continue;          // overflow on extreme data: not a usable fit
            if (bestParametric is null || candidate.KsStatistic < bestParametric.KsStatistic) bestParametric = candidate;
        }
        var empirical = Empirical();
        return bestParametric is not null && bestParametric.KsStatistic <= empirical.KsStatistic + settings.ParametricTolerance
            ? bestParametric
            : empirical;
    }
}

/// <summary>Settings of the marginal search (resolved from the options; see <see cref="GaussianCopulaOptions"/>).</summary>
internal sealed record MarginalFitSettings(double ParametricTolerance, double PointMassFraction, int MaximumKnotCount)
{
    public int MinimumPointMassCount(int n) => Math.Max(5, (int)Math.Ceiling(PointMassFraction * n));
    public int MaximumKnots(int n) => Math.Clamp(n / 16, 32, MaximumKnotCount);
}
