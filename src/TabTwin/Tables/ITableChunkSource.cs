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

/// <summary>A table in memory served in chunks of a fixed number of rows (tests; objects already loaded).</summary>
public sealed class InMemoryChunks : ITableChunkSource
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
        for (int start = 0; start < _table.RowCount; start += _chunkRows)
        {
            cancel.ThrowIfCancellationRequested();
            int count = Math.Min(_chunkRows, _table.RowCount - start);
            var rows = new int[count];
            for (int i = 0; i < count; i++) rows[i] = start + i;
            yield return _table.Take(rows);
        }
    }
}
