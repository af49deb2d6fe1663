namespace TabTwin.Tables;

/// <summary>
/// An immutable, columnar table: an ordered list of equally long, uniquely named columns.
/// Operations return new tables; columns are shared, never copied, when unchanged.
/// </summary>
public sealed class Table
{
    private readonly Column[] _columns;
    private readonly Dictionary<string, int> _index;

    public Table(IEnumerable<Column> columns)
    {
        _columns = columns.ToArray();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        RowCount = _columns.Length == 0 ? 0 : _columns[0].Length;
        for (int i = 0; i < _columns.Length; i++)
        {
            var c = _columns[i];
            if (c.Length != RowCount)
                throw new ArgumentException($"Column '{c.Name}' has {c.Length} rows but column '{_columns[0].Name}' has {RowCount}.");
            if (!_index.TryAdd(c.Name, i))
                throw new ArgumentException($"Column name '{c.Name}' appears twice.");
        }
    }

    public int RowCount { get; }
    public int ColumnCount => _columns.Length;
    public IReadOnlyList<Column> Columns => _columns;
    public IEnumerable<string> ColumnNames => _columns.Select(c => c.Name);

    public Column this[int index] => _columns[index];

    /// <summary>The column with this name; throws a <see cref="SchemaException"/> naming the known columns when absent.</summary>
    public Column this[string name] => TryGetColumn(name, out var c)
        ? c
        : throw new SchemaException("table.unknown-column",
            $"Column '{name}' does not exist; the table has: {string.Join(", ", ColumnNames)}.", column: name);

    public bool TryGetColumn(string name, out Column column)
    {
        if (_index.TryGetValue(name, out int i)) { column = _columns[i]; return true; }
        column = null!;
        return false;
    }

    public bool Contains(string name) => _index.ContainsKey(name);
    public int IndexOf(string name) => _index.TryGetValue(name, out int i) ? i : -1;

    public T Get<T>(string name) where T : Column => this[name] as T
        ?? throw new SchemaException("table.column-type",
            $"Column '{name}' is {this[name].Type}, not {typeof(T).Name.Replace("Column", "")}.", column: name);

    /// <summary>A new table with these rows, in this order.</summary>
    public Table Take(ReadOnlySpan<int> rows)
    {
        var cols = new Column[_columns.Length];
        for (int i = 0; i < cols.Length; i++) cols[i] = _columns[i].Take(rows);
        return new Table(cols);
    }

    /// <summary>The first <paramref name="count"/> rows (or all, when fewer).</summary>
    public Table Head(int count)
    {
        var rows = Enumerable.Range(0, Math.Min(count, RowCount)).ToArray();
        return Take(rows);
    }

    public Table Select(IEnumerable<string> names) => new(names.Select(n => this[n]));

    public Table WithColumn(Column column)
    {
        var list = _columns.ToList();
        int i = IndexOf(column.Name);
        if (i >= 0) list[i] = column; else list.Add(column);
        return new Table(list);
    }

    public Table Without(string name) => new(_columns.Where(c => c.Name != name));

    /// <summary>
    /// The rows of every table, one after the other. Columns are matched by name and keep the first table's order,
    /// type and presentation (categorical dictionaries merged by value; boolean spelling, datetime format and offsets
    /// kept). Throws a <see cref="SchemaException"/> (<c>table.concat-columns</c>, <c>table.concat-type</c>) when the
    /// column sets or types differ.
    /// </summary>
    public static Table Concat(params Table[] tables) => TableConcat.Rows(tables);

    /// <summary>Row-wise view of one row as invariant text (null = missing); handy for tests and printing.</summary>
    public string?[] FormatRow(int row)
    {
        var r = new string?[_columns.Length];
        for (int i = 0; i < r.Length; i++) r[i] = _columns[i].FormatValue(row);
        return r;
    }

    public override string ToString() => $"Table[{RowCount} rows × {ColumnCount} columns: {string.Join(", ", ColumnNames)}]";
}
