using TabTwin.DifferentialPrivacy;
using TabTwin.Randomness;

namespace TabTwin.Tests.DifferentialPrivacy;

public sealed class DiscreteGaussianTests
{
    /// <summary>The exact probabilities of N_Z(0, σ²) over [−K, K], K far enough out that the rest is below 10⁻³⁰.</summary>
    private static Dictionary<long, double> Pmf(double sigma)
    {
        long reach = (long)Math.Ceiling(12 * sigma) + 2;
        var weights = new Dictionary<long, double>();
        for (long x = -reach; x <= reach; x++) weights[x] = Math.Exp(-(double)x * x / (2 * sigma * sigma));
        double total = weights.Values.Sum();
        return weights.ToDictionary(w => w.Key, w => w.Value / total);
    }

    private static long[] Draw(double sigma, int n, ulong seed)
    {
        var sampler = new DiscreteGaussian(sigma);
        var random = new SeededRandom(seed);
        return [.. Enumerable.Range(0, n).Select(_ => sampler.Next(random))];
    }

    [Theory]
    [InlineData(0.5)]              // σ² = 1/4: the discrete variance (0.215) is well below σ², rounding N(0, σ²) would not match
    [InlineData(1.0)]
    [InlineData(1.5811388300841898)]   // σ² = 2.5, not an integer
    [InlineData(3.7)]
    [InlineData(60.0)]
    [InlineData(2500.0)]           // large σ: the Laplace proposal's scale is 2501
    [InlineData(1e8)]              // beyond 128-bit integers: the acceptance test runs in BigInteger
    public void Moments_match_the_discrete_gaussian(double sigma)
    {
        const int n = 40_000;
        var samples = Draw(sigma, n, 17);
        // Exact sums over the integers where they are cheap; beyond, the continuous moments (they differ by ~e^(−2π²σ²)).
        var pmf = sigma <= 5000 ? Pmf(sigma) : null;
        double variance = pmf?.Sum(p => p.Value * p.Key * p.Key) ?? sigma * sigma;
        double fourth = pmf?.Sum(p => p.Value * Math.Pow(p.Key, 4)) ?? 3 * Math.Pow(sigma, 4);
        double mean = samples.Average(x => (double)x);
        double secondMoment = samples.Average(x => (double)x * x);
        double fourthMoment = samples.Average(x => Math.Pow(x, 4));
        // Five standard errors: the mean's is √(Var/n), the second moment's √((m4 − Var²)/n).
        Assert.InRange(mean, -5 * Math.Sqrt(variance / n), 5 * Math.Sqrt(variance / n));
        double secondError = Math.Sqrt((fourth - variance * variance) / n);
        Assert.InRange(secondMoment, variance - 5 * secondError, variance + 5 * secondError);
        Assert.InRange(fourthMoment / fourth, 0.9, 1.1);
        Assert.All(samples, x => Assert.True(Math.Abs(x) < 12 * sigma + 2, $"{x} is far in the tail for σ = {sigma}"));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.5811388300841898)]
    public void Small_sigma_probabilities_match_cell_by_cell(double sigma)
    {
        const int n = 60_000;
        var samples = Draw(sigma, n, 3);
        var pmf = Pmf(sigma);
        // Every value with expected count ≥ 50 is within 5 binomial standard errors of it.
        foreach (var (x, p) in pmf.Where(p => p.Value * n >= 50))
        {
            int count = samples.Count(s => s == x);
            double sd = Math.Sqrt(n * p * (1 - p));
            Assert.InRange(count, n * p - 5 * sd, n * p + 5 * sd);
        }
    }

    [Fact]
    public void A_tiny_sigma_gives_no_noise()
    {
        // σ = 10⁻¹⁰: P[±1] ≈ exp(−5·10¹⁹), and its integers (b ≈ 2⁹⁸) take the BigInteger path.
        Assert.All(Draw(1e-10, 2_000, 4), x => Assert.Equal(0, x));
    }

    [Fact]
    public void Same_seed_gives_the_same_noise_and_another_seed_other_noise()
    {
        Assert.Equal(Draw(7.3, 2_000, 42), Draw(7.3, 2_000, 42));
        Assert.NotEqual(Draw(7.3, 2_000, 42), Draw(7.3, 2_000, 43));
        var a = new double[500];
        var b = new double[500];
        GaussianMechanism.AddNoise(a, 4, new SeededRandom(9));
        GaussianMechanism.AddNoise(b, 4, new SeededRandom(9));
        Assert.Equal(a, b);
    }

    [Fact]
    public void Noised_counts_stay_integers_and_non_integers_are_refused()
    {
        double[] counts = [0, 3, 12, 250_000];
        GaussianMechanism.AddNoise(counts, 2.2, new SeededRandom(1));
        Assert.All(counts, c => Assert.Equal(Math.Floor(c), c));
        double[] real = [1.5];
        Assert.Throws<ArgumentException>(() => GaussianMechanism.AddNoise(real, 1, new SeededRandom(1)));
    }

    [Fact]
    public void Bernoulli_of_exp_minus_a_rational_has_that_probability()
    {
        // exp(−7/3) through the whole part (two e⁻¹ draws) and the fraction 1/3.
        var random = new SeededRandom(5);
        const int n = 200_000;
        int hits = 0;
        for (int i = 0; i < n; i++) if (DiscreteGaussian.BernoulliExp(7L, 3L, random)) hits++;
        double p = Math.Exp(-7.0 / 3);
        Assert.InRange(hits / (double)n, p - 5 * Math.Sqrt(p * (1 - p) / n), p + 5 * Math.Sqrt(p * (1 - p) / n));
    }
}
