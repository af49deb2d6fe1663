using System.Buffers;
using System.Numerics;
using TabTwin.Generation.Sampling;
using TabTwin.Randomness;

namespace TabTwin.Generation;

/// <summary>
/// A chunk's correlated standard normal scores: per row, d independent normals Φ⁻¹(u) (u drawn row by row from one
/// stream) times the lower Cholesky factor. Worked in blocks of rows so the inverse CDF and the matrix product run a
/// SIMD vector of rows at a time; every operation is the scalar form's, in its order, so the scores are bit-identical
/// to computing each row on its own.
/// </summary>
internal static class CopulaScores
{
    private const int Block = 256; // rows per block: d columns of it stay in the L1 cache

    /// <summary>Fills scores[k][0..count) for each of the d dimensions.</summary>
    public static void Draw(SeededRandom rng, ReadOnlySpan<double> cholesky, int d, int count, double[][] scores)
    {
        var pool = ArrayPool<double>.Shared;
        var uniforms = pool.Rent(Block * d);
        var gathered = pool.Rent(Block);
        var independent = pool.Rent(Block * d); // dimension j's normals at [j·Block, j·Block + n)
        try
        {
            for (int start = 0; start < count; start += Block)
            {
                int n = Math.Min(Block, count - start);
                // Row-major, as the stream has always been read: row i's d uniforms one after the other.
                for (int t = 0; t < n * d; t++) uniforms[t] = rng.NextOpenUnit();
                for (int j = 0; j < d; j++)
                {
                    for (int i = 0; i < n; i++) gathered[i] = uniforms[i * d + j];
                    FastNormal.InverseCdf(gathered.AsSpan(0, n), independent.AsSpan(j * Block, n));
                }
                for (int k = 0; k < d; k++) Combine(cholesky.Slice(k * d, k + 1), independent, n, scores[k].AsSpan(start, n));
            }
        }
        finally
        {
            pool.Return(uniforms);
            pool.Return(gathered);
            pool.Return(independent);
        }
    }

    /// <summary>output[i] = Σ_{j ≤ k} L[k, j]·e_j[i], summed from 0 in the order j = 0, 1, …, k.</summary>
    private static void Combine(ReadOnlySpan<double> row, double[] independent, int n, Span<double> output)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                var sum = Vector<double>.Zero;
                for (int j = 0; j < row.Length; j++) sum += new Vector<double>(row[j]) * new Vector<double>(independent.AsSpan(j * Block + i));
                sum.CopyTo(output[i..]);
            }
        for (; i < n; i++)
        {
            double sum = 0;
            for (int j = 0; j < row.Length; j++) sum += row[j] * independent[j * Block + i];
            output[i] = sum;
        }
    }
}
