using System.Numerics.Tensors;

namespace TabTwin.Neural;

/// <summary>
/// Adam exactly as PyTorch's torch.optim.Adam (not AdamW): weight decay adds λ·θ to the gradient (L2), then
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − (lr/(1−β₁ᵗ))·m/(√v/√(1−β₂ᵗ) + ε). Moment buffers are
/// allocated once; <see cref="Step"/> does not allocate.
/// </summary>
public sealed class Adam
{
    private readonly Parameter[] _parameters;
    private readonly float[][] _m, _v, _g;
    private long _step;

    public Adam(IEnumerable<Parameter> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float epsilon = 1e-8f, float weightDecay = 0f)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.Where(p => p.Trainable).Distinct().ToArray();
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), "The learning rate must be positive.");
        if (!(beta1 is >= 0 and < 1) || !(beta2 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), "Adam betas must be in [0, 1).");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), "Weight decay must be ≥ 0.");
        LearningRate = learningRate; Beta1 = beta1; Beta2 = beta2; Epsilon = epsilon; WeightDecay = weightDecay;
        _m = _parameters.Select(p => new float[p.Length]).ToArray();
        _v = _parameters.Select(p => new float[p.Length]).ToArray();
        _g = _parameters.Select(p => new float[p.Length]).ToArray();
    }

    public float LearningRate { get; set; }
    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Epsilon { get; }
    public float WeightDecay { get; }
    public IReadOnlyList<Parameter> Parameters => _parameters;
    public long Steps => _step;

    /// <summary>Clears every parameter's gradient (no allocation).</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.ZeroGrad();
    }

    /// <summary>
    /// Rescales all gradients so their global L2 norm is at most <paramref name="maxNorm"/> (as
    /// torch.nn.utils.clip_grad_norm_); returns the norm before clipping.
    /// </summary>
    public double ClipGradNorm(double maxNorm)
    {
        double sum = 0;
        foreach (var p in _parameters)
        {
            var g = p.Grad.AsSpan();
            sum += TensorPrimitives.Dot(g, g);
        }
        double norm = Math.Sqrt(sum);
        if (norm > maxNorm)
        {
            float factor = (float)(maxNorm / (norm + 1e-6));
            foreach (var p in _parameters) TensorPrimitives.Multiply(p.Grad.AsSpan(), factor, p.Grad.AsSpan());
        }
        return norm;
    }

    public void Step()
    {
        _step++;
        float bc1 = 1 - MathF.Pow(Beta1, _step);
        float bc2Sqrt = MathF.Sqrt(1 - MathF.Pow(Beta2, _step));
        float stepSize = LearningRate / bc1;
        for (int k = 0; k < _parameters.Length; k++)
        {
            var theta = _parameters[k].Value.AsSpan();
            var grad = _parameters[k].Grad.AsSpan();
            var m = _m[k].AsSpan();
            var v = _v[k].AsSpan();
            var g = _g[k].AsSpan();
            if (WeightDecay > 0) TensorPrimitives.MultiplyAdd(theta, WeightDecay, grad, g);
            else grad.CopyTo(g);
            TensorPrimitives.Lerp(m, g, 1 - Beta1, m);          // m = β₁m + (1−β₁)g
            TensorPrimitives.Multiply(g, g, g);
            TensorPrimitives.Lerp(v, g, 1 - Beta2, v);          // v = β₂v + (1−β₂)g²
            TensorPrimitives.Sqrt(v, g);                        // g is free now: denominator √v/√(1−β₂ᵗ) + ε
            TensorPrimitives.Multiply(g, 1f / bc2Sqrt, g);
            TensorPrimitives.Add(g, Epsilon, g);
            TensorPrimitives.Divide(m, g, g);
            TensorPrimitives.MultiplyAdd(g, -stepSize, theta, theta);
        }
    }
}
