using System.Text.Json;
using TabTwin.Tables;

namespace TabTwin.Schema;

/// <summary>
/// Merges a user's metadata file (<c>--metadata file.json</c>) over the detected schema. The file may list all
/// or only some columns; listed columns replace the detected entries (keeping the user's kind, pii type and
/// format), the rest stay as detected, and the result is in table order.
/// </summary>
public static class SchemaOverrides
{
    /// <summary>The reason recorded for every column the user's metadata sets.</summary>
    public const string SetInMetadata = "set in metadata";

    /// <summary>
    /// Applies <paramref name="user"/> over <paramref name="detected"/>. The user's locale wins unless it is the
    /// default (<c>en</c>), because a parsed <see cref="TableSchema"/> cannot tell "en" written from "en" defaulted;
    /// use <see cref="ApplyJson"/> to honour an explicit "en" in the file.
    /// </summary>
    /// <exception cref="SchemaException">
    /// <c>schema.unknown-column</c> for a listed column the table lacks; <c>schema.kind-mismatch</c> for a kind
    /// the column's values cannot play; <c>schema.locale</c> for an unknown locale.
    /// </exception>
    public static TableSchema Apply(TableSchema detected, TableSchema user, Table table, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(detected);
        ArgumentNullException.ThrowIfNull(user);
        return Apply(detected, user, table, user.Locale == "en" ? null : user.Locale, file);
    }

    /// <summary>Parses metadata JSON (see <see cref="SchemaJson.FromJson"/>) and applies it; a "locale" present in the file always wins.</summary>
    public static TableSchema ApplyJson(TableSchema detected, string json, Table table, string? file = null)
    {
        var user = SchemaJson.FromJson(json, file);
        string? locale = null;
        using (var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.NameEquals("locale") || string.Equals(p.Name, "locale", StringComparison.OrdinalIgnoreCase)) locale = user.Locale;
        return Apply(detected, user, table, locale, file);
    }

    private static TableSchema Apply(TableSchema detected, TableSchema user, Table table, string? userLocale, string? file)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (userLocale is not null) PiiLocales.Validate(userLocale, file: file);
        var overrides = new Dictionary<string, ColumnSchema>(StringComparer.Ordinal);
        foreach (var u in user.Columns)
        {
            if (!table.TryGetColumn(u.Name, out var column))
                throw new SchemaException("schema.unknown-column",
                    $"The metadata{InFile(file)} names column '{u.Name}', which the table does not have; the table's columns are: {string.Join(", ", table.ColumnNames)}.",
                    column: u.Name, file: file, hint: "Fix the column name in the metadata (names are case-sensitive) or remove that entry.");
            CheckKindSuits(u, column, file);
            overrides[u.Name] = u with { Reason = SetInMetadata, Pii = u.Kind == ColumnKind.Pii ? u.Pii : null };
        }
        var columns = table.Columns
            .Select(col => overrides.GetValueOrDefault(col.Name) ?? detected.Find(col.Name)
                ?? throw new ArgumentException($"The detected schema has no entry for column '{col.Name}'.", nameof(detected)))
            .ToList();
        // Constraints and the sequence declared in the metadata travel with the schema (the detected one has neither).
        return new TableSchema { Version = detected.Version, Locale = userLocale ?? detected.Locale, Columns = columns, Constraints = user.Constraints ?? detected.Constraints,
            Sequence = user.Sequence ?? detected.Sequence };
    }

    /// <summary>The kind must suit the storage type, and a boolean must really have at most two values.</summary>
    private static void CheckKindSuits(ColumnSchema u, Column column, string? file)
    {
        string? problem = null;
        if (!SchemaJson.Suits(u.Kind, column.Type))
            problem = $"holds {Describe(column.Type)}";
        else if (u.Kind == ColumnKind.Id && column.Type is ColumnType.Boolean or ColumnType.DateTime)
            problem = $"holds {Describe(column.Type)}, and generated keys must be numbers or text";
        else if (u.Kind == ColumnKind.Boolean && column is NumericColumn n && Enumerable.Range(0, n.Length).Any(i => !n.Missing[i] && n[i] is not (0 or 1)))
            problem = "holds numbers other than 0 and 1";
        else if (u.Kind == ColumnKind.Boolean && column is CategoricalColumn c && c.CountPerCategory().Count(k => k > 0) > 2)
            problem = $"holds {c.CountPerCategory().Count(k => k > 0)} different labels";
        if (problem is null) return;
        throw new SchemaException("schema.kind-mismatch",
            $"The metadata{InFile(file)} declares column '{u.Name}' as {u.KindLabel}, but the column {problem}.",
            column: u.Name, file: file, hint: $"Use a kind that suits {Describe(column.Type)} (e.g. {Suggest(column.Type)}), or fix the data.");
    }

    private static string InFile(string? file) => file is null ? "" : $" in '{file}'";

    private static string Describe(ColumnType type) => type switch
    {
        ColumnType.Numeric => "numbers",
        ColumnType.Categorical => "text labels",
        ColumnType.Boolean => "true/false values",
        ColumnType.DateTime => "dates/times",
        _ => "text",
    };

    private static string Suggest(ColumnType type) => type switch
    {
        ColumnType.Numeric => "numerical, categorical or id",
        ColumnType.DateTime => "datetime or categorical",
        ColumnType.Boolean => "boolean or categorical",
        _ => "categorical, text, id or pii",
    };
}
