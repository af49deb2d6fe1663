using System.Text.Json;
using System.Text.Json.Nodes;
using TabTwin.Expressions;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>
/// <c>column = expression</c>, e.g. <c>total = price * quantity</c>: numbers agree within <see cref="Tolerance"/>
/// (default: half a unit of the column's last decimal), other types agree exactly once written in the column's
/// format. Learned around by dropping the column before fitting and recomputing it (rounded to its decimals).
/// </summary>
public sealed class FormulaConstraint : Constraint
{
    public FormulaConstraint(string column, string expression, double? tolerance = null)
        : this(column, Expression.Parse(expression), tolerance) { }

    public FormulaConstraint(string column, Expression expression, double? tolerance = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        ArgumentNullException.ThrowIfNull(expression);
        if (tolerance is < 0 or double.NaN) throw new ArgumentException("The tolerance must be zero or positive.");
        if (expression.Columns.Contains(column))
            throw new TabTwinException("constraints.formula-cycle", $"The formula for '{column}' reads '{column}' itself: {expression}.", column: column);
        Column = column; Expression = expression; Tolerance = tolerance;
    }

    public string Column { get; }
    public Expression Expression { get; }
    public double? Tolerance { get; }

    public override string Type => "formula";
    public override IReadOnlyList<string> Columns => [Column, .. Expression.Columns];
    public override string Describe() => $"{ExpressionPrinter.FormatColumn(Column)} = {Expression}";

    public override bool[] FindViolations(Table table)
    {
        var actual = table[Column];
        var computed = Expression.Bind(table).Evaluate(table);
        var bad = new bool[table.RowCount];
        if (actual is NumericColumn n && computed.Type is ExprType.Number or ExprType.Duration)
        {
            var values = computed.ToColumn(Column) as NumericColumn;
            double half = 0.5 * ColumnTemplate.Of(n).NumericUnit;
            for (int i = 0; i < bad.Length; i++)
            {
                if (n.IsMissing(i) || values!.IsMissing(i)) continue;
                double x = n[i], y = values[i];
                double tol = Tolerance ?? half + 1e-9 * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)));
                bad[i] = !(Math.Abs(x - y) <= tol);
            }
            return bad;
        }
        var shaped = computed.ToColumn(Column, actual);
        for (int i = 0; i < bad.Length; i++)
            if (!actual.IsMissing(i) && !shaped.IsMissing(i)) bad[i] = actual.FormatValue(i) != shaped.FormatValue(i);
        return bad;
    }

    internal override void CheckColumns(Table table, TableSchema? schema, string label)
    {
        var c = RequireColumn(table, Column, label, "column");
        BoundExpression bound;
        try { bound = Expression.Bind(table); }
        catch (ExpressionException e)
        {
            throw new TabTwinException(e.Code, $"{label}: field 'expr': {e.Message}", column: e.Column, hint: e.Hint, inner: e);
        }
        bool fits = bound.Type switch
        {
            ExprType.Number or ExprType.Duration => c.Type == ColumnType.Numeric,
            ExprType.DateTime => c.Type == ColumnType.DateTime,
            ExprType.Boolean => c.Type == ColumnType.Boolean,
            ExprType.String => c.Type is ColumnType.Categorical or ColumnType.Text,
            _ => true,
        };
        if (!fits)
            throw new TabTwinException("constraints.column-kind",
                $"{label}: the formula gives {ExprTypes.Name(bound.Type)} values but column '{Column}' holds {c.Type} values.", column: Column);
    }

    internal override JsonObject ToJson()
    {
        var o = new JsonObject { ["type"] = Type, ["column"] = Column, ["expr"] = Expression.ToString() };
        if (Tolerance is double t) o["tolerance"] = t;
        return o;
    }

    internal override ConstraintTransform? PlanTransform(Table table, TableSchema schema)
    {
        if (schema.Find(Column)?.Kind is ColumnKind.Id or ColumnKind.Pii) return null;
        // Dropping and recomputing is lossless only when the formula is missing exactly where the column is. Otherwise
        // (kc_house: sqft_above missing in 2 of 2,000 rows while sqft_living is not) the column stays modelled and is
        // overwritten by the formula wherever the formula has a value: rejection would keep ~1% of drawn rows, a biased
        // subset, and take a hundred times as long.
        var computed = Expression.Bind(table).Evaluate(table);
        var actual = table[Column];
        for (int i = 0; i < table.RowCount; i++)
            if (computed.IsMissing(i) != actual.IsMissing(i)) return new OverwriteTransform(this);
        return new RecomputeTransform(this, ColumnTemplate.Of(actual));
    }

    internal override ConstraintTransform? SampleOnlyTransform() => new OverwriteTransform(this);

    internal override ConstraintTransform RestoreTransform(JsonObject state) =>
        state["keep"]?.GetValue<bool>() == true
            ? new OverwriteTransform(this)
            : new RecomputeTransform(this, state["template"].Deserialize<ColumnTemplate>(ConstraintJson.Options)!);

    /// <summary>Keeps the column in the model and replaces each sampled value by the formula's where both have one.</summary>
    private sealed class OverwriteTransform(FormulaConstraint rule) : ConstraintTransform
    {
        public override int Priority => 1;
        public override IReadOnlyCollection<string> Reads => [.. rule.Expression.Columns, rule.Column];
        public override IReadOnlyCollection<string> Consumes => [];
        public override string Describe() => $"overwrites {rule.Column} with {rule.Expression} where both have a value";
        public override JsonObject State() => new() { ["keep"] = true };

        public override (Table Table, TableSchema Schema) Apply(Table table, TableSchema schema) => (table, schema);

        public override Table Reverse(Table sampled)
        {
            var modelled = sampled[rule.Column];
            var computed = rule.Expression.Bind(sampled).EvaluateColumn(sampled, rule.Column, modelled);
            // Row i of the merged column: the formula's value (index i) unless either side is missing, then the model's (n + i).
            int n = sampled.RowCount;
            var pick = new int[n];
            for (int i = 0; i < n; i++) pick[i] = modelled.IsMissing(i) || computed.IsMissing(i) ? n + i : i;
            var both = Table.Concat(new Table([computed]), new Table([modelled]))[rule.Column];
            return sampled.WithColumn(both.Take(pick));
        }
    }

    private sealed class RecomputeTransform(FormulaConstraint rule, ColumnTemplate template) : ConstraintTransform
    {
        public override int Priority => 1;
        public override IReadOnlyCollection<string> Reads => rule.Expression.Columns.ToArray();
        public override IReadOnlyCollection<string> Consumes => [rule.Column];
        public override string Describe() => $"drops {rule.Column} and recomputes it as {rule.Expression}";
        public override JsonObject State() => new() { ["template"] = JsonSerializer.SerializeToNode(template, ConstraintJson.Options) };

        public override (Table Table, TableSchema Schema) Apply(Table table, TableSchema schema) =>
            (table.Without(rule.Column), schema with { Columns = schema.Columns.Where(c => c.Name != rule.Column).ToList() });

        public override Table Reverse(Table sampled)
        {
            var like = template.BuildFromText([]);
            var column = rule.Expression.Bind(sampled).EvaluateColumn(sampled, rule.Column, like);
            return sampled.WithColumn(column);
        }
    }
}

/// <summary>A row rule in the expression language, e.g. <c>discharge &gt;= admit &amp;&amp; los == days(discharge - admit)</c>. A row breaks it when it evaluates to false (missing = not judged).</summary>
public sealed class ExpressionConstraint : Constraint
{
    public ExpressionConstraint(string expression, string? name = null) : this(Expression.Parse(expression), name) { }

    public ExpressionConstraint(Expression expression, string? name = null)
    {
        Expression = expression ?? throw new ArgumentNullException(nameof(expression));
        Name = name;
    }

    public Expression Expression { get; }
    public string? Name { get; }
    public override string Type => "expression";
    public override IReadOnlyList<string> Columns => Expression.Columns;
    public override string Describe() => Name is null ? Expression.ToString() : $"{Name}: {Expression}";

    public override bool[] FindViolations(Table table)
    {
        var r = Expression.Bind(table).Evaluate(table);
        return Enumerable.Range(0, table.RowCount).Select(r.IsFalse).ToArray();
    }

    internal override void CheckColumns(Table table, TableSchema? schema, string label)
    {
        BoundExpression bound;
        try { bound = Expression.Bind(table); }
        catch (ExpressionException e)
        {
            throw new TabTwinException(e.Code, $"{label}: field 'expr': {e.Message}", column: e.Column, hint: e.Hint, inner: e);
        }
        if (bound.Type != ExprType.Boolean)
            throw new TabTwinException("constraints.not-a-condition",
                $"{label}: field 'expr' gives {ExprTypes.Name(bound.Type)} values, not true/false: {Expression}.",
                hint: "Write a condition, e.g. total == price * quantity.");
    }

    internal override JsonObject ToJson()
    {
        var o = new JsonObject { ["type"] = Type, ["expr"] = Expression.ToString() };
        if (Name is not null) o["name"] = Name;
        return o;
    }
}

/// <summary>
/// A row rule written as a C# function (API only). It cannot be written to metadata JSON or model files: saving a
/// model that holds one throws <c>constraints.not-serializable</c>.
/// </summary>
public sealed class CustomPredicateConstraint(string name, Func<ConstraintRow, bool> predicate, IReadOnlyList<string>? columns = null) : Constraint
{
    public string Name { get; } = string.IsNullOrEmpty(name) ? throw new ArgumentException("A custom rule needs a name.") : name;
    public Func<ConstraintRow, bool> Predicate { get; } = predicate ?? throw new ArgumentNullException(nameof(predicate));
    public override string Type => "custom";
    public override IReadOnlyList<string> Columns { get; } = columns ?? [];
    public override bool IsSerializable => false;
    public override string Describe() => Name;

    public override bool[] FindViolations(Table table)
    {
        var bad = new bool[table.RowCount];
        for (int i = 0; i < bad.Length; i++) bad[i] = !Predicate(new ConstraintRow(table, i));
        return bad;
    }

    internal override void CheckColumns(Table table, TableSchema? schema, string label)
    {
        for (int i = 0; i < Columns.Count; i++) RequireColumn(table, Columns[i], label, $"columns[{i}]");
    }

    internal override JsonObject ToJson() => throw new TabTwinException("constraints.not-serializable",
        $"The custom rule '{Name}' is C# code; it cannot be written to metadata JSON or a model file.",
        hint: "Express it as an \"expression\" constraint to save it, or keep the model in memory.");
}
