using TabTwin.Randomness;

namespace TabTwin.Neural;

/// <summary>
/// Inverted dropout: in training each element is kept with probability 1 − p and scaled by 1/(1 − p); evaluation
/// is the identity. Masks come from the layer's own seeded stream, so a training run is reproducible.
/// </summary>
internal sealed class Dropout : Layer
{
    private readonly SeededRandom _random;
    private readonly int _maskBits;
    private Matrix? _mask, _output, _inputGrad;
    private bool _lastTraining;

    public Dropout(float probability, SeededRandom random)
    {
        if (!(probability is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(probability), "Dropout probability must be in [0, 1).");
        Probability = probability;
        _maskBits = BitsFor(probability);
        _random = random ?? throw new ArgumentNullException(nameof(random));
    }

    public float Probability { get; }

    /// <summary>The scale-included mask of the last training forward pass (0 or 1/(1 − p) per element).</summary>
    public Matrix? LastMask => _lastTraining ? _mask : null;

    public override Matrix Forward(Matrix input, bool training)
    {
        _lastTraining = training && Probability > 0;
        if (!_lastTraining) return input;
        var mask = Matrix.Ensure(ref _mask, input.Rows, input.Cols);
        var y = Matrix.Ensure(ref _output, input.Rows, input.Cols);
        float keep = 1f / (1 - Probability);
        var m = mask.AsSpan();
        var x = input.AsSpan();
        var o = y.AsSpan();
        FillMask(m, keep);
        System.Numerics.Tensors.TensorPrimitives.Multiply(x, m, o);
        return y;
    }

    /// <summary>
    /// Each element kept with probability 1 − p. p is compared against b-bit uniforms, with b the fewest bits that
    /// represent p exactly (1 bit for the usual p = 0.5, so one 64-bit draw masks 64 elements), else 24 bits.
    /// </summary>
    private void FillMask(Span<float> m, float keep)
    {
        int bits = _maskBits;
        uint threshold = (uint)Math.Round(Probability * (1 << bits));
        ulong fieldMask = (1UL << bits) - 1;
        int perDraw = 64 / bits;
        for (int i = 0; i < m.Length; i += perDraw)
        {
            ulong draw = _random.NextUInt64();
            int end = Math.Min(m.Length, i + perDraw);
            for (int j = i; j < end; j++, draw >>= bits) m[j] = (uint)(draw & fieldMask) >= threshold ? keep : 0f;
        }
    }

    private static int BitsFor(float p)
    {
        for (int b = 1; b <= 24; b++)
        {
            double scaled = p * (double)(1 << b);
            if (scaled == Math.Floor(scaled)) return b;
        }
        return 24;
    }

    public override Matrix Backward(Matrix outputGradient)
    {
        if (!_lastTraining) return outputGradient;
        var dx = Matrix.Ensure(ref _inputGrad, outputGradient.Rows, outputGradient.Cols);
        System.Numerics.Tensors.TensorPrimitives.Multiply(outputGradient.AsSpan(), _mask!.AsSpan(), dx.AsSpan());
        return dx;
    }
}
