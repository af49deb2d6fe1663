using System.Text.Json;
using System.Text.Json.Nodes;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>
/// <c>low &lt; high</c> (strict) or <c>low &lt;= high</c> between two numeric or two datetime columns, e.g. admit ≤ discharge.
/// Learned around by modelling log(1 + (high − low)) in place of <c>high</c> (datetimes: the gap in days), then
/// rebuilding <c>high = low + gap</c> rounded to high's decimals or format.
/// </summary>
public sealed class InequalityConstraint : Constraint
{
    public InequalityConstraint(string low, string high, bool strict = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(low);
        ArgumentException.ThrowIfNullOrEmpty(high);
        if (low == high) throw new ArgumentException($"An inequality needs two different columns, not '{low}' twice.");
        Low = low;
        High = high;
        Strict = strict;
    }

    public string Low { get; }
    public string High { get; }
    public bool Strict { get; }

    public override string Type => "inequality";
    public override IReadOnlyList<string> Columns => [Low, High];
    public override string Describe() => $"{Low} {(Strict ? "<" : "<=")} {High}";

    public override bool[] FindViolations(Table table)
    {
        var (a, b) = (Comparable(table[Low]), Comparable(table[High]));
        var bad = new bool[a.Length];
        for (int i = 0; i < bad.Length; i++)
            bad[i] = !double.IsNaN(a[i]) && !double.IsNaN(b[i]) && (Strict ? a[i] >= b[i] : a[i] > b[i]);
        return bad;
    }

    internal override void CheckColumns(Table table, TableSchema? schema, string label)
    {
        var low = RequireColumn(table, Low, label, "low");
        var high = RequireColumn(table, High, label, "high");
        foreach (var (c, field) in new[] { (low, "low"), (high, "high") })
            if (c.Type is not (ColumnType.Numeric or ColumnType.DateTime)) throw WrongKind(label, field, c, "numbers or datetimes");
        if (low.Type != high.Type)
            throw new TabTwinException("constraints.column-kind",
                $"{label}: '{Low}' holds {low.Type} values but '{High}' holds {high.Type} values; an inequality compares two numeric or two datetime columns.",
                column: High);
    }

    internal override JsonObject ToJson() => new() { ["type"] = Type, ["low"] = Low, ["high"] = High, ["strict"] = Strict };

    internal override ConstraintTransform? PlanTransform(Table table, TableSchema schema)
    {
        var (low, high) = (table[Low], table[High]);
        if (schema.Find(High)?.Kind is ColumnKind.Id or ColumnKind.Pii) return null;
        // Only where nothing is lost: a row with high but no low could not be rebuilt from a gap.
        for (int i = 0; i < low.Length; i++) if (low.IsMissing(i) && !high.IsMissing(i)) return null;
        return new GapTransform(this, ColumnTemplate.Of(high), ConstraintTransformNames.Gap(table, High));
    }

    internal override ConstraintTransform RestoreTransform(JsonObject state) =>
        new GapTransform(this, state["template"].Deserialize<ColumnTemplate>(ConstraintJson.Options)!, (string)state["column"]!);

    private sealed class GapTransform(InequalityConstraint rule, ColumnTemplate high, string gapName) : ConstraintTransform
    {
        public override IReadOnlyCollection<string> Reads => [rule.Low];
        public override IReadOnlyCollection<string> Consumes => [rule.High];
        public override string Describe() => $"models log(1 + {rule.High} − {rule.Low}) instead of {rule.High}";

        public override JsonObject State() => new()
        {
            ["column"] = gapName, ["template"] = JsonSerializer.SerializeToNode(high, ConstraintJson.Options),
        };

        private double Scale => high.Type == ColumnType.DateTime ? TimeSpan.TicksPerDay : 1;

        public override (Table Table, TableSchema Schema) Apply(Table table, TableSchema schema)
        {
            var (a, b) = (Comparable(table[rule.Low]), Comparable(table[rule.High]));
            var z = new double[a.Length];
            var missing = new bool[a.Length];
            for (int i = 0; i < z.Length; i++)
            {
                if (double.IsNaN(a[i]) || double.IsNaN(b[i])) { missing[i] = true; continue; }
                z[i] = Math.Log(1 + Math.Max(0, (b[i] - a[i]) / Scale));
            }
            var gap = new NumericColumn(gapName, z, Bitmask.FromBools(missing), isInteger: false, decimalPlaces: 15);
            return Replace(table, schema, Consumes, gap, ColumnKind.Numerical);
        }

        public override Table Reverse(Table sampled)
        {
            var low = Comparable(sampled[rule.Low]);
            var z = Comparable(sampled[gapName]);
            var values = new double[low.Length];
            var missing = new bool[low.Length];
            bool dates = high.Type == ColumnType.DateTime;
            double unit = dates ? high.TickUnit : high.NumericUnit > 0 ? high.NumericUnit : 0;
            for (int i = 0; i < values.Length; i++)
            {
                if (double.IsNaN(low[i]) || double.IsNaN(z[i])) { missing[i] = true; continue; }
                double gap = Math.Max(0, Math.Exp(Math.Min(z[i], 700)) - 1) * Scale;
                double v = Snap(low[i] + gap, dates, unit);
                // Rounding to the written precision can land on or below low: step up by one unit of that precision.
                for (int k = 0; k < 3 && (rule.Strict ? v <= low[i] : v < low[i]); k++)
                    v = unit > 0 ? Snap(v + unit, dates, unit) : Math.BitIncrement(v);
                values[i] = dates ? Math.Min(v, DateTime.MaxValue.Ticks) : v;
            }
            var mask = Bitmask.FromBools(missing);
            Column restored = dates
                ? high.BuildDateTime(values.Select((v, i) => missing[i] ? 0L : (long)v).ToArray(), mask)
                : high.BuildNumeric(values, mask);
            return Restore(sampled, gapName, [restored]);
        }

        private double Snap(double v, bool dates, double unit)
        {
            if (!dates) return high.RoundNumber(v);
            return Math.Round(v / unit, MidpointRounding.AwayFromZero) * unit;
        }
    }
}

internal static class ConstraintTransformNames
{
    public static string Gap(Table table, string column) => Unique(table, column + "#gap");
    public static string Unique(Table table, string wanted)
    {
        var name = wanted;
        for (int k = 2; table.Contains(name); k++) name = $"{wanted}{k}";
        return name;
    }
}
