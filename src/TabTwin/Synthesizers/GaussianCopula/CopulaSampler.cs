using TabTwin.Encoding;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.GaussianCopula;

/// <summary>
/// Draws encoded rows from a fitted copula in fixed blocks of <see cref="BlockSize"/> rows. Block b uses its own
/// random stream derived from (seed, b) and writes only its own slice, so the output is byte-identical for any
/// thread count and a shard can sample any range of blocks on its own.
/// </summary>
internal static class CopulaSampler
{
    public const int BlockSize = 4096;
    private const ulong BlockSalt = 0xB10C;

    public static EncodedTable Sample(CopulaParameters copula, int rows, ulong seed, ParallelOptions parallel,
        IProgress<StepProgress>? progress = null)
    {
        var columns = copula.Columns;
        var values = columns.Select(c => c.Kind == EncodedKind.Continuous ? new double[rows] : null).ToArray();
        var codes = columns.Select(c => c.Kind == EncodedKind.Discrete ? new int[rows] : null).ToArray();
        var missing = columns.Select(_ => new bool[rows]).ToArray();
        int blocks = (rows + BlockSize - 1) / BlockSize;
        int done = 0;

        Parallel.For(0, blocks, parallel, block =>
        {
            var rng = new SeededRandom(SeededRandom.Derive(seed, BlockSalt, (ulong)block));
            int d = copula.Correlation.Dimension;
            var cholesky = copula.Correlation.Cholesky;
            var independent = new double[d];
            var z = new double[d];
            int end = Math.Min(rows, (block + 1) * BlockSize);
            for (int row = block * BlockSize; row < end; row++)
            {
                for (int k = 0; k < d; k++) independent[k] = rng.NextGaussian();
                for (int i = 0; i < d; i++)
                {
                    double sum = 0;
                    int offset = i * d;
                    for (int j = 0; j <= i; j++) sum += cholesky[offset + j] * independent[j];
                    z[i] = sum;
                }
                for (int c = 0; c < columns.Count; c++) WriteCell(columns[c], z, row, values[c], codes[c], missing[c]);
            }
            int finished = Interlocked.Increment(ref done);
            progress?.Report(new StepProgress("sampling", finished / (double)blocks));
        });

        var encoded = new EncodedColumn[columns.Count];
        for (int c = 0; c < columns.Count; c++)
        {
            var mask = Bitmask.FromBools(missing[c]);
            encoded[c] = columns[c].Kind == EncodedKind.Continuous
                ? EncodedColumn.Continuous(columns[c].Name, values[c]!, mask)
                : EncodedColumn.Discrete(columns[c].Name, codes[c]!, columns[c].Cardinality, mask);
        }
        return new EncodedTable(encoded, rows);
    }

    internal static void WriteCell(CopulaColumn column, double[] z, int row, double[]? values, int[]? codes, bool[] missing)
    {
        if (column.AlwaysMissing) { missing[row] = true; return; }
        if (column.Kind == EncodedKind.Discrete)
        {
            int code = column.Discrete!.CodeAtNormalScore(z[column.ValueDimension]);
            if (code == column.Cardinality) missing[row] = true;
            else codes![row] = code;
            return;
        }
        if (column.MissingDimension >= 0 && column.MissingFlag!.CodeAtNormalScore(z[column.MissingDimension]) == 1)
        {
            missing[row] = true;
            return;
        }
        values![row] = column.Continuous!.ValueAtNormalScore(z[column.ValueDimension]);
    }
}
