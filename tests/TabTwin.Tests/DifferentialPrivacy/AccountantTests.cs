using TabTwin.DifferentialPrivacy;
using TabTwin.Distributions;
using TabTwin.Randomness;

namespace TabTwin.Tests.DifferentialPrivacy;

public sealed class AccountantTests
{
    /// <summary>
    /// The exact (ε, δ) profile of one Gaussian mechanism (Balle and Wang 2018, Thm. 8):
    /// δ(ε) = Φ(Δ/2σ − εσ/Δ) − e^ε·Φ(−Δ/2σ − εσ/Δ). No conversion from ρ may claim a smaller ε than this.
    /// </summary>
    private static double AnalyticGaussianEpsilon(double sigma, double delta)
    {
        double DeltaAt(double e) => NormalMath.Cdf(0.5 / sigma - e * sigma) - Math.Exp(e) * NormalMath.Cdf(-0.5 / sigma - e * sigma);
        double lo = 0, hi = 100;
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (DeltaAt(mid) > delta) lo = mid; else hi = mid;
        }
        return hi;
    }

    [Theory]
    [InlineData(0.005, 1e-9)]
    [InlineData(0.05, 1e-9)]
    [InlineData(0.5, 1e-5)]
    [InlineData(2.0, 1e-6)]
    public void Tight_conversion_lies_between_the_exact_gaussian_profile_and_the_classic_bound(double rho, double delta)
    {
        double tight = PrivacyConversion.Epsilon(rho, delta);
        double classic = rho + 2 * Math.Sqrt(rho * Math.Log(1 / delta));      // Bun and Steinke 2016, Prop. 1.3
        double exact = AnalyticGaussianEpsilon(GaussianMechanism.Sigma(rho), delta);
        Assert.True(tight >= exact * (1 - 1e-9), $"ρ={rho}: tight ε {tight} is below the exact Gaussian ε {exact}: unsound");
        Assert.True(tight < classic * 0.97, $"ρ={rho}: tight ε {tight} is not clearly below the classic bound {classic}");
        // The CKS conversion is within a few per cent of exact for a single Gaussian.
        Assert.True(tight < exact * 1.25, $"ρ={rho}: tight ε {tight} is far above the exact Gaussian ε {exact}");
    }

    [Theory]
    [InlineData(0.1, 1e-9)]
    [InlineData(1.0, 1e-9)]
    [InlineData(4.0, 1e-6)]
    public void Rho_epsilon_and_delta_invert_each_other(double epsilon, double delta)
    {
        double rho = PrivacyConversion.Rho(epsilon, delta);
        Assert.Equal(epsilon, PrivacyConversion.Epsilon(rho, delta), 6);
        Assert.Equal(Math.Log(delta), Math.Log(PrivacyConversion.Delta(rho, epsilon)), 4);
        // More ρ is less private.
        Assert.True(PrivacyConversion.Delta(rho * 1.1, epsilon) > delta);
    }

    [Fact]
    public void Integer_order_curves_agree_with_the_continuous_line_they_sample()
    {
        const double rho = 0.05, delta = 1e-9;
        var line = new RenyiCurve([.. RenyiCurve.IntegerOrders.Select(a => rho * a)]);
        double continuous = PrivacyConversion.Epsilon(rho, delta);
        double sampled = PrivacyConversion.Epsilon(line.At, delta, continuous: false);
        Assert.True(sampled >= continuous * (1 - 1e-9), $"{sampled} < {continuous}");
        Assert.True(sampled <= continuous * 1.05, $"{sampled} vs {continuous}");
    }

    [Fact]
    public void Accountant_composes_charges_and_refuses_the_one_that_breaks_the_budget()
    {
        var accountant = new PrivacyAccountant(1, 1e-9);
        double total = accountant.TotalRho;
        accountant.Charge(new PrivacyCharge("one-way marginals", "Gaussian mechanism", total / 2));
        Assert.Equal(total / 2, accountant.RemainingRho, 6);
        Assert.True(accountant.SpentEpsilon is > 0.5 and < 1, $"{accountant.SpentEpsilon}");
        accountant.Charge(new PrivacyCharge("pairs", "Gaussian mechanism", total / 2));
        Assert.Equal(1, accountant.SpentEpsilon, 6);
        var ex = Assert.Throws<TabTwinException>(() => accountant.Charge(new PrivacyCharge("one more", "Gaussian mechanism", total / 1000)));
        Assert.Equal("dp.budget-exceeded", ex.Code);
        Assert.Contains("one more", ex.Message);
        Assert.Equal(2, accountant.Ledger.Count);
    }

    [Fact]
    public void Delta_paid_outright_leaves_less_rho()
    {
        var plain = new PrivacyAccountant(1, 1e-6);
        var paying = new PrivacyAccountant(1, 1e-6);
        paying.Charge(new PrivacyCharge("category lists", "thresholded Gaussian", 0, Delta: 5e-7));
        Assert.True(paying.RemainingRho < plain.RemainingRho * 0.99);
        Assert.Equal(PrivacyConversion.Rho(1, 5e-7), paying.RemainingRho, 6);
        Assert.False(paying.Fits(0, 5e-7));   // no δ left for the conversion
    }

    [Theory]
    [InlineData(0, 1e-9, "dp.bad-epsilon")]
    [InlineData(-1, 1e-9, "dp.bad-epsilon")]
    [InlineData(double.NaN, 1e-9, "dp.bad-epsilon")]
    [InlineData(1, 0, "dp.bad-delta")]
    [InlineData(1, 1, "dp.bad-delta")]
    public void Bad_budgets_are_refused_with_their_code(double epsilon, double delta, string code) =>
        Assert.Equal(code, Assert.Throws<TabTwinException>(() => new PrivacyAccountant(epsilon, delta)).Code);

    [Fact]
    public void Gaussian_noise_has_the_scale_its_rho_promises()
    {
        double sigma = GaussianMechanism.Sigma(0.02, sensitivity: 2);
        Assert.Equal(2 / Math.Sqrt(0.04), sigma, 12);
        Assert.Equal(0.02, GaussianMechanism.Rho(sigma, 2), 12);
        var values = new double[200_000];
        GaussianMechanism.AddNoise(values, sigma, new SeededRandom(5));
        double sd = Math.Sqrt(values.Sum(v => v * v) / values.Length);
        Assert.InRange(sd / sigma, 0.99, 1.01);
    }

    [Fact]
    public void Exponential_mechanism_selects_in_proportion_to_exp_of_half_epsilon_score()
    {
        double[] scores = [0, 1, 2];
        const double epsilon = 1.0;
        var counts = new int[3];
        var random = new SeededRandom(11);
        for (int i = 0; i < 60_000; i++) counts[ExponentialMechanism.Select(scores, epsilon, 1, random)]++;
        var weights = scores.Select(s => Math.Exp(epsilon * s / 2)).ToArray();
        for (int k = 0; k < 3; k++)
            Assert.InRange(counts[k] / 60_000.0, weights[k] / weights.Sum() - 0.01, weights[k] / weights.Sum() + 0.01);
        Assert.Equal(0.125, ExponentialMechanism.RhoFor(1), 12);
    }
}
