using TabTwin.Randomness;

namespace TabTwin.MultiTable;

/// <summary>
/// A self-reference (an employee's manager) drawn as a valid hierarchy: rows are put in a seeded random order, the
/// first ones (the learned share without a parent, at least one when the real table had any) are roots, and every
/// later row reports to a row before it — so every reference resolves and there is no cycle. When the real table had
/// no row without a parent, the first row references itself (the only way a finite table can).
/// </summary>
internal static class Hierarchy
{
    public static int[] Assign(int rows, double missingShare, ulong seed)
    {
        var parent = new int[rows];
        if (rows == 0) return parent;
        var random = new SeededRandom(seed);
        var order = Enumerable.Range(0, rows).ToArray();
        random.Shuffle<int>(order);
        int roots = missingShare > 0 ? Math.Clamp((int)Math.Round(missingShare * rows), 1, rows) : 0;
        for (int k = 0; k < rows; k++)
            parent[order[k]] = k < roots ? -1 : k == 0 ? order[0] : order[random.NextInt(k)];
        return parent;
    }
}
