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
    public static Dictionary<string, List<(int Fk, KeyRole Role)>> Assign(DatabaseMetadata metadata, Func<int, double> missingShare)
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
            var assigned = new HashSet<string>(StringComparer.Ordinal);
            if (parents.Count > 0)
            {
                int primary = parents.OrderByDescending(i => missingShare(i) < 0.5)
                    .ThenByDescending(i => depth[fks[i].ParentTable])
                    .ThenByDescending(i => fks[i].ChildColumns.Count)
                    .ThenBy(i => i).First();
                list.Add((primary, KeyRole.Primary));
                assigned.UnionWith(fks[primary].ChildColumns);
                foreach (int i in parents.Where(i => i != primary).OrderByDescending(i => fks[i].ChildColumns.Count).ThenBy(i => i))
                {
                    bool implied = fks[i].ChildColumns.All(assigned.Contains);
                    list.Add((i, implied ? KeyRole.Implied : KeyRole.Reference));
                    assigned.UnionWith(fks[i].ChildColumns);
                }
            }
            foreach (int i in own.Where(i => fks[i].IsSelfReference)) list.Add((i, KeyRole.Self));
            roles[t] = list;
        }
        return roles;
    }
}
