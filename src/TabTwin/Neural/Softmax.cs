using System.Numerics.Tensors;
using TabTwin.Randomness;

namespace TabTwin.Neural;

/// <summary>
/// Softmax and Gumbel-softmax over a slice of columns [start, start + width) of every row (one categorical block of
/// a data representation), with their backward passes. Outputs go to a separate matrix of the same shape.
/// </summary>
internal static class Softmax
{
    /// <summary>output[:, slice] = softmax(logits[:, slice]) (max-subtracted for stability).</summary>
    public static void Forward(Matrix logits, Matrix output, int start, int width)
    {
        CheckSlice(logits, output, start, width);
        for (int i = 0; i < logits.Rows; i++)
        {
            var y = output.Row(i).Slice(start, width);
            y.Clear();
            Row(logits.Row(i).Slice(start, width), y, y, 1f);
        }
    }

    /// <summary>
    /// Gumbel-softmax with hard = false (as CTGAN's generator uses): output = softmax((logits + g)/τ) with
    /// g = −log(−log U), U uniform from <paramref name="random"/> (rows in order, so the draw is reproducible).
    /// </summary>
    public static void GumbelForward(Matrix logits, Matrix output, int start, int width, float tau, SeededRandom random)
    {
        CheckSlice(logits, output, start, width);
        if (!(tau > 0)) throw new ArgumentOutOfRangeException(nameof(tau), "Gumbel-softmax temperature must be positive.");
        for (int i = 0; i < logits.Rows; i++)
        {
            var y = output.Row(i).Slice(start, width);
            UniformNoise.FillGumbel(y, random);
            Row(logits.Row(i).Slice(start, width), y, y, 1f / tau);
        }
    }

    /// <summary>
    /// Backward of (Gumbel-)softmax given its output y: dLogits = (1/τ)·y ⊙ (dy − Σ dy·y), written into
    /// <paramref name="logitsGrad"/>'s slice (τ = 1 for the plain softmax; the Gumbel noise is a constant).
    /// </summary>
    public static void Backward(Matrix output, Matrix outputGrad, Matrix logitsGrad, int start, int width, float tau = 1f)
    {
        CheckSlice(output, outputGrad, start, width);
        CheckSlice(output, logitsGrad, start, width);
        for (int i = 0; i < output.Rows; i++)
            RowBackward(output.Row(i).Slice(start, width), outputGrad.Row(i).Slice(start, width), logitsGrad.Row(i).Slice(start, width), 1f / tau);
    }

    /// <summary>
    /// y = softmax((x + noise)·scale) for one row slice (noise may alias y; pass zeros, or x's own slice twice, for none).
    /// The max is subtracted before scaling: at τ = 0.2 the scale is 5 and exp would overflow otherwise.
    /// </summary>
    public static void Row(ReadOnlySpan<float> x, ReadOnlySpan<float> noise, Span<float> y, float scale)
    {
        TensorPrimitives.Add(x, noise, y);
        TensorPrimitives.Subtract(y, TensorPrimitives.Max(y), y);
        TensorPrimitives.Multiply(y, scale, y);
        TensorPrimitives.Exp(y, y);
        TensorPrimitives.Multiply(y, 1f / TensorPrimitives.Sum(y), y);
    }

    /// <summary>dx = scale · y ⊙ (dy − Σ dy·y) for one row slice (scale = 1/τ).</summary>
    public static void RowBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float scale)
    {
        float dot = TensorPrimitives.Dot(dy, y);
        for (int j = 0; j < y.Length; j++) dx[j] = y[j] * (dy[j] - dot) * scale;
    }

    private static void CheckSlice(Matrix a, Matrix b, int start, int width)
    {
        if (start < 0 || width < 1 || start + width > a.Cols) throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {start + width}) outside {a.Cols} columns.");
        if (a.Rows != b.Rows || a.Cols != b.Cols) throw new ArgumentException($"Shapes differ: {a.Rows}x{a.Cols} vs {b.Rows}x{b.Cols}.");
    }
}
