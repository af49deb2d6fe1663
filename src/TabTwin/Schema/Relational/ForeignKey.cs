namespace TabTwin.Schema.Relational;

/// <summary>
/// A foreign key: the <see cref="ChildColumns"/> of <see cref="ChildTable"/> reference the <see cref="ParentColumns"/>
/// (the primary key, or another unique key) of <see cref="ParentTable"/>, matched in order. Composite keys list
/// several columns; a self-reference (<c>Employee.ReportsTo → Employee.EmployeeId</c>) has the same table on both sides.
/// </summary>
public sealed class ForeignKey : IEquatable<ForeignKey>
{
    public ForeignKey(string childTable, IReadOnlyList<string> childColumns, string parentTable, IReadOnlyList<string> parentColumns)
    {
        ArgumentException.ThrowIfNullOrEmpty(childTable);
        ArgumentException.ThrowIfNullOrEmpty(parentTable);
        if (childColumns.Count == 0 || childColumns.Count != parentColumns.Count)
            throw new SchemaException("relational.key-arity",
                $"Foreign key {Describe(childTable, childColumns, parentTable, parentColumns)} pairs {childColumns.Count} column(s) with {parentColumns.Count}.",
                hint: "List the child's columns and the parent's key columns in matching order, the same number on both sides.");
        ChildTable = childTable;
        ChildColumns = [.. childColumns];
        ParentTable = parentTable;
        ParentColumns = [.. parentColumns];
    }

    /// <summary>A single-column foreign key.</summary>
    public ForeignKey(string childTable, string childColumn, string parentTable, string parentColumn)
        : this(childTable, [childColumn], parentTable, [parentColumn]) { }

    public string ChildTable { get; }
    public IReadOnlyList<string> ChildColumns { get; }
    public string ParentTable { get; }
    public IReadOnlyList<string> ParentColumns { get; }
    public bool IsSelfReference => ChildTable == ParentTable;
    public bool IsComposite => ChildColumns.Count > 1;

    /// <summary>Parses <c>child.col -&gt; parent.col</c> or <c>child.a,b -&gt; parent.x,y</c> (the datasets' foreign_keys.txt lines).</summary>
    public static ForeignKey Parse(string text)
    {
        var sides = text.Split("->", StringSplitOptions.TrimEntries);
        if (sides.Length != 2 || Side(sides[0]) is not { } child || Side(sides[1]) is not { } parent)
            throw new SchemaException("relational.bad-foreign-key", $"'{TabTwinException.Clip(text)}' is not a foreign key.",
                hint: "Write child_table.column -> parent_table.column (composite keys: child.a,b -> parent.x,y).");
        return new ForeignKey(child.Table, child.Columns, parent.Table, parent.Columns);

        static (string Table, string[] Columns)? Side(string s)
        {
            int dot = s.IndexOf('.');
            if (dot <= 0 || dot == s.Length - 1) return null;
            var columns = s[(dot + 1)..].Split(',', StringSplitOptions.TrimEntries);
            return columns.Any(string.IsNullOrEmpty) ? null : (s[..dot].Trim(), columns);
        }
    }

    public override string ToString() => Describe(ChildTable, ChildColumns, ParentTable, ParentColumns);

    private static string Describe(string child, IReadOnlyList<string> childColumns, string parent, IReadOnlyList<string> parentColumns) =>
        $"{child}.{string.Join(',', childColumns)} -> {parent}.{string.Join(',', parentColumns)}";

    public bool Equals(ForeignKey? other) => other is not null && ToString() == other.ToString();
    public override bool Equals(object? obj) => Equals(obj as ForeignKey);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());
}
