using ParquetSharp;
using TabTwin.Tables;
using TColumn = TabTwin.Tables.Column;

namespace TabTwin.IO;

/// <summary>
/// What <see cref="ParquetTableReader.Convert"/> would otherwise decide from one chunk's values, decided once over the
/// whole file so every chunk gets the same column type and presentation: the inference plan of a string column (or of
/// an integer column holding values beyond 2^53, read as its digits), a foreign floating-point column's integer-ness and
/// decimals, a foreign timestamp column's format.
/// </summary>
internal sealed record ParquetColumnPlan
{
    public ColumnPlan? Text { get; init; }
    public bool? IsInteger { get; init; }
    public int? DecimalPlaces { get; init; }
    public string? DateFormat { get; init; }
}

/// <summary>
/// A Parquet file read in chunks: row group by row group, a large group in batches of at most <c>chunkRows</c> rows, so a
/// file written as one 10 M-row group is still read in bounded memory. TabTwin's metadata (storage types, formats,
/// offset companion columns) is honoured as in <see cref="ParquetTableReader.Read"/>; columns whose type depends on their
/// values are profiled over the whole file when the source is opened (<see cref="ParquetColumnPlan"/>). Unusable
/// numbers read as missing are said once, after the first complete pass; a file that changed since it was opened is
/// <c>io.changed</c>.
/// </summary>
internal sealed class ParquetChunkSource : IPartitionedChunkSource
{
    private readonly string _path;
    private readonly int _chunkRows;
    private readonly Action<string>? _warning;
    private readonly FileStamp _stamp;
    private readonly Layout _layout;
    private bool _reported;

    /// <summary>Per file column: name, descriptor, TabTwin metadata, widened element type, plan; companions are read, not returned.</summary>
    private sealed record Layout(string[] Names, ColumnDescriptor[] Descriptors, ParquetColumnMeta?[] Meta, Type[] Types,
        ParquetColumnPlan?[] Plans, bool[] IsCompanion, int[] OffsetOf, long Rows, long[] GroupRows);

    private ParquetChunkSource(string path, int chunkRows, Action<string>? warning)
    {
        _path = path; _chunkRows = chunkRows; _warning = warning;
        FileChecks.EnsureReadable(path);
        _stamp = FileStamp.Of(path);
        _layout = Profile(path);
    }

    public static ParquetChunkSource Open(string path, int chunkRows, Action<string>? warning) => new(path, chunkRows, warning);

    public string Name => _path;

    public long RowCount => _layout.Rows;

    /// <summary>The partitions are the file's row groups.</summary>
    public IReadOnlyList<long> PartitionRows => _layout.GroupRows;

    public IEnumerable<Table> ReadPartition(int partition, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)partition, (uint)_layout.GroupRows.Length, nameof(partition));
        return Read(partition, 1, _layout.Names.Select(_ => new UnusableNumbers()).ToArray(), cancel);
    }

    public IEnumerable<Table> ReadChunks(CancellationToken cancel = default)
    {
        var dropped = _layout.Names.Select(_ => new UnusableNumbers()).ToArray();
        foreach (var chunk in Read(0, _layout.GroupRows.Length, dropped, cancel)) yield return chunk;
        if (_reported) yield break;
        _reported = true;
        for (int c = 0; c < _layout.Names.Length; c++)
            dropped[c].Report(_warning, ParquetTableReader.DropSource(Array.CreateInstance(_layout.Types[c], 0), _path), _layout.Names[c]);
    }

    private IEnumerable<Table> Read(int firstGroup, int groups, UnusableNumbers[] dropped, CancellationToken cancel)
    {
        _stamp.EnsureUnchanged(_path);
        var l = _layout;
        long firstRow = l.GroupRows.Take(firstGroup).Sum();
        using (var file = OpenFile(_path))
        {
            foreach (var batch in Batches(file, Enumerable.Range(0, l.Names.Length).ToArray(), _chunkRows, firstGroup, groups))
            {
                cancel.ThrowIfCancellationRequested();
                var columns = new List<TColumn>();
                for (int c = 0; c < l.Names.Length; c++)
                {
                    if (l.IsCompanion[c]) continue;
                    var offsets = l.OffsetOf[c] >= 0 ? batch[l.OffsetOf[c]] as int?[] : null;
                    columns.Add(ParquetTableReader.Convert(l.Names[c], batch[c]!, l.Descriptors[c], l.Meta[c], offsets, _path, dropped[c], l.Plans[c] ?? NoPlan, firstRow));
                }
                firstRow += batch[0]!.Length;
                yield return new Table(columns);
            }
        }
    }

    /// <summary>A column that needs no plan still converts as a chunk (a beyond-2^53 integer is then a change, not text).</summary>
    private static readonly ParquetColumnPlan NoPlan = new();

    private static ParquetFileReader OpenFile(string path)
    {
        try { return new ParquetFileReader(path); }
        catch (ParquetException e)
        {
            throw new DataSourceException("parquet.invalid", $"'{path}' is not a readable Parquet file: {e.Message}", file: path, inner: e);
        }
    }

    /// <summary>
    /// The chosen columns' values, one array per file column (null for columns not chosen), in batches of at most
    /// <paramref name="chunkRows"/> rows that never cross a row group.
    /// </summary>
    private static IEnumerable<Array?[]> Batches(ParquetFileReader file, int[] chosen, int chunkRows) =>
        Batches(file, chosen, chunkRows, 0, file.FileMetaData.NumRowGroups);

    private static IEnumerable<Array?[]> Batches(ParquetFileReader file, int[] chosen, int chunkRows, int firstGroup, int groups)
    {
        int columnCount = file.FileMetaData.NumColumns;
        for (int g = firstGroup; g < firstGroup + groups; g++)
        {
            using var rowGroup = file.RowGroup(g);
            long remaining = rowGroup.MetaData.NumRows;
            var readers = new ColumnReader[columnCount];
            var logical = new LogicalColumnReader[columnCount];
            try
            {
                foreach (int c in chosen)
                {
                    readers[c] = rowGroup.Column(c);
                    logical[c] = readers[c].LogicalReader();
                }
                while (remaining > 0)
                {
                    int rows = (int)Math.Min(chunkRows, remaining);
                    var batch = new Array?[columnCount];
                    foreach (int c in chosen) batch[c] = logical[c].Apply(new ReadBatchVisitor(rows));
                    remaining -= rows;
                    yield return batch;
                }
            }
            finally
            {
                foreach (var r in logical) r?.Dispose();
                foreach (var r in readers) r?.Dispose();
            }
        }
    }

    private sealed class ReadBatchVisitor(int rows) : ILogicalColumnReaderVisitor<Array>
    {
        public Array OnLogicalColumnReader<TValue>(LogicalColumnReader<TValue> columnReader)
        {
            var values = new TValue[rows];
            int read = 0;
            while (read < rows)
            {
                int n = columnReader.ReadBatch(values.AsSpan(read));
                if (n == 0) throw new InvalidOperationException($"the row group ended after {read} of its {rows} rows.");
                read += n;
            }
            return ParquetTableReader.Widen(values);
        }
    }

    private sealed class TypeVisitor : ILogicalColumnReaderVisitor<Type>
    {
        public Type OnLogicalColumnReader<TValue>(LogicalColumnReader<TValue> columnReader) => ParquetTableReader.WidenedType<TValue>();
    }

    /// <summary>Reads the columns whose type depends on their values over the whole file (bounded memory) and plans them.</summary>
    private Layout Profile(string path)
    {
        using var file = OpenFile(path);
        var metadata = file.FileMetaData;
        var tabTwin = ParquetColumnMeta.Parse(metadata.KeyValueMetadata.GetValueOrDefault(ParquetColumnMeta.MetadataKey), path);
        int count = metadata.NumColumns;
        var names = new string[count];
        var descriptors = new ColumnDescriptor[count];
        var meta = new ParquetColumnMeta?[count];
        var types = new Type[count];
        for (int c = 0; c < count; c++)
        {
            descriptors[c] = metadata.Schema.Column(c);
            names[c] = descriptors[c].Name;
            meta[c] = tabTwin.GetValueOrDefault(names[c]);
        }
        var companions = tabTwin.Values.Where(m => m.OffsetColumn is not null).Select(m => m.OffsetColumn!).ToHashSet();
        var isCompanion = names.Select(companions.Contains).ToArray();
        var offsetOf = meta.Select(m => m?.OffsetColumn is { } oc ? Array.IndexOf(names, oc) : -1).ToArray();
        long rows = metadata.NumRows;
        if (metadata.NumRowGroups > 0)
        {
            using var rowGroup = file.RowGroup(0);
            for (int c = 0; c < count; c++)
            {
                using var reader = rowGroup.Column(c);
                using var logical = reader.LogicalReader();
                types[c] = logical.Apply(new TypeVisitor());
            }
        }
        for (int c = 0; c < count; c++)
        {
            // An unsupported type is the same error as Read's, raised now rather than at the first chunk.
            if (!isCompanion[c] && types[c] is not null)
                ParquetTableReader.Convert(names[c], Array.CreateInstance(types[c], 0), descriptors[c], meta[c], null, path, new UnusableNumbers());
        }
        if (rows == 0 || isCompanion.All(x => x) || types.Any(t => t is null))
            throw new DataSourceException("table.empty", $"'{path}' holds no data rows.", file: path);
        var plans = ParquetProfiler.Plan(file, names, descriptors, meta, types, isCompanion, offsetOf, path, _chunkRows, Batches);
        var groupRows = new long[metadata.NumRowGroups];
        for (int g = 0; g < groupRows.Length; g++)
        {
            using var group = file.RowGroup(g);
            groupRows[g] = group.MetaData.NumRows;
        }
        return new Layout(names, descriptors, meta, types, plans, isCompanion, offsetOf, rows, groupRows);
    }
}
