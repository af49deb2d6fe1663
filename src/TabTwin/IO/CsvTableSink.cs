using System.Globalization;
using System.Text;
using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// Delimited text written chunk by chunk, in the same shape as <see cref="CsvTableWriter"/> (UTF-8 without BOM, '\n',
/// minimal quoting, values as <see cref="Column.FormatValue"/> spells them) but formatting numbers, dates and labels
/// straight into a character buffer, so millions of rows per second need no string per value.
/// </summary>
internal sealed class CsvTableSink : FileTableSink
{
    private readonly char _delimiter;
    private readonly bool _header;
    private readonly FileStream _stream;
    private readonly StreamWriter _writer;
    private char[] _buffer = new char[1 << 16];
    private int _length;
    private bool _started;

    public CsvTableSink(string path, char delimiter, bool header, bool overwrite) : base(path, overwrite)
    {
        _delimiter = delimiter;
        _header = header;
        _stream = new FileStream(TempPath, FileMode.Open, FileAccess.Write, FileShare.None, 1 << 16);
        _writer = new StreamWriter(_stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
    }

    protected override void WriteChunk(Table chunk)
    {
        var columns = chunk.Columns;
        if (!_started)
        {
            _started = true;
            if (_header)
            {
                for (int c = 0; c < columns.Count; c++)
                {
                    if (c > 0) Append(_delimiter);
                    AppendField(columns[c].Name);
                }
                Append('\n');
            }
        }
        // Everything about a column that does not change from row to row is settled once per chunk: its kind, its
        // typed values, its labels (quoted as needed) and whether it has missing values at all.
        var cells = columns.Select(CellSource).ToArray();
        for (int r = 0; r < chunk.RowCount; r++)
        {
            for (int c = 0; c < cells.Length; c++)
            {
                if (c > 0) Append(_delimiter);
                var cell = cells[c];
                if (cell.HasMissing && cell.Column.Missing[r]) continue;
                switch (cell.Kind)
                {
                    case CellKind.Number: AppendNumber(cell.Numbers![r], cell.IsInteger, cell.Decimals); break;
                    case CellKind.Label: AppendRaw(cell.Labels![cell.Categories!.Codes[r]]); break;
                    case CellKind.Boolean: AppendRaw(cell.Labels![cell.Flags![r] ? 1 : 0]); break;
                    case CellKind.Date: AppendDate(((DateTimeColumn)cell.Column).DateTimeAt(r), cell.Format!); break;
                    default: AppendField(cell.Column.FormatValue(r)!); break;
                }
            }
            Append('\n');
            if (_length > _buffer.Length - 4096) Flush();
        }
        Flush();
        RowsWritten += chunk.RowCount;
    }

    private enum CellKind { Number, Label, Boolean, Date, Other }

    private sealed record Cell(Column Column, CellKind Kind, bool HasMissing)
    {
        public NumericColumn? Numbers { get; init; }
        public bool IsInteger { get; init; }
        public int Decimals { get; init; }
        public CategoricalColumn? Categories { get; init; }
        public BooleanColumn? Flags { get; init; }
        public string[]? Labels { get; init; } // categories, or the false and true tokens, already quoted where needed
        public string? Format { get; init; }
    }

    private Cell CellSource(Column column) => column switch
    {
        NumericColumn n => new Cell(column, CellKind.Number, n.Missing.Any) { Numbers = n, IsInteger = n.IsInteger, Decimals = n.DecimalPlaces },
        CategoricalColumn cat => new Cell(column, CellKind.Label, cat.Missing.Any) { Categories = cat, Labels = cat.Categories.Select(Quote).ToArray() },
        BooleanColumn b => new Cell(column, CellKind.Boolean, b.Missing.Any) { Flags = b, Labels = [Quote(b.FalseToken), Quote(b.TrueToken)] },
        DateTimeColumn d when !d.HasOffset => new Cell(column, CellKind.Date, d.Missing.Any) { Format = d.Format },
        _ => new Cell(column, CellKind.Other, column.Missing.Any),
    };

    protected override void Finish() => _writer.Flush();

    protected override void Close()
    {
        _writer.Dispose();
        _stream.Dispose();
    }

    private void Flush()
    {
        _writer.Write(_buffer, 0, _length);
        _length = 0;
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length) return;
        Flush();
        if (extra > _buffer.Length) _buffer = new char[Math.Max(extra, _buffer.Length * 2)];
    }

    private void Append(char c)
    {
        Ensure(1);
        _buffer[_length++] = c;
    }

    private void AppendRaw(string s)
    {
        Ensure(s.Length);
        s.CopyTo(_buffer.AsSpan(_length));
        _length += s.Length;
    }

    private void AppendField(string s) => AppendRaw(NeedsQuotes(s) ? Quote(s) : s);

    private string Quote(string s) => NeedsQuotes(s) ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private bool NeedsQuotes(string value)
    {
        if (value.Length == 0) return false;
        if (value[0] == ' ' || value[^1] == ' ') return true;
        return value.AsSpan().IndexOfAny(_delimiter, '"', '\n') >= 0 || value.Contains('\r');
    }

    /// <summary>The same text as <see cref="NumericColumn.Format"/>, written in place.</summary>
    private void AppendNumber(double v, bool isInteger, int decimals)
    {
        Ensure(64);
        var span = _buffer.AsSpan(_length);
        int written;
        if (isInteger && Math.Abs(v) < 9.007199254740992E15)
            ((long)Math.Round(v)).TryFormat(span, out written, default, CultureInfo.InvariantCulture);
        else if (decimals is > 0 and <= 9 && Math.Abs(v) < 1e9 && double.IsFinite(v))
            written = FormatFixed(span, v, decimals);
        else if (decimals is > 0 and <= 15)
            Math.Round(v, decimals).TryFormat(span, out written, DecimalFormats[decimals], CultureInfo.InvariantCulture);
        else
            v.TryFormat(span, out written, "R", CultureInfo.InvariantCulture);
        _length += written;
    }

    private static readonly double[] Powers = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

    /// <summary>
    /// "0.##…" for up to 9 decimals without the custom-format machinery: the value scaled to an integer, then the
    /// point put back and trailing zeros dropped (what the format string prints, several times faster).
    /// </summary>
    private static int FormatFixed(Span<char> span, double v, int decimals)
    {
        long scaled = (long)Math.Round(v * Powers[decimals], MidpointRounding.AwayFromZero);
        int pos = 0;
        if (scaled < 0 || double.IsNegative(v)) { span[pos++] = '-'; scaled = Math.Abs(scaled); } // "0.##" keeps the sign of -0
        long unit = (long)Powers[decimals];
        long whole = scaled / unit, fraction = scaled % unit;
        whole.TryFormat(span[pos..], out int w, default, CultureInfo.InvariantCulture);
        pos += w;
        if (fraction == 0) return pos;
        span[pos++] = '.';
        int digits = decimals;
        while (fraction % 10 == 0) { fraction /= 10; digits--; }
        for (int i = digits - 1; i >= 0; i--) { span[pos + i] = (char)('0' + fraction % 10); fraction /= 10; }
        return pos + digits;
    }

    private static readonly string[] DecimalFormats = Enumerable.Range(0, 16).Select(d => d == 0 ? "0" : "0." + new string('#', d)).ToArray();

    private void AppendDate(DateTime value, string format)
    {
        Ensure(64);
        if (value.TryFormat(_buffer.AsSpan(_length), out int written, format, CultureInfo.InvariantCulture)) _length += written;
        else AppendField(value.ToString(format, CultureInfo.InvariantCulture));
    }
}
