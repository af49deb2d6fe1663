using System.Runtime.ExceptionServices;
using ParquetSharp;
using TabTwin.Tables;
using PColumn = ParquetSharp.Column;

namespace TabTwin.IO;

/// <summary>
/// Parquet written chunk by chunk: one row group per chunk, the same column types and TabTwin metadata as
/// <see cref="ParquetTableWriter"/> (so <see cref="TableReader"/> reads types back), each column handed to its
/// physical column writer in bulk by its own <see cref="ParquetColumnEncoder"/> (definition levels for missing values,
/// strings as pinned UTF-8 bytes, so no object per value is made), the columns of a chunk on several threads at
/// once. The schema is fixed by the first chunk. A datetime column with per-row offsets becomes two Parquet columns
/// (UTC instant, then the offset), so one table column may feed two encoders.
/// </summary>
internal sealed class ParquetTableSink : FileTableSink
{
    private ParquetFileWriter? _writer;
    private ParquetColumnEncoder[] _encoders = [];
    /// <summary>The table column each Parquet column (and its encoder) is written from.</summary>
    private int[] _sources = [];

    public ParquetTableSink(string path, bool overwrite) : base(path, overwrite) { }

    protected override void WriteChunk(Table chunk)
    {
        if (_writer is null) Open(chunk);
        // A buffered row group lets every column be encoded (levels, dictionary, statistics, compression) on its own
        // thread: Parquet column chunks are independent until the row group is flushed, which the next
        // AppendBufferedRowGroup (or Close) does in column order, so the file is the same however the work was split.
        using var rowGroup = _writer!.AppendBufferedRowGroup();
        if (chunk.RowCount < ParallelRows || _encoders.Length < 2)
            for (int c = 0; c < _encoders.Length; c++) WriteColumn(rowGroup, chunk, c);
        else
        {
            try
            {
                Parallel.For(0, _encoders.Length, Parallelism, c => WriteColumn(rowGroup, chunk, c));
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw(); // the caller sees what a sequential write would throw
            }
        }
        RowsWritten += chunk.RowCount;
    }

    /// <summary>Below this many rows a chunk is encoded on the calling thread (handing columns out costs more than it saves).</summary>
    private const int ParallelRows = 8192;

    // No more encoding threads than cores (each thread's native allocations keep some memory of their own).
    private static readonly ParallelOptions Parallelism = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };

    private void WriteColumn(RowGroupWriter rowGroup, Table chunk, int c)
    {
        using var writer = rowGroup.Column(c);
        _encoders[c].Write(writer, chunk[_sources[c]]);
    }

    private void Open(Table first)
    {
        var metas = new List<ParquetColumnMeta>();
        var columns = new List<PColumn>();
        var kinds = new List<ParquetValueKind>();
        var sources = new List<int>();
        for (int c = 0; c < first.ColumnCount; c++)
        {
            var column = first[c];
            string name = column.Name;
            sources.Add(c);
            switch (column)
            {
                case NumericColumn n:
                    kinds.Add(n.IsInteger ? ParquetValueKind.Int64 : ParquetValueKind.Double);
                    metas.Add(new ParquetColumnMeta { Name = name, Type = "numeric", IsInteger = n.IsInteger, DecimalPlaces = n.DecimalPlaces });
                    columns.Add(n.IsInteger ? new Column<long?>(name) : new Column<double?>(name));
                    break;
                case BooleanColumn b:
                    kinds.Add(ParquetValueKind.Bool);
                    metas.Add(new ParquetColumnMeta { Name = name, Type = "boolean", TrueToken = b.TrueToken, FalseToken = b.FalseToken });
                    columns.Add(new Column<bool?>(name));
                    break;
                case DateTimeColumn d when !d.HasOffset:
                    kinds.Add(d.IsDateOnly ? ParquetValueKind.Date : ParquetValueKind.Timestamp);
                    metas.Add(new ParquetColumnMeta { Name = name, Type = "datetime", Format = d.Format });
                    columns.Add(d.IsDateOnly ? new Column<Date?>(name) : new Column<DateTime?>(name, LogicalType.Timestamp(false, TimeUnit.Micros)));
                    break;
                case DateTimeColumn d:
                    string offsetName = ParquetColumnMeta.OffsetColumnPrefix + name;
                    kinds.AddRange([ParquetValueKind.UtcInstant, ParquetValueKind.OffsetMinutes]);
                    sources.Add(c);
                    metas.Add(new ParquetColumnMeta { Name = name, Type = "datetime", Format = d.Format, OffsetColumn = offsetName });
                    columns.AddRange([new Column<DateTime?>(name, LogicalType.Timestamp(true, TimeUnit.Micros)), new Column<int?>(offsetName)]);
                    break;
                default:
                    kinds.Add(ParquetValueKind.Text);
                    metas.Add(new ParquetColumnMeta { Name = name, Type = column is CategoricalColumn ? "categorical" : "text" });
                    columns.Add(new Column<string>(name));
                    break;
            }
        }
        var metadata = new Dictionary<string, string> { [ParquetColumnMeta.MetadataKey] = ParquetColumnMeta.Serialize(metas) };
        // Dictionary encoding pays off for labels and small counts, not for continuous numbers (almost all distinct):
        // there it only hashes every value to fall back to plain encoding, which was the largest write cost.
        using var builder = new WriterPropertiesBuilder().Compression(Compression.Snappy);
        for (int c = 0; c < kinds.Count; c++)
            if (kinds[c] is ParquetValueKind.Double or ParquetValueKind.Timestamp or ParquetValueKind.UtcInstant) builder.DisableDictionary(columns[c].Name);
        using var properties = builder.Build();
        _writer = new ParquetFileWriter(TempPath, columns.ToArray(), properties, metadata);
        _encoders = kinds.Select(k => new ParquetColumnEncoder(k)).ToArray();
        _sources = [.. sources];
    }

    protected override void Finish()
    {
        if (_writer is null) throw new InvalidOperationException("A Parquet sink needs at least one chunk (possibly empty) before Complete.");
        _writer.Close();
    }

    protected override void Close()
    {
        _writer?.Dispose();
        _writer = null;
    }
}
