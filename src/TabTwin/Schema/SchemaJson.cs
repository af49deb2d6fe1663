using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using TabTwin.Bundles;
using TabTwin.Tables;

namespace TabTwin.Schema;

/// <summary>Reads and writes the metadata JSON; one place for serializer settings and kind/type compatibility.</summary>
public static class SchemaJson
{
    // The model-file settings plus indentation: metadata is meant to be read and edited by people, so ' < > & and
    // non-ASCII names (São Paulo) stay as written instead of \u escapes (see ModelJson.Options).
    public static readonly JsonSerializerOptions Options = new(ModelJson.Options) { WriteIndented = true };

    public static string ToJson(TableSchema schema) => JsonSerializer.Serialize(schema, Options);

    /// <summary>Parses metadata JSON; errors name the file (when given) and what was wrong.</summary>
    public static TableSchema FromJson(string json, string? file = null)
    {
        try
        {
            var schema = JsonSerializer.Deserialize<TableSchema>(json, Options)
                ?? throw new SchemaException("schema.empty", "The metadata JSON is empty.", file: file);
            if (schema.Version > TableSchema.CurrentVersion)
                throw new SchemaException("schema.version",
                    $"The metadata is version {schema.Version}; this TabTwin reads up to version {TableSchema.CurrentVersion}.", file: file);
            var dup = schema.Columns.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null)
                throw new SchemaException("schema.duplicate-column", $"The metadata lists column '{dup.Key}' twice.", column: dup.Key, file: file);
            foreach (var c in schema.Columns)
                if (c.Kind == ColumnKind.Pii && c.Pii is null)
                    throw new SchemaException("schema.pii-type", $"Column '{c.Name}' is kind 'pii' but names no 'pii' type (e.g. \"pii\": \"email\").",
                        column: c.Name, file: file);
            if (schema.Sequence is { } sequence) CheckSequence(sequence, file);
            return schema;
        }
        catch (JsonException e)
        {
            throw new SchemaException("schema.json", $"The metadata JSON is not valid: {e.Message}", file: file, inner: e);
        }
    }

    /// <summary>
    /// What the "sequence" object must say on its own, whatever the table: an entity and an order, two different columns,
    /// and context columns that are neither and are listed once. Whether the columns exist is checked against the table
    /// (<see cref="TableSchema.Validate"/>): a metadata file may list only the columns it overrides.
    /// </summary>
    internal static void CheckSequence(SequenceSpec sequence, string? file)
    {
        const string hint = "Write \"sequence\": { \"entity\": \"<id column>\", \"order\": \"<date or number column>\", \"context\": [ <columns constant per entity> ] }.";
        if (string.IsNullOrWhiteSpace(sequence.Entity) || string.IsNullOrWhiteSpace(sequence.Order))
            throw new SchemaException("sequence.columns", $"The metadata's \"sequence\" needs both an \"entity\" and an \"order\" column name.", file: file, hint: hint);
        if (sequence.Entity == sequence.Order)
            throw new SchemaException("sequence.columns", $"The metadata's \"sequence\" names column '{sequence.Entity}' as both its entity and its order.",
                column: sequence.Entity, file: file, hint: "The entity column names whose history a row belongs to; the order column (a date or number) orders that history.");
        foreach (var name in sequence.Context ?? [])
        {
            if (name == sequence.Entity || name == sequence.Order)
                throw new SchemaException("sequence.columns",
                    $"The metadata's \"sequence\" lists column '{name}' as context, but it is the sequence's {(name == sequence.Entity ? "entity" : "order")}.",
                    column: name, file: file, hint: "Context columns are the other columns constant within each entity; remove it from \"context\".");
            if (sequence.Context!.Count(c => c == name) > 1)
                throw new SchemaException("sequence.columns", $"The metadata's \"sequence\" lists context column '{name}' twice.", column: name, file: file);
        }
    }

    /// <summary>The JSON spelling of an enum value (e.g. <c>person_name</c>).</summary>
    public static string EnumName<T>(T value) where T : struct, Enum
    {
        var member = typeof(T).GetField(value.ToString()!);
        return member?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? value.ToString()!.ToLowerInvariant();
    }

    /// <summary>Whether a column of storage type <paramref name="type"/> can play the role <paramref name="kind"/>.</summary>
    public static bool Suits(ColumnKind kind, ColumnType type) => kind switch
    {
        ColumnKind.Numerical => type == ColumnType.Numeric,
        ColumnKind.Boolean => type is ColumnType.Boolean or ColumnType.Numeric or ColumnType.Categorical,
        ColumnKind.Datetime => type == ColumnType.DateTime,
        ColumnKind.Categorical or ColumnKind.Id or ColumnKind.Pii or ColumnKind.Text => true,
        _ => false,
    };
}
