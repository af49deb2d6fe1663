using TabTwin.Tables;

namespace TabTwin.Expressions;

/// <summary>
/// The table an expression is being compiled against: reads each referenced column once into an array the
/// closures capture (columns expose spans, which closures cannot hold).
/// </summary>
internal sealed class CompileScope(Table table, string text)
{
    private readonly Dictionary<string, Eval> _columns = new(StringComparer.Ordinal);

    public Table Table => table;

    public Eval Column(string name, ExprType expected, int position)
    {
        if (_columns.TryGetValue(name, out var cached)) return cached;
        if (!table.TryGetColumn(name, out var column))
            throw Binder.UnknownColumn(name, table.ColumnNames, text, position);
        var actual = ExprTypes.Of(column.Type);
        if (actual != expected)
            throw new ExpressionException("expr.type",
                $"Column '{name}' was bound as {ExprTypes.Name(expected)} but this table holds {ExprTypes.Name(actual)} values in it",
                text, position, column: name, hint: "Bind the expression again against this table.");
        var missing = column.Missing;
        Eval eval = column switch
        {
            NumericColumn n => Numbers(n.Values.ToArray(), missing),
            BooleanColumn b => Booleans(b.Values.ToArray(), missing),
            DateTimeColumn d => Times(d.Ticks.ToArray(), missing),
            CategoricalColumn c => Categories(c.Codes.ToArray(), c.Categories.ToArray()),
            TextColumn t => Texts(t.Values.ToArray()),
            _ => throw new ArgumentException($"Unsupported column type {column.GetType().Name}."),
        };
        _columns[name] = eval;
        return eval;
    }

    private static Eval Numbers(double[] v, Bitmask missing) =>
        missing.Any ? row => missing[row] ? Value.Missing : Value.Num(v[row]) : row => Value.Num(v[row]);

    private static Eval Booleans(bool[] v, Bitmask missing) =>
        row => missing[row] ? Value.Missing : Value.Bool(v[row]);

    private static Eval Times(long[] v, Bitmask missing) =>
        row => missing[row] ? Value.Missing : Value.Time(v[row]);

    private static Eval Categories(int[] codes, string[] categories)
    {
        // Box each category once, not once per row.
        var values = categories.Select(Value.Str).ToArray();
        return row => codes[row] < 0 ? Value.Missing : values[codes[row]];
    }

    private static Eval Texts(string?[] v) => row => Value.Str(v[row]);
}
