using System.Runtime.InteropServices;
using System.Text;
using ParquetSharp;
using TabTwin.Tables;
using PColumn = ParquetSharp.Column;
using TColumn = TabTwin.Tables.Column;

namespace TabTwin.IO;

/// <summary>
/// Parquet written chunk by chunk: one row group per chunk, the same column types and TabTwin metadata as
/// <see cref="ParquetTableWriter"/> (so <see cref="TableReader"/> reads types back), values handed to the physical
/// column writers in bulk with definition levels for missing values and strings as pinned UTF-8 bytes, so no
/// object per value is made. The schema is fixed by the first chunk.
/// </summary>
internal sealed class ParquetTableSink : FileTableSink
{
    private ParquetFileWriter? _writer;
    private Kind[] _kinds = [];

    private enum Kind { Int64, Double, Bool, Text, Date, Timestamp }

    public ParquetTableSink(string path, bool overwrite) : base(path, overwrite) { }

    public override void Write(Table chunk)
    {
        if (_writer is null) Open(chunk);
        using var rowGroup = _writer!.AppendRowGroup();
        for (int c = 0; c < chunk.ColumnCount; c++) WriteColumn(rowGroup, chunk[c], _kinds[c]);
        RowsWritten += chunk.RowCount;
    }

    private void Open(Table first)
    {
        var metas = new List<ParquetColumnMeta>();
        var columns = new List<PColumn>();
        _kinds = new Kind[first.ColumnCount];
        for (int c = 0; c < first.ColumnCount; c++)
        {
            var column = first[c];
            string name = column.Name;
            switch (column)
            {
                case NumericColumn n:
                    _kinds[c] = n.IsInteger ? Kind.Int64 : Kind.Double;
                    metas.Add(new ParquetColumnMeta { Name = name, Type = "numeric", IsInteger = n.IsInteger, DecimalPlaces = n.DecimalPlaces });
                    columns.Add(n.IsInteger ? new Column<long?>(name) : new Column<double?>(name));
                    break;
                case BooleanColumn b:
                    _kinds[c] = Kind.Bool;
                    metas.Add(new ParquetColumnMeta { Name = name, Type = "boolean", TrueToken = b.TrueToken, FalseToken = b.FalseToken });
                    columns.Add(new Column<bool?>(name));
                    break;
                case DateTimeColumn d when !d.HasOffset:
                    _kinds[c] = d.IsDateOnly ? Kind.Date : Kind.Timestamp;
                    metas.Add(new ParquetColumnMeta { Name = name, Type = "datetime", Format = d.Format });
                    columns.Add(d.IsDateOnly ? new Column<Date?>(name) : new Column<DateTime?>(name, LogicalType.Timestamp(false, TimeUnit.Micros)));
                    break;
                case DateTimeColumn:
                    throw new ArgumentException($"Column '{name}': streaming Parquet does not write per-row UTC offsets.");
                default:
                    _kinds[c] = Kind.Text;
                    metas.Add(new ParquetColumnMeta { Name = name, Type = column is CategoricalColumn ? "categorical" : "text" });
                    columns.Add(new Column<string>(name));
                    break;
            }
        }
        var metadata = new Dictionary<string, string> { [ParquetColumnMeta.MetadataKey] = ParquetColumnMeta.Serialize(metas) };
        // Dictionary encoding pays off for labels and small counts, not for continuous numbers (almost all distinct):
        // there it only hashes every value to fall back to plain encoding, which was the largest write cost.
        using var builder = new WriterPropertiesBuilder().Compression(Compression.Snappy);
        for (int c = 0; c < _kinds.Length; c++)
            if (_kinds[c] is Kind.Double or Kind.Timestamp) builder.DisableDictionary(first[c].Name);
        using var properties = builder.Build();
        _writer = new ParquetFileWriter(TempPath, columns.ToArray(), properties, metadata);
    }

    // Buffers reused from chunk to chunk (the sink is written from one thread): a chunk used to allocate a
    // definition-level array and a value copy per column, several MB of garbage per 64k-row chunk.
    private short[] _defLevels = [];
    private long[] _longs = [];
    private double[] _doubles = [];
    private bool[] _bools = [];
    private int[] _ints = [];

    private static T[] Buffer<T>(ref T[] buffer, int n)
    {
        if (buffer.Length < n) buffer = new T[Math.Max(n, buffer.Length * 2)];
        return buffer;
    }

    private void WriteColumn(RowGroupWriter rowGroup, TColumn column, Kind kind)
    {
        int n = column.Length;
        var defLevelArray = Buffer(ref _defLevels, n);
        var defLevels = defLevelArray.AsSpan(0, n);
        var missing = column.Missing;
        int present = n;
        if (missing.Any)
        {
            present = 0;
            for (int i = 0; i < n; i++) { short d = missing[i] ? (short)0 : (short)1; defLevels[i] = d; present += d; }
        }
        else defLevels.Fill(1);
        bool dense = present == n; // no missing value: the column's own array can be handed over without a copy
        using var writer = rowGroup.NextColumn();
        switch (kind)
        {
            case Kind.Int64:
            {
                var values = Buffer(ref _longs, present).AsSpan(0, present);
                var src = ((NumericColumn)column).Values;
                if (dense) for (int i = 0; i < n; i++) values[i] = (long)Math.Round(src[i]);
                else for (int i = 0, k = 0; i < n; i++) if (defLevels[i] == 1) values[k++] = (long)Math.Round(src[i]);
                ((ColumnWriter<long>)writer).WriteBatch(n, defLevels, default, values);
                break;
            }
            case Kind.Double:
            {
                var src = ((NumericColumn)column).Values;
                ReadOnlySpan<double> values = src;
                if (!dense)
                {
                    var copy = Buffer(ref _doubles, present).AsSpan(0, present);
                    for (int i = 0, k = 0; i < n; i++) if (defLevels[i] == 1) copy[k++] = src[i];
                    values = copy;
                }
                ((ColumnWriter<double>)writer).WriteBatch(n, defLevels, default, values);
                break;
            }
            case Kind.Bool:
            {
                var src = ((BooleanColumn)column).Values;
                ReadOnlySpan<bool> values = src;
                if (!dense)
                {
                    var copy = Buffer(ref _bools, present).AsSpan(0, present);
                    for (int i = 0, k = 0; i < n; i++) if (defLevels[i] == 1) copy[k++] = src[i];
                    values = copy;
                }
                ((ColumnWriter<bool>)writer).WriteBatch(n, defLevels, default, values);
                break;
            }
            case Kind.Date:
            {
                var values = Buffer(ref _ints, present).AsSpan(0, present);
                var src = ((DateTimeColumn)column).Ticks;
                for (int i = 0, k = 0; i < n; i++) if (defLevels[i] == 1) values[k++] = (int)((src[i] - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerDay);
                ((ColumnWriter<int>)writer).WriteBatch(n, defLevels, default, values);
                break;
            }
            case Kind.Timestamp:
            {
                var values = Buffer(ref _longs, present).AsSpan(0, present);
                var src = ((DateTimeColumn)column).Ticks;
                for (int i = 0, k = 0; i < n; i++) if (defLevels[i] == 1) values[k++] = (src[i] - DateTime.UnixEpoch.Ticks) / 10;
                ((ColumnWriter<long>)writer).WriteBatch(n, defLevels, default, values);
                break;
            }
            default:
                WriteStrings((ColumnWriter<ByteArray>)writer, column, defLevels, present);
                break;
        }
    }

    /// <summary>UTF-8 bytes of every present value in one pinned buffer; categorical labels are encoded once per chunk.</summary>
    private static void WriteStrings(ColumnWriter<ByteArray> writer, TColumn column, ReadOnlySpan<short> defLevels, int present)
    {
        int n = column.Length;
        var offsets = new int[present + 1];
        byte[] bytes;
        if (column is CategoricalColumn cat)
        {
            var encoded = cat.Categories.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
            var codes = cat.Codes;
            long total = 0;
            for (int i = 0; i < n; i++) if (defLevels[i] == 1) total += encoded[codes[i]].Length;
            bytes = new byte[Math.Max(1, total)];
            for (int i = 0, k = 0, pos = 0; i < n; i++)
            {
                if (defLevels[i] == 0) continue;
                var e = encoded[codes[i]];
                e.CopyTo(bytes, pos);
                pos += e.Length;
                offsets[++k] = pos;
            }
        }
        else
        {
            var texts = new string[present];
            long total = 0;
            for (int i = 0, k = 0; i < n; i++)
                if (defLevels[i] == 1) { texts[k] = column.FormatValue(i)!; total += System.Text.Encoding.UTF8.GetByteCount(texts[k++]); }
            bytes = new byte[Math.Max(1, total)];
            for (int k = 0, pos = 0; k < present; k++)
            {
                pos += System.Text.Encoding.UTF8.GetBytes(texts[k], 0, texts[k].Length, bytes, pos);
                offsets[k + 1] = pos;
            }
        }
        var handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        try
        {
            var start = handle.AddrOfPinnedObject();
            var values = new ByteArray[present];
            for (int k = 0; k < present; k++) values[k] = new ByteArray(start + offsets[k], offsets[k + 1] - offsets[k]);
            writer.WriteBatch(n, defLevels, default, values);
        }
        finally
        {
            handle.Free();
        }
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
