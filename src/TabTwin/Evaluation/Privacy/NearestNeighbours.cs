using System.Numerics;

namespace TabTwin.Evaluation.Privacy;

/// <summary>Distances from each query row to its nearest and second-nearest reference row.</summary>
public sealed record NeighbourDistances(double[] Nearest, double[] SecondNearest);

/// <summary>
/// Brute-force nearest-neighbour search under <see cref="MixedDistance"/>: exact, SIMD over blocks of reference rows,
/// parallel over query rows. Each query row is computed alone in a fixed column order, so results are identical
/// whatever the thread count.
/// </summary>
public static class NearestNeighbours
{
    private const int BlockRows = 2048;

    /// <summary>For every row of <paramref name="queries"/>, the smallest and second-smallest distance to a row of <paramref name="reference"/> (+∞ when there is none).</summary>
    public static NeighbourDistances Find(DistanceMatrix queries, DistanceMatrix reference, int maxThreads = -1)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(reference);
        if (queries.ColumnCount != reference.ColumnCount) throw new ArgumentException("Query and reference rows were encoded with different column sets.");
        int columns = queries.ColumnCount;
        var nearest = new double[queries.RowCount];
        var second = new double[queries.RowCount];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxThreads };
        Parallel.For(0, queries.RowCount, options, () => new float[BlockRows], (q, _, sums) =>
        {
            float best = float.PositiveInfinity, next = float.PositiveInfinity;
            for (int start = 0; start < reference.RowCount; start += BlockRows)
            {
                int count = Math.Min(BlockRows, reference.RowCount - start);
                var block = sums.AsSpan(0, count);
                block.Clear();
                for (int j = 0; j < columns; j++) AddCappedDifferences(block, reference.Data[j].AsSpan(start, count), queries.Data[j][q]);
                foreach (float s in block)
                {
                    if (s < best) { next = best; best = s; }
                    else if (s < next) next = s;
                }
            }
            nearest[q] = (double)best / columns;
            second[q] = (double)next / columns;
            return sums;
        }, _ => { });
        return new NeighbourDistances(nearest, second);
    }

    /// <summary>sums[i] += min(|column[i] − value|, 1).</summary>
    internal static void AddCappedDifferences(Span<float> sums, ReadOnlySpan<float> column, float value)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && sums.Length >= Vector<float>.Count)
        {
            var v = new Vector<float>(value);
            var one = Vector<float>.One;
            for (; i <= sums.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var d = Vector.Min(Vector.Abs(new Vector<float>(column.Slice(i)) - v), one);
                (new Vector<float>(sums.Slice(i)) + d).CopyTo(sums.Slice(i));
            }
        }
        for (; i < sums.Length; i++) sums[i] += Math.Min(Math.Abs(column[i] - value), 1f);
    }
}
