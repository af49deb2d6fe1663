using TabTwin.Tables;

namespace TabTwin.Schema;

/// <summary>
/// A long-format sequence table grouped by entity: the row order that lists each entity's steps together, sorted by the
/// order column (ties keep their input order, so same-day events stay as given; unsorted input is sorted, not refused),
/// entities in order of first appearance. Also resolves the context columns (constant within every entity) and checks
/// declared ones, naming the entity and column that break the rule. Shared by the sequence synthesizer and evaluation.
/// </summary>
public sealed class SequenceLayout
{
    private readonly int[] _rows;
    private readonly int[] _starts;

    private SequenceLayout(SequenceSpec spec, int[] rows, int[] starts, string[] context, string[] steps)
    {
        Spec = spec; _rows = rows; _starts = starts; Context = context; StepColumns = steps;
    }

    public SequenceSpec Spec { get; }
    /// <summary>Number of entities (sequences).</summary>
    public int EntityCount => _starts.Length - 1;
    /// <summary>Input row indices, entity after entity, each entity's steps in order.</summary>
    public ReadOnlySpan<int> Rows => _rows;
    /// <summary>The columns constant within every entity (learned once per entity), in table order.</summary>
    public IReadOnlyList<string> Context { get; }
    /// <summary>The columns that change from step to step (every column but the entity, order and context columns), in table order.</summary>
    public IReadOnlyList<string> StepColumns { get; }

    /// <summary>Input row indices of entity <paramref name="entity"/>'s steps, in order.</summary>
    public ReadOnlySpan<int> StepsOf(int entity) => _rows.AsSpan(_starts[entity], _starts[entity + 1] - _starts[entity]);
    /// <summary>Input row index of every entity's first step, entity by entity.</summary>
    public int[] FirstRows() => [.. _starts[..^1].Select(start => _rows[start])];

    /// <summary>How many steps entity <paramref name="entity"/> has.</summary>
    public int LengthOf(int entity) => _starts[entity + 1] - _starts[entity];
    /// <summary>Position in <see cref="Rows"/> where entity <paramref name="entity"/> starts.</summary>
    public int StartOf(int entity) => _starts[entity];

    /// <summary>
    /// Groups <paramref name="table"/> by <paramref name="spec"/>'s entity column and sorts each entity's steps by its order
    /// column. Refuses (<see cref="SchemaException"/>, code <c>sequence.*</c>) an unknown column, an order column that is not
    /// a datetime or number, a missing entity or order value (naming the row), and a declared context column that varies
    /// within an entity (naming the entity and the two values).
    /// </summary>
    public static SequenceLayout Of(Table table, SequenceSpec spec, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(spec);
        var entity = Require(table, spec.Entity, "entity", file);
        var order = Require(table, spec.Order, "order", file);
        if (spec.Entity == spec.Order)
            throw new SchemaException("sequence.columns", $"The sequence's entity and order are both column '{spec.Entity}'.", column: spec.Entity, file: file,
                hint: "The entity column names whose history a row belongs to; the order column (a date or number) orders that history.");
        if (order.Type is not (ColumnType.DateTime or ColumnType.Numeric))
            throw new SchemaException("sequence.order-type", $"The sequence's order column '{order.Name}' holds {order.Type} values; it must hold dates/times or numbers.",
                column: order.Name, file: file, hint: "Name a datetime or numeric column as \"order\" (or fix how the column is read, e.g. its date format).");
        FirstMissing(entity, "entity", file);
        FirstMissing(order, "order", file);

        var keys = OrderKeys(order);
        var byEntity = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var entities = new List<List<int>>();
        for (int i = 0; i < table.RowCount; i++)
        {
            string id = entity.FormatValue(i)!;
            if (!byEntity.TryGetValue(id, out var list)) { byEntity[id] = list = []; entities.Add(list); }
            list.Add(i);
        }
        var rows = new int[table.RowCount];
        var starts = new int[entities.Count + 1];
        int at = 0;
        for (int e = 0; e < entities.Count; e++)
        {
            starts[e] = at;
            var steps = entities[e].ToArray();
            var sortKeys = steps.Select(r => keys[r]).ToArray();
            Array.Sort(sortKeys, steps); // not stable by itself: ties are re-sorted by row below
            for (int s = 0, t; s < steps.Length; s = t)
            {
                for (t = s + 1; t < steps.Length && sortKeys[t] == sortKeys[s]; t++) { }
                if (t - s > 1) Array.Sort(steps, s, t - s);
            }
            steps.CopyTo(rows, at);
            at += steps.Length;
        }
        starts[^1] = at;

        var others = table.Columns.Where(c => c.Name != spec.Entity && c.Name != spec.Order).ToArray();
        string[] context;
        if (spec.Context is { } declared)
        {
            foreach (var name in declared)
            {
                var c = Require(table, name, "context", file);
                if (name == spec.Entity || name == spec.Order)
                    throw new SchemaException("sequence.columns", $"Column '{name}' cannot be both a context column and the sequence's {(name == spec.Entity ? "entity" : "order")}.", column: name, file: file);
                if (FirstVariation(c, rows, starts) is { } v)
                    throw new SchemaException("sequence.context-varies",
                        $"Context column '{name}' must be constant within each entity, but entity '{TabTwinException.Clip(entity.FormatValue(v.Row)!)}' has both '{TabTwinException.Clip(c.FormatValue(v.First) ?? "(missing)")}' and '{TabTwinException.Clip(c.FormatValue(v.Row) ?? "(missing)")}' (row {v.Row + 1}).",
                        column: name, row: v.Row + 1, file: file, hint: $"Remove '{name}' from the sequence's \"context\" (it is then learned step by step), or fix the data.");
            }
            context = [.. others.Where(c => declared.Contains(c.Name)).Select(c => c.Name)];
        }
        else
        {
            bool anyLong = Enumerable.Range(0, entities.Count).Any(e => starts[e + 1] - starts[e] > 1);
            context = anyLong ? [.. others.Where(c => FirstVariation(c, rows, starts) is null).Select(c => c.Name)] : [];
        }
        var stepColumns = others.Where(c => !context.Contains(c.Name)).Select(c => c.Name).ToArray();
        return new SequenceLayout(spec, rows, starts, context, stepColumns);
    }

    /// <summary>The sort key of each row's order value (ticks or the number).</summary>
    public static double[] OrderKeys(Column order)
    {
        var keys = new double[order.Length];
        if (order is DateTimeColumn d) for (int i = 0; i < keys.Length; i++) keys[i] = d.Ticks[i];
        else if (order is NumericColumn n) for (int i = 0; i < keys.Length; i++) keys[i] = n[i];
        return keys;
    }

    private static Column Require(Table table, string name, string role, string? file) => table.TryGetColumn(name, out var c) ? c
        : throw new SchemaException("sequence.unknown-column",
            $"The sequence's {role} column '{TabTwinException.Clip(name)}' is not in the table; it has: {TabTwinException.Clip(string.Join(", ", table.ColumnNames))}.",
            column: name, file: file, hint: "Fix the column name in the metadata's \"sequence\".");

    private static void FirstMissing(Column c, string role, string? file)
    {
        for (int i = 0; i < c.Length; i++)
            if (c.IsMissing(i))
                throw new SchemaException("sequence.missing-" + role,
                    $"The sequence's {role} column '{c.Name}' is empty at row {i + 1}; every step needs {(role == "entity" ? "the entity it belongs to" : "a value that orders it")}.",
                    column: c.Name, row: i + 1, file: file, hint: "Fill or remove the rows without it.");
    }

    /// <summary>The first row (in layout order) whose value differs from its entity's first step, with that first step's row.</summary>
    private static (int First, int Row)? FirstVariation(Column c, int[] rows, int[] starts)
    {
        for (int e = 0; e + 1 < starts.Length; e++)
        {
            int first = rows[starts[e]];
            string? value = c.FormatValue(first);
            for (int k = starts[e] + 1; k < starts[e + 1]; k++)
                if (!string.Equals(c.FormatValue(rows[k]), value, StringComparison.Ordinal)) return (first, rows[k]);
        }
        return null;
    }
}
