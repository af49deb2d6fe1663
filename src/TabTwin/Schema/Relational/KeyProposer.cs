using System.Globalization;
using TabTwin.Tables;

namespace TabTwin.Schema.Relational;

/// <summary>
/// Proposes keys where a database declares none, each with a one-line reason (as column kinds get theirs).
/// <para>Primary key: a column that is unique, never missing and id-like — a whole number or a short code, preferably
/// named <c>id</c>, <c>&lt;table&gt;_id</c>/<c>&lt;table&gt;Id</c> or ending in id/key/code; else two or three such
/// id-named columns that are unique together (a link table's composite key).</para>
/// <para>Foreign key: a column named like another table's key (the same name as the parent's primary key, or
/// <c>&lt;parent&gt;_id</c>/<c>&lt;parent&gt;Id</c>) whose values are found in that key for at least
/// <see cref="MinContainment"/> of its rows; composite parent keys are matched by the same column names.</para>
/// Declared keys are kept as they are; a proposal that would close a cycle between tables is left out.
/// </summary>
public static class KeyProposer
{
    /// <summary>Share of a child's non-missing values that must be found in the parent key for a foreign key to be proposed.</summary>
    public const double MinContainment = 0.95;
    /// <summary>Longest text value of a code-like key column.</summary>
    private const int MaxCodeLength = 40;
    private static readonly string[] GenericNames = ["id", "key", "code", "name", "no", "nr", "number"];

    /// <summary>
    /// <paramref name="declared"/> (or an empty metadata over <paramref name="tables"/>) completed with proposed primary keys
    /// for tables that have none and, when no foreign key is declared at all, proposed foreign keys.
    /// </summary>
    public static DatabaseMetadata Propose(IReadOnlyDictionary<string, Table> tables, IReadOnlyList<string> order, DatabaseMetadata? declared = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        declared ??= new DatabaseMetadata(order, new Dictionary<string, IReadOnlyList<string>>(), []);
        var keys = declared.PrimaryKeys.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var pkReasons = declared.PrimaryKeyReasons.ToDictionary(StringComparer.Ordinal);
        foreach (var name in declared.Tables.Where(t => keys[t].Count == 0))
            if (PrimaryKey(name, tables[name]) is { } proposal)
            {
                keys[name] = proposal.Columns;
                pkReasons[name] = new KeyReason(true, proposal.Reason);
            }

        var foreignKeys = declared.ForeignKeys.ToList();
        var fkReasons = declared.ForeignKeyReasons.ToDictionary();
        if (foreignKeys.Count == 0)
            foreach (var (fk, reason) in ForeignKeys(declared.Tables, tables, keys))
            {
                if (ClosesCycle(foreignKeys, fk)) continue;
                foreignKeys.Add(fk);
                fkReasons[fk] = new KeyReason(true, reason);
            }
        return new DatabaseMetadata(declared.Tables, keys, foreignKeys)
        {
            ColumnSchemas = declared.ColumnSchemas,
            PrimaryKeyReasons = pkReasons,
            ForeignKeyReasons = fkReasons,
        };
    }

    private static (IReadOnlyList<string> Columns, string Reason)? PrimaryKey(string table, Table data)
    {
        if (data.RowCount == 0) return null;
        var single = data.Columns.Select((c, i) => (Column: c, Score: NameScore(table, c.Name), Position: i))
            .Where(c => IdLike(c.Column) && Unique(data, [c.Column.Name]))
            .OrderByDescending(c => c.Score).ThenBy(c => c.Position).FirstOrDefault();
        if (single.Column is { } column)
            return ([column.Name], $"unique, never missing, {Shape(column)}, {Hint(single.Score, table, column.Name)}");

        var named = data.Columns.Where(c => IdLike(c) && (NameScore(table, c.Name) > 0 || IsYear(c.Name)) && c.MissingCount == 0).Select(c => c.Name).Take(12).ToList();   // 12 columns: at most 286 triples to test
        foreach (int size in new[] { 2, 3 })
            foreach (var combination in Combinations(named, size))
                if (Unique(data, combination))
                    return (combination, $"unique together, never missing: id-like columns {string.Join(", ", combination)} (no single column is unique)");
        return null;
    }

    private static IEnumerable<(ForeignKey Key, string Reason)> ForeignKeys(IReadOnlyList<string> order, IReadOnlyDictionary<string, Table> tables,
        Dictionary<string, IReadOnlyList<string>> keys)
    {
        var parentKeys = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        HashSet<string> KeySet(string parent) => parentKeys.TryGetValue(parent, out var set) ? set
            : parentKeys[parent] = new HashSet<string>(KeyValues.Of(tables[parent], keys[parent]).OfType<string>(), StringComparer.Ordinal);

        foreach (var child in order)
        {
            var data = tables[child];
            foreach (var parent in order.Where(p => p != child && keys[p].Count > 0))
            {
                var pk = keys[parent];
                IReadOnlyList<string>? columns = null;
                string? why = null;
                if (pk.Count == 1)
                {
                    var match = data.Columns.FirstOrDefault(c => IdLike(c) && !(keys[child].Count == 1 && keys[child][0] == c.Name && IsGeneric(c.Name))
                        && (NamedLikeTable(c.Name, parent) || (SameName(c.Name, pk[0]) && !IsGeneric(pk[0]))));
                    if (match is not null)
                    {
                        columns = [match.Name];
                        why = SameName(match.Name, pk[0]) ? $"same name as {parent}'s key" : $"named like table '{parent}'";
                    }
                }
                else if (pk.All(k => data.Columns.Any(c => SameName(c.Name, k))))
                {
                    columns = [.. pk.Select(k => data.Columns.First(c => SameName(c.Name, k)).Name)];
                    why = $"the same names as {parent}'s composite key";
                }
                if (columns is not null && !(columns.SequenceEqual(keys[child]) && data.RowCount > tables[parent].RowCount)
                    && Contained(data, columns, KeySet(parent)) is { Rows: >= MinContainment } named)
                {
                    yield return (new ForeignKey(child, columns, parent, pk), $"{why}; {Percent(named.Rows)} of {named.Count:N0} values found in {parent}.{string.Join(",", pk)}");
                    continue;
                }
                // Codes whose name does not say their parent (flights.origin, flights.dest → airports.faa): text codes found in a
                // parent's text key, both per row and per distinct code, are a link; whole numbers are not (counts collide).
                if (pk.Count != 1 || tables[parent][pk[0]] is not (CategoricalColumn or TextColumn)) continue;
                foreach (var code in data.Columns.Where(c => c is CategoricalColumn or TextColumn && IdLike(c) && c.Name != pk[0] && !keys[child].Contains(c.Name) && !IsGeneric(c.Name)))
                {
                    if (Contained(data, [code.Name], KeySet(parent)) is not { Rows: >= MinContainment, Distinct: >= MinContainment } byValue) continue;
                    yield return (new ForeignKey(child, code.Name, parent, pk[0]),
                        $"its codes are {parent}'s keys: {Percent(byValue.Rows)} of {byValue.Count:N0} values ({Percent(byValue.Distinct)} of the distinct ones) found in {parent}.{pk[0]}");
                }
            }
        }
    }

    /// <summary>Share of the child's non-missing rows, and of its distinct values, found among the parent's keys (null when all are missing).</summary>
    private static (double Rows, double Distinct, int Count)? Contained(Table child, IReadOnlyList<string> columns, HashSet<string> known)
    {
        var values = KeyValues.Of(child, columns).OfType<string>().ToList();
        if (values.Count == 0) return null;
        var distinct = values.Distinct(StringComparer.Ordinal).ToList();
        return (values.Count(known.Contains) / (double)values.Count, distinct.Count(known.Contains) / (double)distinct.Count, values.Count);
    }

    /// <summary>Whether adding <paramref name="fk"/> makes its parent reachable from itself through other tables (self-references do not count).</summary>
    private static bool ClosesCycle(List<ForeignKey> keys, ForeignKey fk)
    {
        if (fk.IsSelfReference) return false;
        var stack = new Stack<string>([fk.ParentTable]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (stack.TryPop(out var table))
        {
            if (table == fk.ChildTable) return true;
            if (!seen.Add(table)) continue;
            foreach (var k in keys.Where(k => k.ChildTable == table && !k.IsSelfReference)) stack.Push(k.ParentTable);
        }
        return false;
    }

    /// <summary>Whole numbers, or labels no longer than a code (dates, booleans and measurements are not keys).</summary>
    private static bool IdLike(Column column) => column switch
    {
        NumericColumn n => n.IsInteger,
        CategoricalColumn c => c.Categories.All(v => v.Length <= MaxCodeLength),
        TextColumn t => t.Values.ToArray().All(v => v is null || v.Length <= MaxCodeLength),
        _ => false,
    };

    private static bool Unique(Table data, IReadOnlyList<string> columns)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in KeyValues.Of(data, columns))
            if (key is null || !seen.Add(key)) return false;
        return true;
    }

    /// <summary>3: named after the table (<c>AlbumId</c>, <c>album_id</c>); 2: exactly <c>id</c>; 1: ends in id, key or code; 0: no hint.</summary>
    private static int NameScore(string table, string column)
    {
        if (NamedLikeTable(column, table)) return 3;
        var n = Normal(column);
        if (n == "id") return 2;
        return n.EndsWith("id", StringComparison.Ordinal) || n.EndsWith("key", StringComparison.Ordinal) || n.EndsWith("code", StringComparison.Ordinal) ? 1 : 0;
    }

    private static string Hint(int score, string table, string column) => score switch
    {
        3 => $"named after table '{table}' ('{column}')",
        2 => "named 'id'",
        1 => $"named like a key ('{column}')",
        _ => "the first such column",
    };

    private static string Shape(Column column) => column is NumericColumn ? "whole numbers" : "short codes";

    /// <summary><c>AlbumId</c>, <c>album_id</c>, <c>flight_id</c> for table flights: the table's (singular) name followed by id.</summary>
    private static bool NamedLikeTable(string column, string table)
    {
        var c = Normal(column);
        var t = Normal(table);
        return c == t + "id" || (t.EndsWith('s') && c == t[..^1] + "id");
    }

    private static bool SameName(string a, string b) => Normal(a) == Normal(b);
    private static bool IsGeneric(string name) => GenericNames.Contains(Normal(name));
    private static bool IsYear(string name) => Normal(name) is "year" or "yearid" or "season";
    private static string Normal(string name) => new string([.. name.Where(char.IsLetterOrDigit)]).ToLowerInvariant();
    private static string Percent(double share) => (share * 100).ToString(share >= 0.9995 ? "0" : "0.0", CultureInfo.InvariantCulture) + "%";

    private static IEnumerable<IReadOnlyList<string>> Combinations(List<string> items, int size, int start = 0)
    {
        if (size == 0) { yield return []; yield break; }
        for (int i = start; i <= items.Count - size; i++)
            foreach (var rest in Combinations(items, size - 1, i + 1))
                yield return [items[i], .. rest];
    }
}
