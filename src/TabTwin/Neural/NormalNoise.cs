using System.Numerics.Tensors;
using TabTwin.Randomness;

namespace TabTwin.Neural;

/// <summary>
/// Fills buffers with standard normal float32 draws (Box–Muller, vectorised with TensorPrimitives), two 24-bit
/// uniforms per 64 random bits of a <see cref="SeededRandom"/>. Scratch buffers are owned by the instance and
/// reused, so filling does not allocate after the first call. Not thread-safe (one per training loop or sample block).
/// </summary>
internal sealed class NormalNoise
{
    private float[] _radius = [], _angle = [], _sin = [];

    public void Fill(Span<float> destination, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int pairs = (destination.Length + 1) / 2;
        if (_radius.Length < pairs) { _radius = new float[pairs]; _angle = new float[pairs]; _sin = new float[pairs]; }
        var r = _radius.AsSpan(0, pairs);
        var a = _angle.AsSpan(0, pairs);
        var s = _sin.AsSpan(0, pairs);
        const float unit = 1f / (1 << 24);
        for (int i = 0; i < pairs; i++)
        {
            ulong bits = random.NextUInt64();
            r[i] = ((uint)(bits >> 40) + 0.5f) * unit;                 // (0, 1): safe for log
            a[i] = (((uint)bits & 0xFFFFFF) + 0.5f) * unit * (2 * MathF.PI);
        }
        TensorPrimitives.Log(r, r);
        TensorPrimitives.Multiply(r, -2f, r);
        TensorPrimitives.Sqrt(r, r);
        TensorPrimitives.SinCos(a, s, a);                              // a now holds cos
        int half = destination.Length / 2;
        TensorPrimitives.Multiply(r[..half], a[..half], destination[..half]);
        TensorPrimitives.Multiply(r[..(destination.Length - half)], s[..(destination.Length - half)], destination[half..]);
    }
}
