using System.Text.Json.Nodes;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>
/// A business rule every output row must satisfy. Rows where a column the rule reads is missing are not judged
/// (as a SQL CHECK treats unknown), except by <see cref="UniqueConstraint"/>, which ignores missing keys.
/// Constraints are immutable; <see cref="ConstraintSet"/> holds them and <see cref="ConstrainedSynthesizer"/>
/// makes any synthesizer honour them.
/// </summary>
public abstract class Constraint
{
    /// <summary>The JSON type name, e.g. <c>inequality</c>.</summary>
    public abstract string Type { get; }
    /// <summary>The columns the rule reads.</summary>
    public abstract IReadOnlyList<string> Columns { get; }
    /// <summary>One readable line, e.g. <c>admit &lt;= discharge</c>.</summary>
    public abstract string Describe();
    public override string ToString() => $"{Type}: {Describe()}";

    /// <summary>Flags the rows of <paramref name="table"/> that break the rule (true = violation).</summary>
    public abstract bool[] FindViolations(Table table);

    /// <summary>Whether the rule can be written to metadata JSON and model files (a C# lambda cannot).</summary>
    public virtual bool IsSerializable => true;

    /// <summary>Checks that the columns exist and suit the rule; throws <c>constraints.*</c> naming the field.</summary>
    internal abstract void CheckColumns(Table table, TableSchema? schema, string label);

    /// <summary>The JSON object of this rule as written in the metadata "constraints" array.</summary>
    internal abstract JsonObject ToJson();

    /// <summary>
    /// A learn-around transform fitted on <paramref name="table"/> (which satisfies the rule), or null when the rule is
    /// only enforced by rejection (or a transform would lose information on this data).
    /// </summary>
    internal virtual ConstraintTransform? PlanTransform(Table table, TableSchema schema) => null;

    /// <summary>
    /// A transform that learns nothing from the data and only rewrites samples (a formula written over its column), for
    /// models fitted without seeing the rule (a DP fit); null when the rule is met by rejection there.
    /// </summary>
    internal virtual ConstraintTransform? SampleOnlyTransform() => null;

    /// <summary>Rebuilds the transform this rule planned from its saved state.</summary>
    internal virtual ConstraintTransform RestoreTransform(JsonObject state) =>
        throw new ModelFileException("model.bad-entry", $"Constraint {this} has no transform to restore.");

    // ---- shared helpers ----

    internal static Column RequireColumn(Table table, string name, string label, string field)
    {
        if (table.TryGetColumn(name, out var c)) return c;
        throw new TabTwinException("constraints.unknown-column",
            $"{label}: field '{field}' names column '{name}', which the table does not have (it has: {string.Join(", ", table.ColumnNames)}).",
            column: name, hint: "Fix the column name in the constraint.");
    }

    internal static TabTwinException WrongKind(string label, string field, Column c, string expected) =>
        new("constraints.column-kind", $"{label}: field '{field}' names column '{c.Name}', which holds {c.Type} values; expected {expected}.",
            column: c.Name, hint: "Point the constraint at a suitable column or change the column's kind in the metadata.");

    /// <summary>A numeric or datetime column as comparable doubles (datetimes as ticks); NaN where missing.</summary>
    internal static double[] Comparable(Column c)
    {
        var r = new double[c.Length];
        switch (c)
        {
            case NumericColumn n: for (int i = 0; i < r.Length; i++) r[i] = n.IsMissing(i) ? double.NaN : n[i]; break;
            case DateTimeColumn d: { var t = d.Ticks; for (int i = 0; i < r.Length; i++) r[i] = d.IsMissing(i) ? double.NaN : t[i]; break; }
            case BooleanColumn b: for (int i = 0; i < r.Length; i++) r[i] = b.IsMissing(i) ? double.NaN : b[i] ? 1 : 0; break;
            default: throw new ArgumentException($"Column '{c.Name}' is not numeric or datetime.");
        }
        return r;
    }
}

/// <summary>A read-only view of one row for <see cref="CustomPredicateConstraint"/> lambdas.</summary>
public readonly struct ConstraintRow(Table table, int row)
{
    public int Index => row;
    public bool IsMissing(string column) => table[column].IsMissing(row);
    /// <summary>double, string, bool, DateTime/DateTimeOffset, or null when missing.</summary>
    public object? this[string column] => table[column].GetValue(row);
    public double? Number(string column) => table[column] is NumericColumn n && !n.IsMissing(row) ? n[row] : null;
    public string? Text(string column) => table[column].FormatValue(row);
    public DateTime? DateTime(string column) => table[column] is DateTimeColumn d && !d.IsMissing(row) ? d.DateTimeAt(row) : null;
    public bool? Boolean(string column) => table[column] is BooleanColumn b && !b.IsMissing(row) ? b[row] : null;
}
