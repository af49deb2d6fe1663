using TabTwin.Schema.Relational;

namespace TabTwin.MultiTable;

/// <summary>
/// Decides, per table, which foreign key is its primary parent (the children-per-parent counts and the leading parent
/// columns come from it), which ones are matched as references, which are self-references and which are implied by
/// others. The primary parent is the deepest parent (the one that carries most of the database above it: an invoice
/// line belongs to its invoice rather than to a track, a flight to its hour of weather at its origin rather than to
/// the airport), preferring keys that are mostly present, then the declared order.
/// </summary>
internal static class KeyRoles
{
    /// <summary>Role of every foreign key (by index in <see cref="DatabaseMetadata.ForeignKeys"/>), child tables' keys in assignment order.</summary>
    /// <param name="metadata">The database.</param>
    /// <param name="missingShare">Per foreign key, the share of child rows without a parent.</param>
    /// <param name="concentrated">
    /// Per foreign key, whether its children sit on so few parent rows (under 5 %) that a children-per-row count cannot be
    /// learned under privacy protection (3 of 1,458 airports hold all weather rows: the counts' quantiles are all 0). Such
    /// a key is never the primary parent: the child is sampled at its own scale and matched to its nearest parent rows.
    /// </param>
    public static Dictionary<string, List<(int Fk, KeyRole Role)>> Assign(DatabaseMetadata metadata, Func<int, double> missingShare, Func<int, bool> concentrated)
    {
        var fks = metadata.ForeignKeys;
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in metadata.ParentsFirst)
            depth[t] = metadata.ParentsOf(t).Where(f => !f.IsSelfReference).Select(f => depth[f.ParentTable] + 1).DefaultIfEmpty(0).Max();

        var roles = new Dictionary<string, List<(int, KeyRole)>>(StringComparer.Ordinal);
        foreach (var t in metadata.Tables)
        {
            var own = Enumerable.Range(0, fks.Count).Where(i => fks[i].ChildTable == t).ToList();
            var list = new List<(int, KeyRole)>();
            var parents = own.Where(i => !fks[i].IsSelfReference).ToList();
            var candidates = parents.Where(i => !concentrated(i)).ToList();
            var assigned = new HashSet<string>(StringComparer.Ordinal);
            if (candidates.Count > 0)
            {
                int primary = candidates.OrderByDescending(i => missingShare(i) < 0.5)
                    .ThenByDescending(i => depth[fks[i].ParentTable])
                    .ThenByDescending(i => fks[i].ChildColumns.Count)
                    .ThenBy(i => i).First();
                list.Add((primary, KeyRole.Primary));
                assigned.UnionWith(fks[primary].ChildColumns);
            }
            foreach (int i in parents.Where(i => list.All(l => l.Item1 != i)).OrderByDescending(i => fks[i].ChildColumns.Count).ThenBy(i => i))
            {
                bool implied = fks[i].ChildColumns.All(assigned.Contains);
                list.Add((i, implied ? KeyRole.Implied : KeyRole.Reference));
                assigned.UnionWith(fks[i].ChildColumns);
            }
            foreach (int i in own.Where(i => fks[i].IsSelfReference)) list.Add((i, KeyRole.Self));
            roles[t] = list;
        }
        return roles;
    }
}
