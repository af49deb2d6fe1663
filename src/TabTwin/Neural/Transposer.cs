using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TabTwin.Neural;

/// <summary>
/// Writes Bᵀ so that A·Bᵀ runs on the plain A·B kernel (input gradients dY·Wᵀ). The transpose is exact, so the
/// product is still one FMA chain per element, whatever the thread count.
/// </summary>
/// <remarks>
/// Single-threaded on purpose: splitting the copy over two threads ran slower than one (measured on 2,780 × 256: either
/// the threads shared the result's cache lines, or they shared the memory bandwidth the copy is bound by).
/// </remarks>
internal static class Transposer
{
    [ThreadStatic] private static float[]? t_buffer;

    /// <summary>
    /// Bᵀ (B: <paramref name="rows"/> × <paramref name="k"/>, row-major) into a buffer owned by the calling thread, laid
    /// out k × rows; with <paramref name="only"/>, just those rows of B (columns of the result) are written.
    /// </summary>
    public static float[] Transpose(float[] b, IndexRanges? only, int rows, int k)
    {
        long need = (long)k * rows;
        var buffer = t_buffer is { } existing && existing.Length >= need ? existing : t_buffer = new float[need];
        Transpose(b, only, rows, k, buffer);
        return buffer;
    }

    /// <summary>Bᵀ into <paramref name="destination"/> (k × rows); with <paramref name="only"/>, just those rows of B.</summary>
    public static void Transpose(float[] b, IndexRanges? only, int rows, int k, float[] destination)
    {
        if (only is null) Copy(b, destination, 0, rows, k, rows);
        else
            for (int i = 0; i < only.Count; i++) Copy(b, destination, only.Start(i), only.End(i), k, rows);
    }

    /// <summary>dst[p·stride + j] = b[j·k + p] for j in [from, to): 8×8 blocks through AVX shuffles, the edges one by one.</summary>
    private static void Copy(float[] b, float[] dst, int from, int to, int k, int stride)
    {
        ref float src = ref MemoryMarshal.GetArrayDataReference(b);
        ref float d = ref MemoryMarshal.GetArrayDataReference(dst);
        int j = from;
        if (Avx.IsSupported)
        {
            for (; j + 8 <= to; j += 8)
            {
                int p = 0;
                for (; p + 8 <= k; p += 8) Block8(ref Unsafe.Add(ref src, j * k + p), k, ref Unsafe.Add(ref d, p * stride + j), stride);
                for (; p < k; p++)
                    for (int q = j; q < j + 8; q++) Unsafe.Add(ref d, p * stride + q) = Unsafe.Add(ref src, q * k + p);
            }
        }
        for (; j < to; j++)
            for (int p = 0; p < k; p++) Unsafe.Add(ref d, p * stride + j) = Unsafe.Add(ref src, j * k + p);
    }

    /// <summary>Transposes the 8×8 block at <paramref name="s"/> (row stride <paramref name="ss"/>) into <paramref name="d"/> (row stride <paramref name="ds"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8(ref float s, int ss, ref float d, int ds)
    {
        var r0 = Vector256.LoadUnsafe(ref s); var r1 = Vector256.LoadUnsafe(ref s, (nuint)ss);
        var r2 = Vector256.LoadUnsafe(ref s, (nuint)(2 * ss)); var r3 = Vector256.LoadUnsafe(ref s, (nuint)(3 * ss));
        var r4 = Vector256.LoadUnsafe(ref s, (nuint)(4 * ss)); var r5 = Vector256.LoadUnsafe(ref s, (nuint)(5 * ss));
        var r6 = Vector256.LoadUnsafe(ref s, (nuint)(6 * ss)); var r7 = Vector256.LoadUnsafe(ref s, (nuint)(7 * ss));
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref d);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref d, (nuint)ds);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref d, (nuint)(2 * ds));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref d, (nuint)(3 * ds));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref d, (nuint)(4 * ds));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref d, (nuint)(5 * ds));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref d, (nuint)(6 * ds));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref d, (nuint)(7 * ds));
    }
}
