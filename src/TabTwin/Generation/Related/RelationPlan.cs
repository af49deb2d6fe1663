using TabTwin.Generation.Spec;

namespace TabTwin.Generation.Related;

/// <summary>
/// The parent graph of a spec, checked: every parent exists, has a unique key column (sequence, id or uuid), the
/// after-columns are datetimes on both sides, there is no cycle; and the order that puts parents before children.
/// </summary>
internal sealed class RelationPlan
{
    private readonly Dictionary<string, TableRelation> _byChild;

    private RelationPlan(List<string> order, List<TableRelation> relations, Dictionary<string, string> keys)
    {
        Order = order;
        Relations = relations;
        PrimaryKeys = keys;
        _byChild = relations.ToDictionary(r => r.Child, StringComparer.Ordinal);
    }

    public List<string> Order { get; }
    public List<TableRelation> Relations { get; }
    public Dictionary<string, string> PrimaryKeys { get; }

    public TableRelation RelationOf(string child) => _byChild[child];

    /// <summary>The parent column an after-entry names: <c>signup_date</c> or <c>customers.signup_date</c>.</summary>
    public static string ParentColumn(ParentSpec parent, string reference) =>
        reference.StartsWith(parent.Table + ".", StringComparison.Ordinal) ? reference[(parent.Table.Length + 1)..] : reference;

    public static RelationPlan Build(GenerationSpec spec)
    {
        var relations = new List<TableRelation>();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in spec.Tables)
        {
            if (table.Parent is not { } parent) continue;
            SpecException Error(string code, string message, string? column = null) =>
                new(code, $"Table '{table.Name}': {message}", table: table.Name, column: column, line: parent.Line, file: spec.SourceFile);
            var parentTable = spec.Tables.FirstOrDefault(t => t.Name == parent.Table)
                ?? throw Error("spec.unknown-table", $"the parent '{parent.Table}' is not a table of the spec (it has: {string.Join(", ", spec.Tables.Select(t => t.Name))}).");
            if (parent.Table == table.Name) throw Error("spec.parent-cycle", "a table cannot be its own parent.");
            string key = parent.Key ?? parentTable.Columns.FirstOrDefault(c => IsKey(c.Distribution))?.Name
                ?? throw Error("spec.parent-key", $"the parent '{parent.Table}' has no key column (type sequence, id or uuid); add one or name it with 'key'.");
            var keyColumn = parentTable.Column(key) ?? throw Error("spec.parent-key", $"the parent '{parent.Table}' has no column '{key}'.", key);
            if (!IsKey(keyColumn.Distribution) || keyColumn.Missing > 0)
                throw Error("spec.parent-key", $"the parent key '{parent.Table}.{key}' must be a sequence, id or uuid column without missing values, so every key is unique.", key);
            if (parent.Children is null)
                throw Error("spec.missing-field", "'parent' needs 'children': the number of children per parent, e.g. poisson(3).");
            foreach (var (childColumn, parentColumn) in parent.After)
            {
                if (table.Column(childColumn)?.Distribution is not Distribution.DateTimeRange)
                    throw Error("spec.after-column", $"'after' names '{childColumn}', which must be a datetime or date column of '{table.Name}'.", childColumn);
                var pc = ParentColumn(parent, parentColumn);
                if (parentTable.Column(pc)?.Distribution is not Distribution.DateTimeRange)
                    throw Error("spec.after-column", $"'after' names '{parent.Table}.{pc}', which must be a datetime or date column of the parent.", childColumn);
            }
            keys[parent.Table] = key;
            relations.Add(new TableRelation(table.Name, parent.ForeignKey ?? key, parent.Table, key));
        }
        return new RelationPlan(Sort(spec, relations), relations, keys);
    }

    private static bool IsKey(Distribution d) => d is Distribution.Sequence or Distribution.Id or Distribution.Uuid;

    /// <summary>Spec order, except that a parent always comes before its children; a cycle is an error.</summary>
    private static List<string> Sort(GenerationSpec spec, List<TableRelation> relations)
    {
        var parentOf = relations.ToDictionary(r => r.Child, r => r.Parent, StringComparer.Ordinal);
        var order = new List<string>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = visiting, 2 = done
        void Visit(string name, List<string> path)
        {
            if (state.GetValueOrDefault(name) == 2) return;
            if (state.GetValueOrDefault(name) == 1)
                throw new SpecException("spec.parent-cycle", $"The parent links form a cycle: {string.Join(" → ", path.Append(name))}.", table: name, file: spec.SourceFile);
            state[name] = 1;
            if (parentOf.TryGetValue(name, out var parent)) Visit(parent, [.. path, name]);
            state[name] = 2;
            order.Add(name);
        }
        foreach (var t in spec.Tables) Visit(t.Name, []);
        return order;
    }
}
