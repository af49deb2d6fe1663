using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// Opens a table to be read in chunks, as many passes as a streaming fit needs, addressed and configured exactly as
/// <see cref="TableReader.Read"/> (the same formats, options, warnings and error codes). Every pass yields the same rows
/// in the same order, each chunk at most <c>chunkRows</c> rows with the same columns of the same types: whatever a
/// reader infers from values (CSV column types, Parquet string columns, database text) is decided over the whole input
/// when the source is opened, and concatenating one pass's chunks gives what <see cref="TableReader.Read"/> gives.
/// <list type="bullet">
/// <item>CSV/TSV: pass 1 (encoding, delimiter, header, shape, column plans) runs once at open; each pass parses.</item>
/// <item>Parquet: row group by row group, a large group in batches; value-dependent columns are profiled at open. A folder
/// of Parquet files (such as <c>sample --parts</c> output) or a pattern like <c>data/*.parquet</c> is one table, its files
/// in name order (<see cref="ParquetFolderSource"/>).</item>
/// <item>Databases: the table (ordered by its primary key when it has one) or <see cref="ReadOptions.Query"/> is streamed
/// with a data reader each pass; a query is run as given, so it must return its rows in a deterministic order (ORDER BY
/// a unique key). PostgreSQL sessions turn <c>synchronize_seqscans</c> off so a scan never starts mid-table.</item>
/// </list>
/// An input that changed since it was opened, or whose values no longer fit the types decided at open, is
/// <c>io.changed</c> naming the file, row and column.
/// </summary>
public static class TableChunks
{
    /// <summary>True when <paramref name="source"/> is a folder of Parquet files (not a database folder) or a pattern such as <c>data/*.parquet</c>.</summary>
    public static bool IsParquetFiles(string source) => ParquetFolderSource.Applies(source);

    public static ITableChunkSource Open(string source, ReadOptions? options = null, int chunkRows = 100_000)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        options ??= new ReadOptions();
        if (ParquetFolderSource.Applies(source) && options.Format is null or "parquet")
            return ParquetFolderSource.Open(source, path => Open(path, options with { Format = "parquet" }, chunkRows));
        var target = DataAddress.Resolve(source, options.Format);
        return target.Format switch
        {
            DataFormat.Csv => CsvTableReader.Open(target.Path, options, ',', chunkRows),
            DataFormat.Tsv => CsvTableReader.Open(target.Path, options, '\t', chunkRows),
            DataFormat.Parquet => new GuardedParquet(TableReader.GuardParquet(target.Path, () => ParquetChunkSource.Open(target.Path, chunkRows, options.Warning))),
            _ => DbChunkSource.Open(target.Database!, options, chunkRows),
        };
    }

    /// <summary>Damaged pages found while a pass reads are the same coded error as <see cref="TableReader.Read"/>'s. The file's
    /// row groups stay its partitions, so a large file splits into work units (<see cref="WorkUnit"/>) as a folder does.</summary>
    private sealed class GuardedParquet(ParquetChunkSource inner) : IPartitionedChunkSource
    {
        public string Name => inner.Name;

        public IReadOnlyList<long> PartitionRows => inner.PartitionRows;

        public IEnumerable<Table> ReadChunks(CancellationToken cancel = default) => Guarded(() => inner.ReadChunks(cancel));

        public IEnumerable<Table> ReadPartition(int partition, CancellationToken cancel = default) => Guarded(() => inner.ReadPartition(partition, cancel));

        private IEnumerable<Table> Guarded(Func<IEnumerable<Table>> read)
        {
            using var chunks = TableReader.GuardParquet(inner.Name, () => read().GetEnumerator());
            while (TableReader.GuardParquet(inner.Name, chunks.MoveNext)) yield return chunks.Current;
        }
    }
}
