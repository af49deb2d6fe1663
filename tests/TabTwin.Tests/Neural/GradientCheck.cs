using TabTwin.Neural;
using TabTwin.Randomness;

namespace TabTwin.Tests.Neural;

/// <summary>Central finite differences in float32 against the hand-derived gradients.</summary>
internal static class GradientCheck
{
    public static Matrix Random(int rows, int cols, ulong seed, float scale = 1f)
    {
        var r = new SeededRandom(seed);
        var m = new Matrix(rows, cols);
        var s = m.AsSpan();
        for (int i = 0; i < s.Length; i++) s[i] = (float)(r.NextGaussian() * scale);
        return m;
    }

    /// <summary>Σ w ⊙ y in double, the scalar the checks differentiate.</summary>
    public static double Weighted(Matrix y, Matrix w)
    {
        double s = 0;
        var a = y.AsSpan(); var b = w.AsSpan();
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }

    /// <summary>Asserts analytic ≈ numeric for every element of <paramref name="values"/>, perturbing in place.</summary>
    public static void AssertMatches(string what, Span<float> values, ReadOnlySpan<float> analytic, Func<double> loss, float h = 1e-2f,
        double relative = 2e-2, double absolute = 2e-3)
    {
        Assert.Equal(values.Length, analytic.Length);
        int kinks = 0;
        for (int i = 0; i < values.Length; i++)
        {
            float original = values[i];
            double center = loss();
            values[i] = original + h;
            double plus = loss();
            values[i] = original - h;
            double minus = loss();
            values[i] = original;
            double numeric = (plus - minus) / (2 * h);
            double tolerance = absolute + relative * Math.Max(Math.Abs(numeric), Math.Abs(analytic[i]));
            // A ReLU kink inside [x − h, x + h] makes the one-sided slopes disagree; the derivative is not defined
            // by differences there, so such points are skipped (and must stay rare).
            double right = (plus - center) / h, left = (center - minus) / h;
            if (Math.Abs(right - left) > 4 * tolerance) { kinks++; continue; }
            Assert.True(Math.Abs(numeric - analytic[i]) <= tolerance,
                $"{what}[{i}]: analytic {analytic[i]:G6} vs numeric {numeric:G6}");
        }
        Assert.True(kinks <= Math.Max(1, values.Length / 10), $"{what}: {kinks} of {values.Length} points sit on kinks");
    }

    /// <summary>Checks a layer's input gradient and every trainable parameter's gradient in training mode.</summary>
    public static void CheckLayer(Layer layer, Matrix input, ulong seed, float h = 1e-2f)
    {
        var w = Random(input.Rows, OutputCols(layer, input), seed + 1);
        double Loss() => Weighted(layer.Forward(input, training: true), w);
        layer.ZeroGrad();
        layer.Forward(input, training: true);
        var dx = layer.Backward(w);
        var dxCopy = dx.AsSpan().ToArray();
        var grads = layer.Parameters().Select(p => p.Grad.AsSpan().ToArray()).ToArray();
        AssertMatches("input", input.AsSpan(), dxCopy, Loss, h);
        int k = 0;
        foreach (var p in layer.Parameters())
            AssertMatches(p.Name, p.Value.AsSpan(), grads[k++], Loss, h);
    }

    private static int OutputCols(Layer layer, Matrix input) => layer.Forward(input, training: true).Cols;
}
