namespace TabTwin.Schema.Relational;

/// <summary>What <c>tabtwin inspect</c> shows of a database: its tables, keys with their reasons, orphans, and each table's column kinds.</summary>
public static class RelationalSummary
{
    /// <summary>
    /// Each table's detected schema with the kinds its metadata sets (<see cref="DatabaseMetadata.ColumnSchemas"/>) applied
    /// over detection, as <c>inspect</c> reports and writes them.
    /// </summary>
    public static IReadOnlyDictionary<string, TableSchema> Schemas(RelationalData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var schemas = new Dictionary<string, TableSchema>(StringComparer.Ordinal);
        foreach (var name in data.Metadata.Tables)
        {
            var detected = SchemaDetector.Detect(data[name]);
            schemas[name] = data.Metadata.ColumnSchemas.TryGetValue(name, out var declared)
                ? SchemaOverrides.Apply(detected, declared, data[name], name)
                : detected;
        }
        return schemas;
    }

    /// <summary>
    /// One line per table (rows, columns, primary key and why), per foreign key (declared or proposed, and why) and per
    /// orphan report, parents first.
    /// </summary>
    public static IReadOnlyList<string> Lines(RelationalData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var meta = data.Metadata;
        var lines = new List<string> { $"{meta.Tables.Count} tables, {data.RowCount:N0} rows, {meta.ForeignKeys.Count} foreign keys:" };
        int width = meta.Tables.Max(t => t.Length);
        foreach (var name in meta.ParentsFirst)
        {
            var table = data[name];
            var key = meta.PrimaryKeys[name];
            string pk = key.Count == 0 ? "no primary key" : $"primary key ({string.Join(", ", key)})"
                + (meta.PrimaryKeyReasons.TryGetValue(name, out var why) ? $" — {why}" : "");
            lines.Add($"  {name.PadRight(width)}  {table.RowCount,10:N0} rows × {table.ColumnCount,3} columns  {pk}");
        }
        foreach (var fk in meta.ForeignKeys)
            lines.Add($"  {fk}" + (meta.ForeignKeyReasons.TryGetValue(fk, out var why) ? $" — {why}" : ""));
        foreach (var orphans in data.Orphans)
            lines.Add($"  orphans: {orphans}");
        return lines;
    }
}
