using System.Text.Json.Nodes;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>
/// A learn-around transform: rewrites the training table so the synthesizer models something that cannot break
/// the rule (a gap ≥ 0 instead of two ordered columns, one merged category instead of a fixed combination), and
/// rebuilds the original columns from a sample. It removes <see cref="Consumes"/> and needs <see cref="Reads"/>
/// intact, which fixes the order in which several transforms can be stacked.
/// </summary>
internal abstract class ConstraintTransform
{
    public abstract IReadOnlyCollection<string> Reads { get; }
    public abstract IReadOnlyCollection<string> Consumes { get; }
    /// <summary>
    /// Which transform wins when two want the same column (lower first): merges reproduce real value combinations,
    /// which already satisfy every other rule on those columns, so they go before recomputations, gaps and bounds.
    /// </summary>
    public virtual int Priority => 2;
    /// <summary>A short label for reports, e.g. "gap discharge − admit (log)".</summary>
    public abstract string Describe();
    public abstract (Table Table, TableSchema Schema) Apply(Table table, TableSchema schema);
    public abstract Table Reverse(Table sampled);
    /// <summary>The learned state, saved in model files next to the constraint.</summary>
    public abstract JsonObject State();

    /// <summary>Replaces the consumed columns by <paramref name="added"/> (at the first consumed column's position) in table and schema.</summary>
    protected static (Table, TableSchema) Replace(Table table, TableSchema schema, IReadOnlyCollection<string> removed, Column added, ColumnKind kind)
    {
        int at = table.Columns.Select((c, i) => (c, i)).Where(p => removed.Contains(p.c.Name)).Select(p => p.i).DefaultIfEmpty(table.ColumnCount).Min();
        var columns = table.Columns.Where(c => !removed.Contains(c.Name)).ToList();
        int insert = Math.Min(at, columns.Count);
        columns.Insert(insert, added);
        var schemaColumns = schema.Columns.Where(c => !removed.Contains(c.Name)).ToList();
        schemaColumns.Insert(Math.Min(insert, schemaColumns.Count), new ColumnSchema
        {
            Name = added.Name, Kind = kind, Reason = "constraint transform (internal column)",
        });
        return (new Table(columns), schema with { Columns = schemaColumns });
    }

    /// <summary>Replaces one column of a sampled table by several restored ones (at its position).</summary>
    protected static Table Restore(Table sampled, string internalName, IReadOnlyList<Column> restored)
    {
        var columns = new List<Column>();
        foreach (var c in sampled.Columns)
        {
            if (c.Name == internalName) columns.AddRange(restored);
            else columns.Add(c);
        }
        return new Table(columns);
    }
}
