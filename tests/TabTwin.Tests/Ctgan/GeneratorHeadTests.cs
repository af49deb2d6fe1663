using TabTwin.Neural;
using TabTwin.Synthesizers.Ctgan;
using TabTwin.Synthesizers.NeuralData;
using TabTwin.Randomness;

namespace TabTwin.Tests.Ctgan;

/// <summary>Finite-difference checks of the generator's output head (tanh, Gumbel-softmax at τ = 0.2, conditional loss).</summary>
public class GeneratorHeadTests
{
    private static readonly OutputSpan[] Spans =
    [
        new(0, 1, SpanActivation.Tanh, 0, SpanRole.Alpha),
        new(1, 3, SpanActivation.Softmax, 0, SpanRole.Mode),
        new(4, 4, SpanActivation.Softmax, 1, SpanRole.Category),
    ];

    private static Matrix RandomMatrix(int rows, int cols, ulong seed)
    {
        var r = new SeededRandom(seed);
        var m = new Matrix(rows, cols);
        for (int i = 0; i < m.Length; i++) m.Data[i] = (float)(r.NextGaussian() * 0.5);
        return m;
    }

    /// <summary>L = Σ w ⊙ act(raw) with the Gumbel noise fixed by re-seeding; returns L.</summary>
    private static double Loss(GeneratorHead head, Matrix raw, Matrix weights)
    {
        var act = new Matrix(raw.Rows, raw.Cols);
        head.Activate(raw, act, new SeededRandom(42));
        double l = 0;
        for (int i = 0; i < act.Length; i++) l += (double)act.Data[i] * weights.Data[i];
        return l;
    }

    [Fact]
    public void Activation_backward_matches_finite_differences()
    {
        var head = new GeneratorHead(Spans, tau: 0.2f);
        var raw = RandomMatrix(3, 8, 1);
        var weights = RandomMatrix(3, 8, 2);
        var act = new Matrix(3, 8);
        head.Activate(raw, act, new SeededRandom(42));
        var dRaw = new Matrix(3, 8);
        head.Backward(act, weights, dRaw);
        const float h = 1e-3f;
        for (int i = 0; i < raw.Length; i++)
        {
            float keep = raw.Data[i];
            raw.Data[i] = keep + h; double up = Loss(head, raw, weights);
            raw.Data[i] = keep - h; double down = Loss(head, raw, weights);
            raw.Data[i] = keep;
            double numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(numeric - dRaw.Data[i]) <= 2e-2 * Math.Max(1, Math.Abs(numeric)), $"element {i}: analytic {dRaw.Data[i]}, numeric {numeric}");
        }
    }

    [Fact]
    public void Condition_loss_is_the_cross_entropy_of_the_conditioned_column_only()
    {
        var head = new GeneratorHead(Spans, tau: 0.2f);
        var raw = RandomMatrix(3, 8, 3);
        int[] columns = [0, -1, 0];
        int[] categories = [2, 0, 1];
        var grad = new Matrix(3, 8);
        double loss = head.ConditionLoss(raw, columns, categories, grad, 1f / 3);
        double expected = 0;
        foreach (int i in new[] { 0, 2 })
        {
            var x = raw.Row(i).Slice(4, 4).ToArray();
            double logSum = Math.Log(x.Sum(v => Math.Exp(v)));
            expected += logSum - x[categories[i]];
        }
        Assert.Equal(expected / 3, loss, 5);
        Assert.All(grad.Row(1).ToArray(), v => Assert.Equal(0f, v));   // unconditioned row
        Assert.All(grad.Row(0)[..4].ToArray(), v => Assert.Equal(0f, v)); // other spans untouched
        const float h = 1e-3f;
        for (int j = 4; j < 8; j++)
        {
            float keep = raw[2, j];
            raw[2, j] = keep + h; double up = head.ConditionLoss(raw, columns, categories, new Matrix(3, 8), 1f / 3);
            raw[2, j] = keep - h; double down = head.ConditionLoss(raw, columns, categories, new Matrix(3, 8), 1f / 3);
            raw[2, j] = keep;
            Assert.Equal((up - down) / (2 * h), grad[2, j], 3);
        }
    }

    [Fact]
    public void Sampled_outputs_are_one_hot_and_follow_the_softmax_of_the_logits()
    {
        var head = new GeneratorHead(Spans, tau: 0.2f);
        var raw = new Matrix(20_000, 8);
        for (int i = 0; i < raw.Rows; i++) { raw[i, 4] = MathF.Log(0.7f); raw[i, 5] = MathF.Log(0.2f); raw[i, 6] = MathF.Log(0.1f); raw[i, 7] = -30; }
        var output = new Matrix(raw.Rows, 8);
        head.Sample(raw, output, new SeededRandom(5));
        var counts = new int[4];
        for (int i = 0; i < raw.Rows; i++)
        {
            Assert.Equal(1f, output.Row(i).Slice(4, 4).ToArray().Sum());
            counts[ModeSpecificTransformer.ArgMax(output.Row(i).Slice(4, 4))]++;
            Assert.Equal(0f, output[i, 0]); // tanh(0)
        }
        Assert.InRange(counts[0] / 20_000.0, 0.68, 0.72);
        Assert.InRange(counts[2] / 20_000.0, 0.09, 0.11);
        Assert.Equal(0, counts[3]);
    }
}
