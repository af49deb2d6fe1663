using System.Numerics.Tensors;
using TabTwin.Encoding;

namespace TabTwin.Synthesizers.Ctgan;

/// <summary>
/// Vectorised noise for the training loop (tens of millions of draws per epoch): uniforms from a seeded
/// stream, then Box–Muller normals and Gumbel noise with <see cref="TensorPrimitives"/>. Scratch buffers are
/// kept, so filling allocates nothing after the first call. Not thread-safe: one instance per thread.
/// </summary>
internal sealed class Noise
{
    private const float TwoPi = 2 * MathF.PI;
    private float[] _a = [], _b = [];

    /// <summary>
    /// Uniforms in the open interval (0, 1), two per 64 random bits. 23-bit resolution: (k + ½)/2²³ is exact in
    /// float32, so the largest value stays below 1 (with 24 bits it would round to 1 and −log(−log U) overflow).
    /// </summary>
    public static void FillUniform(Span<float> target, SeededRandom random)
    {
        const float scale = 1f / (1 << 23);
        for (int i = 0; i < target.Length; i += 2)
        {
            ulong bits = random.NextUInt64();
            target[i] = ((uint)(bits >> 41) + 0.5f) * scale;
            if (i + 1 < target.Length) target[i + 1] = (((uint)(bits >> 9) & 0x7FFFFF) + 0.5f) * scale;
        }
    }

    /// <summary>Standard normals (Box–Muller: both values of every pair are used).</summary>
    public void FillNormal(Span<float> target, SeededRandom random)
    {
        int pairs = (target.Length + 1) / 2;
        if (_a.Length < pairs) { _a = new float[pairs]; _b = new float[pairs]; }
        var u1 = _a.AsSpan(0, pairs);
        var u2 = _b.AsSpan(0, pairs);
        FillUniform(u1, random);
        FillUniform(u2, random);
        TensorPrimitives.Log(u1, u1);
        TensorPrimitives.Multiply(u1, -2f, u1);
        TensorPrimitives.Sqrt(u1, u1);                  // radius
        TensorPrimitives.Multiply(u2, TwoPi, u2);       // angle
        int half = target.Length / 2;
        TensorPrimitives.Cos(u2[..half], target[..half]);
        TensorPrimitives.Multiply(target[..half], u1[..half], target[..half]);
        TensorPrimitives.Sin(u2, u2);
        TensorPrimitives.Multiply(u2, u1, u2);
        u2[..(target.Length - half)].CopyTo(target[half..]);
    }

    /// <summary>Gumbel(0, 1) noise −log(−log U).</summary>
    public void FillGumbel(Span<float> target, SeededRandom random)
    {
        FillUniform(target, random);
        TensorPrimitives.Log(target, target);
        TensorPrimitives.Negate(target, target);
        TensorPrimitives.Log(target, target);
        TensorPrimitives.Negate(target, target);
    }
}
