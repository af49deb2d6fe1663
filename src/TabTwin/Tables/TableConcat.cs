namespace TabTwin.Tables;

/// <summary>
/// Row-wise concatenation behind <see cref="Table.Concat"/>. Columns are matched by name and come out in the first
/// table's order with the first table's storage type and presentation: categorical dictionaries are merged by value
/// (the first table's categories keep their codes, new values are appended in order of first appearance), booleans keep
/// the first table's spelling, datetimes its format (per-row offsets are kept; rows of a table without offsets get 0),
/// numbers stay integer only when every part is integer and keep the most decimal places of any part. Categorical and
/// text columns may be mixed (both hold strings); any other type mismatch is an error.
/// </summary>
internal static class TableConcat
{
    public static Table Rows(IReadOnlyList<Table> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (tables.Count == 0) throw new ArgumentException("Concat needs at least one table.", nameof(tables));
        var first = tables[0] ?? throw new ArgumentNullException(nameof(tables), "A table to concatenate is null.");
        if (tables.Count == 1) return first;
        for (int t = 1; t < tables.Count; t++)
        {
            var other = tables[t] ?? throw new ArgumentNullException(nameof(tables), "A table to concatenate is null.");
            var missing = first.ColumnNames.Where(n => !other.Contains(n)).ToList();
            var extra = other.ColumnNames.Where(n => !first.Contains(n)).ToList();
            if (missing.Count > 0 || extra.Count > 0)
                throw new SchemaException("table.concat-columns",
                    $"Table {t + 1} of {tables.Count} cannot be appended: " +
                    (missing.Count > 0 ? $"it lacks column(s) {string.Join(", ", missing.Select(n => $"'{n}'"))}" : "") +
                    (missing.Count > 0 && extra.Count > 0 ? " and " : "") +
                    (extra.Count > 0 ? $"it has extra column(s) {string.Join(", ", extra.Select(n => $"'{n}'"))}" : "") + ".",
                    column: missing.Concat(extra).First());
        }
        var columns = new Column[first.ColumnCount];
        for (int c = 0; c < columns.Length; c++)
        {
            var name = first[c].Name;
            var parts = tables.Select(t => t[name]).ToArray();
            columns[c] = Concat(parts);
        }
        return new Table(columns);
    }

    private static Column Concat(Column[] parts)
    {
        var head = parts[0];
        for (int i = 1; i < parts.Length; i++)
        {
            bool strings = head.Type is ColumnType.Categorical or ColumnType.Text && parts[i].Type is ColumnType.Categorical or ColumnType.Text;
            if (parts[i].Type != head.Type && !strings)
                throw new SchemaException("table.concat-type",
                    $"Column '{head.Name}' holds {head.Type} values in table 1 but {parts[i].Type} values in table {i + 1}; they cannot be appended.",
                    column: head.Name);
        }
        return head switch
        {
            NumericColumn n => Numbers(n, parts.Cast<NumericColumn>().ToArray()),
            BooleanColumn b => Booleans(b, parts.Cast<BooleanColumn>().ToArray()),
            DateTimeColumn d => DateTimes(d, parts.Cast<DateTimeColumn>().ToArray()),
            CategoricalColumn c => Categories(c, parts),
            _ => Texts(head.Name, parts),
        };
    }

    private static Bitmask Missing(Column[] parts, int length)
    {
        var b = new Bitmask.Builder(length);
        int offset = 0;
        foreach (var p in parts)
        {
            if (p.Missing.Any) for (int i = 0; i < p.Length; i++) if (p.Missing[i]) b.Set(offset + i);
            offset += p.Length;
        }
        b.EnsureLength(length);
        return b.Build();
    }

    private static NumericColumn Numbers(NumericColumn head, NumericColumn[] parts)
    {
        int length = parts.Sum(p => p.Length), offset = 0;
        var values = new double[length];
        foreach (var p in parts) { p.Values.CopyTo(values.AsSpan(offset)); offset += p.Length; }
        bool integer = parts.All(p => p.IsInteger);
        return new NumericColumn(head.Name, values, Missing(parts, length), integer, integer ? 0 : parts.Max(p => p.DecimalPlaces));
    }

    private static BooleanColumn Booleans(BooleanColumn head, BooleanColumn[] parts)
    {
        int length = parts.Sum(p => p.Length), offset = 0;
        var values = new bool[length];
        foreach (var p in parts) { p.Values.CopyTo(values.AsSpan(offset)); offset += p.Length; }
        return new BooleanColumn(head.Name, values, Missing(parts, length), head.TrueToken, head.FalseToken);
    }

    private static DateTimeColumn DateTimes(DateTimeColumn head, DateTimeColumn[] parts)
    {
        int length = parts.Sum(p => p.Length), offset = 0;
        var ticks = new long[length];
        short[]? offsets = parts.Any(p => p.HasOffset) ? new short[length] : null;
        foreach (var p in parts)
        {
            p.Ticks.CopyTo(ticks.AsSpan(offset));
            if (offsets is not null && p.HasOffset) p.OffsetMinutes.CopyTo(offsets.AsSpan(offset));
            offset += p.Length;
        }
        return new DateTimeColumn(head.Name, ticks, Missing(parts, length), head.Format, offsets);
    }

    private static CategoricalColumn Categories(CategoricalColumn head, Column[] parts)
    {
        var categories = head.Categories.ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < categories.Count; k++) index.TryAdd(categories[k], k);
        int Code(string? value)
        {
            if (value is null) return -1;
            if (!index.TryGetValue(value, out int code)) { code = categories.Count; index[value] = code; categories.Add(value); }
            return code;
        }
        var codes = new int[parts.Sum(p => p.Length)];
        int offset = 0;
        foreach (var p in parts)
        {
            if (p is CategoricalColumn c)
            {
                // Map the part's dictionary once, not its rows.
                var map = c.Categories.Select(Code).ToArray();
                var raw = c.Codes;
                for (int i = 0; i < raw.Length; i++) codes[offset + i] = raw[i] < 0 ? -1 : map[raw[i]];
            }
            else for (int i = 0; i < p.Length; i++) codes[offset + i] = Code(p.FormatValue(i));
            offset += p.Length;
        }
        return new CategoricalColumn(head.Name, codes, categories.ToArray());
    }

    private static TextColumn Texts(string name, Column[] parts)
    {
        var values = new string?[parts.Sum(p => p.Length)];
        int offset = 0;
        foreach (var p in parts)
        {
            for (int i = 0; i < p.Length; i++) values[offset + i] = p.FormatValue(i);
            offset += p.Length;
        }
        return new TextColumn(name, values);
    }
}
