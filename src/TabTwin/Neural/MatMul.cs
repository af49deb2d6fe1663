using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TabTwin.Neural;

/// <summary>
/// Matrix products for the neural core: C = A·B, C = Aᵀ·B (weight gradients) and C = A·Bᵀ (input gradients),
/// optionally accumulating into C. A register-tiled kernel (4 rows × 16 columns of Vector256 FMAs) runs over a
/// fixed partition of C's rows into blocks; every element of C is computed by the same sequence of operations
/// whatever the thread count, so results are bit-identical for 1 or many threads.
/// </summary>
public static class MatMul
{
    /// <summary>Rows of C per parallel block (fixed: the partition must not depend on the thread count).</summary>
    private const int RowBlock = 16;
    /// <summary>Below this many multiply-adds the product runs on the calling thread.</summary>
    private const long ParallelThreshold = 1 << 17;
    /// <summary>Columns of C per block when there are few row blocks (a multiple of the kernels' 16-column tile).</summary>
    private const int ColBlock = 64;

    [ThreadStatic] private static Job? t_job;

    /// <summary>C = A·B (or C += A·B). A: n×k, B: k×m, C: reshaped to n×m.</summary>
    public static void Multiply(Matrix a, Matrix b, Matrix c, ParallelRunner? runner = null, bool accumulate = false) =>
        Multiply(a, b, c, null, runner, accumulate);

    /// <summary>
    /// C = bias + A·B with the 1×m <paramref name="bias"/> broadcast to every row (a dense layer's forward pass): each
    /// block of C starts from the bias inside the parallel product, so there is no separate pass over C.
    /// </summary>
    public static void Multiply(Matrix a, Matrix b, Matrix c, Matrix? bias, ParallelRunner? runner = null, bool accumulate = false)
    {
        if (a.Cols != b.Rows) throw new ArgumentException($"A·B needs A's columns ({a.Cols}) to equal B's rows ({b.Rows}).");
        if (bias is not null && (bias.Rows * bias.Cols != b.Cols || accumulate))
            throw new ArgumentException($"The bias must hold one value per column of the product ({b.Cols}) and cannot be combined with accumulate.");
        Prepare(c, a.Rows, b.Cols, accumulate);
        Run(runner, Product.Plain, a.Data, rowStride: a.Cols, innerStride: 1, b.Data, c, a.Rows, a.Cols, b.Cols, accumulate, bias?.Data);
    }

    /// <summary>C = Aᵀ·B (or C += Aᵀ·B) without transposing A. A: n×k, B: n×m, C: reshaped to k×m.</summary>
    public static void MultiplyTransposedA(Matrix a, Matrix b, Matrix c, ParallelRunner? runner = null, bool accumulate = false)
    {
        if (a.Rows != b.Rows) throw new ArgumentException($"Aᵀ·B needs A's rows ({a.Rows}) to equal B's rows ({b.Rows}).");
        Prepare(c, a.Cols, b.Cols, accumulate);
        Run(runner, Product.Plain, a.Data, rowStride: 1, innerStride: a.Cols, b.Data, c, a.Cols, a.Rows, b.Cols, accumulate);
    }

    /// <summary>
    /// C = A·Bᵀ (or C += A·Bᵀ). A: n×k, B: m×k, C: reshaped to n×m. Both operands are read along their rows (dot
    /// products), so B — a weight matrix stored in×out — is never transposed.
    /// </summary>
    public static void MultiplyTransposedB(Matrix a, Matrix b, Matrix c, ParallelRunner? runner = null, bool accumulate = false)
    {
        if (a.Cols != b.Cols) throw new ArgumentException($"A·Bᵀ needs A's columns ({a.Cols}) to equal B's columns ({b.Cols}).");
        Prepare(c, a.Rows, b.Rows, accumulate);
        Run(runner, Product.TransposedB, a.Data, rowStride: a.Cols, innerStride: 1, b.Data, c, a.Rows, a.Cols, b.Rows, accumulate);
    }

    private static void Prepare(Matrix c, int rows, int cols, bool accumulate)
    {
        if (accumulate)
        {
            if (c.Rows != rows || c.Cols != cols) throw new ArgumentException($"Accumulating into a {c.Rows}x{c.Cols} matrix; the product is {rows}x{cols}.");
        }
        else c.Reshape(rows, cols);
    }

    private enum Product { Plain, TransposedB }

    private static void Run(ParallelRunner? runner, Product product, float[] a, int rowStride, int innerStride, float[] b, Matrix c,
        int n, int k, int m, bool accumulate, float[]? bias = null)
    {
        if (n == 0 || m == 0) return;
        // The partition depends only on the shapes: row blocks of 16, and when that gives too few blocks to share
        // out (the critic's 50–100 packed rows), column blocks of 64 as well.
        int rowBlocks = (n + RowBlock - 1) / RowBlock;
        int colBlock = rowBlocks >= 8 || m <= ColBlock ? m : ColBlock;
        int colBlocks = (m + colBlock - 1) / colBlock;
        int blocks = rowBlocks * colBlocks;
        if (runner is null || runner.Threads == 1 || (long)n * k * m < ParallelThreshold || blocks == 1)
        {
            Block(product, a, rowStride, innerStride, b, c.Data, 0, n, 0, m, k, m, accumulate, bias);
            return;
        }
        var job = t_job ??= new Job();
        job.Set(product, a, rowStride, innerStride, b, c.Data, n, k, m, colBlock, colBlocks, accumulate, bias);
        runner.Run(job, blocks);
        job.Set(Product.Plain, null!, 0, 0, null!, null!, 0, 0, 0, 1, 1, false, null);
    }

    private static void Block(Product product, float[] a, int rs, int ps, float[] b, float[] c, int rowStart, int rowEnd,
        int colStart, int colEnd, int k, int m, bool acc, float[]? bias)
    {
        if (bias is not null)
        {
            var row = bias.AsSpan(colStart, colEnd - colStart);
            for (int r = rowStart; r < rowEnd; r++) row.CopyTo(c.AsSpan(r * m + colStart));
            acc = true;
        }
        if (product == Product.Plain) Kernel(a, rs, ps, b, c, rowStart, rowEnd, colStart, colEnd, k, m, acc);
        else DotKernel.Run(a, b, c, rowStart, rowEnd, colStart, colEnd, k, m, acc);
    }

    private sealed class Job : IBlockJob
    {
        private float[] _a = null!, _b = null!, _c = null!;
        private int _rs, _ps, _n, _k, _m, _colBlock, _colBlocks;
        private bool _acc;
        private Product _product;
        private float[]? _bias;

        public void Set(Product product, float[] a, int rs, int ps, float[] b, float[] c, int n, int k, int m, int colBlock, int colBlocks, bool acc, float[]? bias)
        {
            _bias = bias;
            _product = product; _a = a; _rs = rs; _ps = ps; _b = b; _c = c; _n = n; _k = k; _m = m;
            _colBlock = colBlock; _colBlocks = colBlocks; _acc = acc;
        }

        public void RunBlock(int block)
        {
            int row = block / _colBlocks * RowBlock, col = block % _colBlocks * _colBlock;
            Block(_product, _a, _rs, _ps, _b, _c, row, Math.Min(_n, row + RowBlock), col, Math.Min(_m, col + _colBlock), _k, _m, _acc, _bias);
        }
    }

    /// <summary>
    /// C[r, j] (+)= Σ_p A(r, p)·B[p, j] for r in [rowStart, rowEnd), j in [colStart, colEnd); A(r, p) = a[r·rs + p·ps].
    /// Every element is one FMA chain over p in order, whichever path (16-, 8-wide or scalar) computes it.
    /// </summary>
    private static void Kernel(float[] a, int rs, int ps, float[] b, float[] c, int rowStart, int rowEnd, int colStart, int colEnd, int k, int m, bool acc)
    {
        // Long inner dimensions (the critic's 2,740 packed inputs) run in slices of KBlock so the slice of B stays in
        // cache across row groups. C holds the running sums between slices: a float32 stored and reloaded is the
        // same float32, so every element is still exactly one FMA chain over p in order.
        if (k == 0 && !acc)
        {
            for (int r = rowStart; r < rowEnd; r++) c.AsSpan(r * m + colStart, colEnd - colStart).Clear();
            return;
        }
        for (int p0 = 0; p0 < k; p0 += KBlock)
        {
            int p1 = Math.Min(k, p0 + KBlock);
            bool accumulate = acc || p0 > 0;
            int r = rowStart;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; r + 4 <= rowEnd; r += 4) Rows4(a, rs, ps, b, c, r, colStart, colEnd, p0, p1, m, accumulate);
            }
            for (; r < rowEnd; r++) Rows1(a, rs, ps, b, c, r, colStart, colEnd, p0, p1, m, accumulate);
        }
    }

    /// <summary>Slice of the inner dimension per pass of <see cref="Kernel"/>.</summary>
    private const int KBlock = 256;

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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows1(float[] aArr, int rs, int ps, float[] bArr, float[] cArr, int r, int colStart, int colEnd, int p0, int p1, int m, bool acc)
    {
        ref float a = ref MemoryMarshal.GetArrayDataReference(aArr);
        ref float b = ref MemoryMarshal.GetArrayDataReference(bArr);
        ref float c = ref MemoryMarshal.GetArrayDataReference(cArr);
        int a0 = r * rs, c0 = r * m, j = colStart;
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
}
