using System.Runtime.InteropServices;
using ParquetSharp;
using TabTwin.Tables;
using TColumn = TabTwin.Tables.Column;

namespace TabTwin.IO;

/// <summary>
/// The physical form one streamed Parquet column takes (fixed by the sink's first chunk). A datetime column with per-row
/// UTC offsets is two Parquet columns, as <see cref="ParquetTableWriter"/> writes it: the UTC instant and the offset in minutes.
/// </summary>
internal enum ParquetValueKind { Int64, Double, Bool, Text, Date, Timestamp, UtcInstant, OffsetMinutes }

/// <summary>
/// Hands one column of each chunk to its Parquet column writer: definition levels for missing values and the present
/// values in the physical type, in scratch buffers owned by this column alone. Each column has its own encoder, so
/// the columns of a buffered row group can be encoded on different threads at once.
/// </summary>
internal sealed class ParquetColumnEncoder(ParquetValueKind kind)
{
    // Reused from chunk to chunk: a chunk used to allocate a definition-level array and a value copy per column,
    // several MB of garbage per 64k-row chunk.
    private short[] _defLevels = [];
    private int _onesPrefix; // _defLevels[0.._onesPrefix) are known to be 1, so a column without missing values skips the fill
    private long[] _longs = [];
    private double[] _doubles = [];
    private bool[] _bools = [];
    private int[] _ints = [];
    private ByteArray[] _byteArrays = [];

    // A categorical column's labels as UTF-8 in one pinned block, and a ByteArray per code pointing into it: a row
    // costs one 16-byte copy instead of encoding or copying its label. Rebuilt only when the label list changes
    // (generated chunks share one list).
    private IReadOnlyList<string>? _labels;
    private byte[] _labelBytes = [];
    private ByteArray[] _labelValues = [];

    public ParquetValueKind Kind => kind;

    private static T[] Buffer<T>(ref T[] buffer, int n)
    {
        if (buffer.Length < n) buffer = new T[Math.Max(n, buffer.Length * 2)];
        return buffer;
    }

    public void Write(ColumnWriter writer, TColumn column)
    {
        int n = column.Length;
        var defLevels = DefinitionLevels(column, out int present);
        bool dense = present == n; // no missing value: the column's own array can be handed over without a copy
        switch (kind)
        {
            case ParquetValueKind.Int64:
            {
                var values = Buffer(ref _longs, present).AsSpan(0, present);
                var src = ((NumericColumn)column).Values;
                if (dense) for (int i = 0; i < n; i++) values[i] = (long)Math.Round(src[i]);
                else for (int i = 0, k = 0; i < n; i++) if (defLevels[i] == 1) values[k++] = (long)Math.Round(src[i]);
                ((ColumnWriter<long>)writer).WriteBatch(n, defLevels, default, values);
                break;
            }
            case ParquetValueKind.Double:
                WritePresent((ColumnWriter<double>)writer, ((NumericColumn)column).Values, ref _doubles, defLevels, present);
                break;
            case ParquetValueKind.Bool:
                WritePresent((ColumnWriter<bool>)writer, ((BooleanColumn)column).Values, ref _bools, defLevels, present);
                break;
            case ParquetValueKind.Date:
            {
                var values = Buffer(ref _ints, present).AsSpan(0, present);
                var src = ((DateTimeColumn)column).Ticks;
                for (int i = 0, k = 0; i < n; i++) if (defLevels[i] == 1) values[k++] = (int)((src[i] - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerDay);
                ((ColumnWriter<int>)writer).WriteBatch(n, defLevels, default, values);
                break;
            }
            case ParquetValueKind.UtcInstant:
            {
                var values = Buffer(ref _longs, present).AsSpan(0, present);
                var d = (DateTimeColumn)column;
                var src = d.Ticks;
                var offsets = d.OffsetMinutes;
                for (int i = 0, k = 0; i < n; i++)
                    if (defLevels[i] == 1) values[k++] = (src[i] - offsets[i] * TimeSpan.TicksPerMinute - DateTime.UnixEpoch.Ticks) / 10;
                ((ColumnWriter<long>)writer).WriteBatch(n, defLevels, default, values);
                break;
            }
            case ParquetValueKind.OffsetMinutes:
            {
                var values = Buffer(ref _ints, present).AsSpan(0, present);
                var offsets = ((DateTimeColumn)column).OffsetMinutes;
                for (int i = 0, k = 0; i < n; i++) if (defLevels[i] == 1) values[k++] = offsets[i];
                ((ColumnWriter<int>)writer).WriteBatch(n, defLevels, default, values);
                break;
            }
            case ParquetValueKind.Timestamp:
            {
                var values = Buffer(ref _longs, present).AsSpan(0, present);
                var src = ((DateTimeColumn)column).Ticks;
                for (int i = 0, k = 0; i < n; i++) if (defLevels[i] == 1) values[k++] = (src[i] - DateTime.UnixEpoch.Ticks) / 10;
                ((ColumnWriter<long>)writer).WriteBatch(n, defLevels, default, values);
                break;
            }
            default:
                if (column is CategoricalColumn cat) WriteLabels((ColumnWriter<ByteArray>)writer, cat, defLevels, present);
                else WriteTexts((ColumnWriter<ByteArray>)writer, column, defLevels, present);
                break;
        }
    }

    /// <summary>
    /// Writes a column whose stored values are already in the physical type: the column's own array when nothing is
    /// missing, else its present values copied into <paramref name="buffer"/>.
    /// </summary>
    private static void WritePresent<T>(ColumnWriter<T> writer, ReadOnlySpan<T> src, ref T[] buffer, ReadOnlySpan<short> defLevels, int present) where T : unmanaged
    {
        int n = defLevels.Length;
        var values = src[..n];
        if (present != n)
        {
            var copy = Buffer(ref buffer, present).AsSpan(0, present);
            for (int i = 0, k = 0; i < n; i++) if (defLevels[i] == 1) copy[k++] = src[i];
            values = copy;
        }
        writer.WriteBatch(n, defLevels, default, values);
    }

    /// <summary>1 for a present value, 0 for a missing one; counts the present values.</summary>
    private ReadOnlySpan<short> DefinitionLevels(TColumn column, out int present)
    {
        int n = column.Length;
        var levels = Buffer(ref _defLevels, n).AsSpan(0, n);
        var missing = column.Missing;
        if (!missing.Any)
        {
            if (_onesPrefix < n) { levels.Fill(1); _onesPrefix = n; }
            present = n;
            return levels;
        }
        present = 0;
        for (int i = 0; i < n; i++) { short d = missing[i] ? (short)0 : (short)1; levels[i] = d; present += d; }
        _onesPrefix = 0;
        return levels;
    }

    private void WriteLabels(ColumnWriter<ByteArray> writer, CategoricalColumn column, ReadOnlySpan<short> defLevels, int present)
    {
        if (!ReferenceEquals(_labels, column.Categories)) EncodeLabels(column.Categories);
        var labels = _labelValues;
        var codes = column.Codes;
        var values = Buffer(ref _byteArrays, present).AsSpan(0, present);
        if (present == codes.Length) for (int i = 0; i < codes.Length; i++) values[i] = labels[codes[i]];
        else for (int i = 0, k = 0; i < codes.Length; i++) if (defLevels[i] == 1) values[k++] = labels[codes[i]];
        writer.WriteBatch(codes.Length, defLevels, default, values);
    }

    private void EncodeLabels(IReadOnlyList<string> labels)
    {
        var utf8 = System.Text.Encoding.UTF8;
        var encoded = labels.Select(utf8.GetBytes).ToArray();
        // Pinned for the encoder's lifetime: the ByteArray values hold raw addresses into it.
        _labelBytes = GC.AllocateUninitializedArray<byte>(Math.Max(1, encoded.Sum(e => e.Length)), pinned: true);
        var start = Marshal.UnsafeAddrOfPinnedArrayElement(_labelBytes, 0);
        _labelValues = new ByteArray[encoded.Length];
        for (int c = 0, pos = 0; c < encoded.Length; c++)
        {
            encoded[c].CopyTo(_labelBytes, pos);
            _labelValues[c] = new ByteArray(start + pos, encoded[c].Length);
            pos += encoded[c].Length;
        }
        _labels = labels;
    }

    /// <summary>UTF-8 bytes of every present value in one pinned buffer, then a ByteArray per value pointing into it.</summary>
    private void WriteTexts(ColumnWriter<ByteArray> writer, TColumn column, ReadOnlySpan<short> defLevels, int present)
    {
        int n = column.Length;
        var texts = new string[present];
        var offsets = new int[present + 1];
        long total = 0;
        for (int i = 0, k = 0; i < n; i++)
            if (defLevels[i] == 1) { texts[k] = column.FormatValue(i)!; total += System.Text.Encoding.UTF8.GetByteCount(texts[k++]); }
        var bytes = new byte[Math.Max(1, total)];
        for (int k = 0, pos = 0; k < present; k++)
        {
            pos += System.Text.Encoding.UTF8.GetBytes(texts[k], 0, texts[k].Length, bytes, pos);
            offsets[k + 1] = pos;
        }
        var handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        try
        {
            var start = handle.AddrOfPinnedObject();
            var values = Buffer(ref _byteArrays, present).AsSpan(0, present);
            for (int k = 0; k < present; k++) values[k] = new ByteArray(start + offsets[k], offsets[k + 1] - offsets[k]);
            writer.WriteBatch(n, defLevels, default, values);
        }
        finally
        {
            handle.Free();
        }
    }
}
