using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TabTwin.Neural;

/// <summary>
/// C = A·Bᵀ as dot products of rows (A: n×k, B: m×k, both row-major), for <see cref="MatMul.MultiplyTransposedB"/> on
/// CPUs without 512-bit units (with them, a transpose and the plain kernel are faster): reading B along its rows avoids
/// transposing a weight matrix stored in×out. Tiles of 4 rows of A
/// × 2 rows of B keep eight Vector256 accumulators in registers. Every element is computed the same way whichever
/// tile or edge path computes it (8-lane FMA chain over k, a fixed horizontal sum, then a scalar FMA tail), so the
/// result does not depend on how C is partitioned across threads.
/// </summary>
internal static class DotKernel
{
    public static void Run(float[] aArr, float[] bArr, float[] cArr, int rowStart, int rowEnd, int colStart, int colEnd, int k, int m, bool acc)
    {
        ref float a = ref MemoryMarshal.GetArrayDataReference(aArr);
        ref float b = ref MemoryMarshal.GetArrayDataReference(bArr);
        ref float c = ref MemoryMarshal.GetArrayDataReference(cArr);
        if (!Vector256.IsHardwareAccelerated)
        {
            for (int i = rowStart; i < rowEnd; i++)
                for (int j = colStart; j < colEnd; j++) Put(ref c, i * m + j, ScalarDot(ref a, i * k, ref b, j * k, 0, k, 0f), acc);
            return;
        }
        int kv = k & ~7;
        int r = rowStart;
        for (; r + 4 <= rowEnd; r += 4)
        {
            int a0 = r * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
            int j = colStart;
            for (; j + 2 <= colEnd; j += 2)
            {
                int b0 = j * k, b1 = b0 + k;
                Vector256<float> s00 = default, s01 = default, s10 = default, s11 = default,
                                 s20 = default, s21 = default, s30 = default, s31 = default;
                for (int p = 0; p < kv; p += 8)
                {
                    var w0 = Load(ref b, b0 + p); var w1 = Load(ref b, b1 + p);
                    var x = Load(ref a, a0 + p);
                    s00 = Vector256.FusedMultiplyAdd(x, w0, s00); s01 = Vector256.FusedMultiplyAdd(x, w1, s01);
                    x = Load(ref a, a1 + p);
                    s10 = Vector256.FusedMultiplyAdd(x, w0, s10); s11 = Vector256.FusedMultiplyAdd(x, w1, s11);
                    x = Load(ref a, a2 + p);
                    s20 = Vector256.FusedMultiplyAdd(x, w0, s20); s21 = Vector256.FusedMultiplyAdd(x, w1, s21);
                    x = Load(ref a, a3 + p);
                    s30 = Vector256.FusedMultiplyAdd(x, w0, s30); s31 = Vector256.FusedMultiplyAdd(x, w1, s31);
                }
                // Horizontal sums, then the scalar tail of k (k mod 8 elements), in the same order as Finish.
                float t00 = Vector256.Sum(s00), t01 = Vector256.Sum(s01), t10 = Vector256.Sum(s10), t11 = Vector256.Sum(s11),
                      t20 = Vector256.Sum(s20), t21 = Vector256.Sum(s21), t30 = Vector256.Sum(s30), t31 = Vector256.Sum(s31);
                for (int p = kv; p < k; p++)
                {
                    float w0 = Unsafe.Add(ref b, b0 + p), w1 = Unsafe.Add(ref b, b1 + p);
                    float x = Unsafe.Add(ref a, a0 + p);
                    t00 = MathF.FusedMultiplyAdd(x, w0, t00); t01 = MathF.FusedMultiplyAdd(x, w1, t01);
                    x = Unsafe.Add(ref a, a1 + p);
                    t10 = MathF.FusedMultiplyAdd(x, w0, t10); t11 = MathF.FusedMultiplyAdd(x, w1, t11);
                    x = Unsafe.Add(ref a, a2 + p);
                    t20 = MathF.FusedMultiplyAdd(x, w0, t20); t21 = MathF.FusedMultiplyAdd(x, w1, t21);
                    x = Unsafe.Add(ref a, a3 + p);
                    t30 = MathF.FusedMultiplyAdd(x, w0, t30); t31 = MathF.FusedMultiplyAdd(x, w1, t31);
                }
                int c0 = r * m + j, c1 = c0 + m, c2 = c1 + m, c3 = c2 + m;
                Put(ref c, c0, t00, acc); Put(ref c, c0 + 1, t01, acc);
                Put(ref c, c1, t10, acc); Put(ref c, c1 + 1, t11, acc);
                Put(ref c, c2, t20, acc); Put(ref c, c2 + 1, t21, acc);
                Put(ref c, c3, t30, acc); Put(ref c, c3 + 1, t31, acc);
            }
            for (; j < colEnd; j++)
                for (int q = 0; q < 4; q++) One(ref a, ref b, ref c, r + q, j, kv, k, m, acc);
        }
        for (; r < rowEnd; r++)
            for (int j = colStart; j < colEnd; j++) One(ref a, ref b, ref c, r, j, kv, k, m, acc);
    }

    private static void One(ref float a, ref float b, ref float c, int i, int j, int kv, int k, int m, bool acc)
    {
        int ai = i * k, bj = j * k;
        Vector256<float> s = default;
        for (int p = 0; p < kv; p += 8) s = Vector256.FusedMultiplyAdd(Load(ref a, ai + p), Load(ref b, bj + p), s);
        Finish(ref a, ref b, ref c, s, ai, bj, i * m + j, kv, k, acc);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Finish(ref float a, ref float b, ref float c, Vector256<float> s, int ai, int bj, int ci, int kv, int k, bool acc) =>
        Put(ref c, ci, ScalarDot(ref a, ai, ref b, bj, kv, k, Vector256.Sum(s)), acc);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ScalarDot(ref float a, int ai, ref float b, int bj, int from, int to, float s)
    {
        for (int p = from; p < to; p++) s = MathF.FusedMultiplyAdd(Unsafe.Add(ref a, ai + p), Unsafe.Add(ref b, bj + p), s);
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(ref float c, int ci, float value, bool acc) => Unsafe.Add(ref c, ci) = acc ? Unsafe.Add(ref c, ci) + value : value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(ref float origin, int offset) => Vector256.LoadUnsafe(ref origin, (nuint)offset);
}
