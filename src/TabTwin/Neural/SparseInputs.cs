using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TabTwin.Neural;

/// <summary>
/// The nonzero entries of a batch within chosen input columns (compressed rows), rebuilt on every forward pass of a
/// <see cref="Linear"/> layer whose inputs there are mostly zero — CTGAN's one-hot conditional vector, one 1 among
/// ~100 columns per row. Those columns then cost one weight-row add per nonzero instead of a full product column.
/// <para>
/// A row that is almost all zeros in the other columns too (a real, one-hot encoded row beside the generator's dense
/// softmax outputs) is taken whole: all its nonzeros are collected and it is left out of the dense product. Such
/// rows must come first or last in the batch, so the dense rows stay one contiguous range.
/// </para>
/// </summary>
internal sealed class SparseInputs
{
    /// <summary>A row is taken whole when at most this share of its other columns is nonzero (a weight-row add per nonzero costs about four times a dense-kernel column per row; Adult's real rows are 13.5% nonzero).</summary>
    private const int WholeRowDensityDivisor = 4;

    private int[] _rowStart = [], _columns = [];
    private float[] _values = [];
    private readonly IndexRanges _dense;   // the other columns, which the dense product covers
    private readonly Dictionary<(int, int), IndexRanges> _rowRanges = [];

    public SparseInputs(IndexRanges ranges, int inputs)
    {
        Ranges = ranges;
        _dense = ranges.Complement(inputs);
    }

    public IndexRanges Ranges { get; }

    /// <summary>The columns outside <see cref="Ranges"/>: the dense product's inner ranges.</summary>
    public IndexRanges DenseColumns => _dense;

    /// <summary>The rows the dense product must compute after the last <see cref="Build"/> (null = all of them).</summary>
    public IndexRanges? DenseRows { get; private set; }

    /// <summary>Whether row r of the last <see cref="Build"/> was taken whole.</summary>
    private bool Whole(int r) => DenseRows is { } d && (d.Count == 0 || r < d.Start(0) || r >= d.End(0));

    /// <summary>Collects the nonzero entries of <paramref name="x"/> within <see cref="Ranges"/> (all columns of rows taken whole), row by row in column order.</summary>
    public void Build(Matrix x)
    {
        int n = x.Rows;
        if (_rowStart.Length < n + 1) _rowStart = new int[n + 1];
        long capacity = (long)n * (Ranges.Total + _dense.Total / WholeRowDensityDivisor + 1);
        if (_columns.Length < capacity) { _columns = new int[capacity]; _values = new float[capacity]; }
        // Rows taken whole: a prefix and a suffix of sparse rows (the dense rows between them stay one range).
        int limit = _dense.Total / WholeRowDensityDivisor;
        int lo = 0, hi = n;
        while (lo < n && CountNonzeros(x.Row(lo), _dense, limit) <= limit) lo++;
        while (hi > lo && CountNonzeros(x.Row(hi - 1), _dense, limit) <= limit) hi--;
        DenseRows = lo == 0 && hi == n ? null : RowRange(lo, hi);
        int count = 0;
        for (int r = 0; r < n; r++)
        {
            _rowStart[r] = count;
            var row = x.Row(r);
            if (r < lo || r >= hi) count = Collect(row, _dense, count);
            count = Collect(row, Ranges, count);
        }
        _rowStart[n] = count;
        Rows = n;
    }

    private IndexRanges RowRange(int lo, int hi)
    {
        // Cached per shape: the batch layout repeats every step, and the training loop must not allocate.
        if (!_rowRanges.TryGetValue((lo, hi), out var ranges)) _rowRanges[(lo, hi)] = ranges = new IndexRanges([(lo, hi)]);
        return ranges;
    }

    /// <summary>Nonzeros of <paramref name="row"/> within <paramref name="ranges"/>, stopping once past <paramref name="limit"/>.</summary>
    private static int CountNonzeros(ReadOnlySpan<float> row, IndexRanges ranges, int limit)
    {
        int count = 0;
        for (int i = 0; i < ranges.Count && count <= limit; i++)
        {
            var part = row[ranges.Start(i)..ranges.End(i)];
            count += part.Length - part.Count(0f);
        }
        return count;
    }

    private int Collect(ReadOnlySpan<float> row, IndexRanges ranges, int count)
    {
        for (int i = 0; i < ranges.Count; i++)
        {
            int p = ranges.Start(i), end = ranges.End(i);
            if (Vector256.IsHardwareAccelerated)
            {
                ref float origin = ref MemoryMarshal.GetReference(row);
                for (; p + 8 <= end; p += 8)
                {
                    uint mask = ~Vector256.Equals(Vector256.LoadUnsafe(ref origin, (nuint)p), Vector256<float>.Zero).ExtractMostSignificantBits() & 0xFF;
                    while (mask != 0)
                    {
                        int at = p + BitOperations.TrailingZeroCount(mask);
                        _columns[count] = at; _values[count++] = row[at];
                        mask &= mask - 1;
                    }
                }
            }
            for (; p < end; p++)
                if (row[p] != 0f) { _columns[count] = p; _values[count++] = row[p]; }
        }
        return count;
    }

    /// <summary>Rows of the last <see cref="Build"/>.</summary>
    public int Rows { get; private set; }

    /// <summary>
    /// y_r += Σ_j x_rj · W_j over the collected entries (W stored in×out, so W_j is a row); rows taken whole start from
    /// the <paramref name="bias"/> (the dense product did not write them).
    /// </summary>
    public void AddProducts(Matrix weight, Matrix bias, Matrix y)
    {
        for (int r = 0; r < Rows; r++)
        {
            var target = y.Row(r);
            if (Whole(r)) bias.AsSpan().CopyTo(target);
            for (int e = _rowStart[r]; e < _rowStart[r + 1]; e++)
                TensorPrimitives.MultiplyAdd(weight.Row(_columns[e]), _values[e], target, target);
        }
    }

    /// <summary>G_j += x_rj · dY_r over the collected entries: the weight gradient Xᵀ·dY restricted to these inputs.</summary>
    public void AddOuterProducts(Matrix outputGradient, Matrix gradient)
    {
        for (int r = 0; r < Rows; r++)
        {
            var dy = outputGradient.Row(r);
            for (int e = _rowStart[r]; e < _rowStart[r + 1]; e++)
            {
                var target = gradient.Row(_columns[e]);
                TensorPrimitives.MultiplyAdd(dy, _values[e], target, target);
            }
        }
    }
}
