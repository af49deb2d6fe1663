namespace TabTwin.Schema.Relational;

/// <summary>Why a key is in the metadata, in one line: declared (catalog, metadata file) or proposed from the data.</summary>
public sealed record KeyReason(bool Proposed, string Text)
{
    public override string ToString() => (Proposed ? "proposed: " : "declared: ") + Text;
}

/// <summary>
/// The shape of a relational database: its tables, each table's primary key (empty when it has none) and the
/// foreign keys between them. Immutable; <see cref="ParentsFirst"/> gives the order to synthesize and load tables.
/// Structural mistakes (a key naming an unknown table, a cycle other than a self-reference) are raised here;
/// checks against the data (unknown columns) are in <see cref="RelationalData"/>.
/// </summary>
public sealed class DatabaseMetadata
{
    public DatabaseMetadata(IEnumerable<string> tables, IReadOnlyDictionary<string, IReadOnlyList<string>> primaryKeys,
        IEnumerable<ForeignKey> foreignKeys)
    {
        Tables = [.. tables];
        var known = new HashSet<string>(Tables, StringComparer.Ordinal);
        if (known.Count != Tables.Count)
            throw new SchemaException("relational.duplicate-table", $"A table is listed twice: '{Tables.GroupBy(t => t).First(g => g.Count() > 1).Key}'.");
        foreach (var table in primaryKeys.Keys.Where(t => !known.Contains(t)))
            throw Unknown(table, $"primary key of '{table}'");
        PrimaryKeys = Tables.ToDictionary(t => t, t => primaryKeys.GetValueOrDefault(t) ?? (IReadOnlyList<string>)[], StringComparer.Ordinal);
        ForeignKeys = [.. foreignKeys.Distinct()];
        foreach (var fk in ForeignKeys)
        {
            if (!known.Contains(fk.ChildTable)) throw Unknown(fk.ChildTable, $"foreign key {fk}");
            if (!known.Contains(fk.ParentTable)) throw Unknown(fk.ParentTable, $"foreign key {fk}");
        }
        ParentsFirst = Order();
    }

    /// <summary>Every table, in the order given.</summary>
    public IReadOnlyList<string> Tables { get; }
    /// <summary>Each table's primary-key columns (empty list: no primary key).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> PrimaryKeys { get; }
    public IReadOnlyList<ForeignKey> ForeignKeys { get; }
    /// <summary>Tables ordered so every parent comes before its children (self-references ignored; ties keep <see cref="Tables"/> order).</summary>
    public IReadOnlyList<string> ParentsFirst { get; }

    /// <summary>
    /// Column kinds a metadata file sets, per table: partial schemas (only the columns it names) to apply over detection
    /// with <see cref="SchemaOverrides.Apply(TableSchema, TableSchema, TabTwin.Tables.Table, string?)"/>. Empty when none were given.
    /// </summary>
    public IReadOnlyDictionary<string, TableSchema> ColumnSchemas { get; init; } = new Dictionary<string, TableSchema>(StringComparer.Ordinal);
    /// <summary>Why each table's primary key is what it is (tables without a reason: none recorded).</summary>
    public IReadOnlyDictionary<string, KeyReason> PrimaryKeyReasons { get; init; } = new Dictionary<string, KeyReason>(StringComparer.Ordinal);
    /// <summary>Why each foreign key is there (keys without a reason: none recorded).</summary>
    public IReadOnlyDictionary<ForeignKey, KeyReason> ForeignKeyReasons { get; init; } = new Dictionary<ForeignKey, KeyReason>();

    /// <summary>Foreign keys whose child is <paramref name="table"/> (self-references included).</summary>
    public IEnumerable<ForeignKey> ParentsOf(string table) => ForeignKeys.Where(f => f.ChildTable == table);
    /// <summary>Foreign keys whose parent is <paramref name="table"/> (self-references included).</summary>
    public IEnumerable<ForeignKey> ChildrenOf(string table) => ForeignKeys.Where(f => f.ParentTable == table);

    /// <summary>The same database restricted to <paramref name="tables"/> (foreign keys leaving the set are dropped).</summary>
    public DatabaseMetadata Subset(IEnumerable<string> tables)
    {
        var keep = new HashSet<string>(tables, StringComparer.Ordinal);
        foreach (var t in keep.Where(t => !PrimaryKeys.ContainsKey(t))) throw Unknown(t, "the requested tables");
        return new DatabaseMetadata(Tables.Where(keep.Contains), PrimaryKeys.Where(p => keep.Contains(p.Key)).ToDictionary(),
            ForeignKeys.Where(f => keep.Contains(f.ChildTable) && keep.Contains(f.ParentTable)))
        {
            ColumnSchemas = ColumnSchemas.Where(p => keep.Contains(p.Key)).ToDictionary(StringComparer.Ordinal),
            PrimaryKeyReasons = PrimaryKeyReasons.Where(p => keep.Contains(p.Key)).ToDictionary(StringComparer.Ordinal),
            ForeignKeyReasons = ForeignKeyReasons.Where(p => keep.Contains(p.Key.ChildTable) && keep.Contains(p.Key.ParentTable)).ToDictionary(),
        };
    }

    /// <summary>
    /// <see cref="Subset"/> for a user's choice of tables (<c>--tables a,b,c</c>), which must be connected through foreign
    /// keys: a table with no path to the others is <c>relational.disconnected</c>, naming the separate groups.
    /// </summary>
    public DatabaseMetadata ConnectedSubset(IEnumerable<string> tables)
    {
        var subset = Subset(tables);
        var groups = subset.Components();
        if (groups.Count <= 1) return subset;
        throw new SchemaException("relational.disconnected",
            $"The requested tables are not connected through foreign keys: {TabTwinException.Clip(string.Join(" | ", groups.Select(g => string.Join(", ", g))))}.",
            hint: "Add the tables that link these groups (e.g. the parent they share), ask for one group only, or declare the missing foreign key in --metadata.");
    }

    /// <summary>Groups of tables linked through foreign keys (either direction), each in <see cref="Tables"/> order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Components()
    {
        var group = Tables.ToDictionary(t => t, t => t, StringComparer.Ordinal);
        string Find(string t) => group[t] == t ? t : group[t] = Find(group[t]);
        foreach (var fk in ForeignKeys) group[Find(fk.ChildTable)] = Find(fk.ParentTable);
        return [.. Tables.GroupBy(Find).Select(g => (IReadOnlyList<string>)[.. g])];
    }

    private List<string> Order()
    {
        var remaining = new List<string>(Tables);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<string>();
        while (remaining.Count > 0)
        {
            var ready = remaining.FirstOrDefault(t => ForeignKeys.All(f => f.ChildTable != t || f.IsSelfReference || placed.Contains(f.ParentTable)));
            if (ready is null)
            {
                var cycle = ForeignKeys.Where(f => !f.IsSelfReference && remaining.Contains(f.ChildTable) && remaining.Contains(f.ParentTable));
                throw new SchemaException("relational.cycle",
                    $"The foreign keys form a cycle between tables {string.Join(", ", remaining.Select(t => $"'{t}'"))}: {TabTwinException.Clip(string.Join("; ", cycle))}.",
                    hint: "Only a table referencing itself is supported; remove one foreign key of the cycle from the metadata (--metadata).");
            }
            order.Add(ready);
            placed.Add(ready);
            remaining.Remove(ready);
        }
        return order;
    }

    private static SchemaException Unknown(string table, string where) =>
        new("relational.unknown-table", $"The {TabTwinException.Clip(where)} names table '{TabTwinException.Clip(table)}', which is not in the database.",
            hint: "Check the table name's spelling and case, or add the table.");
}
