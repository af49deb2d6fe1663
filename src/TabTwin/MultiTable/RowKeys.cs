using TabTwin.Tables;

namespace TabTwin.MultiTable;

/// <summary>
/// Key values as text, the way relational data is matched across tables: a row's key is its columns' invariant texts
/// joined by a unit separator, or null when any of them is missing (a missing foreign key references nothing).
/// Numbers print as the table readers print them, so an integer key 7 matches in a numeric and in a text column.
/// </summary>
internal static class RowKeys
{
    private const char Separator = '\u001F';

    /// <summary>The key of every row of <paramref name="table"/> over <paramref name="columns"/> (null = some part missing).</summary>
    public static string?[] Of(Table table, IReadOnlyList<string> columns)
    {
        var parts = columns.Select(c => table[c]).ToArray();
        var keys = new string?[table.RowCount];
        for (int i = 0; i < keys.Length; i++)
        {
            if (parts.Length == 1) { keys[i] = parts[0].FormatValue(i); continue; }
            var texts = new string?[parts.Length];
            bool missing = false;
            for (int k = 0; k < parts.Length && !missing; k++) missing = (texts[k] = parts[k].FormatValue(i)) is null;
            keys[i] = missing ? null : string.Join(Separator, texts);
        }
        return keys;
    }

    /// <summary>Row index of each key of <paramref name="parentKeys"/> (the first row when a key repeats, which callers report).</summary>
    public static Dictionary<string, int> Index(string?[] parentKeys)
    {
        var index = new Dictionary<string, int>(parentKeys.Length, StringComparer.Ordinal);
        for (int i = 0; i < parentKeys.Length; i++) if (parentKeys[i] is { } k) index.TryAdd(k, i);
        return index;
    }

    /// <summary>For each child key the parent row it references: −1 for a missing key, −2 for an orphan (a key no parent row has).</summary>
    public static int[] Resolve(string?[] childKeys, Dictionary<string, int> parentIndex)
    {
        var rows = new int[childKeys.Length];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = childKeys[i] is not { } k ? -1 : parentIndex.TryGetValue(k, out int p) ? p : -2;
        return rows;
    }
}
