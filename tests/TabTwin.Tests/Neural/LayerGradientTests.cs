using TabTwin.Neural;
using TabTwin.Randomness;

namespace TabTwin.Tests.Neural;

public class LayerGradientTests
{
    private static SeededRandom Rng(ulong s) => new(s);

    [Fact]
    public void Linear_gradients_match_finite_differences() =>
        GradientCheck.CheckLayer(new Linear(5, 4, Rng(1)), GradientCheck.Random(6, 5, 10), 20);

    [Fact]
    public void Relu_and_leaky_relu_gradients_match_finite_differences()
    {
        // Inputs kept away from the kink at 0 so a ±h step never crosses it.
        var x = GradientCheck.Random(5, 6, 11);
        foreach (ref float v in x.AsSpan()) v = v >= 0 ? v + 0.1f : v - 0.1f;
        GradientCheck.CheckLayer(new ReLU(), x, 21);
        GradientCheck.CheckLayer(new LeakyReLU(0.2f), x, 22);
    }

    [Fact]
    public void Tanh_gradient_matches_finite_differences() =>
        GradientCheck.CheckLayer(new Tanh(), GradientCheck.Random(4, 5, 12), 23, h: 5e-3f);

    [Fact]
    public void BatchNorm_training_gradients_match_finite_differences()
    {
        var bn = new BatchNorm1d(4);
        // Non-trivial γ, β so their gradients and the input path are all exercised.
        var r = Rng(3);
        foreach (ref float g in bn.Gamma.Value.AsSpan()) g = (float)(0.5 + r.NextDouble());
        foreach (ref float b in bn.Beta.Value.AsSpan()) b = (float)(r.NextDouble() - 0.5);
        GradientCheck.CheckLayer(bn, GradientCheck.Random(7, 4, 13, scale: 2f), 24, h: 5e-3f);
    }

    [Fact]
    public void BatchNorm_updates_running_statistics_like_pytorch_and_evaluates_with_them()
    {
        var bn = new BatchNorm1d(1);
        var x = new Matrix(new float[] { 1, 2, 3, 6 }, 4, 1);
        bn.Forward(x, training: true);
        // mean 3, biased var 3.5, unbiased 14/3; momentum 0.1 from (0, 1).
        Assert.Equal(0.3f, bn.RunningMean.Value[0, 0], 5);
        Assert.Equal(0.9f + 0.1f * 14f / 3f, bn.RunningVar.Value[0, 0], 5);
        var y = bn.Forward(new Matrix(new float[] { 0.3f }, 1, 1), training: false);
        Assert.Equal(0f, y[0, 0], 5);
    }

    [Fact]
    public void Residual_block_gradients_match_finite_differences()
    {
        // 16 rows: with fewer, a step in one input moves the whole batch's statistics and too many ReLU kinks are crossed.
        for (ulong s = 0; s < 6; s++) GradientCheck.CheckLayer(new Residual(3, 4, Rng(5 + s)), GradientCheck.Random(16, 3, 14 + s), 25 + s, h: 1e-3f);
    }

    [Fact]
    public void Sequential_network_gradients_match_finite_differences()
    {
        var net = new Sequential(new Linear(4, 6, Rng(6)), new Tanh(), new Linear(6, 3, Rng(7)), new LeakyReLU(0.2f), new Linear(3, 2, Rng(8)));
        GradientCheck.CheckLayer(net, GradientCheck.Random(5, 4, 15), 26, h: 5e-3f);
    }

    [Fact]
    public void Dropout_keeps_expected_fraction_scales_survivors_and_routes_gradient_through_the_mask()
    {
        var d = new Dropout(0.5f, Rng(9));
        var x = new Matrix(200, 50);
        x.AsSpan().Fill(1f);
        var y = d.Forward(x, training: true);
        int kept = 0;
        foreach (var v in y.AsSpan()) { Assert.True(v == 0f || v == 2f); if (v != 0) kept++; }
        Assert.InRange(kept / 10000.0, 0.47, 0.53);
        var dy = GradientCheck.Random(200, 50, 16);
        var dx = d.Backward(dy);
        for (int i = 0; i < dx.Length; i++) Assert.Equal(dy.Data[i] * y.Data[i], dx.Data[i]);
        Assert.Same(x, d.Forward(x, training: false));
    }

    [Fact]
    public void Linear_initialisation_is_kaiming_uniform_and_seeded()
    {
        var a = new Linear(100, 50, Rng(42));
        var b = new Linear(100, 50, Rng(42));
        Assert.Equal(a.Weight.Value.AsSpan().ToArray(), b.Weight.Value.AsSpan().ToArray());
        var w = a.Weight.Value.AsSpan().ToArray();
        Assert.All(w, v => Assert.InRange(v, -0.1f, 0.1f));
        Assert.InRange(w.Max(), 0.095f, 0.1f);
        Assert.InRange(w.Select(v => (double)v * v).Average(), 0.01 / 3 * 0.9, 0.01 / 3 * 1.1);
    }
}
