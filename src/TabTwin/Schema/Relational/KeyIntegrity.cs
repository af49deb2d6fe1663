using TabTwin.Tables;

namespace TabTwin.Schema.Relational;

/// <summary>What to do with orphans: child rows whose foreign key names a parent row that does not exist.</summary>
public enum OrphanPolicy
{
    /// <summary>
    /// The default: the orphan's foreign-key columns become missing (an optional link, as SQL reads a NULL key), so
    /// every real row and every other value stays in the data, and the database written back accepts every row.
    /// </summary>
    AsMissing,
    /// <summary>Orphan rows are removed (their own children are checked again, so removal cascades).</summary>
    Drop,
    /// <summary>Orphans stay as they are (only reported): a database with FOREIGN KEY constraints will refuse them.</summary>
    Keep,
}

/// <summary>How many child rows of one foreign key name no parent row, one example, and how they were treated.</summary>
public sealed record OrphanReport(ForeignKey ForeignKey, int Rows, int ChildRows, string Example, OrphanPolicy Treatment)
{
    public override string ToString()
    {
        string share = ChildRows == 0 ? "" : $" ({100.0 * Rows / ChildRows:0.##}% of {ChildRows:N0})";
        string treated = Treatment switch
        {
            OrphanPolicy.AsMissing => $"their {string.Join(",", ForeignKey.ChildColumns)} set missing",
            OrphanPolicy.Drop => "rows dropped",
            _ => "kept as they are",
        };
        return $"foreign key {ForeignKey}: {Rows:N0} orphan row{(Rows == 1 ? "" : "s")}{share}, e.g. {Example}; {treated}.";
    }
}

/// <summary>
/// Checks a database's keys against its rows: every primary key (and every key a foreign key references) is never
/// missing — else one <c>relational.missing-key</c> error naming the table, column and row — and unique: a key repeated by
/// at most a fifth of the rows (or one row) keeps the first row of each value and drops the rest (more is <c>relational.duplicate-key</c>:
/// not a key), said in one warning line (<see cref="RelationalData.Warnings"/>)
/// naming the table, the key, how many rows were dropped and an example. Then counts orphans per foreign key, treating
/// them per <see cref="OrphanPolicy"/>.
/// </summary>
public static class KeyIntegrity
{
    /// <summary>
    /// <paramref name="data"/> with its orphans treated (parents first, so a dropped row's children are checked after it)
    /// and <see cref="RelationalData.Orphans"/> listing them; the same tables when there is none.
    /// </summary>
    public static RelationalData Enforce(RelationalData data, OrphanPolicy policy = OrphanPolicy.AsMissing)
    {
        ArgumentNullException.ThrowIfNull(data);
        var meta = data.Metadata;
        var tables = data.Tables.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var warnings = new List<string>();
        // Duplicates go before orphans are looked for: a dropped repeat has the same key as the row kept, so no child loses its parent.
        foreach (var (table, key) in meta.PrimaryKeys.Where(p => p.Value.Count > 0))
            tables[table] = KeepFirstOfEachKey(tables[table], table, key, "primary key", warnings);
        foreach (var fk in meta.ForeignKeys.Where(f => !f.ParentColumns.SequenceEqual(meta.PrimaryKeys[f.ParentTable])).DistinctBy(f => (f.ParentTable, string.Join(",", f.ParentColumns))))
            tables[fk.ParentTable] = KeepFirstOfEachKey(tables[fk.ParentTable], fk.ParentTable, fk.ParentColumns, $"key referenced by {fk}", warnings);

        var reports = new List<OrphanReport>();
        foreach (var table in meta.ParentsFirst)
            foreach (var fk in meta.ParentsOf(table))
            {
                // A self-reference can orphan more rows each time rows are dropped; it settles within the table's size.
                // A key column of the child's own primary key cannot become missing: such orphans are dropped instead.
                var treatment = policy == OrphanPolicy.AsMissing && fk.ChildColumns.Intersect(meta.PrimaryKeys[table]).Any() ? OrphanPolicy.Drop : policy;
                for (int pass = 0; pass <= tables[table].RowCount; pass++)
                {
                    var (orphan, count, example) = FindOrphans(tables[table], fk, tables[fk.ParentTable]);
                    if (count == 0) break;
                    var existing = reports.FindIndex(r => r.ForeignKey.Equals(fk));
                    int total = count + (existing >= 0 ? reports[existing].Rows : 0);
                    var report = new OrphanReport(fk, total, existing >= 0 ? reports[existing].ChildRows : tables[table].RowCount,
                        existing >= 0 ? reports[existing].Example : example, treatment);
                    if (existing >= 0) reports[existing] = report; else reports.Add(report);
                    tables[table] = Treat(tables[table], fk, orphan, treatment);
                    if (treatment != OrphanPolicy.Drop || !fk.IsSelfReference) break;
                }
            }
        if (reports.Count == 0 && warnings.Count == 0) return data;
        return new RelationalData(meta, tables) { Orphans = [.. data.Orphans, .. reports], Warnings = [.. data.Warnings, .. warnings] };
    }

    /// <summary>The orphan rows of <paramref name="fk"/> (child key present, no parent row with it), their count and one example.</summary>
    internal static (bool[] Rows, int Count, string Example) FindOrphans(Table child, ForeignKey fk, Table parent)
    {
        var known = new HashSet<string>(KeyValues.Of(parent, fk.ParentColumns).OfType<string>(), StringComparer.Ordinal);
        var keys = KeyValues.Of(child, fk.ChildColumns);
        var rows = new bool[keys.Length];
        int count = 0;
        string example = "";
        for (int r = 0; r < keys.Length; r++)
        {
            if (keys[r] is not { } key || known.Contains(key)) continue;
            if (count++ == 0) example = $"row {r + 1}: {KeyValues.Display(key)}";
            rows[r] = true;
        }
        return (rows, count, example);
    }

    private static Table Treat(Table table, ForeignKey fk, bool[] orphan, OrphanPolicy policy)
    {
        switch (policy)
        {
            case OrphanPolicy.Drop:
                var keep = Enumerable.Range(0, table.RowCount).Where(r => !orphan[r]).ToArray();
                return table.Take(keep);
            case OrphanPolicy.AsMissing:
                return new Table(table.Columns.Select(c => fk.ChildColumns.Contains(c.Name) ? KeyValues.Blank(c, orphan) : c));
            default:
                return table;
        }
    }

    /// <summary>
    /// <paramref name="table"/> without the rows that repeat a key value already seen (the first row of each value stays),
    /// with one warning line when any was dropped; a missing key value is one clear error (no row can stand for it).
    /// Real databases do carry such repeats (nycflights13 <c>weather</c> has the hour 01:00 twice on the night clocks go
    /// back, at each airport): refusing the whole database for three rows helps nobody, dropping them silently hides a
    /// data problem, so the rows go and the user is told which. Keeping the key instead and letting it repeat is not an
    /// option for a declared key (children could not tell which row they reference); proposed keys are unique by
    /// construction (<see cref="KeyProposer"/> proposes only unique columns of these same rows).
    /// </summary>
    private static Table KeepFirstOfEachKey(Table table, string name, IReadOnlyList<string> key, string what, List<string> warnings)
    {
        string columns = string.Join(", ", key);
        var keys = KeyValues.Of(table, key);
        var firstRow = new Dictionary<string, int>(StringComparer.Ordinal);
        var keep = new List<int>(keys.Length);
        string example = "";
        for (int r = 0; r < keys.Length; r++)
        {
            if (keys[r] is not { } value)
                throw new SchemaException("relational.missing-key",
                    $"Table '{name}': the {what} ({columns}) is missing in row {r + 1}; a key must identify every row.",
                    column: key.First(c => table[c].Missing[r]), row: r + 1, file: name,
                    hint: "Fill in the key, remove the row, or declare another primary key in --metadata.");
            if (firstRow.TryAdd(value, r)) keep.Add(r);
            else if (example.Length == 0) example = $"{KeyValues.Display(value)} is in rows {firstRow[value] + 1} and {r + 1}";
        }
        int dropped = keys.Length - keep.Count;
        if (dropped == 0) return table;
        // A few repeats are a data problem in a real key; many mean the column is not a key at all (Customer.Country named as
        // a foreign key's target): dropping them would throw most of the table away, so that stays one clear error.
        if (dropped > Math.Max(1, keys.Length / 5))
            throw new SchemaException("relational.duplicate-key",
                $"Table '{name}': the {what} ({columns}) is not unique: {example}; {dropped:N0} of {keys.Length:N0} rows repeat a key, too many to drop.",
                column: key[0], file: name,
                hint: "Declare a key whose values are unique (a composite key lists several columns) in --metadata, or remove the duplicate rows.");
        warnings.Add($"table '{name}': the {what} ({columns}) is not unique: {dropped:N0} row{(dropped == 1 ? "" : "s")} repeating an earlier row's key dropped " +
            $"(the first row of each key is kept), e.g. {example}. Declare a unique key in --metadata to keep them.");
        return table.Take(keep.ToArray());
    }
}
