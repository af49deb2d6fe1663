namespace TabTwin.Expressions;

/// <summary>A type-checked node: its static type and how to compile it into a closure against a table.</summary>
internal readonly record struct Typed(ExprType Type, Func<CompileScope, Eval> Build);

/// <summary>
/// Type-checks a syntax tree against column types and turns each node into a closure factory. Missing values
/// propagate (SQL-like): arithmetic and comparisons with a missing operand are missing, &amp;&amp; and || use
/// three-valued logic (false &amp;&amp; missing = false, true || missing = true).
/// </summary>
internal sealed class Binder(string text, Func<string, ExprType?> columnType, IEnumerable<string> columnNames)
{
    public Typed Bind(ExprNode node) => node switch
    {
        LiteralNode l => BindLiteral(l),
        ColumnNode c => BindColumn(c),
        UnaryNode u => BindUnary(u),
        BinaryNode b => BindBinary(b),
        InNode i => BindIn(i),
        BetweenNode bt => BindBetween(bt),
        CallNode f => Functions.Bind(this, f),
        _ => throw new ArgumentException($"Unknown node {node.GetType().Name}."),
    };

    public string Text => text;

    public ExpressionException TypeError(string message, int position, string? hint = null) =>
        new("expr.type", message, text, position, hint: hint);

    public static ExpressionException UnknownColumn(string name, IEnumerable<string> known, string text, int position)
    {
        var names = known.ToList();
        // "hours-per-week" unbracketed parses as hours - per - week: point at the column the text actually spells.
        var spelled = position >= 0 && position < text.Length
            ? names.Where(n => n.Length > name.Length && text.AsSpan(position).StartsWith(n, StringComparison.Ordinal))
                .OrderByDescending(n => n.Length).FirstOrDefault()
            : null;
        if (spelled is not null)
            return new ExpressionException("expr.unknown-column",
                $"Unknown column '{name}': '{spelled}' must be written {ExpressionPrinter.FormatColumn(spelled)}, because without brackets its symbols are read as operators",
                text, position, column: name, hint: $"Write {ExpressionPrinter.FormatColumn(spelled)}.");
        var close = names.Where(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase) || Distance(n, name) <= 2)
            .Select(n => ExpressionPrinter.FormatColumn(n)).Take(3).ToList();
        string hint = close.Count > 0 ? $"Did you mean {string.Join(" or ", close)}?"
            : "Column names with spaces or symbols go in brackets, e.g. [education-num].";
        return new ExpressionException("expr.unknown-column",
            $"Unknown column '{name}'; the columns are: {string.Join(", ", names)}", text, position, column: name, hint: hint);
    }

    private Typed BindLiteral(LiteralNode l)
    {
        var (type, value) = l.Value switch
        {
            null => (ExprType.Missing, Value.Missing),
            bool b => (ExprType.Boolean, Value.Bool(b)),
            double d => (ExprType.Number, Value.Num(d)),
            string s => (ExprType.String, Value.Str(s)),
            _ => throw new ArgumentException($"Unsupported literal {l.Value.GetType().Name}."),
        };
        return Constant(type, value);
    }

    public static Typed Constant(ExprType type, Value value) => new(type, _ => _ => value);

    private Typed BindColumn(ColumnNode c)
    {
        var type = columnType(c.Name) ?? throw UnknownColumn(c.Name, columnNames, text, c.Position);
        return new Typed(type, scope => scope.Column(c.Name, type, c.Position));
    }

    private Typed BindUnary(UnaryNode u)
    {
        var operand = Bind(u.Operand);
        if (u.Operator == UnaryOperator.Not)
        {
            if (operand.Type != ExprType.Boolean)
                throw TypeError($"Operator '!' needs a boolean, not a {ExprTypes.Name(operand.Type)}", u.Position);
            return new Typed(ExprType.Boolean, s => { var e = operand.Build(s); return r => { var v = e(r); return v.IsMissing ? v : Value.Bool(!v.IsTrue); }; });
        }
        return operand.Type switch
        {
            ExprType.Number => new Typed(ExprType.Number, s => { var e = operand.Build(s); return r => { var v = e(r); return v.IsMissing ? v : Value.Num(-v.Number); }; }),
            ExprType.Duration => new Typed(ExprType.Duration, s => { var e = operand.Build(s); return r => { var v = e(r); return v.IsMissing ? v : Value.Span(-(double)v.Ticks); }; }),
            _ => throw TypeError($"Operator '-' (negation) needs a number or duration, not a {ExprTypes.Name(operand.Type)}", u.Position),
        };
    }

    private Typed BindBinary(BinaryNode b)
    {
        var left = Bind(b.Left);
        var right = Bind(b.Right);
        var (lt, rt) = (left.Type, right.Type);
        string op = ExpressionPrinter.OperatorText(b.Operator);
        ExpressionException Mismatch(string? hint = null) =>
            TypeError($"Operator '{op}' cannot combine {ExprTypes.Name(lt)} and {ExprTypes.Name(rt)}", b.OperatorPosition, hint);

        switch (b.Operator)
        {
            case BinaryOperator.And or BinaryOperator.Or:
                if (lt != ExprType.Boolean || rt != ExprType.Boolean) throw Mismatch("Both sides of && and || must be conditions.");
                return new Typed(ExprType.Boolean, s => Logic(b.Operator == BinaryOperator.And, left.Build(s), right.Build(s)));
            case BinaryOperator.Equal or BinaryOperator.NotEqual or BinaryOperator.Less or BinaryOperator.LessOrEqual
                or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual:
            {
                if (lt == ExprType.Missing || rt == ExprType.Missing)
                    throw Mismatch("Comparing with null is always missing; test for missing values with is_missing(x).");
                if (lt != rt) throw Mismatch(lt is ExprType.DateTime && rt is ExprType.String || rt is ExprType.DateTime && lt is ExprType.String
                    ? "Write date literals as date('2020-01-31')." : null);
                bool ordered = b.Operator is not (BinaryOperator.Equal or BinaryOperator.NotEqual);
                if (ordered && lt == ExprType.Boolean) throw Mismatch("Booleans can only be compared with == and !=.");
                var test = Comparison(b.Operator);
                var compare = Comparer(lt);
                return new Typed(ExprType.Boolean, s =>
                {
                    var (l, r) = (left.Build(s), right.Build(s));
                    return row =>
                    {
                        var a = l(row);
                        if (a.IsMissing) return a;
                        var c = r(row);
                        return c.IsMissing ? c : Value.Bool(test(compare(a, c)));
                    };
                });
            }
        }
        var arithmetic = Arithmetic(b.Operator, lt, rt) ?? throw Mismatch(ArithmeticHint(b.Operator, lt, rt));
        return new Typed(arithmetic.Type, s =>
        {
            var (l, r) = (left.Build(s), right.Build(s));
            var f = arithmetic.Apply;
            return row =>
            {
                var a = l(row);
                if (a.IsMissing) return a;
                var c = r(row);
                return c.IsMissing ? c : f(a, c);
            };
        });
    }

    private static string? ArithmeticHint(BinaryOperator op, ExprType l, ExprType r) =>
        (l, r) switch
        {
            (ExprType.DateTime, ExprType.Number) or (ExprType.Number, ExprType.DateTime) =>
                "Add a duration instead of a number, e.g. admit + days(3).",
            (ExprType.Duration, ExprType.Number) or (ExprType.Number, ExprType.Duration) when op is BinaryOperator.Add or BinaryOperator.Subtract =>
                "Convert one side: days(d) turns a duration into a number of days, days(n) turns a number into a duration.",
            (ExprType.Missing, _) or (_, ExprType.Missing) => "null has no value to compute with; use coalesce(x, default).",
            _ => null,
        };

    private sealed record ArithmeticRule(ExprType Type, Func<Value, Value, Value> Apply);

    private static ArithmeticRule? Arithmetic(BinaryOperator op, ExprType l, ExprType r)
    {
        const ExprType N = ExprType.Number, T = ExprType.DateTime, D = ExprType.Duration, S = ExprType.String;
        return (op, l, r) switch
        {
            (BinaryOperator.Add, N, N) => new(N, (a, b) => Value.Num(a.Number + b.Number)),
            (BinaryOperator.Add, S, S) => new(S, (a, b) => Value.Str(a.Text + b.Text)),
            (BinaryOperator.Add, T, D) => new(T, (a, b) => AddTicks(a.Ticks, b.Ticks)),
            (BinaryOperator.Add, D, T) => new(T, (a, b) => AddTicks(b.Ticks, a.Ticks)),
            (BinaryOperator.Add, D, D) => new(D, (a, b) => Value.Span((double)a.Ticks + b.Ticks)),
            (BinaryOperator.Subtract, N, N) => new(N, (a, b) => Value.Num(a.Number - b.Number)),
            (BinaryOperator.Subtract, T, T) => new(D, (a, b) => Value.Span((double)a.Ticks - b.Ticks)),
            (BinaryOperator.Subtract, T, D) => new(T, (a, b) => AddTicks(a.Ticks, -b.Ticks)),
            (BinaryOperator.Subtract, D, D) => new(D, (a, b) => Value.Span((double)a.Ticks - b.Ticks)),
            (BinaryOperator.Multiply, N, N) => new(N, (a, b) => Value.Num(a.Number * b.Number)),
            (BinaryOperator.Multiply, D, N) => new(D, (a, b) => Value.Span(a.Ticks * b.Number)),
            (BinaryOperator.Multiply, N, D) => new(D, (a, b) => Value.Span(a.Number * b.Ticks)),
            (BinaryOperator.Divide, N, N) => new(N, (a, b) => Value.Num(a.Number / b.Number)),
            (BinaryOperator.Divide, D, N) => new(D, (a, b) => Value.Span(a.Ticks / b.Number)),
            (BinaryOperator.Divide, D, D) => new(N, (a, b) => Value.Num((double)a.Ticks / b.Ticks)),
            (BinaryOperator.Modulo, N, N) => new(N, (a, b) => Value.Num(a.Number % b.Number)),
            _ => null,
        };
    }

    private static Value AddTicks(long time, long span)
    {
        double t = (double)time + span;
        return t < DateTime.MinValue.Ticks || t > DateTime.MaxValue.Ticks ? Value.Missing : Value.Time(time + span);
    }

    private static Eval Logic(bool and, Eval left, Eval right) => row =>
    {
        var a = left(row);
        // Short-circuit exactly where three-valued logic allows it.
        if (a.Present && a.IsTrue != and) return a;
        var b = right(row);
        if (b.Present && b.IsTrue != and) return b;
        return a.IsMissing || b.IsMissing ? Value.Missing : a;
    };

    private static Func<int, bool> Comparison(BinaryOperator op) => op switch
    {
        BinaryOperator.Equal => c => c == 0,
        BinaryOperator.NotEqual => c => c != 0,
        BinaryOperator.Less => c => c < 0,
        BinaryOperator.LessOrEqual => c => c <= 0,
        BinaryOperator.Greater => c => c > 0,
        _ => c => c >= 0,
    };

    /// <summary>Three-way comparison of two present values of the same type (strings ordinal).</summary>
    internal static Func<Value, Value, int> Comparer(ExprType type) => type switch
    {
        ExprType.Number or ExprType.Boolean => (a, b) => a.Number.CompareTo(b.Number),
        ExprType.String => (a, b) => string.CompareOrdinal(a.Text, b.Text),
        _ => (a, b) => a.Ticks.CompareTo(b.Ticks),
    };

    private Typed BindIn(InNode node)
    {
        var value = Bind(node.Value);
        var items = node.Items.Select(Bind).ToArray();
        for (int k = 0; k < items.Length; k++)
            if (items[k].Type != value.Type)
                throw TypeError($"'in' list item {k + 1} is a {ExprTypes.Name(items[k].Type)} but the value is a {ExprTypes.Name(value.Type)}",
                    node.Items[k].Position);
        var compare = Comparer(value.Type);
        bool negated = node.Negated;
        return new Typed(ExprType.Boolean, s =>
        {
            var v = value.Build(s);
            var list = items.Select(i => i.Build(s)).ToArray();
            return row =>
            {
                var x = v(row);
                if (x.IsMissing) return x;
                foreach (var item in list)
                {
                    var y = item(row);
                    if (y.Present && compare(x, y) == 0) return Value.Bool(!negated);
                }
                return Value.Bool(negated);
            };
        });
    }

    private Typed BindBetween(BetweenNode node)
    {
        var (value, low, high) = (Bind(node.Value), Bind(node.Low), Bind(node.High));
        if (low.Type != value.Type || high.Type != value.Type || value.Type is ExprType.Boolean or ExprType.Missing)
            throw TypeError($"'between' cannot compare a {ExprTypes.Name(value.Type)} with bounds of type {ExprTypes.Name(low.Type)} and {ExprTypes.Name(high.Type)}",
                node.Position);
        var compare = Comparer(value.Type);
        bool negated = node.Negated;
        return new Typed(ExprType.Boolean, s =>
        {
            var (v, lo, hi) = (value.Build(s), low.Build(s), high.Build(s));
            return row =>
            {
                var (x, a, b) = (v(row), lo(row), hi(row));
                if (x.IsMissing || a.IsMissing || b.IsMissing) return Value.Missing;
                bool inside = compare(x, a) >= 0 && compare(x, b) <= 0;
                return Value.Bool(inside != negated);
            };
        });
    }

    /// <summary>Levenshtein distance, for "did you mean" suggestions on short names.</summary>
    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2) return 3;
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
