using TabTwin.Tables;

namespace TabTwin.Generation.Benchmarks;

/// <summary>
/// A data set whose rows are drawn from streams keyed by row number, so any slice can be made on its own:
/// the whole table, consecutive chunks and a single range all agree row for row. Subclasses make one range.
/// </summary>
public abstract class RowKeyedGenerator
{
    /// <summary>How many rows the data set has.</summary>
    protected abstract long RowCount { get; }

    /// <summary>Makes rows [firstRow, firstRow + count), already checked to lie inside the data set.</summary>
    protected abstract Table MakeRows(long firstRow, int count, int? maxThreads);

    /// <summary>All rows as one table (up to int.MaxValue rows; stream larger sets with <see cref="GenerateChunks(int, int?)"/>).</summary>
    public Table Generate(int? maxThreads = null)
    {
        if (RowCount > int.MaxValue) throw new ArgumentException($"{RowCount} rows do not fit one table; use GenerateChunks.");
        return GenerateRows(0, (int)RowCount, maxThreads);
    }

    /// <summary>Consecutive tables of at most <paramref name="chunkRows"/> rows covering all rows, identical to slices of <see cref="Generate"/>.</summary>
    public IEnumerable<Table> GenerateChunks(int chunkRows = 100_000, int? maxThreads = null) => GenerateChunks(0, RowCount, chunkRows, maxThreads);

    /// <summary>
    /// Rows [firstRow, firstRow + count) as consecutive tables of at most <paramref name="chunkRows"/> rows, identical to that
    /// slice of <see cref="Generate"/> (a shard: see <see cref="Shard.Range"/>).
    /// </summary>
    public IEnumerable<Table> GenerateChunks(long firstRow, long count, int chunkRows = 100_000, int? maxThreads = null)
    {
        if (chunkRows < 1) throw new ArgumentOutOfRangeException(nameof(chunkRows));
        if (firstRow < 0 || count < 0 || firstRow + count > RowCount)
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows {firstRow}..{firstRow + count} are outside 0..{RowCount}.");
        return Chunks(firstRow, firstRow + count, chunkRows, maxThreads);
    }

    private IEnumerable<Table> Chunks(long firstRow, long endRow, int chunkRows, int? maxThreads)
    {
        for (long start = firstRow; start < endRow; start += chunkRows)
            yield return GenerateRows(start, (int)Math.Min(chunkRows, endRow - start), maxThreads);
    }

    /// <summary>Rows [firstRow, firstRow + count) of the data set.</summary>
    public Table GenerateRows(long firstRow, int count, int? maxThreads = null)
    {
        if (firstRow < 0 || count < 0 || firstRow + count > RowCount)
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows {firstRow}..{firstRow + count} are outside 0..{RowCount}.");
        return MakeRows(firstRow, count, maxThreads);
    }
}
