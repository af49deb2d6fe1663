using TabTwin.Synthesizers.GaussianCopula;

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
