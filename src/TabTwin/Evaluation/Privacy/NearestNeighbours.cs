using System.Numerics;

namespace TabTwin.Evaluation.Privacy;

/// <summary>Distances from each query row to its nearest and second-nearest reference row.</summary>
public sealed record NeighbourDistances(double[] Nearest, double[] SecondNearest);

/// <summary>
/// Brute-force nearest-neighbour search under <see cref="MixedDistance"/>: exact, SIMD over reference rows,
/// parallel over query rows. Each query row is computed alone in a fixed column order, so results are identical
/// whatever the thread count.
/// </summary>
public static class NearestNeighbours
{
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
        Parallel.For(0, queries.RowCount, options, q =>
        {
            var (best, next) = TwoSmallestSums(queries, q, reference);
            nearest[q] = (double)best / columns;
            second[q] = (double)next / columns;
        });
        return new NeighbourDistances(nearest, second);
    }

    /// <summary>
    /// The two smallest Σ_j min(|x_qj − r_ij|, 1) over reference rows i. Each SIMD lane sums one reference row over all
    /// columns in a register (column order 0..m−1, as the scalar distance, so the floats are identical) and keeps its own
    /// best two; the lanes are merged at the end.
    /// </summary>
    private static (float Best, float Next) TwoSmallestSums(DistanceMatrix queries, int q, DistanceMatrix reference)
    {
        int columns = queries.ColumnCount, rows = reference.RowCount, width = Vector<float>.Count;
        float best = float.PositiveInfinity, next = float.PositiveInfinity;
        int i = 0;
        if (Vector.IsHardwareAccelerated && rows >= width)
        {
            var point = new Vector<float>[columns];
            for (int j = 0; j < columns; j++) point[j] = new Vector<float>(queries.Data[j][q]);
            var one = Vector<float>.One;
            var bestLanes = new Vector<float>(float.PositiveInfinity);
            var nextLanes = bestLanes;
            for (; i <= rows - width; i += width)
            {
                var sum = Vector<float>.Zero;
                for (int j = 0; j < columns; j++) sum += Vector.Min(Vector.Abs(new Vector<float>(reference.Data[j], i) - point[j]), one);
                nextLanes = Vector.Min(nextLanes, Vector.Max(bestLanes, sum));
                bestLanes = Vector.Min(bestLanes, sum);
            }
            for (int lane = 0; lane < width; lane++) { Offer(bestLanes[lane], ref best, ref next); Offer(nextLanes[lane], ref best, ref next); }
        }
        for (; i < rows; i++)
        {
            float sum = 0;
            for (int j = 0; j < columns; j++) sum += Math.Min(Math.Abs(reference.Data[j][i] - queries.Data[j][q]), 1f);
            Offer(sum, ref best, ref next);
        }
        return (best, next);
    }

    private static void Offer(float value, ref float best, ref float next)
    {
        if (value < best) { next = best; best = value; }
        else if (value < next) next = value;
    }
}
