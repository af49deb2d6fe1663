using System.Globalization;
using TabTwin.Schema;

namespace TabTwin.Synthesizers.Conditioning;

/// <summary>
/// Schema-level checks of conditions (what can be known without a model) and the one place for the wording and codes
/// of condition errors.
/// </summary>
internal static class ConditionChecks
{
    public static void Validate(ConditionSet set, TableSchema schema)
    {
        foreach (var c in set) Validate(c, schema);
        foreach (var name in set.Columns)
        {
            var cs = schema[name];
            if (cs.Kind is ColumnKind.Numerical or ColumnKind.Datetime && NumberSetFor(set.ForColumn(name), cs).IsEmpty)
                throw EmptyRange(set.ForColumn(name), cs);
        }
    }

    private static void Validate(ColumnCondition c, TableSchema schema)
    {
        var cs = schema.Find(c.Column) ?? throw new TabTwinException("condition.unknown-column",
            $"Condition '{c}': there is no column '{c.Column}'; the columns are: {string.Join(", ", schema.Columns.Select(x => x.Name))}.",
            column: c.Column, hint: "Use a column name exactly as in the data (names are case-sensitive).");
        if (cs.Kind is ColumnKind.Id or ColumnKind.Pii)
            throw new TabTwinException("condition.wrong-kind",
                $"Condition '{c}': column '{c.Column}' is {cs.KindLabel}; its values are generated fresh (never learned), so rows cannot be conditioned on it.",
                column: c.Column, hint: "Condition on the learned columns (numerical, datetime, categorical, boolean, text) only.");
        switch (c)
        {
            case RangeCondition r:
                if (cs.Kind is not (ColumnKind.Numerical or ColumnKind.Datetime))
                    throw new TabTwinException("condition.wrong-kind",
                        $"Condition '{c}': column '{c.Column}' is {cs.KindLabel}; ranges apply only to numerical and datetime columns.",
                        column: c.Column, hint: "Use = or in (...) for categorical and boolean columns.");
                if (r.Min is { } lo && !double.IsFinite(lo) || r.Max is { } hi && !double.IsFinite(hi))
                    throw new TabTwinException("condition.bad-value", $"Condition '{c}': range bounds must be finite numbers.", column: c.Column);
                if (r.IsEmpty) throw EmptyRange([r], cs);
                break;
            case EqualsCondition e: CheckValues(c, [e.Value], cs); break;
            case InCondition i:
                if (i.Values.Count == 0)
                    throw new TabTwinException("condition.empty-range", $"Condition '{c}': the list of values is empty, so no row can match.", column: c.Column);
                CheckValues(c, i.Values, cs);
                break;
            case NotInCondition n: CheckValues(c, n.Values, cs); break;
            default: throw new ArgumentException($"Unsupported condition type {c.GetType().Name}.");
        }
    }

    /// <summary>Numbers and dates must parse; other kinds are matched against what the model learned when sampling.</summary>
    private static void CheckValues(ColumnCondition c, IEnumerable<string?> values, ColumnSchema cs)
    {
        foreach (var v in values)
        {
            if (v is null) continue;
            bool ok = cs.Kind switch
            {
                ColumnKind.Numerical => ConditionValues.TryParseNumber(v, out _),
                ColumnKind.Datetime => ConditionValues.TryParseTicks(v, cs.Format, out _),
                _ => true,
            };
            if (!ok)
                throw new TabTwinException("condition.bad-value",
                    $"Condition '{c}': '{v}' is not a {(cs.Kind == ColumnKind.Numerical ? "number" : "date/time")}, but column '{c.Column}' is {cs.KindLabel}.",
                    column: c.Column, hint: cs.Kind == ColumnKind.Numerical ? "Write numbers with a dot for decimals, e.g. 42 or 3.5."
                        : $"Write dates as {(cs.Format ?? "yyyy-MM-dd")} or ISO 8601 (yyyy-MM-dd, yyyy-MM-ddTHH:mm:ss).");
        }
    }

    /// <summary>The values (numbers or wall-clock ticks) a numerical/datetime column may take under all its conditions.</summary>
    public static NumberSet NumberSetFor(IEnumerable<ColumnCondition> conditions, ColumnSchema cs)
    {
        var set = NumberSet.Everything;
        foreach (var c in conditions)
        {
            var one = c switch
            {
                RangeCondition r => NumberSet.FromRange(r.Min, r.MinInclusive, r.Max, r.MaxInclusive),
                EqualsCondition e => NumberSet.FromPoints(Numbers([e.Value], cs), e.Value is null),
                InCondition i => NumberSet.FromPoints(Numbers(i.Values, cs), i.Values.Contains(null)),
                NotInCondition n => NumberSet.AllExcept(Numbers(n.Values, cs)),
                _ => throw new ArgumentException($"Unsupported condition type {c.GetType().Name}."),
            };
            set = set.Intersect(one);
        }
        return set;
    }

    private static IEnumerable<double> Numbers(IEnumerable<string?> values, ColumnSchema cs)
    {
        foreach (var v in values)
        {
            if (v is null) continue;
            if (cs.Kind == ColumnKind.Datetime) { if (ConditionValues.TryParseTicks(v, cs.Format, out long t)) yield return t; }
            else if (ConditionValues.TryParseNumber(v, out double x)) yield return x;
        }
    }

    public static TabTwinException EmptyRange(IReadOnlyList<ColumnCondition> conditions, ColumnSchema cs) => new("condition.empty-range",
        $"Condition '{Describe(conditions, cs)}': no value of column '{cs.Name}' can satisfy {(conditions.Count > 1 ? "these conditions together" : "it")} (the range is empty).",
        column: cs.Name, hint: "Check the bounds: the lower bound must not exceed the upper bound.");

    /// <summary>The conditions on one column as text, datetime bounds shown as dates.</summary>
    public static string Describe(IEnumerable<ColumnCondition> conditions, ColumnSchema? cs) =>
        string.Join(" AND ", conditions.Select(c => Describe(c, cs)));

    public static string Describe(ColumnCondition c, ColumnSchema? cs)
    {
        if (c is not RangeCondition r || cs?.Kind != ColumnKind.Datetime) return c.ToString();
        string F(double t) => ConditionValues.FormatTicks(t, cs.Format);
        return (r.Min, r.Max) switch
        {
            ({ } lo, null) => $"{c.Column} {(r.MinInclusive ? ">=" : ">")} {F(lo)}",
            (null, { } hi) => $"{c.Column} {(r.MaxInclusive ? "<=" : "<")} {F(hi)}",
            ({ } lo, { } hi) => $"{c.Column} in {(r.MinInclusive ? "[" : "(")}{F(lo)}, {F(hi)}{(r.MaxInclusive ? "]" : ")")}",
            _ => c.ToString(),
        };
    }

    public static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
