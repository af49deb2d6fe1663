using TabTwin.Neural;
using TabTwin.Randomness;

namespace TabTwin.Tests.Neural;

public class GradientPenaltyTests
{
    /// <summary>A CTGAN-shaped critic; rebuilt with the same seeds, its dropout masks repeat, so P is a function of the weights.</summary>
    private static Sequential Critic(bool dropout) => dropout
        ? new Sequential(new Linear(6, 8, new SeededRandom(1)), new LeakyReLU(0.2f), new Dropout(0.5f, new SeededRandom(7)),
            new Linear(8, 5, new SeededRandom(2)), new LeakyReLU(0.2f), new Dropout(0.5f, new SeededRandom(8)), new Linear(5, 1, new SeededRandom(3)))
        : new Sequential(new Linear(6, 8, new SeededRandom(1)), new LeakyReLU(0.2f), new Linear(8, 5, new SeededRandom(2)),
            new ReLU(), new Linear(5, 1, new SeededRandom(3)));

    private static float[] Flatten(Sequential net) => net.Parameters().SelectMany(p => p.Value.AsSpan().ToArray()).ToArray();

    private static void Load(Sequential net, float[] flat)
    {
        int o = 0;
        foreach (var p in net.Parameters()) { flat.AsSpan(o, p.Length).CopyTo(p.Value.AsSpan()); o += p.Length; }
    }

    /// <summary>The input gradient through ordinary backward, for comparing with the penalty's own chain.</summary>
    private static float[] InputGradientNorms(Sequential net, Matrix x)
    {
        var y = net.Forward(x, training: true);
        var ones = new Matrix(y.Rows, 1);
        ones.AsSpan().Fill(1f);
        var g = net.Backward(ones);
        return Enumerable.Range(0, x.Rows).Select(r => MathF.Sqrt(g.Row(r).ToArray().Sum(v => v * v))).ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Penalty_weight_gradients_match_finite_differences(bool dropout)
    {
        var x = GradientCheck.Random(7, 6, 11, scale: 1.5f);
        var net = Critic(dropout);
        var gp = new GradientPenalty(net);
        net.ZeroGrad();
        double p = gp.Apply(x, lambda: 10f);
        Assert.True(p > 0);
        var analytic = net.Parameters().SelectMany(q => q.Grad.AsSpan().ToArray()).ToArray();
        var weights = Flatten(net);
        // Biases only move kinks: their penalty gradient is zero.
        Assert.All(net.Parameters().Where(q => q.Name == "bias").SelectMany(q => q.Grad.AsSpan().ToArray()), v => Assert.Equal(0f, v));

        double Penalty()
        {
            var fresh = Critic(dropout);
            Load(fresh, weights);
            return new GradientPenalty(fresh).Apply(x, 10f);
        }
        GradientCheck.AssertMatches("weights", weights, analytic, Penalty, h: 1e-3f);
    }

    [Fact]
    public void Penalty_uses_the_same_input_gradient_as_ordinary_backward()
    {
        var x = GradientCheck.Random(5, 6, 12);
        var net = Critic(dropout: false);
        var expected = InputGradientNorms(net, x);
        var gp = new GradientPenalty(net);
        gp.Apply(x, 10f);
        var norms = gp.LastGradientNorms.ToArray();
        for (int r = 0; r < 5; r++) Assert.Equal(expected[r], norms[r], 4);
    }

    [Fact]
    public void Critic_must_end_in_a_single_output_linear()
    {
        var e = Assert.Throws<ArgumentException>(() => new GradientPenalty(new Sequential(new Linear(3, 2, new SeededRandom(1)))));
        Assert.Contains("one output", e.Message);
        Assert.Throws<ArgumentException>(() => new GradientPenalty(new Sequential(new Linear(3, 2, new SeededRandom(1)), new Tanh(), new Linear(2, 1, new SeededRandom(2)))));
    }
}
