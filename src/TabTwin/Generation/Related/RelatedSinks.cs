using TabTwin.IO;
using TabTwin.Schema.Relational;
using TabTwin.Tables;

namespace TabTwin.Generation.Related;

/// <summary>The names, relations and keys a sink needs to lay out the tables (parents first).</summary>
internal sealed record RelatedLayout(IReadOnlyList<string> Order, IReadOnlyList<TableRelation> Relations, IReadOnlyDictionary<string, string> PrimaryKeys)
{
    /// <summary>The same layout as database metadata, which the shared database and folder writers take.</summary>
    public DatabaseMetadata ToMetadata() => new(Order,
        Order.ToDictionary(t => t, t => PrimaryKeys.GetValueOrDefault(t) is { } key ? (IReadOnlyList<string>)[key] : [], StringComparer.Ordinal),
        Relations.Select(r => new ForeignKey(r.Child, r.ForeignKey, r.Parent, r.Key)));
}

/// <summary>Related tables go to the writers whole databases use (<see cref="RelationalSinks"/>): one database transaction, or a folder.</summary>
internal static class RelatedSinks
{
    /// <summary>A database address gets one transaction over all tables; anything else is a folder of <paramref name="fileFormat"/> files.</summary>
    public static IRelationalSink Open(string destination, string fileFormat, RelatedLayout layout, out IReadOnlyList<string> written, bool overwrite = false) =>
        RelationalSinks.Open(destination, fileFormat, layout.ToMetadata(), out written, overwrite);
}

/// <summary>Tables kept in memory (the whole-table API).</summary>
internal sealed class MemorySink : IRelationalSink
{
    private readonly Dictionary<string, List<Table>> _chunks = new(StringComparer.Ordinal);

    public void Write(string table, Table chunk)
    {
        if (!_chunks.TryGetValue(table, out var list)) _chunks[table] = list = [];
        list.Add(chunk);
    }

    public void Complete() { }

    public Dictionary<string, Table> Tables() => _chunks.ToDictionary(p => p.Key, p => TableConcat.Rows(p.Value.Where(t => t.RowCount > 0).DefaultIfEmpty(p.Value[0]).ToList()), StringComparer.Ordinal);

    public void Dispose() { }
}

