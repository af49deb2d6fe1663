using System.Globalization;
using System.Text.Json.Serialization;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>One finding of <see cref="TableValidator"/>: an error (the table does not fit) or a warning.</summary>
public sealed record ValidationIssue(
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("rows")] IReadOnlyList<string> Rows);

/// <summary>Everything <see cref="TableValidator.Validate"/> found.</summary>
public sealed record ValidationReport(
    [property: JsonPropertyName("rows")] int RowCount,
    [property: JsonPropertyName("columns")] int ColumnCount,
    [property: JsonPropertyName("constraints")] int ConstraintCount,
    [property: JsonPropertyName("issues")] IReadOnlyList<ValidationIssue> Issues)
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion => 1;
    [JsonPropertyName("errors")] public int Errors => Issues.Count(i => i.Severity == "error");
    [JsonPropertyName("warnings")] public int Warnings => Issues.Count(i => i.Severity == "warning");
    [JsonIgnore] public bool IsValid => Errors == 0;
}

/// <summary>
/// Checks any table (real or synthetic) against metadata: every declared column present, values of the declared kind,
/// ids unique, no undeclared columns (a warning), and every constraint. Problems are collected, not thrown, so one
/// run lists them all.
/// </summary>
public static class TableValidator
{
    public static ValidationReport Validate(Table table, TableSchema schema, ConstraintSet constraints, int maxRows = 10)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(constraints);
        var issues = new List<ValidationIssue>();
        foreach (var c in schema.Columns)
        {
            if (!table.TryGetColumn(c.Name, out var col))
            {
                issues.Add(new("error", "schema.unknown-column", c.Name,
                    $"Column '{c.Name}' is declared in the metadata but the table does not have it.", 1, []));
                continue;
            }
            if (!SchemaJson.Suits(c.Kind, col.Type)) issues.Add(KindIssue(c, col, maxRows));
            if (c.Kind == ColumnKind.Id) DuplicateIds(col, maxRows, issues);
        }
        // Metadata may declare only some columns (the rest are detected), so undeclared columns are one warning, not one each.
        var undeclared = table.Columns.Where(col => schema.Find(col.Name) is null).Select(col => col.Name).ToList();
        if (undeclared.Count == 1)
            issues.Add(new("warning", "schema.missing-column", undeclared[0], $"Column '{undeclared[0]}' is in the table but not declared in the metadata.", 1, []));
        else if (undeclared.Count > 1)
            issues.Add(new("warning", "schema.missing-column", $"{undeclared.Count} columns",
                $"Columns {string.Join(", ", undeclared.Select(n => $"'{n}'"))} are in the table but not declared in the metadata.", undeclared.Count, []));

        for (int i = 0; i < constraints.Count; i++)
        {
            var label = constraints.Label(i);
            try
            {
                var single = ConstraintSet.Of(constraints[i]).Check(table, maxRows);
                foreach (var v in single.Violations)
                    issues.Add(new("error", "constraints.violated", label, $"{v.Count:N0} of {table.RowCount:N0} rows break it.", v.Count, v.FormattedRows));
            }
            catch (TabTwinException e)
            {
                // The single-rule set labels it #1; the subject already names the rule, so drop that prefix.
                var single = ConstraintSet.Of(constraints[i]).Label(0) + ": ";
                var message = e.Message.StartsWith(single, StringComparison.Ordinal) ? e.Message[single.Length..] : e.Message;
                issues.Add(new("error", e.Code, label, message, 1, []));
            }
        }
        return new ValidationReport(table.RowCount, table.ColumnCount, constraints.Count, issues);
    }

    /// <summary>The rows whose text does not read as the declared kind (the reader fell back to another storage type).</summary>
    private static ValidationIssue KindIssue(ColumnSchema c, Column col, int maxRows)
    {
        Func<string, bool> parses = c.Kind switch
        {
            ColumnKind.Numerical => s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            ColumnKind.Datetime => s => DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out _),
            _ => _ => true,
        };
        var rows = new List<string>();
        int count = 0;
        for (int r = 0; r < col.Length; r++)
            if (col.FormatValue(r) is { } s && !parses(s)) { if (count++ < maxRows) rows.Add($"row {r + 1}: {c.Name}={s}"); }
        string detail = count > 0 ? $"{count:N0} values are not {c.KindLabel}" : $"its values were read as {col.Type}";
        return new("error", "schema.kind-mismatch", c.Name, $"Column '{c.Name}' is declared {c.KindLabel} but {detail}.", Math.Max(count, 1), rows);
    }

    private static void DuplicateIds(Column col, int maxRows, List<ValidationIssue> issues)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<string>();
        int count = 0;
        for (int r = 0; r < col.Length; r++)
        {
            if (col.FormatValue(r) is not { } v) continue;
            if (seen.TryGetValue(v, out int first)) { if (count++ < maxRows) rows.Add($"row {r + 1}: {col.Name}={v} (first at row {first + 1})"); }
            else seen[v] = r;
        }
        if (count > 0)
            issues.Add(new("error", "schema.duplicate-id", col.Name, $"Id column '{col.Name}' has {count:N0} duplicate values.", count, rows));
    }
}
