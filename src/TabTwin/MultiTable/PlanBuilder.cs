using TabTwin.Encoding;
using TabTwin.Schema;
using TabTwin.Schema.Relational;
using TabTwin.Tables;

namespace TabTwin.MultiTable;

/// <summary>One table ready to fit: its plan, the training table (own columns, children counts, joined parent columns) and its schema.</summary>
internal sealed record TrainingTable(TablePlan Plan, Table Data, TableSchema Schema, string[] Leading);

/// <summary>
/// Turns a real database into one training table per table (parents first). Key columns are not modelled: primary
/// keys are regenerated in their learned format, foreign keys are assigned from the synthetic parents. What is
/// modelled instead is what the keys mean: each parent gets a column per child relationship holding its number of
/// children (so counts are learned conditioned on the parent's values, the idea of HMA); each child gets its primary
/// parent's columns joined as leading columns (the child is drawn given its synthetic parent) and each other parent's
/// columns joined as ordinary columns (drawn with the child, then matched to the nearest synthetic parent row).
/// </summary>
internal static class PlanBuilder
{
    public static List<TrainingTable> Build(RelationalData data, MultiTableOptions options)
    {
        var metadata = data.Metadata;
        var fks = metadata.ForeignKeys;
        var real = data.Tables;
        // Which parent row each child row references, per foreign key: −1 when missing (orphans read as missing).
        var links = new int[fks.Count][];
        for (int i = 0; i < fks.Count; i++)
        {
            var fk = fks[i];
            var parentIndex = UniqueIndex(real[fk.ParentTable], fk);
            links[i] = RowKeys.Resolve(RowKeys.Of(real[fk.ChildTable], fk.ChildColumns), parentIndex);
            int orphans = links[i].Count(r => r == -2);
            if (orphans > 0)
                options.Warning?.Invoke($"{fk}: {orphans:N0} of {links[i].Length:N0} rows of '{fk.ChildTable}' reference no row of '{fk.ParentTable}' (orphans); they are learned as rows without that parent.");
            for (int r = 0; r < links[i].Length; r++) if (links[i][r] < 0) links[i][r] = -1;
        }
        double MissingShare(int i) => links[i].Length == 0 ? 0 : links[i].Count(r => r < 0) / (double)links[i].Length;
        bool Concentrated(int i)
        {
            int parents = real[fks[i].ParentTable].RowCount;
            return parents >= 20 && links[i].Where(p => p >= 0).Distinct().Count() < 0.05 * parents;
        }
        var roles = KeyRoles.Assign(metadata, MissingShare, Concentrated);

        var built = new Dictionary<string, TrainingTable>(StringComparer.Ordinal);
        var result = new List<TrainingTable>();
        foreach (var name in metadata.ParentsFirst)
        {
            options.Cancel.ThrowIfCancellationRequested();
            var table = real[name];
            var keyColumns = new HashSet<string>(metadata.ParentsOf(name).SelectMany(f => f.ChildColumns), StringComparer.Ordinal);
            var ids = IdColumns(metadata, name, keyColumns, table);
            var unique = UniqueSets(metadata, name, keyColumns);

            var own = table.Columns.Where(c => !keyColumns.Contains(c.Name) && ids.All(id => id.Column != c.Name)).ToList();
            var empty = own.Where(c => c.Length > 0 && c.MissingCount == c.Length)
                .Select(c => new EmptyColumnPlan { Column = c.Name, Type = c.Type.ToString() }).ToArray();
            own.RemoveAll(c => empty.Any(e => e.Column == c.Name));
            var columns = new List<Column>(own);
            var schemaColumns = OwnSchema(own, options.Schemas?.GetValueOrDefault(name), metadata.ColumnSchemas.GetValueOrDefault(name), out string locale);

            // Children per row, one column per relationship where this table is the parent.
            var countShapes = new List<CountShape>();
            for (int i = 0; i < fks.Count; i++)
            {
                if (fks[i].ParentTable != name) continue;
                var counts = new double[table.RowCount];
                foreach (int p in links[i]) if (p >= 0) counts[p]++;
                columns.Add(new NumericColumn(TablePlan.CountColumn(i), counts, isInteger: true));
                countShapes.Add(CountShape.Of(TablePlan.CountColumn(i), counts));
                schemaColumns.Add(new ColumnSchema { Name = TablePlan.CountColumn(i), Kind = ColumnKind.Numerical, Reason = $"children per row in {fks[i]}" });
            }

            var keys = new List<KeyPlan>();
            var leading = new List<string>();
            int freeRows = 0;
            foreach (var (fk, role) in roles[name])
            {
                double missing = MissingShare(fk);
                if (role is KeyRole.Implied) { keys.Add(new KeyPlan { ForeignKey = fk, Role = role, MissingShare = missing }); continue; }
                if (role is KeyRole.Self)
                {
                    keys.Add(SelfKey(fk, missing, links[fk], columns, schemaColumns, options.MaxParentColumns, fks[fk]));
                    continue;
                }
                var parent = built[fks[fk].ParentTable];
                var from = JoinableColumns(parent.Schema.Columns, fk, options.MaxParentColumns, withCount: !Concentrated(fk));
                var joined = from.Select(c => role == KeyRole.Primary ? TablePlan.LeadingColumn(c) : TablePlan.ReferenceColumn(fk, c)).ToArray();
                for (int k = 0; k < from.Length; k++)
                {
                    columns.Add(ColumnTake.TakeOrMissing(parent.Data[from[k]], links[fk], joined[k]));
                    schemaColumns.Add(parent.Schema[from[k]] with { Name = joined[k], Reason = $"joined from '{parent.Plan.Table}' ({fks[fk]})" });
                }
                string? presence = null;
                if (role == KeyRole.Reference && missing > 0)
                {
                    presence = TablePlan.PresenceColumn(fk);
                    columns.Add(new BooleanColumn(presence, links[fk].Select(p => p >= 0).ToArray()));
                    schemaColumns.Add(new ColumnSchema { Name = presence, Kind = ColumnKind.Boolean, Reason = $"whether {fks[fk]} is present" });
                }
                if (role == KeyRole.Primary)
                {
                    leading.AddRange(joined);
                    freeRows = links[fk].Count(p => p < 0);
                }
                keys.Add(new KeyPlan
                {
                    ForeignKey = fk, Role = role, Joined = joined, From = from, Presence = presence,
                    Count = role == KeyRole.Reference && Concentrated(fk) ? null : TablePlan.CountColumn(fk),
                    HubCounts = role == KeyRole.Reference && Concentrated(fk)
                        ? [.. links[fk].Where(p => p >= 0).GroupBy(p => p).Select(g => g.Count()).OrderDescending()] : [],
                    ReferencedShare = parent.Data.RowCount == 0 ? 0 : links[fk].Where(p => p >= 0).Distinct().Count() / (double)parent.Data.RowCount,
                    MissingShare = missing, ChildrenPerParent = parent.Data.RowCount == 0 ? 0 : links[fk].Count(p => p >= 0) / (double)parent.Data.RowCount,
                    Distinct = role == KeyRole.Reference && IsLinkKey(metadata, name, fks[fk], roles[name]),
                });
            }

            var plan = new TablePlan
            {
                Table = name, Columns = [.. table.ColumnNames], Ids = ids, Keys = [.. keys], Empty = empty, Unique = unique, Counts = [.. countShapes],
                Rows = table.RowCount, FreeRows = freeRows,
            };
            var training = new TrainingTable(plan, new Table(columns), new TableSchema { Columns = schemaColumns, Locale = locale }, [.. leading]);
            built[name] = training;
            result.Add(training);
        }
        return result;
    }

    private static Dictionary<string, int> UniqueIndex(Table parent, ForeignKey fk)
    {
        var keys = RowKeys.Of(parent, fk.ParentColumns);
        var index = RowKeys.Index(keys);
        int present = keys.Count(k => k is not null);
        if (index.Count != present)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int row = Array.FindIndex(keys, k => k is not null && !seen.Add(k));
            throw new SchemaException("relational.key-not-unique",
                $"Table '{fk.ParentTable}': the key ({string.Join(", ", fk.ParentColumns)}) that {fk} references repeats the value '{TabTwinException.Clip(keys[row]!.Replace('\u001F', ','))}' (row {row + 1}).",
                column: string.Join(",", fk.ParentColumns), row: row + 1, file: fk.ParentTable,
                hint: "A foreign key must reference a unique key; fix the data or the metadata's keys (--metadata).");
        }
        return index;
    }

    /// <summary>Single-column keys that are not foreign keys: the primary key and any column a child references; regenerated unique.</summary>
    private static IdPlan[] IdColumns(DatabaseMetadata metadata, string name, HashSet<string> keyColumns, Table table)
    {
        var candidates = new List<string>();
        if (metadata.PrimaryKeys[name] is [var pk]) candidates.Add(pk);
        candidates.AddRange(metadata.ChildrenOf(name).Where(f => f.ParentColumns.Count == 1).Select(f => f.ParentColumns[0]));
        return candidates.Distinct().Where(c => !keyColumns.Contains(c))
            .Select(c => new IdPlan { Column = c, Pattern = IdFormat.Learn(table[c]).Pattern }).ToArray();
    }

    /// <summary>Keys that the sampler must keep unique by dropping repeats: composite keys and keys made of foreign keys.</summary>
    private static string[][] UniqueSets(DatabaseMetadata metadata, string name, HashSet<string> keyColumns)
    {
        var sets = new List<string[]>();
        var pk = metadata.PrimaryKeys[name];
        if (pk.Count > 1 || (pk.Count == 1 && keyColumns.Contains(pk[0]))) sets.Add([.. pk]);
        foreach (var fk in metadata.ChildrenOf(name).Where(f => f.ParentColumns.Count > 1 || keyColumns.Contains(f.ParentColumns[0])))
            if (!sets.Any(s => s.SequenceEqual(fk.ParentColumns))) sets.Add([.. fk.ParentColumns]);
        return [.. sets];
    }

    /// <summary>A reference whose columns with the primary parent's make up the table's primary key: each pair may occur once.</summary>
    private static bool IsLinkKey(DatabaseMetadata metadata, string name, ForeignKey reference, List<(int Fk, KeyRole Role)> roles)
    {
        var pk = metadata.PrimaryKeys[name];
        var primary = roles.FirstOrDefault(r => r.Role == KeyRole.Primary);
        if (pk.Count == 0 || primary.Role != KeyRole.Primary) return false;
        var union = metadata.ForeignKeys[primary.Fk].ChildColumns.Concat(reference.ChildColumns).ToHashSet(StringComparer.Ordinal);
        return union.SetEquals(pk);
    }

    /// <summary>
    /// A self-reference (an employee's manager) learned like another parent: each row gets its referenced row's own
    /// columns joined (the manager's title and dates), whether it has one, and its number of rows referencing it. The
    /// sampler then matches each synthetic row to the synthetic row nearest on those columns, with that row's sampled
    /// number of reports as capacity and no cycle (<see cref="ParentMatcher"/>), instead of a hierarchy drawn at random.
    /// </summary>
    private static KeyPlan SelfKey(int fk, double missing, int[] links, List<Column> columns, List<ColumnSchema> schemaColumns, int max, ForeignKey key)
    {
        var from = JoinableColumns([.. schemaColumns], fk, max, withCount: true);
        var joined = from.Select(c => TablePlan.ReferenceColumn(fk, c)).ToArray();
        var byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var schemas = schemaColumns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        for (int k = 0; k < from.Length; k++)
        {
            columns.Add(ColumnTake.TakeOrMissing(byName[from[k]], links, joined[k]));
            schemaColumns.Add(schemas[from[k]] with { Name = joined[k], Reason = $"joined from the referenced row ({key})" });
        }
        string? presence = null;
        if (missing > 0)
        {
            presence = TablePlan.PresenceColumn(fk);
            columns.Add(new BooleanColumn(presence, links.Select(p => p >= 0).ToArray()));
            schemaColumns.Add(new ColumnSchema { Name = presence, Kind = ColumnKind.Boolean, Reason = $"whether {key} is present" });
        }
        return new KeyPlan { ForeignKey = fk, Role = KeyRole.Self, Joined = joined, From = from, Presence = presence, Count = TablePlan.CountColumn(fk), MissingShare = missing };
    }

    /// <summary>The parent's own learned columns a child may join (numbers, categories, booleans, dates), then its count column for this key.</summary>
    private static string[] JoinableColumns(IEnumerable<ColumnSchema> parent, int fk, int max, bool withCount)
    {
        if (max == 0) return [];
        var own = parent.Where(c => !c.Name.StartsWith('@') && IsJoinable(c.Kind)).Select(c => c.Name).Take(withCount ? max - 1 : max);
        return withCount ? [.. own, TablePlan.CountColumn(fk)] : [.. own];
    }

    private static bool IsJoinable(ColumnKind kind) => kind is ColumnKind.Numerical or ColumnKind.Categorical or ColumnKind.Boolean or ColumnKind.Datetime;

    /// <summary>The kinds of the table's own columns: the caller's, else the database metadata's, else detected.</summary>
    private static List<ColumnSchema> OwnSchema(List<Column> own, TableSchema? given, TableSchema? declared, out string locale)
    {
        locale = given?.Locale ?? declared?.Locale ?? "en";
        if (own.Count == 0) return [];
        var detected = SchemaDetector.Detect(new Table(own));
        locale = given?.Locale ?? declared?.Locale ?? detected.Locale;
        return detected.Columns.Select(c => given?.Find(c.Name) ?? declared?.Find(c.Name) ?? c).ToList();
    }
}
