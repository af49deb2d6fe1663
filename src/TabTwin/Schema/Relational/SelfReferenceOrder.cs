using TabTwin.Tables;

namespace TabTwin.Schema.Relational;

/// <summary>
/// The order to load a table that references itself (<c>Employee.ReportsTo → Employee.EmployeeId</c>) so every
/// referenced row is in before the rows that reference it: a database checking its constraints row by row accepts
/// each insert. Rows on a cycle (a manager of their own manager) cannot be ordered; they are returned separately, to
/// be loaded with the reference missing and set afterwards.
/// </summary>
internal static class SelfReferenceOrder
{
    /// <summary>Row indexes in levels, referenced rows' levels first (each in table order), and the rows that sit on a reference cycle.</summary>
    public static (IReadOnlyList<int[]> Levels, int[] OnCycle) Of(Table table, IReadOnlyList<ForeignKey> selfReferences)
    {
        int n = table.RowCount;
        var waiting = new int[n];                 // how many referenced rows are not yet placed
        var dependents = new List<int>?[n];
        foreach (var fk in selfReferences)
        {
            var rowOfKey = new Dictionary<string, int>(StringComparer.Ordinal);
            var keys = KeyValues.Of(table, fk.ParentColumns);
            for (int r = 0; r < n; r++) if (keys[r] is { } key) rowOfKey.TryAdd(key, r);
            var references = KeyValues.Of(table, fk.ChildColumns);
            for (int r = 0; r < n; r++)
            {
                if (references[r] is not { } reference || !rowOfKey.TryGetValue(reference, out int parent) || parent == r) continue;
                waiting[r]++;
                (dependents[parent] ??= []).Add(r);
            }
        }
        // Level by level: a level's rows reference only rows of earlier levels, so it can go in as one batch (DuckDB's
        // appender checks a batch against the rows already in the table, not against the batch itself).
        var levels = new List<int[]>();
        var level = Enumerable.Range(0, n).Where(r => waiting[r] == 0).ToList();
        while (level.Count > 0)
        {
            levels.Add([.. level]);
            var next = new List<int>();
            foreach (int row in level)
                foreach (int child in dependents[row] ?? [])
                    if (--waiting[child] == 0) next.Add(child);
            next.Sort();
            level = next;
        }
        var onCycle = Enumerable.Range(0, n).Where(r => waiting[r] > 0).ToArray();
        return (levels, onCycle);
    }
}
