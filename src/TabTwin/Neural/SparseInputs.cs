using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TabTwin.Neural;

/// <summary>
/// The nonzero entries of a batch within chosen input columns (compressed rows), rebuilt on every forward pass of a
/// <see cref="Linear"/> layer whose inputs there are mostly zero — CTGAN's one-hot conditional vector, one 1 among
/// ~100 columns per row. Those columns then cost one weight-row add per nonzero instead of a full product column.
/// </summary>
internal sealed class SparseInputs
{
    private int[] _rowStart = [], _columns = [];
    private float[] _values = [];

    public SparseInputs(IndexRanges ranges) => Ranges = ranges;

    public IndexRanges Ranges { get; }

    /// <summary>Collects the nonzero entries of <paramref name="x"/> within <see cref="Ranges"/>, row by row in column order.</summary>
    public void Build(Matrix x)
    {
        int n = x.Rows;
        if (_rowStart.Length < n + 1) _rowStart = new int[n + 1];
        long capacity = (long)n * Ranges.Total;
        if (_columns.Length < capacity) { _columns = new int[capacity]; _values = new float[capacity]; }
        int count = 0;
        for (int r = 0; r < n; r++)
        {
            _rowStart[r] = count;
            var row = x.Row(r);
            for (int i = 0; i < Ranges.Count; i++)
            {
                int p = Ranges.Start(i), end = Ranges.End(i);
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
        }
        _rowStart[n] = count;
        Rows = n;
    }

    /// <summary>Rows of the last <see cref="Build"/>.</summary>
    public int Rows { get; private set; }

    /// <summary>y_r += Σ_j x_rj · W_j over the collected entries (W stored in×out, so W_j is a row).</summary>
    public void AddProducts(Matrix weight, Matrix y)
    {
        for (int r = 0; r < Rows; r++)
        {
            var target = y.Row(r);
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
