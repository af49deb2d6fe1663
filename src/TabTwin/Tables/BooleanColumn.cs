namespace TabTwin.Tables;

/// <summary>
/// True/false values. <see cref="TrueToken"/>/<see cref="FalseToken"/> remember how the source spelled
/// them (true/false, yes/no, Y/N, 1/0) so text output keeps that spelling.
/// </summary>
public sealed class BooleanColumn : Column
{
    private readonly bool[] _values;

    public BooleanColumn(string name, bool[] values, Bitmask? missing = null, string trueToken = "true", string falseToken = "false")
        : base(name, values.Length, missing ?? Bitmask.Empty(values.Length))
    {
        _values = values;
        TrueToken = trueToken;
        FalseToken = falseToken;
    }

    public override ColumnType Type => ColumnType.Boolean;
    public ReadOnlySpan<bool> Values => _values;
    public bool this[int row] => _values[row];
    public string TrueToken { get; }
    public string FalseToken { get; }

    public override object? GetValue(int row) => Missing[row] ? null : _values[row];
    public override string? FormatValue(int row) => Missing[row] ? null : _values[row] ? TrueToken : FalseToken;

    public override Column Take(ReadOnlySpan<int> rows)
    {
        var v = new bool[rows.Length];
        for (int i = 0; i < rows.Length; i++) v[i] = _values[rows[i]];
        return new BooleanColumn(Name, v, Missing.Take(rows), TrueToken, FalseToken);
    }

    public override Column WithName(string name) => new BooleanColumn(name, _values, Missing, TrueToken, FalseToken);
}
