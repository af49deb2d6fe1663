using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>
/// <c>min ≤ column ≤ max</c> (either bound optional, each inclusive unless strict) for a numeric column, or a datetime
/// column with datetime bounds. <see cref="Positive"/> and <see cref="Negative"/> are ranges with one bound at 0.
/// Numeric ranges are learned around: the model sees log(x − min + δ), log(max − x + δ) or the logit of x scaled into
/// the bounds (δ = one unit of the column's decimals), so every rebuilt value lies inside.
/// </summary>
public sealed class RangeConstraint : Constraint
{
    public RangeConstraint(string column, double? min = null, double? max = null, bool strictMin = false, bool strictMax = false)
        : this(column, min, max, strictMin, strictMax, dates: false) { }

    /// <summary>A datetime range, e.g. visits between 2020-01-01 and 2024-12-31.</summary>
    public RangeConstraint(string column, DateTime? min, DateTime? max, bool strictMin = false, bool strictMax = false)
        : this(column, min?.Ticks, max?.Ticks, strictMin, strictMax, dates: true) { }

    private RangeConstraint(string column, double? min, double? max, bool strictMin, bool strictMax, bool dates)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        if (min is null && max is null) throw new ArgumentException($"A range on '{column}' needs a min, a max or both.");
        if (min is double a && double.IsNaN(a) || max is double b && double.IsNaN(b)) throw new ArgumentException("Range bounds cannot be NaN.");
        Column = column; Min = min; Max = max; StrictMin = strictMin; StrictMax = strictMax; IsDateTime = dates;
    }

    /// <summary><c>column ≥ 0</c>, or <c>&gt; 0</c> when strict.</summary>
    public static RangeConstraint Positive(string column, bool strict = false) => new(column, 0, null, strict, false);
    /// <summary><c>column ≤ 0</c>, or <c>&lt; 0</c> when strict.</summary>
    public static RangeConstraint Negative(string column, bool strict = false) => new(column, null, 0, false, strict);

    public string Column { get; }
    /// <summary>Lower bound (datetime ranges: ticks).</summary>
    public double? Min { get; }
    public double? Max { get; }
    public bool StrictMin { get; }
    public bool StrictMax { get; }
    public bool IsDateTime { get; }
    /// <summary>True when no value can satisfy the bounds (min &gt; max, or equal with a strict side).</summary>
    public bool IsEmpty => Min is double a && Max is double b && (a > b || (a == b && (StrictMin || StrictMax)));

    public override string Type => "range";
    public override IReadOnlyList<string> Columns => [Column];

    public override string Describe()
    {
        var parts = new List<string>();
        if (Min is double a) parts.Add($"{Column} {(StrictMin ? ">" : ">=")} {Bound(a)}");
        if (Max is double b) parts.Add($"{Column} {(StrictMax ? "<" : "<=")} {Bound(b)}");
        return string.Join(" && ", parts);
    }

    private string Bound(double v) => IsDateTime
        ? new DateTime((long)v).ToString(v % TimeSpan.TicksPerDay == 0 ? "yyyy-MM-dd" : "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)
        : v.ToString("R", CultureInfo.InvariantCulture);

    public bool Contains(double x) =>
        (Min is not double a || (StrictMin ? x > a : x >= a)) && (Max is not double b || (StrictMax ? x < b : x <= b));

    public override bool[] FindViolations(Table table)
    {
        var x = Comparable(table[Column]);
        var bad = new bool[x.Length];
        for (int i = 0; i < bad.Length; i++) bad[i] = !double.IsNaN(x[i]) && !Contains(x[i]);
        return bad;
    }

    internal override void CheckColumns(Table table, TableSchema? schema, string label)
    {
        var c = RequireColumn(table, Column, label, "column");
        if (IsDateTime && c.Type != ColumnType.DateTime) throw WrongKind(label, "column", c, "datetimes (the bounds are dates)");
        if (!IsDateTime && c.Type != ColumnType.Numeric) throw WrongKind(label, "column", c, "numbers");
    }

    internal override JsonObject ToJson()
    {
        var o = new JsonObject { ["type"] = Type, ["column"] = Column };
        if (Min is double a) o["min"] = IsDateTime ? JsonValue.Create(Bound(a)) : JsonValue.Create(a);
        if (Max is double b) o["max"] = IsDateTime ? JsonValue.Create(Bound(b)) : JsonValue.Create(b);
        if (StrictMin) o["strictMin"] = true;
        if (StrictMax) o["strictMax"] = true;
        return o;
    }

    internal override ConstraintTransform? PlanTransform(Table table, TableSchema schema)
    {
        if (IsDateTime || IsEmpty || table[Column] is not NumericColumn n || schema.Find(Column)?.Kind is not ColumnKind.Numerical) return null;
        var template = ColumnTemplate.Of(n);
        double scale = Math.Max(1, Math.Max(Math.Abs(Min ?? 0), Math.Abs(Max ?? 0)));
        double delta = template.NumericUnit > 0 ? template.NumericUnit : 1e-6 * scale;
        if (Min is double a && Max is double b) delta = Math.Min(delta, (b - a) / 4 + double.Epsilon);
        return new BoundedTransform(this, template, ConstraintTransformNames.Unique(table, Column + "#range"), delta);
    }

    internal override ConstraintTransform RestoreTransform(JsonObject state) => new BoundedTransform(this,
        state["template"].Deserialize<ColumnTemplate>(ConstraintJson.Options)!, (string)state["column"]!, (double)state["delta"]!);

    private sealed class BoundedTransform(RangeConstraint rule, ColumnTemplate template, string name, double delta) : ConstraintTransform
    {
        public override int Priority => 3;
        public override IReadOnlyCollection<string> Reads => [];
        public override IReadOnlyCollection<string> Consumes => [rule.Column];
        public override string Describe() => rule.Min is not null && rule.Max is not null
            ? $"models the logit of {rule.Column} scaled into its bounds" : $"models the log of {rule.Column}'s distance to its bound";

        public override JsonObject State() => new()
        {
            ["column"] = name, ["delta"] = delta, ["template"] = JsonSerializer.SerializeToNode(template, ConstraintJson.Options),
        };

        public override (Table Table, TableSchema Schema) Apply(Table table, TableSchema schema)
        {
            var x = Comparable(table[rule.Column]);
            var z = new double[x.Length];
            var missing = new bool[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                if (double.IsNaN(x[i])) { missing[i] = true; continue; }
                z[i] = Forward(x[i]);
            }
            return Replace(table, schema, Consumes, new NumericColumn(name, z, Bitmask.FromBools(missing), false, 15), ColumnKind.Numerical);
        }

        private double Forward(double x) => (rule.Min, rule.Max) switch
        {
            (double a, double b) => Logit((Math.Clamp(x, a, b) - a + delta) / (b - a + 2 * delta)),
            (double a, null) => Math.Log(Math.Max(x - a, 0) + delta),
            (null, double b) => Math.Log(Math.Max(b - x, 0) + delta),
            _ => x,
        };

        private double Backward(double z) => (rule.Min, rule.Max) switch
        {
            (double a, double b) => a - delta + (b - a + 2 * delta) / (1 + Math.Exp(-z)),
            (double a, null) => a - delta + Math.Exp(Math.Min(z, 700)),
            (null, double b) => b + delta - Math.Exp(Math.Min(z, 700)),
            _ => z,
        };

        private static double Logit(double p) => Math.Log(p / (1 - p));

        public override Table Reverse(Table sampled)
        {
            var z = Comparable(sampled[name]);
            var values = new double[z.Length];
            var missing = new bool[z.Length];
            double unit = template.NumericUnit;
            for (int i = 0; i < z.Length; i++)
            {
                if (double.IsNaN(z[i])) { missing[i] = true; continue; }
                double v = Backward(z[i]);
                if (rule.Min is double a) v = Math.Max(v, a);
                if (rule.Max is double b) v = Math.Min(v, b);
                v = template.RoundNumber(v);
                // Rounding or clamping may land on (or just past) a bound: step inside by one unit of the written precision.
                if (rule.Min is double lo && (rule.StrictMin ? v <= lo : v < lo)) v = template.RoundNumber(unit > 0 ? lo + unit : Math.BitIncrement(lo));
                if (rule.Max is double hi && (rule.StrictMax ? v >= hi : v > hi)) v = template.RoundNumber(unit > 0 ? hi - unit : Math.BitDecrement(hi));
                values[i] = v;
            }
            return Restore(sampled, name, [template.BuildNumeric(values, Bitmask.FromBools(missing))]);
        }
    }
}
