using System.Globalization;
using TabTwin.Tables;

namespace TabTwin.Schema.Relational;

/// <summary>
/// Key values compared across tables. A key is read per row as one string (composite keys join their columns with a
/// separator no real value holds), so a parent's <c>INTEGER</c> 7 and a child's CSV field <c>7</c> match, whatever
/// storage the readers chose; a row with any key column missing has no key (SQL's MATCH SIMPLE: it references nothing).
/// </summary>
internal static class KeyValues
{
    private const char Separator = '\u001f';

    /// <summary>One string per row of <paramref name="columns"/> of <paramref name="table"/>; null where a column is missing.</summary>
    public static string?[] Of(Table table, IReadOnlyList<string> columns)
    {
        var parts = columns.Select(c => table[c]).ToArray();
        var keys = new string?[table.RowCount];
        for (int r = 0; r < keys.Length; r++)
        {
            if (parts.Length == 1) { keys[r] = Value(parts[0], r); continue; }
            string?[] values = new string?[parts.Length];
            bool missing = false;
            for (int p = 0; p < parts.Length && !missing; p++) missing = (values[p] = Value(parts[p], r)) is null;
            keys[r] = missing ? null : string.Join(Separator, values);
        }
        return keys;
    }

    /// <summary>A key as people read it: composite parts as <c>(1993, BOS)</c>.</summary>
    public static string Display(string key) => key.Contains(Separator) ? "(" + key.Replace(Separator.ToString(), ", ", StringComparison.Ordinal) + ")" : key;

    /// <summary>The row's value as a key: whole numbers without decimals (7.0 is 7), datetimes as instants, text as is.</summary>
    public static string? Value(Column column, int row)
    {
        if (column.Missing[row]) return null;
        return column switch
        {
            NumericColumn n => n[row] == Math.Floor(n[row]) && Math.Abs(n[row]) < 9e15
                ? ((long)n[row]).ToString(CultureInfo.InvariantCulture)
                : n[row].ToString("R", CultureInfo.InvariantCulture),
            DateTimeColumn d => d.Ticks[row].ToString(CultureInfo.InvariantCulture),
            _ => column.FormatValue(row),
        };
    }

    /// <summary><paramref name="column"/> with the flagged rows set missing (everything else, formats included, kept).</summary>
    public static Column Blank(Column column, bool[] rows)
    {
        var mask = new Bitmask.Builder(column.Length);
        for (int r = 0; r < column.Length; r++) mask.Set(r, column.Missing[r] || rows[r]);
        switch (column)
        {
            case NumericColumn n: return new NumericColumn(n.Name, n.Values.ToArray(), mask.Build(), n.IsInteger, n.DecimalPlaces);
            case BooleanColumn b: return new BooleanColumn(b.Name, b.Values.ToArray(), mask.Build(), b.TrueToken, b.FalseToken);
            case DateTimeColumn d: return new DateTimeColumn(d.Name, d.Ticks.ToArray(), mask.Build(), d.Format, d.HasOffset ? d.OffsetMinutes.ToArray() : null);
            case CategoricalColumn c:
                var codes = c.Codes.ToArray();
                for (int r = 0; r < codes.Length; r++) if (rows[r]) codes[r] = -1;
                return new CategoricalColumn(c.Name, codes, [.. c.Categories]);
            case TextColumn t:
                var values = t.Values.ToArray();
                for (int r = 0; r < values.Length; r++) if (rows[r]) values[r] = null;
                return new TextColumn(t.Name, values);
            default: throw new ArgumentException($"Unknown column type {column.GetType().Name}.", nameof(column));
        }
    }
}
