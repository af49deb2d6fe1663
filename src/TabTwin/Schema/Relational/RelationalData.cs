using TabTwin.Tables;

namespace TabTwin.Schema.Relational;

/// <summary>
/// A whole relational database in memory: one <see cref="Table"/> per table of <see cref="Metadata"/>. The
/// constructor checks that every table is present and every key column exists.
/// </summary>
public sealed class RelationalData
{
    public RelationalData(DatabaseMetadata metadata, IReadOnlyDictionary<string, Table> tables)
    {
        Metadata = metadata;
        foreach (var name in metadata.Tables)
            if (!tables.ContainsKey(name))
                throw new SchemaException("relational.missing-table", $"The metadata lists table '{name}' but no data was given for it.", file: name);
        Tables = metadata.Tables.ToDictionary(t => t, t => tables[t], StringComparer.Ordinal);
        foreach (var (table, key) in metadata.PrimaryKeys) RequireColumns(table, key, "primary key");
        foreach (var fk in metadata.ForeignKeys)
        {
            RequireColumns(fk.ChildTable, fk.ChildColumns, $"foreign key {fk}");
            RequireColumns(fk.ParentTable, fk.ParentColumns, $"foreign key {fk}");
        }
    }

    public DatabaseMetadata Metadata { get; }
    public IReadOnlyDictionary<string, Table> Tables { get; }
    public Table this[string table] => Tables[table];

    /// <summary>Orphans found in the data (child rows whose foreign key names no parent row) and how they were treated; see <see cref="KeyIntegrity"/>.</summary>
    public IReadOnlyList<OrphanReport> Orphans { get; init; } = [];
    /// <summary>What reading the data repaired or noticed, one line each (orphans included), for the caller to show.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Total rows over every table.</summary>
    public long RowCount => Tables.Values.Sum(t => (long)t.RowCount);

    private void RequireColumns(string table, IReadOnlyList<string> columns, string what)
    {
        foreach (var c in columns)
            if (!Tables[table].Contains(c))
                throw new SchemaException("relational.unknown-column",
                    $"The {TabTwinException.Clip(what)} names column '{TabTwinException.Clip(c)}', which table '{table}' does not have.",
                    column: c, file: table, hint: $"Table '{table}' has: {TabTwinException.Clip(string.Join(", ", Tables[table].ColumnNames))}.");
    }
}
