using System.Text.Json.Nodes;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>
/// Exactly one of <see cref="Columns"/> is 1/true in every row (boolean columns, or numeric columns holding 0/1).
/// Learned around by merging the columns into one categorical column naming the hot one.
/// </summary>
public sealed class OneHotConstraint : Constraint
{
    public OneHotConstraint(IEnumerable<string> columns)
    {
        _columns = columns.ToArray();
        if (_columns.Length < 2) throw new ArgumentException("A one-hot group needs at least two columns.");
        if (_columns.Distinct().Count() != _columns.Length) throw new ArgumentException("A one-hot group lists a column twice.");
    }

    private readonly string[] _columns;
    public override string Type => "one-hot";
    public override IReadOnlyList<string> Columns => _columns;
    public override string Describe() => $"exactly one of ({string.Join(", ", _columns)}) is 1";

    /// <summary>Per row: the index of the single hot column, -1 when any value is missing, -2 when not exactly one is hot.</summary>
    private int[] HotIndex(Table table)
    {
        var values = _columns.Select(c => Comparable(table[c])).ToArray();
        var hot = new int[table.RowCount];
        for (int i = 0; i < hot.Length; i++)
        {
            int found = -2, count = 0;
            bool missing = false, invalid = false;
            for (int j = 0; j < values.Length; j++)
            {
                double v = values[j][i];
                if (double.IsNaN(v)) { missing = true; break; }
                if (v == 1) { count++; found = j; }
                else if (v != 0) invalid = true;
            }
            hot[i] = missing ? -1 : !invalid && count == 1 ? found : -2;
        }
        return hot;
    }

    public override bool[] FindViolations(Table table) => HotIndex(table).Select(h => h == -2).ToArray();

    internal override void CheckColumns(Table table, TableSchema? schema, string label)
    {
        for (int i = 0; i < _columns.Length; i++)
        {
            var c = RequireColumn(table, _columns[i], label, $"columns[{i}]");
            if (c.Type is not (ColumnType.Boolean or ColumnType.Numeric)) throw WrongKind(label, $"columns[{i}]", c, "booleans or 0/1 numbers");
        }
    }

    internal override JsonObject ToJson() =>
        new() { ["type"] = Type, ["columns"] = new JsonArray(_columns.Select(c => (JsonNode)c!).ToArray()) };

    internal override ConstraintTransform? PlanTransform(Table table, TableSchema schema) =>
        MergedColumnsTransform.AllOrNoneMissing(table, _columns)
            ? new HotTransform(this, MergedColumnsTransform.TemplatesOf(table, _columns), ConstraintTransformNames.Unique(table, string.Join("|", _columns)))
            : null;

    internal override ConstraintTransform RestoreTransform(JsonObject state)
    {
        var (templates, column) = MergedColumnsTransform.ReadState(state);
        return new HotTransform(this, templates, column);
    }

    private sealed class HotTransform(OneHotConstraint rule, ColumnTemplate[] templates, string name)
        : MergedColumnsTransform(rule._columns, templates, name)
    {
        public override string Describe() => $"models ({string.Join(", ", Merged)}) as one categorical column";

        public override (Table Table, TableSchema Schema) Apply(Table table, TableSchema schema)
        {
            var hot = rule.HotIndex(table);
            var labels = hot.Select(h => h >= 0 ? rule._columns[h] : null).ToArray();
            return Replace(table, schema, Consumes, CategoricalColumn.FromStrings(InternalColumn, labels), ColumnKind.Categorical);
        }

        public override Table Reverse(Table sampled)
        {
            var merged = sampled[InternalColumn];
            int n = sampled.RowCount;
            var restored = new Column[Templates.Length];
            var missing = Bitmask.FromBools(Enumerable.Range(0, n).Select(merged.IsMissing).ToArray());
            for (int j = 0; j < Templates.Length; j++)
            {
                var t = Templates[j];
                var on = Enumerable.Range(0, n).Select(i => merged.FormatValue(i) == rule._columns[j]).ToArray();
                restored[j] = t.Type == ColumnType.Boolean
                    ? new BooleanColumn(t.Name, on, missing, t.TrueToken ?? "true", t.FalseToken ?? "false")
                    : t.BuildNumeric(on.Select(b => b ? 1.0 : 0.0).ToArray(), missing);
            }
            return Restore(sampled, InternalColumn, restored);
        }
    }
}

/// <summary>
/// No two rows share the same values in <see cref="Columns"/> (rows with a missing key value are not compared).
/// Enforced by rejection: a duplicate is dropped and resampled.
/// </summary>
public sealed class UniqueConstraint : Constraint
{
    public UniqueConstraint(IEnumerable<string> columns)
    {
        _columns = columns.ToArray();
        if (_columns.Length < 1) throw new ArgumentException("A uniqueness rule needs at least one column.");
    }

    private readonly string[] _columns;
    public override string Type => "unique";
    public override IReadOnlyList<string> Columns => _columns;
    public override string Describe() => _columns.Length == 1 ? $"{_columns[0]} is unique" : $"({string.Join(", ", _columns)}) is unique";

    public override bool[] FindViolations(Table table)
    {
        var cols = _columns.Select(c => table[c]).ToArray();
        var keys = FixedCombinationsConstraint.Keys(table, _columns);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var bad = new bool[table.RowCount];
        for (int i = 0; i < bad.Length; i++)
            if (!cols.Any(c => c.IsMissing(i))) bad[i] = !seen.Add(keys[i]);
        return bad;
    }

    internal override void CheckColumns(Table table, TableSchema? schema, string label)
    {
        for (int i = 0; i < _columns.Length; i++) RequireColumn(table, _columns[i], label, $"columns[{i}]");
    }

    internal override JsonObject ToJson() =>
        new() { ["type"] = Type, ["columns"] = new JsonArray(_columns.Select(c => (JsonNode)c!).ToArray()) };
}
