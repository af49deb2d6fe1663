using TabTwin.Encoding;

namespace TabTwin.Neural;

/// <summary>
/// Inverted dropout: in training each element is kept with probability 1 − p and scaled by 1/(1 − p); evaluation
/// is the identity. Masks come from the layer's own seeded stream, so a training run is reproducible.
/// </summary>
public sealed class Dropout : Layer
{
    private readonly SeededRandom _random;
    private Matrix? _mask, _output, _inputGrad;
    private bool _lastTraining;

    public Dropout(float probability, SeededRandom random)
    {
        if (!(probability is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(probability), "Dropout probability must be in [0, 1).");
        Probability = probability;
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
        // Compare 24-bit uniforms against p: two draws per 64 random bits.
        uint threshold = (uint)Math.Round(Probability * (1 << 24));
        for (int i = 0; i < m.Length; i += 2)
        {
            ulong bits = _random.NextUInt64();
            m[i] = ((uint)(bits >> 40) >= threshold) ? keep : 0f;
            if (i + 1 < m.Length) m[i + 1] = ((uint)(bits >> 8) & 0xFFFFFF) >= threshold ? keep : 0f;
        }
        System.Numerics.Tensors.TensorPrimitives.Multiply(x, m, o);
        return y;
    }

    public override Matrix Backward(Matrix outputGradient)
    {
        if (!_lastTraining) return outputGradient;
        var dx = Matrix.Ensure(ref _inputGrad, outputGradient.Rows, outputGradient.Cols);
        System.Numerics.Tensors.TensorPrimitives.Multiply(outputGradient.AsSpan(), _mask!.AsSpan(), dx.AsSpan());
        return dx;
    }
}
