using TabTwin.Tables;

namespace TabTwin.Generation.Related;

/// <summary>A child table's foreign key: <c>Child.ForeignKey</c> references <c>Parent.Key</c>.</summary>
public sealed record TableRelation(string Child, string ForeignKey, string Parent, string Key);

/// <summary>
/// Tables generated together with their keys intact: every foreign-key value of a child exists in its parent's key
/// column. <see cref="Order"/> lists parents before children (the order to load them into a database).
/// </summary>
public sealed class RelatedTables
{
    internal RelatedTables(IReadOnlyList<string> order, IReadOnlyDictionary<string, Table> tables,
        IReadOnlyList<TableRelation> relations, IReadOnlyDictionary<string, string> primaryKeys)
    {
        Order = order;
        Tables = tables;
        Relations = relations;
        PrimaryKeys = primaryKeys;
    }

    /// <summary>Table names, every parent before its children.</summary>
    public IReadOnlyList<string> Order { get; }
    public IReadOnlyDictionary<string, Table> Tables { get; }
    public IReadOnlyList<TableRelation> Relations { get; }
    /// <summary>The key column of every table that has children (unique by construction).</summary>
    public IReadOnlyDictionary<string, string> PrimaryKeys { get; }

    public Table this[string name] => Tables[name];
}
