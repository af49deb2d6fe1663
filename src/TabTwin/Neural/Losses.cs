using System.Numerics.Tensors;

namespace TabTwin.Neural;

/// <summary>
/// Loss functions returning the loss (in double) and writing ∂loss/∂input into a gradient matrix. Every loss takes
/// a <c>scale</c> (e.g. 1/batch or a loss factor) applied to both the loss and its gradient, and can
/// <c>accumulate</c> into the gradient so several terms over different column slices share one buffer.
/// </summary>
internal static class Losses
{
    /// <summary>scale · Σ (prediction − target)² over all elements; gradient 2·scale·(prediction − target).</summary>
    public static double SquaredError(Matrix prediction, Matrix target, Matrix gradient, float scale, bool accumulate = false)
    {
        if (prediction.Rows != target.Rows || prediction.Cols != target.Cols) throw new ArgumentException("Prediction and target shapes differ.");
        Prepare(gradient, prediction, accumulate);
        var p = prediction.AsSpan(); var t = target.AsSpan(); var g = gradient.AsSpan();
        double loss = 0;
        for (int i = 0; i < p.Length; i++)
        {
            float d = p[i] - t[i];
            loss += d * d;
            g[i] = (accumulate ? g[i] : 0) + 2 * scale * d;
        }
        return loss * scale;
    }

    /// <summary>Mean squared error (scale = 1 / element count).</summary>
    public static double MeanSquaredError(Matrix prediction, Matrix target, Matrix gradient) =>
        SquaredError(prediction, target, gradient, 1f / Math.Max(1, prediction.Length));

    /// <summary>
    /// Cross-entropy of the logits in columns [start, start + width) against class indices
    /// (<paramref name="targets"/>[row] in 0..width-1): scale · Σ_rows −log softmax(logits)[target];
    /// gradient scale · (softmax − onehot).
    /// </summary>
    public static double CrossEntropy(Matrix logits, ReadOnlySpan<int> targets, Matrix gradient, int start, int width, float scale, bool accumulate = false)
    {
        if (targets.Length != logits.Rows) throw new ArgumentException($"{targets.Length} targets for {logits.Rows} rows.");
        Prepare(gradient, logits, accumulate);
        double loss = 0;
        for (int i = 0; i < logits.Rows; i++)
            loss += RowCrossEntropy(logits.Row(i).Slice(start, width), targets[i], gradient.Row(i).Slice(start, width), scale, accumulate);
        return loss * scale;
    }

    /// <summary>Cross-entropy against one-hot (or soft) targets: the target class of a row is the argmax of its slice of <paramref name="target"/>.</summary>
    public static double CrossEntropyOneHot(Matrix logits, Matrix target, Matrix gradient, int start, int width, float scale, bool accumulate = false)
    {
        if (target.Rows != logits.Rows) throw new ArgumentException($"{target.Rows} target rows for {logits.Rows} rows.");
        Prepare(gradient, logits, accumulate);
        double loss = 0;
        for (int i = 0; i < logits.Rows; i++)
        {
            int k = TensorPrimitives.IndexOfMax(target.Row(i).Slice(start, width));
            loss += RowCrossEntropy(logits.Row(i).Slice(start, width), k, gradient.Row(i).Slice(start, width), scale, accumulate);
        }
        return loss * scale;
    }

    private static double RowCrossEntropy(ReadOnlySpan<float> x, int target, Span<float> g, float scale, bool accumulate)
    {
        if ((uint)target >= (uint)x.Length) throw new ArgumentOutOfRangeException(nameof(target), $"Class {target} outside 0..{x.Length - 1}.");
        float max = TensorPrimitives.Max(x);
        double sum = 0;
        for (int j = 0; j < x.Length; j++) sum += Math.Exp(x[j] - max);
        double logSum = Math.Log(sum) + max;
        for (int j = 0; j < x.Length; j++)
        {
            float p = (float)Math.Exp(x[j] - logSum);
            float d = scale * (p - (j == target ? 1f : 0f));
            g[j] = accumulate ? g[j] + d : d;
        }
        return logSum - x[target];
    }

    /// <summary>
    /// KL(N(μ, σ²) ‖ N(0, 1)) summed over rows and latent dimensions, times scale:
    /// −½ Σ (1 + logσ² − μ² − σ²). Gradients: ∂/∂μ = scale·μ, ∂/∂logσ² = scale·½(σ² − 1).
    /// </summary>
    public static double GaussianKl(Matrix mu, Matrix logVar, Matrix muGrad, Matrix logVarGrad, float scale, bool accumulate = false)
    {
        if (mu.Rows != logVar.Rows || mu.Cols != logVar.Cols) throw new ArgumentException("μ and log-variance shapes differ.");
        Prepare(muGrad, mu, accumulate);
        Prepare(logVarGrad, logVar, accumulate);
        var m = mu.AsSpan(); var lv = logVar.AsSpan(); var gm = muGrad.AsSpan(); var gl = logVarGrad.AsSpan();
        double loss = 0;
        for (int i = 0; i < m.Length; i++)
        {
            float v = MathF.Exp(lv[i]);
            loss += -0.5 * (1 + lv[i] - m[i] * m[i] - v);
            gm[i] = (accumulate ? gm[i] : 0) + scale * m[i];
            gl[i] = (accumulate ? gl[i] : 0) + scale * 0.5f * (v - 1);
        }
        return loss * scale;
    }

    private static void Prepare(Matrix gradient, Matrix like, bool accumulate)
    {
        if (accumulate)
        {
            if (gradient.Rows != like.Rows || gradient.Cols != like.Cols) throw new ArgumentException("Accumulating into a gradient of another shape.");
        }
        else gradient.Reshape(like.Rows, like.Cols);
    }
}
