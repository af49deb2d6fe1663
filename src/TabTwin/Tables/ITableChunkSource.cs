namespace TabTwin.Tables;

/// <summary>
/// A table read in chunks of rows, as many times as a streaming fit needs passes. Every pass yields the same rows in the
/// same order, each chunk with the same columns of the same types (a source that infers types fixes them on the first
/// pass). Implemented for Parquet row groups, CSV and database inputs (<c>TabTwin.IO.TableChunks</c>) and for a table in
/// memory (<see cref="InMemoryChunks"/>).
/// </summary>
public interface ITableChunkSource
{
    /// <summary>What to name in messages (a file path, a table).</summary>
    string Name { get; }

    /// <summary>One pass over the rows, chunk by chunk.</summary>
    IEnumerable<Table> ReadChunks(CancellationToken cancel = default);
}

/// <summary>A table in memory served in chunks of a fixed number of rows (tests; objects already loaded); each chunk is a partition.</summary>
public sealed class InMemoryChunks : ITableChunkSource, IPartitionedChunkSource
{
    private readonly Table _table;
    private readonly int _chunkRows;

    public InMemoryChunks(Table table, int chunkRows, string name = "table")
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        _table = table; _chunkRows = chunkRows; Name = name;
    }

    public string Name { get; }

    public IEnumerable<Table> ReadChunks(CancellationToken cancel = default)
    {
        for (int p = 0; p * (long)_chunkRows < _table.RowCount; p++)
        {
            cancel.ThrowIfCancellationRequested();
            yield return Chunk(p);
        }
    }

    IReadOnlyList<long> IPartitionedChunkSource.PartitionRows =>
        Enumerable.Range(0, (_table.RowCount + _chunkRows - 1) / _chunkRows).Select(p => (long)Math.Min(_chunkRows, _table.RowCount - p * _chunkRows)).ToArray();

    IEnumerable<Table> IPartitionedChunkSource.ReadPartition(int partition, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        return [Chunk(partition)];
    }

    private Table Chunk(int partition)
    {
        int start = partition * _chunkRows, count = Math.Min(_chunkRows, _table.RowCount - start);
        var rows = new int[count];
        for (int i = 0; i < count; i++) rows[i] = start + i;
        return _table.Take(rows);
    }
}
