using System.Text;
using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// Writes delimited text: UTF-8 without BOM, '\n' line ends, a header row, every value through
/// <see cref="Column.FormatValue"/> (invariant culture; integers stay integers, datetimes keep their format and
/// offsets, booleans their spelling), missing values as empty fields, and minimal quoting (only fields holding the
/// delimiter, a quote, a line break or surrounding spaces are quoted).
/// </summary>
internal static class CsvTableWriter
{
    public static void Write(Table table, Stream stream, char delimiter)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        for (int c = 0; c < table.ColumnCount; c++)
        {
            if (c > 0) writer.Write(delimiter);
            WriteField(writer, table[c].Name, delimiter);
        }
        writer.Write('\n');
        var columns = table.Columns;
        for (int r = 0; r < table.RowCount; r++)
        {
            for (int c = 0; c < columns.Count; c++)
            {
                if (c > 0) writer.Write(delimiter);
                var value = columns[c].FormatValue(r);
                if (value is not null) WriteField(writer, value, delimiter);
            }
            writer.Write('\n');
        }
        writer.Flush();
    }

    private static void WriteField(TextWriter writer, string value, char delimiter)
    {
        if (!NeedsQuotes(value, delimiter)) { writer.Write(value); return; }
        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\""));
        writer.Write('"');
    }

    private static bool NeedsQuotes(string value, char delimiter)
    {
        if (value.Length == 0) return false;
        if (value[0] == ' ' || value[^1] == ' ') return true;
        foreach (char ch in value)
            if (ch == delimiter || ch == '"' || ch == '\n' || ch == '\r') return true;
        return false;
    }
}
