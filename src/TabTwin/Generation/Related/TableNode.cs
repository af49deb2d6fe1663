using TabTwin.Generation.Spec;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Generation.Related;

/// <summary>
/// One table of the parent graph made ready to stream: the plan of its own columns (a child's without its foreign key),
/// for a child the plan of its children-per-parent counts and its after-columns, and the streaming position. Seeds are
/// derived as (seed, table) for the columns, then (count | gap | redraw, column) under it, so a chunk of any table is
/// the same whichever run, thread or shard makes it.
/// </summary>
internal sealed class TableNode
{
    private const ulong CountSalt = 0x5E1A7ED1, GapSalt = 0x5E1A7ED2, RedrawSalt = 0x5E1A7ED3, TableSalt = 0x5E1A7ED4;

    /// <summary>Placeholder length of a child plan: a child's length is known only when its parents are done (chunks get explicit sizes).</summary>
    private const long UnknownRows = TablePlan.ChunkRows + 1L;

    private readonly GenerationSpec _spec;
    private readonly TableSpec _own;
    private readonly ulong _seed;

    public TableNode(GenerationSpec spec, TableSpec table, TableRelation? relation, TableNode? parent, long? rows, ulong seed)
    {
        _spec = spec;
        Spec = table;
        Relation = relation;
        Parent = parent;
        _seed = SeededRandom.Derive(seed, TableSalt, NameHash(table.Name));
        if (table.Parent is not { } link)
        {
            _own = table;
            Rows = rows ?? table.Rows
                ?? throw new SpecException("spec.missing-rows", $"Table '{table.Name}' has no 'rows' and no parent to take them from.", table: table.Name, file: spec.SourceFile);
            Plan = PlanOf(_own, Rows, _seed);
            After = [];
            return;
        }
        _own = table with { Parent = null, Rows = null, Columns = table.Columns.Where(c => c.Name != relation!.ForeignKey).ToList() };
        Plan = PlanOf(_own, UnknownRows, _seed);
        Counts = PlanOf(new TableSpec("children of " + link.Table, null, new ColumnSpec("n", link.Children!) { Round = 0, Min = 0 }),
            UnknownRows, SeededRandom.Derive(_seed, CountSalt));
        After = link.After.Select(a => new AfterColumn(a.Key, RelationPlan.ParentColumn(link, a.Value),
            link.Gaps.GetValueOrDefault(a.Key) is { } gap
                ? PlanOf(new TableSpec("gap of " + a.Key, null, new ColumnSpec("days", gap) { Min = 0 }), UnknownRows, SeededRandom.Derive(_seed, GapSalt, NameHash(a.Key)))
                : null,
            table.Column(a.Key)?.Distribution as Distribution.DateTimeRange,
            SeededRandom.Derive(_seed, RedrawSalt, NameHash(a.Key)))).ToArray();
    }

    public string Name => Spec.Name;
    public TableSpec Spec { get; }
    public TableRelation? Relation { get; }
    public TableNode? Parent { get; }
    public List<TableNode> Children { get; } = [];
    /// <summary>Rows of a top-level table (a child's come from its parents).</summary>
    public long Rows { get; }
    /// <summary>The table's own columns (a child's without the foreign key).</summary>
    public TablePlan Plan { get; }
    /// <summary>A child's number of children per parent row; its chunk k holds the counts of the parent's chunk k.</summary>
    public TablePlan? Counts { get; }
    public AfterColumn[] After { get; }

    /// <summary>The columns the children read from this table's rows: their keys and the datetimes they come after.</summary>
    public string[] InfoColumns => Children.SelectMany(c => c.After.Select(a => a.ParentColumn).Prepend(c.Relation!.Key)).Distinct().ToArray();

    // Streaming position.
    /// <summary>Global number of the next row to generate (the shard's first row before the run).</summary>
    public long NextRow { get; set; }
    public long FirstRow { get; set; }
    public bool Written { get; set; }
    public ParentQueue Pending { get; } = new();

    /// <summary>The table's columns in spec order: the own columns with the foreign key where the spec declares it, else right after the first (key) column.</summary>
    public Table Compose(Table own, Column? foreignKey)
    {
        if (foreignKey is null) return own;
        var columns = own.Columns.ToList();
        int declared = Spec.Columns.ToList().FindIndex(c => c.Name == foreignKey.Name);
        int at = declared >= 0 ? declared : Math.Min(1, columns.Count);
        columns.Insert(Math.Min(at, columns.Count), foreignKey);
        return new Table(columns);
    }

    /// <summary>The table with no rows (every column, for headers, schemas and database tables of a table that got no rows).</summary>
    public Table Empty() => Compose(Plan.GenerateEmpty(), Parent?.Plan.GenerateEmpty()[Relation!.Key].WithName(Relation.ForeignKey));

    /// <summary>Children per parent row for rows [skip, rows) of this child's parent chunk <paramref name="chunk"/> (missing or negative draws = none).</summary>
    public int[] ChildrenPerParent(long chunk, int rows, int skip)
    {
        var drawn = (NumericColumn)Counts!.Generate(chunk, rows)[0];
        var counts = new int[rows - skip];
        for (int r = skip; r < rows; r++)
        {
            double n = drawn.Missing[r] || !double.IsFinite(drawn[r]) ? 0 : Math.Max(0, Math.Round(drawn[r]));
            counts[r - skip] = (int)Math.Min(n, int.MaxValue);
        }
        return counts;
    }

    /// <summary>
    /// Checks what needs the table's length once it is known (an ID format's key space), before the output is
    /// completed: a child's plan was made without its length.
    /// </summary>
    public void CheckLength(long rows)
    {
        if (Parent is not null && _own.Columns.Any(c => c.Distribution is Distribution.Id)) _ = PlanOf(_own, rows, _seed);
    }

    private TablePlan PlanOf(TableSpec table, long rows, ulong seed) => new(_spec with { Tables = [table] }, table, rows, seed, []);

    /// <summary>A stable 64-bit hash of a name (FNV-1a over UTF-16), for per-table and per-column streams.</summary>
    internal static ulong NameHash(string name)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in name) { h ^= c; h *= 1099511628211UL; }
        return h;
    }
}

/// <summary>A child datetime kept on or after its parent's: <see cref="Gap"/> days after it, or redrawn when it falls before.</summary>
internal sealed record AfterColumn(string Column, string ParentColumn, TablePlan? Gap, Distribution.DateTimeRange? Range, ulong RedrawSeed);
