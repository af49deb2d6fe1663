using TabTwin.Synthesizers.NeuralData;
using TabTwin.Randomness;

namespace TabTwin.Tests.NeuralData;

public class VariationalGaussianMixtureTests
{
    private static double[] Normal(SeededRandom random, int n, double mean, double sd) =>
        Enumerable.Range(0, n).Select(_ => mean + sd * random.NextGaussian()).ToArray();

    [Fact]
    public void Finds_two_modes_in_a_clear_bimodal_sample()
    {
        var random = new SeededRandom(1);
        var x = Normal(random, 6000, 0, 1).Concat(Normal(random, 4000, 20, 2)).ToArray();
        var fit = VariationalGaussianMixture.Fit(x, seed: 7);
        Assert.Equal(2, fit.ModeCount);
        var modes = fit.Modes.OrderBy(m => m.Mean).ToArray();
        Assert.InRange(modes[0].Weight, 0.58, 0.62);
        Assert.InRange(modes[1].Weight, 0.38, 0.42);
        Assert.InRange(modes[0].Mean, -0.08, 0.08);
        Assert.InRange(modes[1].Mean, 19.85, 20.15);
        Assert.InRange(modes[0].StdDev, 0.95, 1.05);
        Assert.InRange(modes[1].StdDev, 1.9, 2.1);
    }

    [Fact]
    public void Finds_one_mode_in_a_unimodal_sample()
    {
        var x = Normal(new SeededRandom(2), 10_000, 5, 3);
        var fit = VariationalGaussianMixture.Fit(x, seed: 3);
        Assert.Equal(1, fit.ModeCount);
        Assert.InRange(fit.Modes[0].Mean, 4.9, 5.1);
        Assert.InRange(fit.Modes[0].StdDev, 2.9, 3.1);
        Assert.Equal(1.0, fit.Modes[0].Weight, 12);
    }

    [Fact]
    public void Scale_does_not_change_the_modes_found()
    {
        // Datetimes arrive as ~1e9 seconds: the fit works in standardised units, so a shifted/scaled sample has the same modes.
        var random = new SeededRandom(4);
        var x = Normal(random, 3000, 0, 1).Concat(Normal(random, 3000, 8, 1)).ToArray();
        var a = VariationalGaussianMixture.Fit(x, seed: 5);
        var b = VariationalGaussianMixture.Fit(x.Select(v => 1.6e9 + 86_400 * v).ToArray(), seed: 5);
        Assert.Equal(a.ModeCount, b.ModeCount);
        for (int k = 0; k < a.ModeCount; k++)
        {
            Assert.Equal(a.Modes[k].Weight, b.Modes[k].Weight, 6);
            Assert.Equal(1.6e9 + 86_400 * a.Modes[k].Mean, b.Modes[k].Mean, 1e-3 * 86_400);
            Assert.Equal(86_400 * a.Modes[k].StdDev, b.Modes[k].StdDev, 1e-3 * 86_400);
        }
    }

    [Fact]
    public void Posterior_prefers_the_nearest_mode_and_sums_to_one()
    {
        var random = new SeededRandom(1);
        var x = Normal(random, 3000, 0, 1).Concat(Normal(random, 3000, 20, 2)).ToArray();
        var fit = VariationalGaussianMixture.Fit(x, seed: 7);
        int low = fit.Modes[0].Mean < fit.Modes[1].Mean ? 0 : 1;
        var p = new double[2];
        fit.Posterior(0.5, p);
        Assert.Equal(1.0, p.Sum(), 12);
        Assert.True(p[low] > 0.999);
        fit.Posterior(19, p);
        Assert.True(p[1 - low] > 0.999);
    }

    [Fact]
    public void Same_seed_same_fit_and_a_constant_column_is_one_narrow_mode()
    {
        var x = Normal(new SeededRandom(9), 30_000, 1, 1).Select(v => Math.Round(v * 3)).ToArray(); // subsampled (> 20k) and lumpy
        var a = VariationalGaussianMixture.Fit(x, seed: 11);
        var b = VariationalGaussianMixture.Fit(x, seed: 11);
        Assert.Equal(a.Modes, b.Modes);

        var constant = VariationalGaussianMixture.Fit(Enumerable.Repeat(42.0, 500).ToArray(), seed: 1);
        Assert.Equal(1, constant.ModeCount);
        Assert.Equal(42.0, constant.Modes[0].Mean, 9);
        Assert.InRange(constant.Modes[0].StdDev, 1e-6, 1e-2);
    }
}
