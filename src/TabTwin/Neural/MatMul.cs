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
    /// block of C starts from the bias inside the parallel product, so there is no separate pass over C. With
    /// <paramref name="inner"/>, only those columns of A (rows of B) take part: the product skips inputs known to be
    /// handled elsewhere (a layer's sparse one-hot inputs); with <paramref name="rows"/> and <paramref name="columns"/>,
    /// only those rows and columns of C are computed (the rest are left as they are).
    /// </summary>
    public static void Multiply(Matrix a, Matrix b, Matrix c, Matrix? bias, ParallelRunner? runner = null, bool accumulate = false,
        IndexRanges? inner = null, IndexRanges? columns = null, IndexRanges? rows = null)
    {
        if (a.Cols != b.Rows) throw new ArgumentException($"A·B needs A's columns ({a.Cols}) to equal B's rows ({b.Rows}).");
        if (bias is not null && (bias.Rows * bias.Cols != b.Cols || accumulate))
            throw new ArgumentException($"The bias must hold one value per column of the product ({b.Cols}) and cannot be combined with accumulate.");
        if (inner is not null && inner.Limit > a.Cols) throw new ArgumentException($"The inner ranges reach {inner.Limit}; A has {a.Cols} columns.");
        CheckColumns(columns, b.Cols);
        if (rows is not null && rows.Limit > a.Rows) throw new ArgumentException($"The row ranges reach {rows.Limit}; A has {a.Rows} rows.");
        Prepare(c, a.Rows, b.Cols, accumulate);
        Run(runner, new Shape(Product.Plain, a.Data, a.Cols, 1, b.Data, c.Data, a.Rows, a.Cols, b.Cols, accumulate, bias?.Data, inner, rows, columns));
    }

    /// <summary>
    /// C = Aᵀ·B (or C += Aᵀ·B) without transposing A. A: n×k, B: n×m, C: reshaped to k×m. With <paramref name="rows"/>,
    /// only those rows of C (columns of A) are computed; the others are left as they are. With <paramref name="inner"/>,
    /// only those rows of A and B are summed over (a batch's rows that are handled elsewhere are skipped).
    /// </summary>
    public static void MultiplyTransposedA(Matrix a, Matrix b, Matrix c, ParallelRunner? runner = null, bool accumulate = false,
        IndexRanges? rows = null, IndexRanges? inner = null)
    {
        if (a.Rows != b.Rows) throw new ArgumentException($"Aᵀ·B needs A's rows ({a.Rows}) to equal B's rows ({b.Rows}).");
        if (rows is not null && rows.Limit > a.Cols) throw new ArgumentException($"The row ranges reach {rows.Limit}; the product has {a.Cols} rows.");
        if (inner is not null && inner.Limit > a.Rows) throw new ArgumentException($"The inner ranges reach {inner.Limit}; A has {a.Rows} rows.");
        Prepare(c, a.Cols, b.Cols, accumulate);
        Run(runner, new Shape(Product.Plain, a.Data, 1, a.Cols, b.Data, c.Data, a.Cols, a.Rows, b.Cols, accumulate, null, inner, rows, null));
    }

    /// <summary>
    /// C = A·Bᵀ (or C += A·Bᵀ). A: n×k, B: m×k, C: reshaped to n×m. With <paramref name="columns"/>, only those columns
    /// of C are computed (an input gradient needed for some inputs only); the rest are left as they are.
    /// </summary>
    public static void MultiplyTransposedB(Matrix a, Matrix b, Matrix c, ParallelRunner? runner = null, bool accumulate = false,
        IndexRanges? columns = null)
    {
        if (a.Cols != b.Cols) throw new ArgumentException($"A·Bᵀ needs A's columns ({a.Cols}) to equal B's columns ({b.Cols}).");
        CheckColumns(columns, b.Rows);
        Prepare(c, a.Rows, b.Rows, accumulate);
        if (Vector512.IsHardwareAccelerated)
        {
            // With 512-bit units the plain kernel on an exact copy of Bᵀ is about twice as fast as row dot products,
            // whose per-element horizontal sums cost as much as their multiply-adds.
            var transposed = Transposer.Transpose(b.Data, columns, b.Rows, b.Cols);
            Run(runner, new Shape(Product.Plain, a.Data, a.Cols, 1, transposed, c.Data, a.Rows, a.Cols, b.Rows, accumulate, null, null, null, columns));
            return;
        }
        // Otherwise row dot products read B along its rows, so a weight matrix stored in×out is never transposed.
        Run(runner, new Shape(Product.TransposedB, a.Data, a.Cols, 1, b.Data, c.Data, a.Rows, a.Cols, b.Rows, accumulate, null, null, null, columns));
    }

    private static void CheckColumns(IndexRanges? columns, int count)
    {
        if (columns is not null && columns.Limit > count) throw new ArgumentException($"The column ranges reach {columns.Limit}; the product has {count} columns.");
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

    /// <summary>
    /// One product: C[r, j] (+)= Σ_p A(r, p)·B(p, j) with A(r, p) = a[r·Rs + p·Ps]; C and B are row-major with M columns.
    /// Only C's rows in <see cref="Rows"/> and columns in <see cref="Columns"/> are computed (all when null), summing
    /// over the inner ranges <see cref="Inner"/> (all k when null).
    /// </summary>
    private readonly record struct Shape(Product Product, float[] A, int Rs, int Ps, float[] B, float[] C, int N, int K, int M,
        bool Accumulate, float[]? Bias, IndexRanges? Inner, IndexRanges? Rows, IndexRanges? Columns)
    {
        public int RowBlocks => CountBlocks(Rows, N, RowBlock);
        public (int Start, int End) RowBlockAt(int index) => BlockAt(Rows, N, RowBlock, index);
    }

    /// <summary>Blocks of at most <paramref name="size"/> indices within each range (or within [0, length) when null).</summary>
    private static int CountBlocks(IndexRanges? ranges, int length, int size)
    {
        if (ranges is null) return (int)((length + (long)size - 1) / size);
        int blocks = 0;
        for (int i = 0; i < ranges.Count; i++) blocks += (int)((ranges.End(i) - ranges.Start(i) + (long)size - 1) / size);
        return blocks;
    }

    private static (int Start, int End) BlockAt(IndexRanges? ranges, int length, int size, int index)
    {
        if (ranges is null) return (index * size, (int)Math.Min(length, (long)(index + 1) * size));
        for (int i = 0; ; i++)
        {
            int start = ranges.Start(i), end = ranges.End(i), blocks = (int)((end - start + (long)size - 1) / size);
            if (index < blocks) return (start + index * size, (int)Math.Min(end, start + (long)(index + 1) * size));
            index -= blocks;
        }
    }

    private static void Run(ParallelRunner? runner, in Shape s)
    {
        int cols = s.Columns?.Total ?? s.M;
        if (s.N == 0 || cols == 0) return;
        // The partition depends only on the shapes: row blocks of 16, and when that gives too few blocks to share
        // out (the critic's 50–100 packed rows), column blocks of 64 as well.
        int rowBlocks = s.RowBlocks;
        int colBlock = rowBlocks >= 8 || cols <= ColBlock ? int.MaxValue : ColBlock;
        int colBlocks = CountBlocks(s.Columns, s.M, colBlock);
        int blocks = rowBlocks * colBlocks;
        if (runner is null || runner.Threads == 1 || (long)s.N * s.K * cols < ParallelThreshold || blocks <= 1)
        {
            for (int c = 0; c < colBlocks; c++)
            {
                var (colStart, colEnd) = BlockAt(s.Columns, s.M, colBlock, c);
                for (int i = 0; i < rowBlocks; i++)
                {
                    var (start, end) = s.RowBlockAt(i);
                    Block(s, start, end, colStart, colEnd);
                }
            }
            return;
        }
        var job = t_job ??= new Job();
        job.Set(s, colBlock, rowBlocks);
        runner.Run(job, blocks);
        job.Set(default, 1, 1);
    }

    private static void Block(in Shape s, int rowStart, int rowEnd, int colStart, int colEnd)
    {
        bool acc = s.Accumulate;
        if (s.Bias is not null)
        {
            var row = s.Bias.AsSpan(colStart, colEnd - colStart);
            for (int r = rowStart; r < rowEnd; r++) row.CopyTo(s.C.AsSpan(r * s.M + colStart));
            acc = true;
        }
        if (s.Product == Product.Plain) Kernel(s.A, s.Rs, s.Ps, s.B, s.C, rowStart, rowEnd, colStart, colEnd, s.K, s.M, acc, s.Inner);
        else DotKernel.Run(s.A, s.B, s.C, rowStart, rowEnd, colStart, colEnd, s.K, s.M, acc);
    }

    private sealed class Job : IBlockJob
    {
        private Shape _shape;
        private int _colBlock, _rowBlocks;

        public void Set(in Shape shape, int colBlock, int rowBlocks)
        {
            _shape = shape; _colBlock = colBlock; _rowBlocks = rowBlocks;
        }

        public void RunBlock(int block)
        {
            // Consecutive blocks share a column panel of B (row blocks vary fastest), so the panel is reused from cache.
            var (start, end) = _shape.RowBlockAt(block % _rowBlocks);
            var (colStart, colEnd) = BlockAt(_shape.Columns, _shape.M, _colBlock, block / _rowBlocks);
            Block(_shape, start, end, colStart, colEnd);
        }
    }

    /// <summary>
    /// C[r, j] (+)= Σ_p A(r, p)·B[p, j] for r in [rowStart, rowEnd), j in [colStart, colEnd); A(r, p) = a[r·rs + p·ps].
    /// Every element is one FMA chain over p in order, whichever path (16-, 8-wide or scalar) computes it.
    /// </summary>
    private static void Kernel(float[] a, int rs, int ps, float[] b, float[] c, int rowStart, int rowEnd, int colStart, int colEnd, int k, int m,
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
                for (; r < rowEnd; r++) Rows1(a, rs, ps, b, c, r, colStart, colEnd, p0, p1, m, accumulate);
            }
        }
        if (first && !acc)
            for (int r = rowStart; r < rowEnd; r++) c.AsSpan(r * m + colStart, colEnd - colStart).Clear();
    }

    /// <summary>Slice of the inner dimension per pass of <see cref="Kernel"/>.</summary>
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
        if (Vector512.IsHardwareAccelerated)
        {
            // Same per-element FMA chain as the 256-bit path, 32 columns at a time (CPUs with 512-bit FMA units).
            for (; j + 32 <= colEnd; j += 32)
            {
                Vector512<float> s00, s01, s10, s11, s20, s21, s30, s31;
                if (acc)
                {
                    s00 = Load512(ref c, c0 + j); s01 = Load512(ref c, c0 + j + 16);
                    s10 = Load512(ref c, c1 + j); s11 = Load512(ref c, c1 + j + 16);
                    s20 = Load512(ref c, c2 + j); s21 = Load512(ref c, c2 + j + 16);
                    s30 = Load512(ref c, c3 + j); s31 = Load512(ref c, c3 + j + 16);
                }
                else s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = Vector512<float>.Zero;
                int bp = p0 * m + j, ap = p0 * ps;
                for (int p = p0; p < p1; p++, bp += m, ap += ps)
                {
                    var b0 = Load512(ref b, bp);
                    var b1 = Load512(ref b, bp + 16);
                    var x = Vector512.Create(Unsafe.Add(ref a, a0 + ap));
                    s00 = Vector512.FusedMultiplyAdd(x, b0, s00); s01 = Vector512.FusedMultiplyAdd(x, b1, s01);
                    x = Vector512.Create(Unsafe.Add(ref a, a1 + ap));
                    s10 = Vector512.FusedMultiplyAdd(x, b0, s10); s11 = Vector512.FusedMultiplyAdd(x, b1, s11);
                    x = Vector512.Create(Unsafe.Add(ref a, a2 + ap));
                    s20 = Vector512.FusedMultiplyAdd(x, b0, s20); s21 = Vector512.FusedMultiplyAdd(x, b1, s21);
                    x = Vector512.Create(Unsafe.Add(ref a, a3 + ap));
                    s30 = Vector512.FusedMultiplyAdd(x, b0, s30); s31 = Vector512.FusedMultiplyAdd(x, b1, s31);
                }
                Store512(s00, ref c, c0 + j); Store512(s01, ref c, c0 + j + 16);
                Store512(s10, ref c, c1 + j); Store512(s11, ref c, c1 + j + 16);
                Store512(s20, ref c, c2 + j); Store512(s21, ref c, c2 + j + 16);
                Store512(s30, ref c, c3 + j); Store512(s31, ref c, c3 + j + 16);
            }
        }
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
