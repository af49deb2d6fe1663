using MathNet.Numerics.Distributions;
using TabTwin.Tables;
using static TabTwin.Tests.Generation.GenerationTestKit;

namespace TabTwin.Tests.Generation;

/// <summary>
/// Every distribution on 200,000 rows. Tolerances: means within 4 standard errors (σ/√n), variances within 2%,
/// continuous marginals within KS distance 0.006 (the 99.9% critical value for n = 200k is ≈0.0044, so a wrong
/// parameter or formula fails while sampling noise passes).
/// </summary>
public class DistributionTests
{
    private const int N = 200_000;

    private static void AssertMoments(double[] x, double mean, double variance)
    {
        var (m, v) = Moments(x);
        Assert.InRange(m, mean - 4 * Math.Sqrt(variance / x.Length), mean + 4 * Math.Sqrt(variance / x.Length));
        Assert.InRange(v, variance * 0.98, variance * 1.02);
    }

    [Fact]
    public void Continuous_distributions_match_their_moments_and_cdf()
    {
        var t = Generate("""
            n: normal(10, 3)
            ln: lognormal(mu=1, sigma=0.5)
            un: uniform(-2, 6)
            ex: exponential(rate=0.25)
            ga: gamma(shape=2.5, scale=3)
            be: { type: beta, alpha: 2, beta: 5, low: 10, high: 20 }
            """, N);
        AssertMoments(Numbers(t, "n"), 10, 9);
        Assert.True(KsDistance(Numbers(t, "n"), x => Normal.CDF(10, 3, x)) < 0.006);
        double lnVar = (Math.Exp(0.25) - 1) * Math.Exp(2 + 0.25);
        AssertMoments(Numbers(t, "ln"), Math.Exp(1.125), lnVar);
        Assert.True(KsDistance(Numbers(t, "ln"), x => LogNormal.CDF(1, 0.5, x)) < 0.006);
        AssertMoments(Numbers(t, "un"), 2, 64 / 12.0);
        Assert.True(KsDistance(Numbers(t, "ex"), x => Exponential.CDF(0.25, x)) < 0.006);
        AssertMoments(Numbers(t, "ex"), 4, 16);
        AssertMoments(Numbers(t, "ga"), 7.5, 22.5);
        Assert.True(KsDistance(Numbers(t, "ga"), x => Gamma.CDF(2.5, 1 / 3.0, x)) < 0.006);
        Assert.True(KsDistance(Numbers(t, "be"), x => Beta.CDF(2, 5, (x - 10) / 10)) < 0.006);
    }

    [Fact]
    public void Truncated_normal_stays_inside_its_bounds_with_the_truncated_mean()
    {
        var t = Generate("tn: { type: truncated_normal, mean: 0, sd: 1, min: -1, max: 2 }\nlo: { type: normal, mean: 100, sd: 30, min: 90 }", N);
        var x = Numbers(t, "tn");
        Assert.All(x, v => Assert.InRange(v, -1, 2));
        // E[X | -1 < X < 2] = (φ(-1) - φ(2)) / (Φ(2) - Φ(-1))
        double expected = (Normal.PDF(0, 1, -1) - Normal.PDF(0, 1, 2)) / (Normal.CDF(0, 1, 2) - Normal.CDF(0, 1, -1));
        Assert.Equal(expected, x.Average(), 2);
        Assert.True(Numbers(t, "lo").Min() >= 90);
    }

    [Fact]
    public void Discrete_distributions_match_their_moments()
    {
        var t = Generate("""
            po: poisson(3.5)
            big: poisson(400)
            bi: binomial(n=20, p=0.3)
            zi: zipf(s=1.5, n=100)
            """, N);
        AssertMoments(Numbers(t, "po"), 3.5, 3.5);
        AssertMoments(Numbers(t, "big"), 400, 400);
        AssertMoments(Numbers(t, "bi"), 6, 4.2);
        Assert.True(t.Get<NumericColumn>("po").IsInteger);
        var zipf = Numbers(t, "zi");
        double h = Enumerable.Range(1, 100).Sum(k => Math.Pow(k, -1.5));
        Assert.Equal(1 / h, zipf.Count(v => v == 1) / (double)N, 2);
        Assert.Equal(Math.Pow(2, -1.5) / h, zipf.Count(v => v == 2) / (double)N, 2);
        Assert.InRange(zipf.Min(), 1, 1);
        Assert.True(zipf.Max() <= 100);
    }

    [Fact]
    public void Histogram_and_empirical_follow_their_data()
    {
        var t = Generate("""
            h: { type: histogram, bins: [0, 10, 20, 50], weights: [1, 2, 1] }
            e: { type: empirical, values: [1, 2, 2, 3, 10] }
            """, N);
        var h = Numbers(t, "h");
        Assert.Equal(0.25, h.Count(v => v < 10) / (double)N, 2);
        Assert.Equal(0.5, h.Count(v => v is >= 10 and < 20) / (double)N, 2);
        Assert.Equal(0.25, h.Count(v => v >= 20) / (double)N, 2);
        var e = Numbers(t, "e");
        Assert.InRange(e.Min(), 1, 1.01);
        Assert.InRange(e.Max(), 9.9, 10);
        Assert.Equal(2, e.OrderBy(v => v).ElementAt(N / 2), 1);
    }

    [Fact]
    public void Categorical_weights_boolean_p_and_missing_rates_hold()
    {
        var t = Generate("""
            c: { type: categorical, values: { a: 0.6, b: 0.3, c: 0.1 } }
            w: { type: categorical, values: [x, y], weights: [1, 3], missing: 0.2 }
            f: { type: boolean, p: 0.15, missing: 0.05 }
            n: { type: normal, mean: 0, sd: 1, missing: 0.33 }
            """, N);
        var c = t.Get<CategoricalColumn>("c");
        var counts = c.CountPerCategory();
        Assert.Equal(["a", "b", "c"], c.Categories);
        // Binomial standard error of a share at n = 200k is ≤ 0.0011; allow 0.005.
        Assert.Equal(0.6, counts[0] / (double)N, 0.005);
        Assert.Equal(0.3, counts[1] / (double)N, 0.005);
        Assert.Equal(0.1, counts[2] / (double)N, 0.005);
        var w = t.Get<CategoricalColumn>("w");
        Assert.Equal(0.2, w.MissingCount / (double)N, 0.005);
        Assert.Equal(0.75, w.CountPerCategory()[1] / (double)(N - w.MissingCount), 0.005);
        var f = t.Get<BooleanColumn>("f");
        Assert.Equal(0.05, f.MissingCount / (double)N, 0.005);
        int trues = 0;
        for (int i = 0; i < N; i++) if (!f.Missing[i] && f[i]) trues++;
        Assert.Equal(0.15, trues / (double)(N - f.MissingCount), 0.005);
        Assert.Equal(0.33, t["n"].MissingCount / (double)N, 0.005);
    }

    [Fact]
    public void Rounding_gives_the_asked_decimals()
    {
        var t = Generate("a: { type: normal, mean: 50, sd: 10, round: 0 }\nb: { type: uniform, min: 0, max: 1, round: 2 }", 10_000);
        var a = t.Get<NumericColumn>("a");
        Assert.True(a.IsInteger);
        Assert.All(Numbers(t, "a"), v => Assert.Equal(Math.Round(v), v));
        Assert.All(Numbers(t, "b"), v => Assert.Equal(Math.Round(v, 2), v));
        var csv = Csv(t);
        Assert.DoesNotMatch(@"\n\d+\.\d+,", csv); // a is written as integers
        Assert.Matches(@",0\.\d{1,2}\n", csv);
    }
}
