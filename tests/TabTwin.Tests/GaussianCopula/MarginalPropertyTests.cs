using CsCheck;
using TabTwin.Synthesizers.GaussianCopula.Marginals;
using TabTwin.Distributions;

namespace TabTwin.Tests.GaussianCopula;

/// <summary>Properties that must hold for any counts or sample, checked on generated inputs.</summary>
public sealed class MarginalPropertyTests
{
    [Fact]
    public void Every_seen_category_maps_back_from_any_point_inside_its_band()
    {
        Gen.Int[0, 40].Array[1, 12].Where(c => c.Sum() > 0).Sample(counts =>
        {
            var m = CategoricalMarginal.FromCounts(counts, CategoricalMarginal.FrequencyOrder(counts));
            double total = counts.Sum();
            for (int code = 0; code < counts.Length; code++)
            {
                var (lo, hi) = m.Band(code);
                if (counts[code] == 0) continue;
                Assert.Equal(counts[code] / total, hi - lo, 9);
                Assert.Equal(code, m.CodeAtNormalScore(NormalMath.InverseCdf(lo + 0.5 * (hi - lo))));
            }
        });
    }

    [Fact]
    public void Empirical_marginal_is_monotone_and_its_quantiles_stay_in_the_observed_range()
    {
        Gen.Double[-1000, 1000].Select(v => Math.Round(v, 1)).Array[1, 300].Sample(values =>
        {
            Array.Sort(values);
            var d = EmpiricalDistribution.Fit(new ColumnSample(values), minimumPointMassCount: 3, maximumKnots: 32);
            AssertQuantilesOrderedWithin(d, values);
            foreach (var v in values)
            {
                Assert.True(d.CdfLeft(v) <= d.Cdf(v));
                Assert.InRange(d.Cdf(v), 0, 1);
            }
        });
    }

    [Fact]
    public void Empirical_marginal_stays_ordered_and_finite_for_values_near_the_double_limit()
    {
        // Prefix sums of such values overflowed (inf − inf = NaN): the knots lost their order and Cdf indexed past
        // the end (found by HugeMagnitudeTests through gaussian-copula).
        Gen.Double[-1.7e308, 1.7e308].Array[2, 200].Sample(values =>
        {
            Array.Sort(values);
            var d = EmpiricalDistribution.Fit(new ColumnSample(values), minimumPointMassCount: 3, maximumKnots: 32);
            Assert.All(d.Values, v => Assert.True(double.IsFinite(v)));
            AssertQuantilesOrderedWithin(d, values);
            foreach (var v in values) Assert.InRange(d.Cdf(v), 0, 1);
        }, seed: "0TSTdv4kxxs1");
    }

    /// <summary>Quantiles at every percent rise and stay within the sorted sample's range.</summary>
    private static void AssertQuantilesOrderedWithin(EmpiricalDistribution d, double[] sorted)
    {
        double previous = double.NegativeInfinity;
        for (int i = 0; i <= 100; i++)
        {
            double x = d.Quantile(i / 100.0);
            Assert.InRange(x, sorted[0], sorted[^1]);
            Assert.True(x >= previous);
            previous = x;
        }
    }
}
