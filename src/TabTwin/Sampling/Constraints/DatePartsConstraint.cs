using System.Text.Json.Nodes;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>
/// A date written as separate whole-number columns — year, month, day and optionally hour and minute (nycflights13's
/// <c>year, month, day, hour, minute</c>; beijing_pm25's <c>year, month, day, hour</c>) — always forms a real calendar
/// date and time: no 30 February, no month 13, no hour 24. Learned around by modelling the parts as one datetime
/// column and splitting each sampled datetime back into its parts, so the parts can never disagree.
/// </summary>
public sealed class DatePartsConstraint : Constraint
{
    private static readonly string[] PartNames = ["year", "month", "day", "hour", "minute"];

    public DatePartsConstraint(string year, string month, string day, string? hour = null, string? minute = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(year);
        ArgumentException.ThrowIfNullOrEmpty(month);
        ArgumentException.ThrowIfNullOrEmpty(day);
        if (minute is not null && hour is null) throw new ArgumentException("A minute part needs an hour part.");
        _parts = new[] { year, month, day, hour, minute }.OfType<string>().ToArray();
        if (_parts.Distinct().Count() != _parts.Length) throw new ArgumentException("A date-parts group names a column twice.");
    }

    /// <summary>year, month, day[, hour[, minute]] in that order.</summary>
    private readonly string[] _parts;
    public override string Type => "date-parts";
    public override IReadOnlyList<string> Columns => _parts;
    public override string Describe() =>
        $"({string.Join(", ", _parts)}) form a real {(_parts.Length > 3 ? "date and time" : "date")}";

    /// <summary>Per row: the ticks of the date the parts spell, -1 when a part is missing, -2 when they spell no real date.</summary>
    private long[] Ticks(Table table)
    {
        var values = _parts.Select(c => Comparable(table[c])).ToArray();
        var ticks = new long[table.RowCount];
        var p = new int[5];
        for (int i = 0; i < ticks.Length; i++)
        {
            ticks[i] = 0;
            for (int j = 0; j < values.Length && ticks[i] == 0; j++)
            {
                double v = values[j][i];
                if (double.IsNaN(v)) ticks[i] = -1;
                else if (v != Math.Floor(v) || Math.Abs(v) > 1e6) ticks[i] = -2;
                else p[j] = (int)v;
            }
            if (ticks[i] != 0) continue;
            int hour = _parts.Length > 3 ? p[3] : 0, minute = _parts.Length > 4 ? p[4] : 0;
            bool valid = p[0] is >= 1 and <= 9999 && p[1] is >= 1 and <= 12 && p[2] >= 1 && p[2] <= DateTime.DaysInMonth(Math.Clamp(p[0], 1, 9999), Math.Clamp(p[1], 1, 12))
                         && hour is >= 0 and <= 23 && minute is >= 0 and <= 59;
            ticks[i] = valid ? new DateTime(p[0], p[1], p[2], hour, minute, 0).Ticks : -2;
        }
        return ticks;
    }

    public override bool[] FindViolations(Table table) => Ticks(table).Select(t => t == -2).ToArray();

    internal override void CheckColumns(Table table, TableSchema? schema, string label)
    {
        for (int i = 0; i < _parts.Length; i++)
        {
            var c = RequireColumn(table, _parts[i], label, PartNames[i]);
            if (c.Type != ColumnType.Numeric) throw WrongKind(label, PartNames[i], c, "whole numbers");
        }
    }

    internal override JsonObject ToJson()
    {
        var o = new JsonObject { ["type"] = Type };
        for (int i = 0; i < _parts.Length; i++) o[PartNames[i]] = _parts[i];
        return o;
    }

    internal override ConstraintTransform? PlanTransform(Table table, TableSchema schema) =>
        MergedColumnsTransform.AllOrNoneMissing(table, _parts)
            ? new PartsTransform(this, MergedColumnsTransform.TemplatesOf(table, _parts), ConstraintTransformNames.Unique(table, string.Join("|", _parts)))
            : null;

    internal override ConstraintTransform RestoreTransform(JsonObject state)
    {
        var (templates, column) = MergedColumnsTransform.ReadState(state);
        return new PartsTransform(this, templates, column);
    }

    private sealed class PartsTransform(DatePartsConstraint rule, ColumnTemplate[] templates, string name)
        : MergedColumnsTransform(rule._parts, templates, name)
    {
        public override string Describe() => $"models ({string.Join(", ", Merged)}) as one datetime column";

        public override (Table Table, TableSchema Schema) Apply(Table table, TableSchema schema)
        {
            var ticks = rule.Ticks(table);
            var missing = Bitmask.FromBools(ticks.Select(t => t < 0).ToArray());
            string format = rule._parts.Length switch { 3 => "yyyy-MM-dd", 4 => "yyyy-MM-ddTHH", _ => "yyyy-MM-ddTHH:mm" };
            var merged = new DateTimeColumn(InternalColumn, ticks.Select(t => Math.Max(t, 0)).ToArray(), missing, format);
            return Replace(table, schema, Consumes, merged, ColumnKind.Datetime);
        }

        public override Table Reverse(Table sampled)
        {
            var merged = (DateTimeColumn)sampled[InternalColumn];
            int n = sampled.RowCount;
            var missing = Bitmask.FromBools(Enumerable.Range(0, n).Select(merged.IsMissing).ToArray());
            var parts = new double[Templates.Length][];
            for (int j = 0; j < parts.Length; j++) parts[j] = new double[n];
            for (int i = 0; i < n; i++)
            {
                if (merged.IsMissing(i)) continue;
                var d = new DateTime(merged.Ticks[i]);
                int[] spelled = [d.Year, d.Month, d.Day, d.Hour, d.Minute];
                for (int j = 0; j < parts.Length; j++) parts[j][i] = spelled[j];
            }
            return Restore(sampled, InternalColumn, Templates.Select((t, j) => t.BuildNumeric(parts[j], missing)).ToArray());
        }
    }
}
