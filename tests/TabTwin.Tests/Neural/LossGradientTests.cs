using TabTwin.Neural;
using TabTwin.Randomness;

namespace TabTwin.Tests.Neural;

public class LossGradientTests
{
    [Fact]
    public void Squared_error_gradient_and_value()
    {
        var p = GradientCheck.Random(4, 3, 1);
        var t = GradientCheck.Random(4, 3, 2);
        var g = new Matrix(0, 0);
        double loss = Losses.MeanSquaredError(p, t, g);
        double expected = p.AsSpan().ToArray().Zip(t.AsSpan().ToArray(), (a, b) => (double)(a - b) * (a - b)).Average();
        Assert.Equal(expected, loss, 5);
        var analytic = g.AsSpan().ToArray();
        GradientCheck.AssertMatches("mse", p.AsSpan(), analytic, () => Losses.MeanSquaredError(p, t, new Matrix(0, 0)));
    }

    [Fact]
    public void Cross_entropy_over_a_column_slice_matches_finite_differences_and_leaves_other_columns()
    {
        var logits = GradientCheck.Random(5, 7, 3, scale: 2f);
        int[] targets = [0, 3, 2, 1, 3];
        var g = new Matrix(5, 7);
        g.AsSpan().Fill(42f);
        double loss = Losses.CrossEntropy(logits, targets, g, start: 2, width: 4, scale: 0.5f, accumulate: false);
        Assert.True(loss > 0);
        for (int i = 0; i < 5; i++) { Assert.Equal(42f, g[i, 0]); Assert.Equal(42f, g[i, 6]); }
        var analytic = new float[5 * 7];
        for (int i = 0; i < 5; i++) for (int j = 2; j < 6; j++) analytic[i * 7 + j] = g[i, j];
        GradientCheck.AssertMatches("ce", logits.AsSpan(), analytic,
            () => Losses.CrossEntropy(logits, targets, new Matrix(5, 7), 2, 4, 0.5f));
        // The one-hot form picks the same classes.
        var onehot = new Matrix(5, 7);
        for (int i = 0; i < 5; i++) onehot[i, 2 + targets[i]] = 1;
        Assert.Equal(loss, Losses.CrossEntropyOneHot(logits, onehot, new Matrix(5, 7), 2, 4, 0.5f), 6);
    }

    [Fact]
    public void Gaussian_kl_matches_formula_and_finite_differences()
    {
        var mu = GradientCheck.Random(3, 4, 4);
        var lv = GradientCheck.Random(3, 4, 5, scale: 0.5f);
        var gm = new Matrix(0, 0); var gl = new Matrix(0, 0);
        Losses.GaussianKl(mu, lv, gm, gl, scale: 1f / 3);
        var zero = new Matrix(3, 4);
        Assert.Equal(0.0, Losses.GaussianKl(zero, new Matrix(3, 4), new Matrix(0, 0), new Matrix(0, 0), 1f), 9);
        double L() => Losses.GaussianKl(mu, lv, new Matrix(0, 0), new Matrix(0, 0), 1f / 3);
        GradientCheck.AssertMatches("mu", mu.AsSpan(), gm.AsSpan().ToArray(), L);
        GradientCheck.AssertMatches("logvar", lv.AsSpan(), gl.AsSpan().ToArray(), L);
    }

    [Fact]
    public void Softmax_rows_sum_to_one_and_backward_matches_finite_differences()
    {
        var x = GradientCheck.Random(4, 6, 6, scale: 2f);
        var y = new Matrix(4, 6);
        Softmax.Forward(x, y, 1, 4);
        for (int i = 0; i < 4; i++) Assert.Equal(1f, y[i, 1] + y[i, 2] + y[i, 3] + y[i, 4], 5);
        var w = GradientCheck.Random(4, 6, 7);
        var dx = new Matrix(4, 6);
        Softmax.Backward(y, w, dx, 1, 4);
        var analytic = new float[24];
        for (int i = 0; i < 4; i++) for (int j = 1; j < 5; j++) analytic[i * 6 + j] = dx[i, j];
        double L() { var o = new Matrix(4, 6); Softmax.Forward(x, o, 1, 4); return GradientCheck.Weighted(o, w); }
        GradientCheck.AssertMatches("softmax", x.AsSpan(), analytic, L, h: 5e-3f);
    }

    [Fact]
    public void Gumbel_softmax_backward_matches_finite_differences_with_fixed_noise()
    {
        var x = GradientCheck.Random(3, 5, 8);
        const float tau = 0.5f;
        var y = new Matrix(3, 5);
        Softmax.GumbelForward(x, y, 0, 5, tau, new SeededRandom(99));
        for (int i = 0; i < 3; i++) Assert.Equal(1f, y.Row(i).ToArray().Sum(), 5);
        var w = GradientCheck.Random(3, 5, 9);
        var dx = new Matrix(3, 5);
        Softmax.Backward(y, w, dx, 0, 5, tau);
        double L() { var o = new Matrix(3, 5); Softmax.GumbelForward(x, o, 0, 5, tau, new SeededRandom(99)); return GradientCheck.Weighted(o, w); }
        GradientCheck.AssertMatches("gumbel", x.AsSpan(), dx.AsSpan().ToArray(), L, h: 2e-3f);
    }

    [Fact]
    public void Gumbel_softmax_samples_follow_the_softmax_probabilities()
    {
        var x = new Matrix(new float[] { 0f, MathF.Log(3f) }, 1, 2);  // p = (0.25, 0.75)
        var y = new Matrix(1, 2);
        var r = new SeededRandom(5);
        int second = 0;
        for (int t = 0; t < 4000; t++) { Softmax.GumbelForward(x, y, 0, 2, 0.01f, r); if (y[0, 1] > 0.5f) second++; }
        Assert.InRange(second / 4000.0, 0.72, 0.78);
    }
}
