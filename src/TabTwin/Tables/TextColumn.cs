namespace TabTwin.Tables;

/// <summary>Free text, one string per row (null = missing). Used for columns with mostly distinct values.</summary>
public sealed class TextColumn : Column
{
    private readonly string?[] _values;

    public TextColumn(string name, string?[] values)
        : base(name, values.Length, MaskFromNulls(values))
    {
        _values = values;
    }

    public override ColumnType Type => ColumnType.Text;
    public ReadOnlySpan<string?> Values => _values;
    public string? this[int row] => _values[row];

    public override object? GetValue(int row) => _values[row];
    public override string? FormatValue(int row) => _values[row];

    public override Column Take(ReadOnlySpan<int> rows)
    {
        var v = new string?[rows.Length];
        for (int i = 0; i < rows.Length; i++) v[i] = _values[rows[i]];
        return new TextColumn(Name, v);
    }

    public override Column WithName(string name) => new TextColumn(name, _values);

    private static Bitmask MaskFromNulls(string?[] values)
    {
        var b = new Bitmask.Builder(values.Length);
        for (int i = 0; i < values.Length; i++) if (values[i] is null) b.Set(i);
        return b.Build();
    }
}
