using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>What pass 1 of <see cref="CsvTableReader.Open"/> decided about a delimited file; every later pass parses with it.</summary>
internal sealed record CsvLayout(string Path, System.Text.Encoding Encoding, char Delimiter, bool HasHeader, string[] Names,
    ColumnPlan[] Plans, MissingTokens Missing, long RowCount, FileStamp? Stamp);

/// <summary>
/// Pass 2 of <see cref="CsvTableReader"/>, repeatable: each pass parses blocks of rows into fresh builders of the plans
/// decided at open, one table per <c>chunkRows</c> rows, so every chunk has the same column types (a categorical
/// column's categories are those of its chunk). A file that changed since it was opened (size or write time), or whose
/// rows no longer parse with the plans, is <c>io.changed</c> naming the row (and column). Unusable numbers read as
/// missing are said once, after the first complete pass.
/// </summary>
internal sealed class CsvChunkSource(CsvLayout layout, int chunkRows, Action<string>? warning) : ITableChunkSource
{
    private bool _reported;

    public string Name => layout.Path;

    /// <summary>Rows in the file (blank lines excluded), counted at open.</summary>
    public long RowCount => layout.RowCount;

    public IEnumerable<Table> ReadChunks(CancellationToken cancel = default)
    {
        string path = layout.Path;
        string[] names = layout.Names;
        layout.Stamp?.EnsureUnchanged(path);
        var dropped = names.Select(_ => new UnusableNumbers()).ToArray();
        int chunkCapacity = (int)Math.Min(chunkRows, layout.RowCount);
        using (var csv = CsvTableReader.OpenReader(path, layout.Encoding, layout.Delimiter))
        {
            if (layout.HasHeader) CsvTableReader.ReadRecord(csv, path, 0);
            var block = new FieldBlock(names.Length);
            long blockStart = 0;
            int inChunk = 0;
            var builders = NewBuilders(chunkCapacity);
            for (long row = 1; row <= layout.RowCount; row++)
            {
                bool more = CsvTableReader.ReadRecord(csv, path, row);
                while (more && CsvTableReader.IsBlankLine(csv, names.Length)) more = CsvTableReader.ReadRecord(csv, path, row);
                if (!more || csv.RowFieldCount != names.Length)
                    throw new DataSourceException("io.changed", $"'{path}' changed while it was being read (row {row}).", row: row, file: path);
                block.Add(csv);
                inChunk++;
                bool chunkEnds = inChunk == chunkRows || row == layout.RowCount;
                if (block.IsFull || chunkEnds)
                {
                    CsvTableReader.Parse(block, blockStart, builders, names, layout.Missing, path, dropped);
                    blockStart += block.Rows;
                    block.Clear();
                }
                if (chunkEnds)
                {
                    cancel.ThrowIfCancellationRequested();
                    var chunk = new Table(builders.Select((b, c) => b.Build(names[c])));
                    if (row < layout.RowCount) builders = NewBuilders((int)Math.Min(chunkRows, layout.RowCount - row));
                    inChunk = 0;
                    yield return chunk;
                }
            }
        }
        if (_reported) yield break;
        _reported = true;
        for (int c = 0; c < names.Length; c++) dropped[c].Report(warning, path, names[c]);
    }

    private ColumnBuilder[] NewBuilders(int capacity) => layout.Plans.Select(p => ColumnBuilder.For(p, capacity)).ToArray();
}

/// <summary>A file's size and last write time when it was opened: a repeated pass over a file that changed since fails.</summary>
internal readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
{
    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        return new FileStamp(info.Length, info.LastWriteTimeUtc);
    }

    public void EnsureUnchanged(string path)
    {
        var now = new FileInfo(path);
        if (!now.Exists || now.Length != Length || now.LastWriteTimeUtc != LastWriteUtc)
            throw new DataSourceException("io.changed", $"'{path}' changed since it was opened (now {(now.Exists ? $"{now.Length:N0} bytes, written {now.LastWriteTimeUtc:u}" : "missing")}; was {Length:N0} bytes, written {LastWriteUtc:u}).",
                file: path, hint: "Keep the input unchanged while it is read (a streaming fit reads it several times).");
    }
}
