using TabTwin.Encoding;
using TabTwin.Generation.Spec;
using TabTwin.Tables;

namespace TabTwin.Generation.Related;

/// <summary>Generates <paramref name="rows"/> rows of one table of a spec (the table's own columns; no parent block) from a seed.</summary>
public delegate Table SingleTableGenerator(GenerationSpec spec, TableSpec table, long rows, ulong seed);

/// <summary>
/// Parent/child tables (customers → orders → order_lines): tables are generated parents first; each parent row draws
/// its number of children from the child's <see cref="ParentSpec.Children"/> distribution (zero allowed), the child
/// table gets that many rows in parent order, its foreign-key column copies the parent's key (so 100% of the keys
/// resolve), and its <see cref="ParentSpec.After"/> datetimes are moved on or after the parent's (by a gap in days, or by
/// redrawing the values that fall before). Every random draw is keyed by the seed, the table and the row, so the same
/// spec and seed give the same tables. The columns themselves are made by a <see cref="SingleTableGenerator"/>
/// (the spec engine), so every column type, formula and correlation of the single-table spec works in child tables too.
/// </summary>
public static class RelatedTablesGenerator
{
    private const ulong CountSalt = 0x5E1A7ED1, GapSalt = 0x5E1A7ED2, RedrawSalt = 0x5E1A7ED3, TableSalt = 0x5E1A7ED4;

    /// <summary>Generates every table of <paramref name="spec"/> with the spec engine (<see cref="DataGenerator"/>).</summary>
    /// <param name="seed">Null = the spec's seed (or 0).</param>
    /// <param name="rootRows">Rows of every top-level table (null = each table's own 'rows').</param>
    /// <param name="threads">Threads per table (results never depend on it).</param>
    public static RelatedTables Generate(GenerationSpec spec, ulong? seed = null, long? rootRows = null, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var roots = rootRows is { } rows ? spec.Tables.Where(t => t.Parent is null).ToDictionary(t => t.Name, _ => rows) : null;
        return Generate(spec, seed ?? spec.Seed ?? 0, (s, table, count, tableSeed) => DataGenerator.Generate(s with { Tables = [table] }, table.Name,
            new GenerateOptions { Rows = count, Seed = tableSeed, Threads = threads ?? Environment.ProcessorCount }), roots);
    }

    /// <param name="rootRows">Row counts overriding the spec's for top-level tables (by name); child tables' counts always come from their parents.</param>
    public static RelatedTables Generate(GenerationSpec spec, ulong seed, SingleTableGenerator generate, IReadOnlyDictionary<string, long>? rootRows = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(generate);
        var plan = RelationPlan.Build(spec);
        var tables = new Dictionary<string, Table>(StringComparer.Ordinal);
        foreach (var name in plan.Order)
        {
            var tableSpec = spec.Table(name);
            ulong tableSeed = SeededRandom.Derive(seed, TableSalt, NameHash(name));
            if (tableSpec.Parent is not { } parent)
            {
                long rows = rootRows is not null && rootRows.TryGetValue(name, out var r) ? r
                    : tableSpec.Rows ?? throw new SpecException("spec.missing-rows", $"Table '{name}' has no 'rows' and no parent to take them from.", table: name, file: spec.SourceFile);
                tables[name] = generate(spec, tableSpec, rows, tableSeed);
                continue;
            }
            var relation = plan.RelationOf(name);
            var parentTable = tables[parent.Table];
            var parentRowOfChild = ChildParents(spec, tableSpec, parentTable.RowCount, generate, tableSeed);
            var own = tableSpec with { Parent = null, Rows = parentRowOfChild.Length, Columns = tableSpec.Columns.Where(c => c.Name != relation.ForeignKey).ToList() };
            var generated = generate(spec, own, parentRowOfChild.Length, tableSeed);
            var foreignKey = parentTable[relation.Key].Take(parentRowOfChild).WithName(relation.ForeignKey);
            var columns = WithForeignKey(tableSpec, generated, foreignKey);
            foreach (var (childColumn, parentColumn) in parent.After)
            {
                int i = columns.FindIndex(c => c.Name == childColumn);
                columns[i] = AfterParent(spec, tableSpec, (DateTimeColumn)columns[i], parentTable.Get<DateTimeColumn>(RelationPlan.ParentColumn(parent, parentColumn)),
                    parentRowOfChild, parent.Gaps.GetValueOrDefault(childColumn), generate, tableSeed);
            }
            tables[name] = new Table(columns);
        }
        return new RelatedTables(plan.Order, tables, plan.Relations, plan.PrimaryKeys);
    }

    /// <summary>For each child row (in order), the index of its parent row: parent 0's children first, then parent 1's, ….</summary>
    private static int[] ChildParents(GenerationSpec spec, TableSpec child, int parents, SingleTableGenerator generate, ulong seed)
    {
        var children = child.Parent!.Children!;
        var countSpec = new TableSpec("children of " + child.Parent.Table, parents, new ColumnSpec("n", children) { Round = 0, Min = 0 });
        var counts = (NumericColumn)generate(spec, countSpec, parents, SeededRandom.Derive(seed, CountSalt))[0];
        long total = 0;
        var perParent = new int[parents];
        for (int p = 0; p < parents; p++)
        {
            double n = counts.Missing[p] || !double.IsFinite(counts[p]) ? 0 : Math.Max(0, Math.Round(counts[p]));
            perParent[p] = (int)Math.Min(n, int.MaxValue);
            total += perParent[p];
        }
        if (total > int.MaxValue)
            throw new SpecException("spec.too-many-rows", $"Table '{child.Name}' would get {total:N0} rows, more than one table holds.", table: child.Name);
        var parentOf = new int[total];
        int row = 0;
        for (int p = 0; p < parents; p++)
            for (int k = 0; k < perParent[p]; k++) parentOf[row++] = p;
        return parentOf;
    }

    /// <summary>The generated columns with the foreign key where the spec declares it, else right after the table's first (key) column.</summary>
    private static List<Column> WithForeignKey(TableSpec spec, Table generated, Column foreignKey)
    {
        var columns = generated.Columns.ToList();
        int declared = spec.Columns.ToList().FindIndex(c => c.Name == foreignKey.Name);
        int at = declared >= 0 ? declared : Math.Min(1, columns.Count);
        columns.Insert(Math.Min(at, columns.Count), foreignKey);
        return columns;
    }

    /// <summary>Moves a child datetime on or after its parent's: parent + gap (days), or a redraw for values that fall before.</summary>
    private static DateTimeColumn AfterParent(GenerationSpec spec, TableSpec table, DateTimeColumn child, DateTimeColumn parent, int[] parentOf,
        Distribution? gap, SingleTableGenerator generate, ulong seed)
    {
        var range = table.Column(child.Name)?.Distribution as Distribution.DateTimeRange;
        long resolution = range is null ? 0 : range.DateOnly ? TimeSpan.TicksPerDay : range.Resolution?.Ticks ?? 0;
        NumericColumn? gaps = null;
        if (gap is not null)
        {
            var gapSpec = new TableSpec("gap of " + child.Name, parentOf.Length, new ColumnSpec("days", gap) { Min = 0 });
            gaps = (NumericColumn)generate(spec, gapSpec, parentOf.Length, SeededRandom.Derive(seed, GapSalt, NameHash(child.Name)))[0];
        }
        var ticks = child.Ticks.ToArray();
        ulong redrawSeed = SeededRandom.Derive(seed, RedrawSalt, NameHash(child.Name));
        for (int r = 0; r < ticks.Length; r++)
        {
            int p = parentOf[r];
            if (child.Missing[r] || parent.Missing[p]) continue;
            long start = parent.Ticks[p];
            if (gaps is not null)
            {
                double days = gaps.Missing[r] || !double.IsFinite(gaps[r]) ? 0 : Math.Max(0, gaps[r]);
                ticks[r] = RoundUp(start + (long)Math.Min(days * TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - start), resolution);
            }
            else if (ticks[r] < start)
            {
                // Redrawn uniformly between the parent's instant and the end of the column's range (a day when the
                // parent is already past it), keyed by the row so the result does not depend on chunking.
                long end = range is not null && range.To.Ticks > start ? range.To.Ticks : start + TimeSpan.TicksPerDay;
                var u = SeededRandom.ToOpenUnit(SeededRandom.Hash(redrawSeed ^ (ulong)r * 0x9E3779B97F4A7C15UL));
                ticks[r] = RoundUp(start + (long)(u * (end - start)), resolution);
            }
            if (ticks[r] < start) ticks[r] = RoundUp(start, resolution);
        }
        return new DateTimeColumn(child.Name, ticks, child.Missing, child.Format);
    }

    private static long RoundUp(long ticks, long resolution)
    {
        if (resolution <= 1) return ticks;
        long rest = ticks % resolution;
        return rest == 0 ? ticks : Math.Min(ticks - rest + resolution, DateTime.MaxValue.Ticks - DateTime.MaxValue.Ticks % resolution);
    }

    /// <summary>A stable 64-bit hash of a name (FNV-1a over UTF-16), for per-table and per-column streams.</summary>
    internal static ulong NameHash(string name)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in name) { h ^= c; h *= 1099511628211UL; }
        return h;
    }
}
