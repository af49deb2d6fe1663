using TabTwin.Neural;
using TabTwin.Bundles;
using TabTwin.Randomness;

namespace TabTwin.Tests.Neural;

public class TrainingTests
{
    private static (Matrix X, Matrix Y) Regression(int n, ulong seed)
    {
        var r = new SeededRandom(seed);
        var x = new Matrix(n, 2); var y = new Matrix(n, 1);
        for (int i = 0; i < n; i++)
        {
            float a = (float)(r.NextDouble() * 2 - 1), b = (float)(r.NextDouble() * 2 - 1);
            x[i, 0] = a; x[i, 1] = b; y[i, 0] = MathF.Sin(2 * a) + a * b;
        }
        return (x, y);
    }

    private static (float[] Loss, float[] Weights) Train(ParallelRunner runner, int steps)
    {
        var net = new Sequential(new Linear(2, 32, new SeededRandom(1)), new ReLU(), new BatchNorm1d(32), new Linear(32, 32, new SeededRandom(2)),
            new Tanh(), new Dropout(0.1f, new SeededRandom(3)), new Linear(32, 1, new SeededRandom(4)));
        net.UseRunner(runner);
        var adam = new Adam(net.Parameters(), learningRate: 1e-2f, weightDecay: 1e-5f);
        var (x, y) = Regression(256, 7);
        var grad = new Matrix(0, 0);
        var losses = new float[steps];
        for (int s = 0; s < steps; s++)
        {
            adam.ZeroGrad();
            var p = net.Forward(x, training: true);
            losses[s] = (float)Losses.MeanSquaredError(p, y, grad);
            net.Backward(grad);
            adam.Step();
        }
        return (losses, net.NamedParameters().SelectMany(p => p.Parameter.Value.AsSpan().ToArray()).ToArray());
    }

    [Fact]
    public void Adam_fits_a_small_nonlinear_regression()
    {
        var (loss, _) = Train(ParallelRunner.Inline, 300);
        Assert.True(loss[0] > 0.2, $"initial loss {loss[0]}");
        Assert.True(loss[^1] < 0.05 * loss[0], $"loss went from {loss[0]} to {loss[^1]}");
    }

    [Fact]
    public void Training_is_bit_identical_on_one_and_two_threads()
    {
        using var two = new ParallelRunner(2);
        var (l1, w1) = Train(ParallelRunner.Inline, 20);
        var (l2, w2) = Train(two, 20);
        Assert.Equal(l1, l2);
        Assert.Equal(w1, w2);
    }

    [Fact]
    public void Adam_matches_pytorch_update_rule_on_one_parameter()
    {
        var p = new Parameter("w", 1, 1);
        p.Value[0, 0] = 1f;
        var adam = new Adam([p], learningRate: 0.1f, beta1: 0.5f, beta2: 0.9f, weightDecay: 0.1f);
        p.Grad[0, 0] = 2f;
        adam.Step();
        // g = 2 + 0.1·1 = 2.1; m̂ = 2.1, v̂ = 4.41 → θ = 1 − 0.1·2.1/(2.1 + 1e-8) ≈ 0.9
        Assert.Equal(0.9f, p.Value[0, 0], 5);
    }

    [Fact]
    public void Adam_updates_every_element_like_a_scalar_reference_over_several_steps()
    {
        // 37 elements: SIMD lanes plus a scalar tail (any vector width). Each element must follow PyTorch's rule
        // computed in double, and equal elements must get bit-identical updates wherever they sit.
        const int n = 37;
        var p = new Parameter("w", 1, n);
        var adam = new Adam([p], learningRate: 0.05f, beta1: 0.5f, beta2: 0.9f, weightDecay: 0.01f);
        double[] theta = new double[n], m = new double[n], v = new double[n];
        for (int i = 0; i < n; i++) p.Value[0, i] = (float)(theta[i] = i % 2 == 0 ? 0.5 : -1.5);
        for (int t = 1; t <= 5; t++)
        {
            for (int i = 0; i < n; i++)
            {
                float grad = (i % 2 == 0 ? 1f : -3f) * t;
                p.Grad[0, i] = grad;
                double g = grad + 0.01 * theta[i];
                m[i] = 0.5 * m[i] + 0.5 * g;
                v[i] = 0.9 * v[i] + 0.1 * g * g;
                theta[i] -= 0.05 / (1 - Math.Pow(0.5, t)) * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(0.9, t)) + 1e-8);
            }
            adam.Step();
        }
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(theta[i], p.Value[0, i], 4);
            Assert.Equal(p.Value[0, i % 2], p.Value[0, i]);
        }
    }

    [Fact]
    public void Network_state_round_trips_through_a_model_bundle_and_rejects_wrong_sizes()
    {
        var net = new Sequential(new Linear(3, 4, new SeededRandom(1)), new BatchNorm1d(4), new Residual(4, 2, new SeededRandom(2)));
        net.Forward(GradientCheck.Random(5, 3, 1), training: true);
        var writer = new ModelBundleWriter();
        NetworkState.Write(writer, "g", net);
        var copy = new Sequential(new Linear(3, 4, new SeededRandom(9)), new BatchNorm1d(4), new Residual(4, 2, new SeededRandom(8)));
        var reader = ModelBundleReader.FromWriter(writer);
        NetworkState.Read(reader, "g", copy);
        var x = GradientCheck.Random(3, 3, 2);
        Assert.Equal(net.Forward(x, false).AsSpan().ToArray(), copy.Forward(x, false).AsSpan().ToArray());
        Assert.True(reader.HasEntry("g.2.bn.running_var"));
        var wrong = new Sequential(new Linear(3, 5, new SeededRandom(1)));
        var e = Assert.Throws<ModelFileException>(() => NetworkState.Read(reader, "g", wrong));
        Assert.Equal("model.bad-entry", e.Code);
    }
}
