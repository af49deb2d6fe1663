using TabTwin.Schema.Relational;
using TabTwin.Tables;

namespace TabTwin.Evaluation.MultiTable;

/// <summary>
/// A relationship's keys matched for scoring. Keys are <see cref="KeyValues"/> strings, so a parent key and a child
/// foreign key match whatever column types they were read as, a composite key is the tuple of its columns, and a row
/// with any component missing has no key (SQL's MATCH SIMPLE: such a child references nothing and is not checked).
/// </summary>
internal static class RelationalKeys
{
    /// <summary>Each row's key (null where a component is missing), formatted as the reader compares keys.</summary>
    public static string?[] RowKeys(Table table, IReadOnlyList<string> columns) => KeyValues.Of(table, columns);

    /// <summary>How many children reference each parent row (a parent without children counts 0; so does a parent without a key).</summary>
    public static int[] ChildrenPerParentRow(string?[] parentKeys, string?[] childKeys)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in childKeys)
            if (key is not null) counts[key] = counts.GetValueOrDefault(key) + 1;
        return parentKeys.Select(k => k is null ? 0 : counts.GetValueOrDefault(k)).ToArray();
    }

    /// <summary>
    /// The inner join of child and parent rows on the key, child rows in order, as pandas' merge gives it: a child
    /// whose key matches several parent rows appears once per match; one without a match (or key) is left out.
    /// </summary>
    public static (int[] ChildRows, int[] ParentRows) InnerJoin(string?[] childKeys, string?[] parentKeys)
    {
        var parents = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int row = 0; row < parentKeys.Length; row++)
            if (parentKeys[row] is { } key)
            {
                if (!parents.TryGetValue(key, out var rows)) parents[key] = rows = [];
                rows.Add(row);
            }
        var childRows = new List<int>(childKeys.Length);
        var parentRows = new List<int>(childKeys.Length);
        for (int row = 0; row < childKeys.Length; row++)
            if (childKeys[row] is { } key && parents.TryGetValue(key, out var matches))
                foreach (var parent in matches) { childRows.Add(row); parentRows.Add(parent); }
        return ([.. childRows], [.. parentRows]);
    }

    /// <summary>Child rows, those without a key, and those whose key names an existing parent.</summary>
    public static ReferentialIntegrity Integrity(string?[] parentKeys, string?[] childKeys)
    {
        var known = new HashSet<string>(parentKeys.OfType<string>(), StringComparer.Ordinal);
        int missing = 0, resolved = 0;
        foreach (var key in childKeys)
        {
            if (key is null) missing++;
            else if (known.Contains(key)) resolved++;
        }
        return new ReferentialIntegrity(childKeys.Length, missing, resolved);
    }
}
