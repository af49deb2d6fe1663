using System.Text.Json.Nodes;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>A rule found in the data itself, with the evidence for it (shown by <c>inspect</c>).</summary>
public sealed record DetectedConstraint(Constraint Rule, string Reason)
{
    /// <summary>The rule as a metadata "constraints" entry, with its reason (ignored when the file is read back).</summary>
    public JsonObject ToJson()
    {
        var o = Rule.ToJson();
        o["reason"] = Reason;
        return o;
    }
}

/// <summary>
/// Finds exact structures a table holds on every row, so they are kept without the user writing a constraint
/// (issue 14): one-hot groups (covertype's 40 <c>Soil_Type*</c> columns, exactly one 1 per row), dates split into
/// parts (nycflights13's <c>year, month, day, hour, minute</c>) — reported only when every row satisfies them and the
/// column names say they are meant (a shared stem, date-part names) — and exact copies, sums and constant-per-group
/// columns (<see cref="ExactDependencies"/>, held to strict evidence instead of names). The rules are the ordinary constraints, learned around by the existing machinery.
/// </summary>
public static class StructureDetector
{
    public static IReadOnlyList<DetectedConstraint> Detect(Table table, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        if (table.RowCount == 0) return [];
        var usable = schema.Columns.Where(c => c.Kind is not (ColumnKind.Id or ColumnKind.Pii or ColumnKind.Text))
            .Select(c => c.Name).Where(table.Contains).ToHashSet(StringComparer.Ordinal);
        var found = new List<DetectedConstraint>();
        found.AddRange(OneHotGroups(table, usable));
        found.AddRange(DatePartGroups(table, usable));
        foreach (var d in found) usable.ExceptWith(d.Rule.Columns);
        found.AddRange(ExactDependencies.Find(table, schema, usable));
        return found;
    }

    /// <summary>
    /// The constraints a fit applies: those the metadata file lists when it has a "constraints" array (the user's
    /// word, even an empty one), otherwise the detected ones.
    /// </summary>
    public static ConstraintSet ForFit(Table table, TableSchema schema, string? metadataPath) =>
        Declares(metadataPath) ? ConstraintSet.FromMetadataFile(metadataPath!) : new ConstraintSet(Detect(table, schema).Select(d => d.Rule));

    /// <summary>The detected structures, or none when the metadata file lists its own "constraints".</summary>
    public static IReadOnlyList<DetectedConstraint> DetectUnlessDeclared(Table table, TableSchema schema, string? metadataPath) =>
        Declares(metadataPath) ? [] : Detect(table, schema);

    /// <summary>
    /// The constraints a fit applies: those <paramref name="schema"/> declares when it has a "constraints" list (the user's
    /// word, even an empty one; see <see cref="TableSchema.Constraints"/>), otherwise the detected ones.
    /// </summary>
    public static ConstraintSet ForFit(Table table, TableSchema schema) =>
        schema.Constraints is not null ? SchemaConstraints.Of(schema) : new ConstraintSet(Detect(table, schema).Select(d => d.Rule));

    /// <summary>The detected structures, or none when <paramref name="schema"/> declares its own "constraints".</summary>
    public static IReadOnlyList<DetectedConstraint> DetectUnlessDeclared(Table table, TableSchema schema) =>
        schema.Constraints is not null ? [] : Detect(table, schema);

    private static bool Declares(string? metadataPath) =>
        metadataPath is not null && (!File.Exists(metadataPath) || ConstraintSet.DeclaresConstraints(File.ReadAllText(metadataPath)));

    /// <summary>Columns of 0/1 values sharing a name stem (<c>Soil_Type1</c> … <c>Soil_Type40</c>) with exactly one 1 in every row.</summary>
    private static IEnumerable<DetectedConstraint> OneHotGroups(Table table, HashSet<string> usable)
    {
        var groups = table.Columns.Where(c => usable.Contains(c.Name) && IsZeroOne(c))
            .GroupBy(c => Stem(c.Name), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Key.Length > 0 && g.Count() >= 3);
        foreach (var g in groups)
        {
            var rule = new OneHotConstraint(g.Select(c => c.Name));
            if (rule.FindViolations(table).Any(bad => bad)) continue;
            yield return new DetectedConstraint(rule,
                $"the {g.Count()} 0/1 columns named {g.Key}… hold exactly one 1 in each of the {table.RowCount:N0} rows");
        }
    }

    private static bool IsZeroOne(Column c)
    {
        if (c.MissingCount > 0) return false;
        if (c is BooleanColumn) return true;
        if (c is not NumericColumn n) return false;
        for (int i = 0; i < n.Length; i++) if (n[i] is not (0 or 1)) return false;
        return true;
    }

    /// <summary>The name without its trailing number and separators: <c>Soil_Type12</c> → <c>Soil_Type</c>; empty when nothing is numbered.</summary>
    private static string Stem(string name)
    {
        var trimmed = name.TrimEnd("0123456789".ToCharArray());
        return trimmed.Length == name.Length ? "" : trimmed.TrimEnd('_', '-', ' ', '.');
    }

    /// <summary>
    /// Whole-number columns named year/month/day (with a shared prefix or suffix: <c>birthYear</c>, <c>birthMonth</c>,
    /// <c>birthDay</c>), optionally hour and minute, whose present rows all spell real dates.
    /// </summary>
    private static IEnumerable<DetectedConstraint> DatePartGroups(Table table, HashSet<string> usable)
    {
        var numeric = table.Columns.Where(c => usable.Contains(c.Name) && c is NumericColumn).ToList();
        foreach (var yearColumn in numeric)
        {
            int at = yearColumn.Name.IndexOf("year", StringComparison.OrdinalIgnoreCase);
            if (at < 0) continue;
            string prefix = yearColumn.Name[..at], suffix = yearColumn.Name[(at + 4)..];
            string? Part(string part) => numeric.FirstOrDefault(c => c != yearColumn &&
                string.Equals(c.Name, prefix + part + suffix, StringComparison.OrdinalIgnoreCase))?.Name;
            if (Part("month") is not { } month || Part("day") is not { } day) continue;
            if (Distinct(table[month]) < 2 || Distinct(table[day]) < 2) continue;   // a constant part is no calendar
            string? hour = Part("hour"), minute = Part("minute");
            // The finest group the data keeps on every row: with hour and minute, with the hour, the date alone
            // (a scheduled hour may be written 0–24, which no clock shows).
            var rule = new[]
                {
                    hour is not null && minute is not null ? new DatePartsConstraint(yearColumn.Name, month, day, hour, minute) : null,
                    hour is not null ? new DatePartsConstraint(yearColumn.Name, month, day, hour) : null,
                    new DatePartsConstraint(yearColumn.Name, month, day),
                }
                .OfType<DatePartsConstraint>().FirstOrDefault(r => !r.FindViolations(table).Any(bad => bad));
            if (rule is null) continue;
            var names = rule.Columns;
            yield return new DetectedConstraint(rule,
                $"columns named {string.Join(", ", names)} spell a real {(names.Count > 3 ? "date and time" : "date")} in every row that has them; modelled as one datetime so no impossible date (30 February) is made");
        }
    }

    private static int Distinct(Column c) => Enumerable.Range(0, c.Length).Select(c.FormatValue).OfType<string>().Distinct().Take(2).Count();

    /// <summary>The detected rules as a "constraints" JSON array with reasons.</summary>
    public static JsonArray ToJson(IEnumerable<DetectedConstraint> detected) => new(detected.Select(d => (JsonNode)d.ToJson()).ToArray());
}
