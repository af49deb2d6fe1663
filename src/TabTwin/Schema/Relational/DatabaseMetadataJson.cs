using System.Text.Json;
using System.Text.Json.Nodes;

namespace TabTwin.Schema.Relational;

/// <summary>
/// Reads and writes database metadata in SDV's multi-table JSON format, so SDV users bring their metadata as it is:
/// <c>{"METADATA_SPEC_VERSION": "MULTI_TABLE_V1", "tables": {name: {"primary_key": …, "columns": {col: {"sdtype": …}}}},
/// "relationships": [{"parent_table_name", "parent_primary_key", "child_table_name", "child_foreign_key"}]}</c>
/// (SDV 1.x also writes <c>"V1"</c>; both are read). Keys are a column name or, for composite keys, an array of names.
/// Column sdtypes become TabTwin column kinds where one matches (<see cref="SdTypes"/>); others are left to detection.
/// Size and nesting are bounded; every error names the file and the entry.
/// </summary>
public static class DatabaseMetadataJson
{
    /// <summary>Largest metadata text read (characters): metadata describes columns, so anything larger is not metadata.</summary>
    public const int MaxLength = 16 * 1024 * 1024;
    /// <summary>Deepest nesting read; the format itself needs 5 levels.</summary>
    public const int MaxDepth = 32;
    /// <summary>The version written.</summary>
    public const string SpecVersion = "MULTI_TABLE_V1";

    /// <summary>Parses SDV multi-table metadata; tables keep the file's order, column sdtypes go to <see cref="DatabaseMetadata.ColumnSchemas"/>.</summary>
    public static DatabaseMetadata FromJson(string json, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        string where = file is null ? "The metadata" : $"Metadata file '{file}'";
        if (json.Length > MaxLength)
            throw Error(file, $"{where} is {json.Length:N0} characters long; metadata is at most {MaxLength:N0}.", "Give the metadata JSON, not data.");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw Error(file, $"{where} is not valid JSON: {e.Message}", "Check the file with a JSON validator.", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Entry(file, "(top level)", "must be an object with \"tables\" and \"relationships\"");
            if (root.TryGetProperty("METADATA_SPEC_VERSION", out var version) && version.GetString() is { } v && v is not ("MULTI_TABLE_V1" or "V1"))
                throw Entry(file, "METADATA_SPEC_VERSION", $"is '{TabTwinException.Clip(v)}'; TabTwin reads MULTI_TABLE_V1 and V1 (multi-table metadata)");
            if (!root.TryGetProperty("tables", out var tablesJson) || tablesJson.ValueKind != JsonValueKind.Object)
                throw Entry(file, "tables", "is missing or not an object mapping each table name to its description");

            var tables = new List<string>();
            var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            var schemas = new Dictionary<string, TableSchema>(StringComparer.Ordinal);
            foreach (var table in tablesJson.EnumerateObject())
            {
                string path = $"tables.{table.Name}";
                if (table.Value.ValueKind != JsonValueKind.Object) throw Entry(file, path, "must be an object");
                tables.Add(table.Name);
                if (table.Value.TryGetProperty("primary_key", out var pk) && pk.ValueKind != JsonValueKind.Null)
                    keys[table.Name] = Columns(pk, file, path + ".primary_key");
                if (table.Value.TryGetProperty("columns", out var columns))
                    schemas[table.Name] = ColumnKinds(columns, file, path + ".columns");
            }
            if (tables.Count == 0) throw Entry(file, "tables", "lists no table");

            var foreignKeys = new List<ForeignKey>();
            if (root.TryGetProperty("relationships", out var relationships) && relationships.ValueKind != JsonValueKind.Null)
            {
                if (relationships.ValueKind != JsonValueKind.Array) throw Entry(file, "relationships", "must be an array");
                int i = 0;
                foreach (var r in relationships.EnumerateArray())
                    foreignKeys.Add(Relationship(r, file, $"relationships[{i++}]", keys));
            }
            try
            {
                // SDV requires key columns to be sdtype id; keys are the relational layer's business, so that "id" is not a column kind here.
                var keyColumns = KeyColumns(tables, keys, foreignKeys);
                foreach (var (table, schema) in schemas.ToList())
                    schemas[table] = schema with { Columns = [.. schema.Columns.Where(c => !(c.Kind == ColumnKind.Id && keyColumns[table].Contains(c.Name)))] };
                return new DatabaseMetadata(tables, keys, foreignKeys)
                {
                    ColumnSchemas = schemas.Where(s => s.Value.Columns.Count > 0).ToDictionary(StringComparer.Ordinal),
                    PrimaryKeyReasons = keys.Where(k => k.Value.Count > 0).ToDictionary(k => k.Key, _ => Declared(file), StringComparer.Ordinal),
                    ForeignKeyReasons = foreignKeys.Distinct().ToDictionary(f => f, _ => Declared(file)),
                };
            }
            catch (SchemaException e)
            {
                throw new SchemaException(e.Code, $"{where}: {e.Message}", file: file, hint: e.Hint, inner: e);
            }
        }
    }

    /// <summary>
    /// The metadata as SDV multi-table JSON. <paramref name="schemas"/> (e.g. the detected schema of every table) gives the
    /// columns and their sdtypes; without it, <see cref="DatabaseMetadata.ColumnSchemas"/> does. Single-column keys are
    /// written as a name, composite keys as an array.
    /// </summary>
    public static string ToJson(DatabaseMetadata metadata, IReadOnlyDictionary<string, TableSchema>? schemas = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        schemas ??= metadata.ColumnSchemas;
        var tables = new JsonObject();
        var keyColumns = KeyColumns(metadata.Tables, metadata.PrimaryKeys, metadata.ForeignKeys);
        foreach (var name in metadata.Tables)
        {
            var table = new JsonObject();
            if (metadata.PrimaryKeys[name] is { Count: > 0 } pk) table["primary_key"] = Key(pk);
            var columns = new JsonObject();
            // Key columns are sdtype id, as SDV requires of primary and foreign keys.
            var listed = schemas.GetValueOrDefault(name)?.Columns ?? [];
            foreach (var column in listed) columns[column.Name] = keyColumns[name].Contains(column.Name) ? new JsonObject { ["sdtype"] = "id" } : SdTypes.ToJson(column);
            foreach (var key in keyColumns[name].Where(k => listed.All(c => c.Name != k)).Order(StringComparer.Ordinal)) columns[key] = new JsonObject { ["sdtype"] = "id" };
            table["columns"] = columns;
            tables[name] = table;
        }
        var relationships = new JsonArray();
        foreach (var fk in metadata.ForeignKeys)
            relationships.Add(new JsonObject
            {
                ["parent_table_name"] = fk.ParentTable,
                ["parent_primary_key"] = Key(fk.ParentColumns),
                ["child_table_name"] = fk.ChildTable,
                ["child_foreign_key"] = Key(fk.ChildColumns),
            });
        var root = new JsonObject { ["METADATA_SPEC_VERSION"] = SpecVersion, ["tables"] = tables, ["relationships"] = relationships };
        return root.ToJsonString(SchemaJson.Options);
    }

    /// <summary>
    /// Foreign keys written one per line as <c>child.col -&gt; parent.col</c> (composite: <c>child.a,b -&gt; parent.x,y</c>;
    /// <c>#</c> starts a comment), the shared datasets' <c>foreign_keys.txt</c>. Every referenced key is its parent's
    /// primary key; the tables are <paramref name="tables"/>.
    /// </summary>
    public static DatabaseMetadata FromForeignKeyLines(string text, IEnumerable<string> tables, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength) throw Error(file, $"'{file}' is {text.Length:N0} characters long; a foreign-key list is at most {MaxLength:N0}.", "Give one foreign key per line.");
        var foreignKeys = new List<ForeignKey>();
        int line = 0;
        foreach (var raw in text.Split('\n'))
        {
            line++;
            var content = raw.Split('#')[0].Trim();
            if (content.Length == 0) continue;
            try { foreignKeys.Add(ForeignKey.Parse(content)); }
            catch (SchemaException e) { throw new SchemaException(e.Code, $"{file ?? "foreign keys"} line {line}: {e.Message}", row: line, file: file, hint: e.Hint, inner: e); }
        }
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var fk in foreignKeys)
            if (keys.TryGetValue(fk.ParentTable, out var known) && !known.SequenceEqual(fk.ParentColumns))
            {
                // A parent referenced through two different keys: the longer (composite) one is the primary key only if it contains the other.
                if (fk.ParentColumns.Count > known.Count) keys[fk.ParentTable] = fk.ParentColumns;
            }
            else keys[fk.ParentTable] = fk.ParentColumns;
        try
        {
            return new DatabaseMetadata(tables, keys, foreignKeys)
            {
                PrimaryKeyReasons = keys.ToDictionary(k => k.Key, _ => new KeyReason(false, $"referenced by a foreign key in {file ?? "the list"}"), StringComparer.Ordinal),
                ForeignKeyReasons = foreignKeys.Distinct().ToDictionary(f => f, _ => Declared(file)),
            };
        }
        catch (SchemaException e)
        {
            throw new SchemaException(e.Code, $"{file ?? "foreign keys"}: {e.Message}", file: file, hint: e.Hint, inner: e);
        }
    }

    /// <summary>Every table's key columns: its primary key and both sides of each foreign key.</summary>
    private static Dictionary<string, HashSet<string>> KeyColumns(IEnumerable<string> tables, IReadOnlyDictionary<string, IReadOnlyList<string>> keys, IEnumerable<ForeignKey> foreignKeys)
    {
        var columns = tables.ToDictionary(t => t, t => new HashSet<string>(keys.GetValueOrDefault(t) ?? [], StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var fk in foreignKeys)
        {
            if (columns.TryGetValue(fk.ChildTable, out var child)) child.UnionWith(fk.ChildColumns);
            if (columns.TryGetValue(fk.ParentTable, out var parent)) parent.UnionWith(fk.ParentColumns);
        }
        return columns;
    }

    private static KeyReason Declared(string? file) => new(false, file is null ? "in the metadata" : $"in {Path.GetFileName(file)}");

    private static JsonNode Key(IReadOnlyList<string> columns) => columns.Count == 1 ? JsonValue.Create(columns[0]) : new JsonArray([.. columns.Select(c => (JsonNode?)JsonValue.Create(c))]);

    private static IReadOnlyList<string> Columns(JsonElement key, string? file, string path)
    {
        if (key.ValueKind == JsonValueKind.String && key.GetString() is { Length: > 0 } single) return [single];
        if (key.ValueKind == JsonValueKind.Array && key.GetArrayLength() > 0 && key.EnumerateArray().All(c => c.ValueKind == JsonValueKind.String && c.GetString()!.Length > 0))
            return [.. key.EnumerateArray().Select(c => c.GetString()!)];
        throw Entry(file, path, "must be a column name or a non-empty array of column names (a composite key)");
    }

    private static ForeignKey Relationship(JsonElement r, string? file, string path, Dictionary<string, IReadOnlyList<string>> keys)
    {
        if (r.ValueKind != JsonValueKind.Object) throw Entry(file, path, "must be an object");
        string Name(string field) => r.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s : throw Entry(file, $"{path}.{field}", "is missing or not a table name");
        string parent = Name("parent_table_name"), child = Name("child_table_name");
        var childColumns = r.TryGetProperty("child_foreign_key", out var c) ? Columns(c, file, path + ".child_foreign_key")
            : throw Entry(file, path + ".child_foreign_key", "is missing");
        // SDV allows leaving out the parent's key: it is the parent's primary key.
        var parentColumns = r.TryGetProperty("parent_primary_key", out var p) && p.ValueKind != JsonValueKind.Null ? Columns(p, file, path + ".parent_primary_key")
            : keys.GetValueOrDefault(parent) ?? throw Entry(file, path + ".parent_primary_key", $"is missing and table '{parent}' declares no primary key");
        try { return new ForeignKey(child, childColumns, parent, parentColumns); }
        catch (SchemaException e) { throw Entry(file, path, e.Message); }
    }

    private static TableSchema ColumnKinds(JsonElement columns, string? file, string path)
    {
        if (columns.ValueKind != JsonValueKind.Object) throw Entry(file, path, "must be an object mapping each column name to {\"sdtype\": …}");
        var list = new List<ColumnSchema>();
        foreach (var column in columns.EnumerateObject())
        {
            if (column.Value.ValueKind != JsonValueKind.Object || !column.Value.TryGetProperty("sdtype", out var sdtype) || sdtype.ValueKind != JsonValueKind.String)
                throw Entry(file, $"{path}.{column.Name}", "must be an object with a string \"sdtype\"");
            if (SdTypes.FromJson(column.Name, sdtype.GetString()!, column.Value) is { } kind) list.Add(kind);
        }
        return new TableSchema { Columns = list };
    }

    private static SchemaException Entry(string? file, string path, string problem) =>
        Error(file, $"{(file is null ? "The metadata" : $"Metadata file '{file}'")}: '{TabTwinException.Clip(path)}' {problem}.",
            "See SDV's multi-table metadata format: tables → primary_key and columns (sdtype), relationships → parent_table_name, parent_primary_key, child_table_name, child_foreign_key.");

    private static SchemaException Error(string? file, string message, string hint, Exception? inner = null) =>
        new("relational.metadata", message, file: file, hint: hint, inner: inner);
}
