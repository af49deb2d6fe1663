using TabTwin.Synthesizers.GaussianCopula;
using TabTwin.Distributions;

namespace TabTwin.Tests.GaussianCopula;

public sealed class CorrelationMatrixTests
{
    private static readonly ParallelOptions Serial = new() { MaxDegreeOfParallelism = 1 };

    [Fact]
    public void Pairwise_pearson_uses_only_rows_present_in_both()
    {
        double[] a = [1, 2, 3, double.NaN, 5];
        double[] b = [2, 4, 6, 100, 9];
        double[] c = [5, 4, 3, 2, 1];
        var r = CorrelationMatrix.PairwisePearson([a, b, c], Serial);
        // a~b over rows 0,1,2,4: (1,2),(2,4),(3,6),(5,9) → 15.25 / √(8.75 · 26.75) = 0.996791 (by hand).
        Assert.Equal(15.25 / Math.Sqrt(8.75 * 26.75), r[0 * 3 + 1], 12);
        Assert.Equal(-1, r[0 * 3 + 2], 12);
        Assert.Equal(r[1 * 3 + 0], r[0 * 3 + 1]);
        Assert.Equal(1, r[2 * 3 + 2]);
    }

    [Fact]
    public void An_inconsistent_matrix_is_repaired_to_a_positive_definite_correlation()
    {
        // x ~ y, y ~ z strongly positive but x ~ z strongly negative cannot all hold: a pairwise-complete
        // estimate can still produce this when missingness differs, so the repair must cope.
        double[] values = [1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1];
        Assert.ThrowsAny<Exception>(() => CorrelationMatrix.FromValues(3, values));
        var repaired = CorrelationMatrix.RepairToPositiveDefinite(values, 3);
        var m = CorrelationMatrix.FromValues(3, repaired);
        for (int i = 0; i < 3; i++) Assert.Equal(1, m[i, i], 12);
        Assert.True(m[0, 1] > 0.3 && m[0, 2] < 0, "the repair keeps the signs of the strong correlations");
    }

    [Fact]
    public void Normal_scores_of_independent_and_dependent_pairs_give_their_correlation()
    {
        var r = new Random(3);
        int n = 20_000;
        var x = new double[n]; var y = new double[n]; var z = new double[n];
        for (int i = 0; i < n; i++)
        {
            double g1 = Gaussian(r), g2 = Gaussian(r), g3 = Gaussian(r);
            x[i] = g1; y[i] = 0.6 * g1 + 0.8 * g2; z[i] = g3;
        }
        var m = CorrelationMatrix.FromNormalScores([x, y, z], null, 0.001, Serial);
        Assert.InRange(m[0, 1], 0.58, 0.62);
        Assert.InRange(m[0, 2], -0.03, 0.03);
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}

public sealed class LatentCorrelationTests
{
    [Fact]
    public void Thresholded_normals_give_back_their_latent_correlation()
    {
        // X1 = [Z1 > 0.3], X2 = Z2 cut at −1 and 0, with corr(Z1, Z2) = 0.6. The plain Pearson of the scores is
        // attenuated by the coarse categories; the latent correction must recover 0.6.
        var r = new Random(17);
        int n = 40_000;
        var x1 = new int[n]; var x2 = new int[n];
        for (int i = 0; i < n; i++)
        {
            double g1 = Gaussian(r), g2 = 0.6 * g1 + 0.8 * Gaussian(r);
            x1[i] = g1 > 0.3 ? 1 : 0;
            x2[i] = g2 < -1 ? 0 : g2 < 0 ? 1 : 2;
        }
        var table = new TabTwin.Encoding.EncodedTable(
        [
            TabTwin.Encoding.EncodedColumn.Discrete("x1", x1, 2, TabTwin.Tables.Bitmask.Empty(n)),
            TabTwin.Encoding.EncodedColumn.Discrete("x2", x2, 3, TabTwin.Tables.Bitmask.Empty(n)),
        ], n);
        var settings = new GaussianCopulaOptions { CategoryOrdering = CategoryOrdering.Frequency }.ToFitSettings();
        var copula = CopulaFitter.Fit(table, settings, 1, new ParallelOptions { MaxDegreeOfParallelism = 1 });
        // Frequency order puts the commoner "x1 = 0" first (same direction as Z1) but x2's categories in reverse.
        Assert.InRange(copula.Correlation[0, 1], -0.63, -0.57);

        var plain = CorrelationMatrix.PairwisePearson(
            [Scores(x1, copula.Columns[0]), Scores(x2, copula.Columns[1])], new ParallelOptions());
        Assert.True(plain[1] > -0.5, $"the uncorrected correlation {plain[1]:0.000} should be clearly attenuated");
    }

    [Fact]
    public void A_continuous_pair_is_left_as_it_is()
    {
        var continuous = new double[48];
        continuous[0] = 1;
        Assert.Equal(0.42, LatentCorrelation.Solve(0.42, continuous, continuous), 9);
        // A median split has α̃₁ = 2/π: the correlation of a continuous score with it is ρ · 2/π · … → solved back.
        var split = LatentCorrelation.Coefficients(new LatentCorrelation.Bands([0, 0.5], [0.5, 1]));
        Assert.Equal(2 / Math.PI, split[0], 9);
        Assert.Equal(0.5, LatentCorrelation.Solve(0.5 * 2 / Math.PI, continuous, split), 6);
    }

    private static double[] Scores(int[] codes, CopulaColumn column)
    {
        var result = new double[codes.Length];
        for (int i = 0; i < codes.Length; i++)
        {
            var (lo, hi) = column.Discrete!.Band(codes[i]);
            result[i] = NormalMath.InverseCdf(lo + (hi - lo) * ((i * 0.618034) % 1));
        }
        return result;
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
