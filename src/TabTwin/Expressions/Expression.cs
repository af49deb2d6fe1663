using TabTwin.Tables;

namespace TabTwin.Expressions;

/// <summary>
/// A parsed expression in TabTwin's small, safe formula language, e.g.
/// <c>discharge &gt;= admit &amp;&amp; los == days(discharge - admit)</c> or <c>round(price * quantity, 2)</c>.
/// Text is tokenized and parsed by hand into an immutable tree; nothing is ever run as code. Bind it to a
/// table (or to column types) to type-check it, then evaluate it for all rows at once or row by row.
/// </summary>
public sealed class Expression
{
    private Expression(string text, ExprNode root)
    {
        Text = text;
        Root = root;
        Columns = CollectColumns(root);
    }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="ExpressionException"/> (<c>expr.syntax</c>) with the position and a caret line.</summary>
    public static Expression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Expression(text, Parser.Parse(text));
    }

    /// <summary>Wraps an already built tree (e.g. one made in code); its canonical text becomes <see cref="Text"/>.</summary>
    public static Expression FromTree(ExprNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return new Expression(ExpressionPrinter.Print(root), root);
    }

    /// <summary>The text as given to <see cref="Parse"/>.</summary>
    public string Text { get; }
    public ExprNode Root { get; }
    /// <summary>The distinct columns the expression reads, in order of first mention.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Canonical text (minimal parentheses, single-quoted strings) that parses back to the same tree.</summary>
    public override string ToString() => ExpressionPrinter.Print(Root);

    /// <summary>Type-checks against the columns of <paramref name="table"/>.</summary>
    public BoundExpression Bind(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Bind(table.Columns.Select(c => new KeyValuePair<string, ExprType>(c.Name, ExprTypes.Of(c.Type))));
    }

    /// <summary>Type-checks against named column types (when no data is at hand, e.g. from a schema).</summary>
    public BoundExpression Bind(IEnumerable<KeyValuePair<string, ExprType>> columns)
    {
        var types = new Dictionary<string, ExprType>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (name, type) in columns) if (types.TryAdd(name, type)) order.Add(name);
        var binder = new Binder(Text, n => types.TryGetValue(n, out var t) ? t : null, order);
        var typed = binder.Bind(Root);
        return new BoundExpression(this, typed, types);
    }

    /// <summary>Shorthand for <c>Bind(table).Evaluate(table)</c>.</summary>
    public ExpressionResult Evaluate(Table table) => Bind(table).Evaluate(table);

    private static List<string> CollectColumns(ExprNode root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<string>();
        var stack = new Stack<ExprNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n is ColumnNode c && seen.Add(c.Name)) list.Add(c.Name);
            var children = n.Children;
            for (int i = children.Count - 1; i >= 0; i--) stack.Push(children[i]);
        }
        return list;
    }
}

/// <summary>An expression type-checked against column types. Immutable and thread-safe.</summary>
public sealed class BoundExpression
{
    private readonly Typed _typed;

    internal BoundExpression(Expression expression, Typed typed, IReadOnlyDictionary<string, ExprType> columnTypes)
    {
        Expression = expression;
        _typed = typed;
        ColumnTypes = columnTypes;
    }

    public Expression Expression { get; }
    /// <summary>The type of the result (<see cref="ExprType.Missing"/> only for expressions such as <c>null</c>).</summary>
    public ExprType Type => _typed.Type;
    /// <summary>The column types the expression was checked against.</summary>
    public IReadOnlyDictionary<string, ExprType> ColumnTypes { get; }

    /// <summary>Compiles to closures over <paramref name="table"/>'s columns, for evaluating single rows repeatedly.</summary>
    public RowEvaluator Compile(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new RowEvaluator(Type, _typed.Build(new CompileScope(table, Expression.Text)), table.RowCount);
    }

    /// <summary>Evaluates every row of <paramref name="table"/> into a typed result.</summary>
    public ExpressionResult Evaluate(Table table)
    {
        var rows = Compile(table);
        return ExpressionResult.From(Type, rows.Eval, table.RowCount);
    }

    /// <summary>
    /// Evaluates every row into a new column named <paramref name="name"/>. When <paramref name="like"/> is given the
    /// new column takes its shape: decimals/integer-ness of a numeric column (values rounded to them), the format of a
    /// datetime column, the spelling of a boolean column, categorical vs text.
    /// </summary>
    public Column EvaluateColumn(Table table, string name, Column? like = null) => Evaluate(table).ToColumn(name, like);
}

/// <summary>An expression compiled against one table: evaluates single rows without allocating per row.</summary>
public sealed class RowEvaluator
{
    internal RowEvaluator(ExprType type, Eval eval, int rowCount)
    {
        Type = type;
        Eval = eval;
        RowCount = rowCount;
    }

    internal Eval Eval { get; }
    public ExprType Type { get; }
    public int RowCount { get; }

    /// <summary>The value at <paramref name="row"/> as double, bool, string, DateTime or TimeSpan; null when missing.</summary>
    public object? Evaluate(int row) => ExpressionResult.Box(Type, Eval(Check(row)));

    /// <summary>For boolean expressions: true, false, or null when missing.</summary>
    public bool? EvaluateBoolean(int row)
    {
        var v = Eval(Check(row));
        return v.IsMissing ? null : v.IsTrue;
    }

    /// <summary>For numeric expressions: the number, or null when missing.</summary>
    public double? EvaluateNumber(int row)
    {
        var v = Eval(Check(row));
        return v.IsMissing ? null : v.Number;
    }

    private int Check(int row) => (uint)row < (uint)RowCount ? row : throw new ArgumentOutOfRangeException(nameof(row));
}
