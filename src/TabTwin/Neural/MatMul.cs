using System.Runtime.Intrinsics;

namespace TabTwin.Neural;

/// <summary>
/// Matrix products for the neural core: C = A·B, C = Aᵀ·B (weight gradients) and C = A·Bᵀ (input gradients),
/// optionally accumulating into C, each restrictable to ranges of rows, columns or the inner dimension. The register-
/// tiled <see cref="PlainKernel"/> (or <see cref="DotKernel"/> for A·Bᵀ without 512-bit units) runs over a fixed
/// partition of C into blocks; every element of C is computed by the same sequence of operations whatever the thread
/// count, so results are bit-identical for 1 or many threads.
/// </summary>
internal static class MatMul
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
        if (s.Product == Product.Plain) PlainKernel.Run(s.A, s.Rs, s.Ps, s.B, s.C, rowStart, rowEnd, colStart, colEnd, s.K, s.M, acc, s.Inner);
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
}
