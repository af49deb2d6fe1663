using TabTwin.DifferentialPrivacy;
using TabTwin.Synthesizers.Private;

namespace TabTwin.Tests.DifferentialPrivacy;

public sealed class SubsampledGaussianTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(1.1)]
    [InlineData(4.0)]
    public void Without_subsampling_it_is_the_plain_gaussian(double sigma)
    {
        foreach (int a in new[] { 2, 3, 10, 64, 1024 })
            Assert.Equal(a / (2 * sigma * sigma), SubsampledGaussian.Renyi(1, sigma, a), 12);
    }

    [Fact]
    public void Subsampling_at_a_small_rate_costs_far_less_and_more_steps_cost_more()
    {
        const double sigma = 1.1, q = 0.01;
        foreach (int a in new[] { 2, 4, 8 })
        {
            double sampled = SubsampledGaussian.Renyi(q, sigma, a), plain = a / (2 * sigma * sigma);
            // For small q and moderate α the curve is of order q²·α/σ²: orders of magnitude below the plain one (at large
            // α it rises steeply towards it, which is why the conversion picks a moderate order).
            Assert.True(sampled > 0 && sampled < plain * 1e-3, $"α={a}: {sampled} against plain {plain}");
        }
        // Monotone in α, in q, and falling in σ; composition multiplies.
        Assert.True(SubsampledGaussian.Renyi(q, sigma, 20) > SubsampledGaussian.Renyi(q, sigma, 10));
        Assert.True(SubsampledGaussian.Renyi(2 * q, sigma, 10) > SubsampledGaussian.Renyi(q, sigma, 10));
        Assert.True(SubsampledGaussian.Renyi(q, 2 * sigma, 10) < SubsampledGaussian.Renyi(q, sigma, 10));
        Assert.Equal(100 * SubsampledGaussian.Renyi(q, sigma, 10), SubsampledGaussian.Curve(q, sigma, 100).At(10), 12);
    }

    [Fact]
    public void Huge_noise_and_tiny_noise_stay_finite_and_ordered()
    {
        double tiny = SubsampledGaussian.Renyi(0.01, 1000, 1024);
        Assert.True(tiny > 0 && tiny < 1024 / (2.0 * 1000 * 1000), $"{tiny}");
        // For large σ and tiny q only the k = 2 term counts: C(α,2)·q²·(e^{1/σ²} − 1)/(α − 1) ≈ α q²/(2σ²) = 5e-14 here,
        // which summing A_α itself (1 + 5e-13) would round away.
        Assert.InRange(SubsampledGaussian.Renyi(1e-4, 1000, 10) / (10 * 1e-8 / (2 * 1e6)), 0.9995, 1.002);
        double large = SubsampledGaussian.Renyi(0.01, 0.3, 1024);
        Assert.True(double.IsFinite(large) && large <= 1024 / (2 * 0.09));
    }

    /// <summary>ε at δ from an RDP curve given at <paramref name="orders"/> with the classic conversion ε = R(α) + log(1/δ)/(α−1) (Mironov 2017).</summary>
    private static double ClassicEpsilon(Func<int, double> rdp, IEnumerable<int> orders, double delta) =>
        orders.Min(a => rdp(a) + Math.Log(1 / delta) / (a - 1));

    /// <summary>
    /// TF Privacy's MNIST DP-SGD tutorial (tutorials/README.md: 60,000 rows, batch 256, δ = 1e-5) publishes these ε, computed
    /// by its RDP accountant (this curve at orders 1.25…63, 128, 256, 512) with the classic conversion. Integer orders
    /// only may add a little; within 1 %.
    /// </summary>
    [Theory]
    [InlineData(1.12, 60, 2.92)]
    [InlineData(0.6, 30, 9.74)]
    [InlineData(1.2, 10, 1.20)]
    public void Matches_tf_privacy_published_mnist_epsilons(double sigma, int epochs, double published)
    {
        const double q = 256 / 60000.0;
        int steps = epochs * 60000 / 256;
        int[] orders = [.. Enumerable.Range(2, 62), 128, 256, 512];
        double epsilon = ClassicEpsilon(a => steps * SubsampledGaussian.Renyi(q, sigma, a), orders, 1e-5);
        Assert.InRange(epsilon, published * 0.99, published * 1.01);
    }

    /// <summary>
    /// Opacus' documented example (opacus/accountants/analysis/rdp.py): (q, σ, steps) = (1e-5, 1.0, 10) then (1e-4, 3.0, 4),
    /// orders 2..32, δ = 1e-5 → ε = 0.336 at order 23, with the conversion of Balle et al. 2020 — the same as the CKS
    /// conversion the accountant uses.
    /// </summary>
    [Fact]
    public void Matches_opacus_documented_example_through_the_accountants_conversion()
    {
        double Rdp(int a) => 10 * SubsampledGaussian.Renyi(1e-5, 1.0, a) + 4 * SubsampledGaussian.Renyi(1e-4, 3.0, a);
        var best = Enumerable.Range(2, 31).Select(a => (Epsilon: PrivacyConversion.EpsilonAt(Rdp(a), a, 1e-5), Order: a)).MinBy(x => x.Epsilon);
        Assert.InRange(best.Epsilon, 0.336 * 0.99, 0.336 * 1.01);
        Assert.Equal(23, best.Order);
    }

    [Fact]
    public void Calibration_spends_exactly_the_budget_left()
    {
        var accountant = new PrivacyAccountant(1, 1e-6);
        accountant.Charge(new PrivacyCharge("1-way marginals", "Gaussian", accountant.TotalRho * 0.2));
        double sigma = DpSgdCalibration.NoiseMultiplier(accountant, 0.01, 2000);
        Assert.True(accountant.Fits(0, 0, SubsampledGaussian.Curve(0.01, sigma, 2000)));
        Assert.False(accountant.Fits(0, 0, SubsampledGaussian.Curve(0.01, sigma * 0.99, 2000)));
        // A larger budget buys less noise.
        Assert.True(DpSgdCalibration.NoiseMultiplier(new PrivacyAccountant(4, 1e-6), 0.01, 2000) < sigma);
    }

    [Fact]
    public void A_budget_too_small_even_for_huge_noise_names_the_smallest_workable_epsilon()
    {
        var accountant = new PrivacyAccountant(1e-4, 1e-6);
        var e = Assert.Throws<TabTwinException>(() => DpSgdCalibration.NoiseMultiplier(accountant, 0.05, 200));
        Assert.Equal("dp.budget-too-small", e.Code);
        Assert.Contains("at least ε ≈", e.Message);
    }
}
