using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// A folder of Parquet files (e.g. the parts <c>sample --parts</c> writes) or a pattern such as <c>data/*.parquet</c>, read
/// as one table: the files in ordinal name order, each row group by row group. Hidden entries, markers (<c>_SUCCESS</c>…)
/// and staging folders are skipped. Every file must have the same columns in the same order; a file that differs is
/// <c>io.parts-differ</c> naming both files.
/// </summary>
internal sealed class ParquetFolderSource : IPartitionedChunkSource
{
    private readonly ITableChunkSource[] _files;
    private readonly string[] _paths;

    private ParquetFolderSource(string name, string[] paths, Func<string, ITableChunkSource> open)
    {
        Name = name;
        _paths = paths;
        _files = paths.Select(open).ToArray();
        _columns = new(() => _files[0].ReadChunks().First().ColumnNames.ToArray());
        _partitions = new(() => Enumerable.Range(0, _files.Length).SelectMany(f => _files[f] is IPartitionedChunkSource p
            ? p.PartitionRows.Select((rows, g) => (f, g, rows)) : [(f, -1, -1L)]).ToArray());
    }

    private readonly Lazy<string[]> _columns;
    private readonly Lazy<(int File, int Group, long Rows)[]> _partitions;

    public string Name { get; }

    /// <summary>
    /// True for a wildcard in the last segment, or a folder of Parquet files that is not a database folder (no
    /// metadata.json or foreign_keys.txt describing tables, no CSV tables).
    /// </summary>
    public static bool Applies(string source)
    {
        if (Path.GetFileName(source).IndexOfAny(['*', '?']) >= 0) return true;
        if (!Directory.Exists(source)) return false;
        var names = Directory.EnumerateFiles(source).Select(Path.GetFileName).ToList();
        return names.Any(n => n!.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
               && !names.Any(n => n is "metadata.json" or "foreign_keys.txt" || n!.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
                                  || n.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase));
    }

    public static ParquetFolderSource Open(string source, Func<string, ITableChunkSource> open)
    {
        string folder = Directory.Exists(source) ? source : Path.GetDirectoryName(source) is { Length: > 0 } d ? d : ".";
        string pattern = Directory.Exists(source) ? "*.parquet" : Path.GetFileName(source);
        if (!Directory.Exists(folder))
            throw new DataSourceException("io.not-found", $"The folder '{folder}' does not exist.", file: folder);
        var paths = Directory.EnumerateFiles(folder, pattern, SearchOption.TopDirectoryOnly)
            .Where(p => Path.GetFileName(p) is var name && !name.StartsWith('.') && !name.StartsWith('_')
                        && name.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToArray();
        if (paths.Length == 0)
            throw new DataSourceException("table.empty", $"'{source}' holds no Parquet files (*.parquet).", file: source,
                hint: "Name a folder of .parquet files, a pattern such as data/*.parquet, or one file.");
        return new ParquetFolderSource(Path.GetFullPath(source), paths, open);
    }

    /// <summary>The partitions are the files' row groups (a file that is not Parquet-partitioned is one partition).</summary>
    public IReadOnlyList<long> PartitionRows => _partitions.Value.Select(p => p.Rows).ToArray();

    private IReadOnlyList<(int File, int Group, long Rows)> Partitions => _partitions.Value;

    public IEnumerable<Table> ReadPartition(int partition, CancellationToken cancel = default)
    {
        var (f, group, _) = Partitions[partition];
        var chunks = group < 0 ? _files[f].ReadChunks(cancel) : ((IPartitionedChunkSource)_files[f]).ReadPartition(group, cancel);
        return Checked(f, chunks);
    }

    public IEnumerable<Table> ReadChunks(CancellationToken cancel = default) =>
        Enumerable.Range(0, _files.Length).SelectMany(f => Checked(f, _files[f].ReadChunks(cancel)));

    /// <summary>Every file must have the first file's columns.</summary>
    private IEnumerable<Table> Checked(int f, IEnumerable<Table> chunks)
    {
        foreach (var chunk in chunks)
        {
            var names = chunk.ColumnNames.ToArray();
            if (!names.SequenceEqual(_columns.Value))
                throw new DataSourceException("io.parts-differ",
                    $"'{_paths[f]}' has columns [{string.Join(", ", names)}] but '{_paths[0]}' has [{string.Join(", ", _columns.Value)}]; the files of '{Name}' must form one table.",
                    file: _paths[f], hint: "Read the files separately, or keep only the files of one table in the folder.");
            yield return chunk;
        }
    }
}
