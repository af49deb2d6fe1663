using System.Numerics.Tensors;
using TabTwin.Randomness;

namespace TabTwin.Neural;

/// <summary>
/// Uniform and Gumbel noise for training loops (tens of millions of draws per epoch): uniforms from a seeded
/// stream, transformed with <see cref="TensorPrimitives"/>. Stateless and allocation-free.
/// </summary>
internal static class UniformNoise
{
    /// <summary>
    /// Uniforms in the open interval (0, 1), two per 64 random bits. 23-bit resolution: (k + ½)/2²³ is exact in
    /// float32, so the largest value stays below 1 (with 24 bits it would round to 1 and −log(−log U) overflow).
    /// </summary>
    public static void Fill(Span<float> target, SeededRandom random)
    {
        const float scale = 1f / (1 << 23);
        for (int i = 0; i < target.Length; i += 2)
        {
            ulong bits = random.NextUInt64();
            target[i] = ((uint)(bits >> 41) + 0.5f) * scale;
            if (i + 1 < target.Length) target[i + 1] = (((uint)(bits >> 9) & 0x7FFFFF) + 0.5f) * scale;
        }
    }

    /// <summary>Gumbel(0, 1) noise −log(−log U).</summary>
    public static void FillGumbel(Span<float> target, SeededRandom random)
    {
        Fill(target, random);
        TensorPrimitives.Log(target, target);
        TensorPrimitives.Negate(target, target);
        TensorPrimitives.Log(target, target);
        TensorPrimitives.Negate(target, target);
    }
}
