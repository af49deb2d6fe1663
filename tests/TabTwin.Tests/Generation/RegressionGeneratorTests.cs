using MathNet.Numerics.LinearAlgebra;
using TabTwin.Generation.Benchmarks;
using TabTwin.Tables;
using static TabTwin.Tests.Generation.BenchmarkTestMath;

namespace TabTwin.Tests.Generation;

/// <summary>make_regression-style data: least squares recovers the saved coefficients, noise and bias; low-rank profile; determinism.</summary>
public sealed class RegressionGeneratorTests
{
    private static readonly RegressionOptions Base = new() { Rows = 4000, Features = 12, Informative = 4, Bias = 3, Noise = 1.5, Seed = 11 };

    [Fact]
    public void Least_squares_recovers_the_saved_coefficients_bias_and_noise()
    {
        var generator = new RegressionGenerator(Base);
        var table = generator.Generate();
        var p = generator.Parameters;
        var features = p.Features.Select(f => f.Name).ToArray();
        var (beta, _, residualSd) = Fit(table, features, "y");
        // Standard errors: noise / sqrt(rows) ≈ 0.024 per coefficient; 0.12 is five of them.
        Assert.Equal(p.Regression!.Bias, beta[0], 0.12);
        for (int j = 0; j < features.Length; j++) Assert.Equal(p.Regression.Coefficients[0][j], beta[j + 1], 0.12);
        Assert.InRange(residualSd, 1.5 * 0.95, 1.5 * 1.05);
        // Exactly Informative coefficients are non-zero, each in [0, 100), and they belong to the informative columns.
        var nonZero = features.Where((_, j) => p.Regression.Coefficients[0][j] != 0).Order().ToArray();
        Assert.Equal(p.Regression.InformativeFeatures.Order(), nonZero);
        Assert.All(p.Regression.Coefficients[0], c => Assert.InRange(c, 0, 100));
        Assert.Equal(4, nonZero.Length);
    }

    [Fact]
    public void Without_noise_the_targets_are_exact_for_every_target()
    {
        var generator = new RegressionGenerator(Base with { Noise = 0, Targets = 2, Rows = 300 });
        var table = generator.Generate();
        Assert.Equal(["y0", "y1"], generator.Parameters.Targets);
        var features = generator.Parameters.Features.Select(f => f.Name).ToArray();
        for (int t = 0; t < 2; t++)
        {
            var x = features.Select(f => Values(table, f)).ToArray();
            var y = Values(table, "y" + t);
            for (int r = 0; r < table.RowCount; r++)
            {
                double expected = 3 + features.Select((_, j) => x[j][r] * generator.Parameters.Regression!.Coefficients[t][j]).Sum();
                Assert.Equal(expected, y[r], 9);
            }
        }
    }

    [Fact]
    public void Effective_rank_gives_the_saved_singular_profile()
    {
        var generator = new RegressionGenerator(Base with { Rows = 5000, Features = 20, EffectiveRank = 3, TailStrength = 0.2 });
        var table = generator.Generate();
        var features = generator.Parameters.Features.Select(f => f.Name).ToArray();
        var x = Matrix<double>.Build.Dense(table.RowCount, features.Length, (i, j) => table.Get<NumericColumn>(features[j])[i]);
        var observed = x.Svd(computeVectors: false).S.ToArray();
        var expected = generator.Parameters.Regression!.SingularValues!;
        Assert.Equal(20, expected.Length);
        // Rows of U are drawn as N(0, I/rows) instead of an exact orthonormal basis: each singular value is off by about
        // sqrt(features/rows) ≈ 6% at most, so the profile (steep bell then fat tail) is recovered within 15%.
        for (int i = 0; i < 8; i++) Assert.InRange(observed[i], expected[i] * 0.85, expected[i] * 1.15);
        Assert.True(expected[0] / expected[7] > 4, "the bell-shaped part decays over the effective rank");
    }

    [Fact]
    public void Chunks_threads_and_decimals_do_not_change_the_draws()
    {
        var options = Base with { Rows = 20_000 };
        var whole = new RegressionGenerator(options).Generate(maxThreads: 1);
        var chunked = new RegressionGenerator(options).GenerateChunks(6_000, maxThreads: 3).ToList();
        Assert.Equal([6000, 6000, 6000, 2000], chunked.Select(c => c.RowCount));
        var y = Values(whole, "y");
        Assert.Equal(y, chunked.SelectMany(c => Values(c, "y")));
        var rounded = new RegressionGenerator(options with { Decimals = 3 }).Generate();
        var yRounded = Values(rounded, "y");
        Assert.All(Enumerable.Range(0, 200), r => Assert.Equal(Math.Round(y[r], 3), yRounded[r], 12));
        Assert.Equal(Math.Round(y[5], 3).ToString(System.Globalization.CultureInfo.InvariantCulture), rounded["y"].FormatValue(5));
    }

    [Fact]
    public void Role_names_and_target_clashes()
    {
        var generator = new RegressionGenerator(Base with { Naming = FeatureNaming.ByRole, Shuffle = false, Rows = 5 });
        Assert.Equal(["informative_1", "informative_2", "informative_3", "informative_4", "noise_1"], generator.ColumnNames.Take(5));
        var e = Assert.Throws<ArgumentException>(() => new RegressionGenerator(Base with { Target = "x3" }));
        Assert.Contains("'x3' is also a feature name", e.Message);
    }
}
