using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace TabTwin.Neural;

/// <summary>
/// Adam exactly as PyTorch's torch.optim.Adam (not AdamW): weight decay adds λ·θ to the gradient (L2), then
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − (lr/(1−β₁ᵗ))·m/(√v/√(1−β₂ᵗ) + ε). Moment buffers are
/// allocated once; <see cref="Step"/> does not allocate and reads each tensor once (one fused SIMD pass).
/// </summary>
internal sealed class Adam
{
    private readonly Parameter[] _parameters;
    private readonly float[][] _m, _v;
    private readonly (int Parameter, int Start, int Length)[] _chunks;
    private readonly StepJob _job;
    private long _step;
    /// <summary>Elements per parallel chunk of <see cref="Step"/> (a multiple of every vector width).</summary>
    private const int ChunkLength = 1 << 15;

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
        _chunks = _parameters.SelectMany((p, k) => Enumerable.Range(0, (p.Length + ChunkLength - 1) / ChunkLength)
            .Select(c => (k, c * ChunkLength, Math.Min(ChunkLength, p.Length - c * ChunkLength)))).ToArray();
        _job = new StepJob(this);
    }

    /// <summary>Where <see cref="Step"/> runs (null = the calling thread). The update is element-wise, so the result is the same.</summary>
    public ParallelRunner? Runner { get; set; }

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

    /// <summary>
    /// One update of every parameter: a single fused SIMD pass per tensor (weight decay, both moments, the
    /// bias-corrected step) in PyTorch's operation order. Element-wise only, no reductions, so the result does
    /// not depend on the thread count; the scalar tail repeats the vector body's operations exactly.
    /// </summary>
    public void Step()
    {
        _step++;
        float bc1 = 1 - MathF.Pow(Beta1, _step);
        float bc2Sqrt = MathF.Sqrt(1 - MathF.Pow(Beta2, _step));
        _job.StepSize = LearningRate / bc1;
        _job.Bc2Sqrt = bc2Sqrt;
        if (Runner is { Threads: > 1 } runner) runner.Run(_job, _chunks.Length);
        else for (int c = 0; c < _chunks.Length; c++) _job.RunBlock(c);
        foreach (var p in _parameters) p.MarkChanged();
    }

    /// <summary>One chunk of one tensor per block: chunks are independent, element-wise updates.</summary>
    private sealed class StepJob(Adam adam) : IBlockJob
    {
        public float StepSize, Bc2Sqrt;

        public void RunBlock(int block)
        {
            var (k, start, length) = adam._chunks[block];
            adam.Update(adam._parameters[k].Value.AsSpan().Slice(start, length), adam._parameters[k].Grad.AsSpan().Slice(start, length),
                adam._m[k].AsSpan(start, length), adam._v[k].AsSpan(start, length), StepSize, Bc2Sqrt);
        }
    }

    private void Update(Span<float> theta, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, float stepSize, float bc2Sqrt)
    {
        float oneMinusBeta1 = 1 - Beta1, beta2 = Beta2, oneMinusBeta2 = 1 - Beta2, eps = Epsilon, decay = WeightDecay;
        int n = theta.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var thetaV = MemoryMarshal.Cast<float, Vector<float>>(theta);
            var gradV = MemoryMarshal.Cast<float, Vector<float>>(grad);
            var mV = MemoryMarshal.Cast<float, Vector<float>>(m);
            var vV = MemoryMarshal.Cast<float, Vector<float>>(v);
            var b1 = new Vector<float>(oneMinusBeta1);
            var b2 = new Vector<float>(beta2);
            var c2 = new Vector<float>(oneMinusBeta2);
            var bc = new Vector<float>(bc2Sqrt);
            var e = new Vector<float>(eps);
            var wd = new Vector<float>(decay);
            var lr = new Vector<float>(stepSize);
            for (int j = 0; j < thetaV.Length; j++)
            {
                var t = thetaV[j];
                var g = gradV[j] + t * wd;                          // L2 weight decay (exactly g when decay = 0)
                var mj = mV[j] + (g - mV[j]) * b1;                  // m.lerp_(g, 1 − β₁)
                var vj = vV[j] * b2 + g * g * c2;                   // v·β₂ + (1 − β₂)·g²
                mV[j] = mj; vV[j] = vj;
                thetaV[j] = t - lr * (mj / (Vector.SquareRoot(vj) / bc + e));
            }
            i = thetaV.Length * Vector<float>.Count;
        }
        for (; i < n; i++)
        {
            float t = theta[i];
            float g = grad[i] + t * decay;
            float mi = m[i] + (g - m[i]) * oneMinusBeta1;
            float vi = v[i] * beta2 + g * g * oneMinusBeta2;
            m[i] = mi; v[i] = vi;
            theta[i] = t - stepSize * (mi / (MathF.Sqrt(vi) / bc2Sqrt + eps));
        }
    }
}
