using MathNet.Numerics.Distributions;
using TabTwin.Synthesizers.GaussianCopula;
using TabTwin.Synthesizers.GaussianCopula.Marginals;
using TabTwin.Distributions;

namespace TabTwin.Tests.GaussianCopula;

public sealed class MarginalTests
{
    private static readonly MarginalFitSettings Settings = new GaussianCopulaOptions().ToFitSettings().Marginals;

    private static ColumnSample Sample(IEnumerable<double> values) => new(values.Order().ToArray());

    [Fact]
    public void Normal_fit_recovers_mean_and_sd()
    {
        var s = Sample(new Normal(10, 3, new Random(1)).Samples().Take(20_000));
        var d = NormalDistribution.Fit(s)!;
        Assert.InRange(d.Mean, 9.9, 10.1);
        Assert.InRange(d.StandardDeviation, 2.9, 3.1);
    }

    [Fact]
    public void Gamma_fit_recovers_shape_and_scale_by_maximum_likelihood()
    {
        var s = Sample(new Gamma(2.0, 1 / 3.0, new Random(2)).Samples().Take(20_000));   // MathNet: shape, rate
        var d = GammaDistribution.Fit(s)!;
        Assert.Equal(0, d.Shift);
        Assert.InRange(d.Shape, 1.93, 2.07);
        Assert.InRange(d.Scale, 2.9, 3.1);
    }

    [Fact]
    public void Log_normal_fit_recovers_log_parameters_and_shifts_non_positive_data()
    {
        var values = new LogNormal(1, 0.5, new Random(3)).Samples().Take(20_000).ToArray();
        var d = LogNormalDistribution.Fit(Sample(values))!;
        Assert.InRange(d.LogMean, 0.98, 1.02);
        Assert.InRange(d.LogStandardDeviation, 0.49, 0.51);
        var shifted = LogNormalDistribution.Fit(Sample(values.Select(v => v - 100)))!;
        Assert.True(shifted.Shift < values.Min() - 100, "the shift must lie below the minimum so logs stay finite");
    }

    [Fact]
    public void Beta_and_uniform_fits_live_on_the_observed_range()
    {
        var beta = BetaDistribution.Fit(Sample(new Beta(2, 5, new Random(4)).Samples().Take(20_000)))!;
        // Parameters refer to the observed range, slightly inside (0, 1); compare the distribution instead.
        var truth = new Beta(2, 5);
        foreach (var u in new[] { 0.1, 0.5, 0.9 }) Assert.InRange(beta.Quantile(u), truth.InverseCumulativeDistribution(u) - 0.01, truth.InverseCumulativeDistribution(u) + 0.01);
        Assert.Equal(0, beta.Cdf(beta.Lower));
        Assert.Equal(1, beta.Cdf(beta.Upper));
        Assert.InRange(beta.Quantile(beta.Cdf(0.3)), 0.3 - 1e-9, 0.3 + 1e-9);
        var uniform = UniformDistribution.Fit(Sample([2, 3, 7]))!;
        Assert.Equal((2.0, 7.0), (uniform.Lower, uniform.Upper));
    }

    [Fact]
    public void Truncated_normal_matches_the_moments_of_a_truncated_sample()
    {
        var values = new Normal(0, 1, new Random(5)).Samples().Where(v => v > -0.5 && v < 2).Take(20_000).ToArray();
        var d = TruncatedNormalDistribution.Fit(Sample(values))!;
        Assert.InRange(d.Location, -0.1, 0.1);
        Assert.InRange(d.Scale, 0.9, 1.1);
    }

    [Fact]
    public void Best_fit_picks_the_generating_family_and_records_its_ks()
    {
        var m = MarginalFitter.Fit(Sample(new Gamma(1.5, 0.2, new Random(6)).Samples().Take(20_000)), MarginalFamily.BestFit, Settings);
        Assert.Equal(MarginalFamily.Gamma, m.Family);
        Assert.InRange(m.KsStatistic, 0, 0.015);
        Assert.False(m.IsIntegerValued);
    }

    [Fact]
    public void Zero_inflated_data_get_an_empirical_marginal_whose_point_mass_at_zero_has_the_zero_share()
    {
        var r = new Random(7);
        var values = Enumerable.Range(0, 10_000).Select(_ => r.NextDouble() < 0.9 ? 0 : Math.Round(Math.Exp(8 + r.NextDouble() * 2))).ToArray();
        double zeroShare = values.Count(v => v == 0) / 10_000.0;
        var m = MarginalFitter.Fit(Sample(values), MarginalFamily.BestFit, Settings);
        Assert.Equal(MarginalFamily.Empirical, m.Family);
        Assert.True(m.IsIntegerValued);
        var (lo, hi) = m.Band(0);
        Assert.Equal(0, lo);
        Assert.InRange(hi, zeroShare - 1e-9, zeroShare + 1e-9);
        Assert.Equal(0, m.ValueAtNormalScore(NormalMath.InverseCdf(zeroShare * 0.99)));
        Assert.True(m.ValueAtNormalScore(NormalMath.InverseCdf(zeroShare + (1 - zeroShare) / 2)) > 2000);
    }

    [Fact]
    public void Empirical_quantile_and_cdf_are_inverse_on_the_continuous_part()
    {
        var s = Sample(new Normal(0, 1, new Random(8)).Samples().Take(5_000));
        var d = EmpiricalDistribution.Fit(s, minimumPointMassCount: 5, maximumKnots: 256);
        Assert.Equal(s.Min, d.Quantile(0));
        Assert.Equal(s.Max, d.Quantile(1));
        for (double u = 0.01; u < 1; u += 0.01) Assert.InRange(d.Cdf(d.Quantile(u)), u - 1e-9, u + 1e-9);
        Assert.True(d.Values.Length <= 256);
    }

    [Fact]
    public void Whole_numbers_own_the_band_from_k_minus_half_to_k_plus_half_and_sample_as_whole_numbers()
    {
        var s = Sample(new Normal(40, 12, new Random(9)).Samples().Take(5_000).Select(v => Math.Round(v)));
        var m = MarginalFitter.Fit(s, MarginalFamily.Normal, Settings);
        Assert.True(m.IsIntegerValued);
        Assert.Equal((m.Distribution.Cdf(29.5), m.Distribution.Cdf(30.5)), m.Band(30));
        for (double z = -3; z <= 3; z += 0.37) { double v = m.ValueAtNormalScore(z); Assert.Equal(Math.Round(v), v); }
    }

    [Fact]
    public void Ks_statistic_matches_a_hand_computation()
    {
        // ECDF of {0.5, 1.5, 2.5, 3.5} against Uniform(0, 4): at every point the gap is 1/8 on one side.
        var groups = DistinctGroups.Of([0.5, 1.5, 2.5, 3.5]);
        Assert.Equal(0.125, DistributionFitter.KsStatistic(groups, new UniformDistribution(0, 4), integerValued: false), 12);
        // {1, 1, 3} against Uniform(0, 4) read as whole numbers: at 1, ECDF 2/3 vs F(1.5) = 0.375 → 0.2917.
        Assert.Equal(2 / 3.0 - 0.375, DistributionFitter.KsStatistic(DistinctGroups.Of([1, 1, 3]), new UniformDistribution(0, 4), integerValued: true), 12);
    }

    [Fact]
    public void A_forced_family_is_used_and_an_impossible_one_falls_back_to_empirical()
    {
        var s = Sample(new Gamma(3, 1, new Random(10)).Samples().Take(2_000));
        Assert.Equal(MarginalFamily.Uniform, MarginalFitter.Fit(s, MarginalFamily.Uniform, Settings).Family);
        var constant = Sample(Enumerable.Repeat(4.0, 50));
        var m = MarginalFitter.Fit(constant, MarginalFamily.Beta, Settings);
        Assert.Equal(MarginalFamily.Empirical, m.Family);
        Assert.Equal(4, m.ValueAtNormalScore(1.3));
        Assert.Equal(0, m.KsStatistic);
    }

    [Fact]
    public void Categories_get_intervals_as_wide_as_their_share_and_map_back()
    {
        var m = CategoricalMarginal.FromCounts([3, 0, 5, 2], CategoricalMarginal.FrequencyOrder([3, 0, 5, 2]));
        Assert.Equal([2, 0, 3], m.Order);
        Assert.Equal((0.0, 0.5), m.Band(2));
        Assert.Equal((0.5, 0.8), m.Band(0));
        Assert.Equal((0.8, 1.0), m.Band(3));
        Assert.Equal(0, m.CodeAtNormalScore(NormalMath.InverseCdf(0.65)));
        Assert.Equal(3, m.CodeAtNormalScore(8.5));
        Assert.Equal(2, m.CodeAtNormalScore(-8.5));
        for (double z = -4; z <= 4; z += 0.01) Assert.NotEqual(1, m.CodeAtNormalScore(z));   // an unseen category is never drawn
    }
}

public sealed class ExtremeValueMarginalTests
{
    [Fact]
    public void Values_near_the_double_limit_still_get_a_usable_marginal()
    {
        var values = Enumerable.Range(0, 500).Select(i => (i % 2 == 0 ? -1 : 1) * 1e307 * (1 + i / 1000.0)).Order().ToArray();
        var m = MarginalFitter.Fit(new ColumnSample(values), MarginalFamily.BestFit, new GaussianCopulaOptions().ToFitSettings().Marginals);
        Assert.True(double.IsFinite(m.KsStatistic));
        // Unbounded families may step past the observed range (the encoding clips on decode), but never to ±∞ or NaN.
        for (double z = -3; z <= 3; z += 0.5) Assert.True(double.IsFinite(m.ValueAtNormalScore(z)), $"z = {z}: {m.ValueAtNormalScore(z)} ({m.Family})");
    }
}
