using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TabTwin.Neural;

/// <summary>
/// C (+)= A·B over one block of C for <see cref="MatMul"/>: register tiles of 8 rows × 32 columns (512-bit units), 4 × 16
/// (256-bit) and single rows, over slices of the inner dimension. Every element is one FMA chain over the inner index
/// in order, whichever tile or edge path computes it, so results do not depend on how C is partitioned.
/// </summary>
internal static class PlainKernel
{
    /// <summary>
    /// C[r, j] (+)= Σ_p A(r, p)·B[p, j] for r in [rowStart, rowEnd), j in [colStart, colEnd); A(r, p) = a[r·rs + p·ps].
    /// Every element is one FMA chain over p in order, whichever path (32-, 16-, 8-, 4-wide or scalar) computes it.
    /// </summary>
    public static void Run(float[] a, int rs, int ps, float[] b, float[] c, int rowStart, int rowEnd, int colStart, int colEnd, int k, int m,
        bool acc, IndexRanges? inner)
    {
        // Long inner dimensions (the critic's 2,780 packed inputs) run in slices of KBlock so the slice of B stays in
        // cache across row groups. C holds the running sums between slices: a float32 stored and reloaded is the
        // same float32, so every element is still exactly one FMA chain over p in order.
        bool first = true;
        int ranges = inner?.Count ?? 1;
        for (int range = 0; range < ranges; range++)
        {
            int from = inner?.Start(range) ?? 0, to = inner?.End(range) ?? k;
            for (int p0 = from; p0 < to; p0 += KBlock)
            {
                int p1 = Math.Min(to, p0 + KBlock);
                bool accumulate = acc || !first;
                first = false;
                int r = rowStart;
                if (Vector512.IsHardwareAccelerated)
                {
                    for (; r + 8 <= rowEnd; r += 8) Rows8(a, rs, ps, b, c, r, colStart, colEnd, p0, p1, m, accumulate);
                }
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; r + 4 <= rowEnd; r += 4) Rows4(a, rs, ps, b, c, r, colStart, colEnd, p0, p1, m, accumulate);
                }
                else if (Vector128.IsHardwareAccelerated)
                {
                    for (; r + 4 <= rowEnd; r += 4) Rows4Narrow(a, rs, ps, b, c, r, colStart, colEnd, p0, p1, m, accumulate);
                }
                for (; r < rowEnd; r++) Rows1(a, rs, ps, b, c, r, colStart, colEnd, p0, p1, m, accumulate);
            }
        }
        if (first && !acc)
            for (int r = rowStart; r < rowEnd; r++) c.AsSpan(r * m + colStart, colEnd - colStart).Clear();
    }

    /// <summary>Slice of the inner dimension per pass of <see cref="Run"/>.</summary>
    private const int KBlock = 256;

    /// <summary>
    /// 8 rows × 32 columns of 512-bit accumulators (16 registers, two loads of B per 16 FMAs); columns left over go
    /// through <see cref="Rows4"/> for each half. Per element the same FMA chain as every other path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows8(float[] aArr, int rs, int ps, float[] bArr, float[] cArr, int r, int colStart, int colEnd, int p0, int p1, int m, bool acc)
    {
        ref float a = ref MemoryMarshal.GetArrayDataReference(aArr);
        ref float b = ref MemoryMarshal.GetArrayDataReference(bArr);
        ref float c = ref MemoryMarshal.GetArrayDataReference(cArr);
        int a0 = r * rs, c0 = r * m;
        int j = colStart;
        for (; j + 32 <= colEnd; j += 32)
        {
            Vector512<float> s00, s01, s10, s11, s20, s21, s30, s31, s40, s41, s50, s51, s60, s61, s70, s71;
            if (acc)
            {
                int cc = c0 + j;
                s00 = Load512(ref c, cc); s01 = Load512(ref c, cc + 16); cc += m;
                s10 = Load512(ref c, cc); s11 = Load512(ref c, cc + 16); cc += m;
                s20 = Load512(ref c, cc); s21 = Load512(ref c, cc + 16); cc += m;
                s30 = Load512(ref c, cc); s31 = Load512(ref c, cc + 16); cc += m;
                s40 = Load512(ref c, cc); s41 = Load512(ref c, cc + 16); cc += m;
                s50 = Load512(ref c, cc); s51 = Load512(ref c, cc + 16); cc += m;
                s60 = Load512(ref c, cc); s61 = Load512(ref c, cc + 16); cc += m;
                s70 = Load512(ref c, cc); s71 = Load512(ref c, cc + 16);
            }
            else s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = s40 = s41 = s50 = s51 = s60 = s61 = s70 = s71 = Vector512<float>.Zero;
            int bp = p0 * m + j, ap = a0 + p0 * ps;
            for (int p = p0; p < p1; p++, bp += m, ap += ps)
            {
                var b0 = Load512(ref b, bp);
                var b1 = Load512(ref b, bp + 16);
                ref float ar = ref Unsafe.Add(ref a, ap);
                var x = Vector512.Create(ar);
                s00 = Vector512.FusedMultiplyAdd(x, b0, s00); s01 = Vector512.FusedMultiplyAdd(x, b1, s01);
                x = Vector512.Create(Unsafe.Add(ref ar, rs));
                s10 = Vector512.FusedMultiplyAdd(x, b0, s10); s11 = Vector512.FusedMultiplyAdd(x, b1, s11);
                x = Vector512.Create(Unsafe.Add(ref ar, 2 * rs));
                s20 = Vector512.FusedMultiplyAdd(x, b0, s20); s21 = Vector512.FusedMultiplyAdd(x, b1, s21);
                x = Vector512.Create(Unsafe.Add(ref ar, 3 * rs));
                s30 = Vector512.FusedMultiplyAdd(x, b0, s30); s31 = Vector512.FusedMultiplyAdd(x, b1, s31);
                x = Vector512.Create(Unsafe.Add(ref ar, 4 * rs));
                s40 = Vector512.FusedMultiplyAdd(x, b0, s40); s41 = Vector512.FusedMultiplyAdd(x, b1, s41);
                x = Vector512.Create(Unsafe.Add(ref ar, 5 * rs));
                s50 = Vector512.FusedMultiplyAdd(x, b0, s50); s51 = Vector512.FusedMultiplyAdd(x, b1, s51);
                x = Vector512.Create(Unsafe.Add(ref ar, 6 * rs));
                s60 = Vector512.FusedMultiplyAdd(x, b0, s60); s61 = Vector512.FusedMultiplyAdd(x, b1, s61);
                x = Vector512.Create(Unsafe.Add(ref ar, 7 * rs));
                s70 = Vector512.FusedMultiplyAdd(x, b0, s70); s71 = Vector512.FusedMultiplyAdd(x, b1, s71);
            }
            int co = c0 + j;
            Store512(s00, ref c, co); Store512(s01, ref c, co + 16); co += m;
            Store512(s10, ref c, co); Store512(s11, ref c, co + 16); co += m;
            Store512(s20, ref c, co); Store512(s21, ref c, co + 16); co += m;
            Store512(s30, ref c, co); Store512(s31, ref c, co + 16); co += m;
            Store512(s40, ref c, co); Store512(s41, ref c, co + 16); co += m;
            Store512(s50, ref c, co); Store512(s51, ref c, co + 16); co += m;
            Store512(s60, ref c, co); Store512(s61, ref c, co + 16); co += m;
            Store512(s70, ref c, co); Store512(s71, ref c, co + 16);
        }
        if (j < colEnd)
        {
            Rows4(aArr, rs, ps, bArr, cArr, r, j, colEnd, p0, p1, m, acc);
            Rows4(aArr, rs, ps, bArr, cArr, r + 4, j, colEnd, p0, p1, m, acc);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows4(float[] aArr, int rs, int ps, float[] bArr, float[] cArr, int r, int colStart, int colEnd, int p0, int p1, int m, bool acc)
    {
        ref float a = ref MemoryMarshal.GetArrayDataReference(aArr);
        ref float b = ref MemoryMarshal.GetArrayDataReference(bArr);
        ref float c = ref MemoryMarshal.GetArrayDataReference(cArr);
        int a0 = r * rs, a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs;
        int c0 = r * m, c1 = c0 + m, c2 = c1 + m, c3 = c2 + m;
        int j = colStart;
        for (; j + 16 <= colEnd; j += 16)
        {
            Vector256<float> s00, s01, s10, s11, s20, s21, s30, s31;
            if (acc)
            {
                s00 = Load(ref c, c0 + j); s01 = Load(ref c, c0 + j + 8);
                s10 = Load(ref c, c1 + j); s11 = Load(ref c, c1 + j + 8);
                s20 = Load(ref c, c2 + j); s21 = Load(ref c, c2 + j + 8);
                s30 = Load(ref c, c3 + j); s31 = Load(ref c, c3 + j + 8);
            }
            else s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = Vector256<float>.Zero;
            int bp = p0 * m + j, ap = p0 * ps;
            for (int p = p0; p < p1; p++, bp += m, ap += ps)
            {
                var b0 = Load(ref b, bp);
                var b1 = Load(ref b, bp + 8);
                var x = Vector256.Create(Unsafe.Add(ref a, a0 + ap));
                s00 = Vector256.FusedMultiplyAdd(x, b0, s00); s01 = Vector256.FusedMultiplyAdd(x, b1, s01);
                x = Vector256.Create(Unsafe.Add(ref a, a1 + ap));
                s10 = Vector256.FusedMultiplyAdd(x, b0, s10); s11 = Vector256.FusedMultiplyAdd(x, b1, s11);
                x = Vector256.Create(Unsafe.Add(ref a, a2 + ap));
                s20 = Vector256.FusedMultiplyAdd(x, b0, s20); s21 = Vector256.FusedMultiplyAdd(x, b1, s21);
                x = Vector256.Create(Unsafe.Add(ref a, a3 + ap));
                s30 = Vector256.FusedMultiplyAdd(x, b0, s30); s31 = Vector256.FusedMultiplyAdd(x, b1, s31);
            }
            Store(s00, ref c, c0 + j); Store(s01, ref c, c0 + j + 8);
            Store(s10, ref c, c1 + j); Store(s11, ref c, c1 + j + 8);
            Store(s20, ref c, c2 + j); Store(s21, ref c, c2 + j + 8);
            Store(s30, ref c, c3 + j); Store(s31, ref c, c3 + j + 8);
        }
        for (; j + 8 <= colEnd; j += 8)
        {
            Vector256<float> s0, s1, s2, s3;
            if (acc) { s0 = Load(ref c, c0 + j); s1 = Load(ref c, c1 + j); s2 = Load(ref c, c2 + j); s3 = Load(ref c, c3 + j); }
            else s0 = s1 = s2 = s3 = Vector256<float>.Zero;
            int bp = p0 * m + j, ap = p0 * ps;
            for (int p = p0; p < p1; p++, bp += m, ap += ps)
            {
                var b0 = Load(ref b, bp);
                s0 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a, a0 + ap)), b0, s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a, a1 + ap)), b0, s1);
                s2 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a, a2 + ap)), b0, s2);
                s3 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a, a3 + ap)), b0, s3);
            }
            Store(s0, ref c, c0 + j); Store(s1, ref c, c1 + j); Store(s2, ref c, c2 + j); Store(s3, ref c, c3 + j);
        }
        for (; j < colEnd; j++)
        {
            for (int q = 0; q < 4; q++)
            {
                int aq = a0 + q * rs, cq = c0 + q * m + j;
                float s = acc ? Unsafe.Add(ref c, cq) : 0f;
                for (int p = p0, bp = p0 * m + j, ap = p0 * ps; p < p1; p++, bp += m, ap += ps)
                    s = MathF.FusedMultiplyAdd(Unsafe.Add(ref a, aq + ap), Unsafe.Add(ref b, bp), s);
                Unsafe.Add(ref c, cq) = s;
            }
        }
    }

    /// <summary>
    /// 4 rows × 8 columns of 128-bit accumulators, for CPUs whose widest accelerated vectors are 128 bits (Arm64 NEON,
    /// as in Apple silicon and Arm servers): eight accumulators fit every register file. Columns left over go
    /// through <see cref="Rows1"/> per row. Per element the same FMA chain as every other path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows4Narrow(float[] aArr, int rs, int ps, float[] bArr, float[] cArr, int r, int colStart, int colEnd, int p0, int p1, int m, bool acc)
    {
        ref float a = ref MemoryMarshal.GetArrayDataReference(aArr);
        ref float b = ref MemoryMarshal.GetArrayDataReference(bArr);
        ref float c = ref MemoryMarshal.GetArrayDataReference(cArr);
        int a0 = r * rs, a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs;
        int c0 = r * m, c1 = c0 + m, c2 = c1 + m, c3 = c2 + m;
        int j = colStart;
        for (; j + 8 <= colEnd; j += 8)
        {
            Vector128<float> s00, s01, s10, s11, s20, s21, s30, s31;
            if (acc)
            {
                s00 = Load128(ref c, c0 + j); s01 = Load128(ref c, c0 + j + 4);
                s10 = Load128(ref c, c1 + j); s11 = Load128(ref c, c1 + j + 4);
                s20 = Load128(ref c, c2 + j); s21 = Load128(ref c, c2 + j + 4);
                s30 = Load128(ref c, c3 + j); s31 = Load128(ref c, c3 + j + 4);
            }
            else s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = Vector128<float>.Zero;
            int bp = p0 * m + j, ap = p0 * ps;
            for (int p = p0; p < p1; p++, bp += m, ap += ps)
            {
                var b0 = Load128(ref b, bp);
                var b1 = Load128(ref b, bp + 4);
                var x = Vector128.Create(Unsafe.Add(ref a, a0 + ap));
                s00 = Vector128.FusedMultiplyAdd(x, b0, s00); s01 = Vector128.FusedMultiplyAdd(x, b1, s01);
                x = Vector128.Create(Unsafe.Add(ref a, a1 + ap));
                s10 = Vector128.FusedMultiplyAdd(x, b0, s10); s11 = Vector128.FusedMultiplyAdd(x, b1, s11);
                x = Vector128.Create(Unsafe.Add(ref a, a2 + ap));
                s20 = Vector128.FusedMultiplyAdd(x, b0, s20); s21 = Vector128.FusedMultiplyAdd(x, b1, s21);
                x = Vector128.Create(Unsafe.Add(ref a, a3 + ap));
                s30 = Vector128.FusedMultiplyAdd(x, b0, s30); s31 = Vector128.FusedMultiplyAdd(x, b1, s31);
            }
            s00.StoreUnsafe(ref c, (nuint)(c0 + j)); s01.StoreUnsafe(ref c, (nuint)(c0 + j + 4));
            s10.StoreUnsafe(ref c, (nuint)(c1 + j)); s11.StoreUnsafe(ref c, (nuint)(c1 + j + 4));
            s20.StoreUnsafe(ref c, (nuint)(c2 + j)); s21.StoreUnsafe(ref c, (nuint)(c2 + j + 4));
            s30.StoreUnsafe(ref c, (nuint)(c3 + j)); s31.StoreUnsafe(ref c, (nuint)(c3 + j + 4));
        }
        if (j < colEnd)
            for (int q = 0; q < 4; q++) Rows1(aArr, rs, ps, bArr, cArr, r + q, j, colEnd, p0, p1, m, acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Load128(ref float origin, int offset) => Vector128.LoadUnsafe(ref origin, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows1(float[] aArr, int rs, int ps, float[] bArr, float[] cArr, int r, int colStart, int colEnd, int p0, int p1, int m, bool acc)
    {
        ref float a = ref MemoryMarshal.GetArrayDataReference(aArr);
        ref float b = ref MemoryMarshal.GetArrayDataReference(bArr);
        ref float c = ref MemoryMarshal.GetArrayDataReference(cArr);
        int a0 = r * rs, c0 = r * m, j = colStart;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + 16 <= colEnd; j += 16)
            {
                var s = acc ? Load512(ref c, c0 + j) : Vector512<float>.Zero;
                for (int p = p0, bp = p0 * m + j, ap = a0 + p0 * ps; p < p1; p++, bp += m, ap += ps)
                    s = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, ap)), Load512(ref b, bp), s);
                Store512(s, ref c, c0 + j);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 8 <= colEnd; j += 8)
            {
                var s = acc ? Load(ref c, c0 + j) : Vector256<float>.Zero;
                for (int p = p0, bp = p0 * m + j, ap = a0 + p0 * ps; p < p1; p++, bp += m, ap += ps)
                    s = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a, ap)), Load(ref b, bp), s);
                Store(s, ref c, c0 + j);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; j + 4 <= colEnd; j += 4)
            {
                var s = acc ? Vector128.LoadUnsafe(ref c, (nuint)(c0 + j)) : Vector128<float>.Zero;
                for (int p = p0, bp = p0 * m + j, ap = a0 + p0 * ps; p < p1; p++, bp += m, ap += ps)
                    s = Vector128.FusedMultiplyAdd(Vector128.Create(Unsafe.Add(ref a, ap)), Vector128.LoadUnsafe(ref b, (nuint)bp), s);
                s.StoreUnsafe(ref c, (nuint)(c0 + j));
            }
        }
        for (; j < colEnd; j++)
        {
            float s = acc ? Unsafe.Add(ref c, c0 + j) : 0f;
            for (int p = p0, bp = p0 * m + j, ap = a0 + p0 * ps; p < p1; p++, bp += m, ap += ps)
                s = MathF.FusedMultiplyAdd(Unsafe.Add(ref a, ap), Unsafe.Add(ref b, bp), s);
            Unsafe.Add(ref c, c0 + j) = s;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(ref float origin, int offset) => Vector256.LoadUnsafe(ref origin, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> v, ref float origin, int offset) => v.StoreUnsafe(ref origin, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Load512(ref float origin, int offset) => Vector512.LoadUnsafe(ref origin, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(Vector512<float> v, ref float origin, int offset) => v.StoreUnsafe(ref origin, (nuint)offset);
}
