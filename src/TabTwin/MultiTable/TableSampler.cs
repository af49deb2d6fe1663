using TabTwin.Encoding;
using TabTwin.Randomness;
using TabTwin.Sampling;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema.Relational;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Synthesizers.Independent;
using TabTwin.Tables;

namespace TabTwin.MultiTable;

/// <summary>
/// Samples one table of a database whose parents are already sampled: the rows (per primary parent row its sampled
/// number of children, plus rows without a parent; a root's rows scaled), the model columns (given the parent's values),
/// the other parents (matched), then the key columns (regenerated ids, foreign keys copied from the assigned parents),
/// and last the self-references. Rows that cannot keep the keys intact (a repeated composite key, a required parent
/// that could not be assigned) are dropped, so every key resolves.
/// </summary>
internal sealed class TableSampler(DatabaseMetadata metadata, TablePlan plan, ISynthesizerModel? model,
    IReadOnlyDictionary<string, (Table Model, Table Output)> done, double scale, ulong seed, SampleContext context)
{
    private const ulong ModelSalt = 1, MatchSalt = 2, IdSalt = 3, SelfSalt = 4, CountSalt = 5, UniqueSalt = 6;

    private IReadOnlyList<ForeignKey> Fks => metadata.ForeignKeys;

    public (Table Model, Table Output) Sample()
    {
        var primary = plan.Primary;
        var primaryRows = primary is null ? Enumerable.Repeat(-1, Scaled(plan.Rows)).ToArray() : ChildRows(primary);
        int n = primaryRows.Length;
        var modelRows = SampleModel(primary, primaryRows);
        for (int c = 0; c < plan.Counts.Length; c++)
            if (modelRows.Contains(plan.Counts[c].Column))
                modelRows = modelRows.WithColumn(ChildCounts.Reshape(modelRows[plan.Counts[c].Column], plan.Counts[c], SeededRandom.Derive(seed, CountSalt, (ulong)c)));

        var parentOf = new Dictionary<int, int[]>();
        if (primary is not null) parentOf[primary.ForeignKey] = primaryRows;
        foreach (var key in plan.Keys.Where(k => k.Role == KeyRole.Reference))
        {
            var parent = done[Fks[key.ForeignKey].ParentTable].Model;
            var present = key.Presence is { } p ? ((BooleanColumn)modelRows[p]).Values.ToArray().Select((v, i) => v && !modelRows[p].IsMissing(i)).ToArray() : null;
            var capacity = key.Count is { } c && parent.Contains(c) ? Numbers(parent[c]) : null;
            var groups = UniqueGroups(key, modelRows, primaryRows);
            ulong matchSeed = SeededRandom.Derive(seed, MatchSalt, (ulong)key.ForeignKey);
            var hubs = capacity is null ? Hubs(key, modelRows, parent, present, matchSeed, out capacity) : null;
            if (hubs is null && capacity is not null) capacity = CapacitiesByDemand(key, modelRows, parent, present, capacity, matchSeed);
            parentOf[key.ForeignKey] = ParentMatcher.Match(modelRows, key.Joined, parent, key.From, capacity, present,
                groups, groups is not null, matchSeed, hubs);
        }

        var columns = new Dictionary<string, Column>(StringComparer.Ordinal);
        foreach (var id in plan.Ids)
            columns[id.Column] = new IdFormat { Pattern = id.Pattern }.Generate(id.Column, n, SeededRandom.Derive(seed, IdSalt, (ulong)Array.IndexOf(plan.Columns, id.Column)));
        foreach (var key in plan.Keys.Where(k => k.Role is KeyRole.Primary or KeyRole.Reference))
        {
            var fk = Fks[key.ForeignKey];
            var parentOutput = done[fk.ParentTable].Output;
            for (int k = 0; k < fk.ChildColumns.Count; k++)
                if (!columns.ContainsKey(fk.ChildColumns[k]))
                    columns[fk.ChildColumns[k]] = ColumnTake.TakeOrMissing(parentOutput[fk.ParentColumns[k]], parentOf[key.ForeignKey], fk.ChildColumns[k]);
        }
        foreach (var e in plan.Empty) columns[e.Column] = EmptyColumn(e, n);
        foreach (var name in plan.Columns)
            if (!columns.ContainsKey(name) && modelRows.Contains(name)) columns[name] = modelRows[name];

        modelRows = RepairUniqueKeys(modelRows, columns);
        var keep = RowsToKeep(n, parentOf, columns);
        if (keep is not null)
        {
            modelRows = modelRows.Take(keep);
            foreach (var name in columns.Keys.ToList()) columns[name] = columns[name].Take(keep);
            n = keep.Length;
        }
        foreach (var key in plan.Keys.Where(k => k.Role == KeyRole.Self))
        {
            var fk = Fks[key.ForeignKey];
            var parents = SelfParents(key, modelRows, SeededRandom.Derive(seed, SelfSalt, (ulong)key.ForeignKey));
            for (int k = 0; k < fk.ChildColumns.Count; k++)
                columns[fk.ChildColumns[k]] = ColumnTake.TakeOrMissing(columns[fk.ParentColumns[k]], parents, fk.ChildColumns[k]);
        }
        var missingColumn = plan.Columns.FirstOrDefault(c => !columns.ContainsKey(c));
        if (missingColumn is not null) throw new InvalidOperationException($"Table '{plan.Table}': no values were made for column '{missingColumn}'.");
        return (modelRows, new Table(plan.Columns.Select(c => columns[c])));
    }

    /// <summary>
    /// When a unique key of the table is this foreign key plus other columns (PlaylistTrack's (PlaylistId, TrackId), weather's
    /// (origin, year, month, day, hour)), the rows' values of those other columns as group numbers: the matcher never gives
    /// one group the same parent twice, so the key stays unique without dropping rows. Null when no such key exists.
    /// </summary>
    private int[]? UniqueGroups(KeyPlan key, Table modelRows, int[] primaryRows)
    {
        var fk = Fks[key.ForeignKey];
        var set = plan.Unique.FirstOrDefault(u => fk.ChildColumns.All(u.Contains) && u.Length > fk.ChildColumns.Count);
        if (set is null) return null;
        var primary = plan.Primary is { } p ? Fks[p.ForeignKey] : null;
        var parts = new List<Column>();
        foreach (var column in set.Where(c => !fk.ChildColumns.Contains(c)))
        {
            if (modelRows.Contains(column)) parts.Add(modelRows[column]);
            else if (primary is not null && primary.ChildColumns.ToList().IndexOf(column) is var k and >= 0)
                parts.Add(ColumnTake.TakeOrMissing(done[primary.ParentTable].Output[primary.ParentColumns[k]], primaryRows, column));
            else return null;   // a regenerated id: unique on its own
        }
        var keys = RowKeys.Of(new Table(parts), [.. parts.Select(c => c.Name)]);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        return keys.Select(k => k is null ? -1 : ids.TryGetValue(k, out int g) ? g : ids[k] = ids.Count).ToArray();
    }

    /// <summary>
    /// The referenced row of each row for a self-reference: matched on the referenced row's columns drawn with each row
    /// (acyclic, with each row's sampled number of references as capacity); a model without them (no joinable columns)
    /// draws a random hierarchy. When every real row had a reference, the one row left without (the forest's root) references itself.
    /// </summary>
    private static int[] SelfParents(KeyPlan key, Table modelRows, ulong seed)
    {
        int n = modelRows.RowCount;
        if (key.Joined.Length == 0 || !key.Joined.All(modelRows.Contains)) return Hierarchy.Assign(n, key.MissingShare, seed);
        var present = key.Presence is { } p && modelRows.Contains(p)
            ? Enumerable.Range(0, n).Select(i => !modelRows[p].IsMissing(i) && ((BooleanColumn)modelRows[p])[i]).ToArray() : null;
        var capacity = key.Count is { } c && modelRows.Contains(c) ? Numbers(modelRows[c]) : null;
        var parents = ParentMatcher.Match(modelRows, key.Joined, modelRows, key.From, capacity, present, null, false, seed, acyclic: true);
        if (key.MissingShare == 0)
            for (int i = 0; i < n; i++) if (parents[i] < 0) parents[i] = i;
        return parents;
    }

    /// <summary>
    /// The parent rows' sampled counts (their real distribution) handed out by demand: the parent nearest to the most
    /// children gets the largest count, and so on (ties by the parent's own drawn count). The counts drawn by the
    /// parent's model follow the parent's columns only; the children carry the parent values they go with (a long flight
    /// a far airport), so giving the big capacities to the parents the children ask for keeps both the children-per-parent
    /// shape and that association.
    /// </summary>
    private static double[] CapacitiesByDemand(KeyPlan key, Table modelRows, Table parent, bool[]? present, double[] capacity, ulong seed)
    {
        var votes = Demand(key, modelRows, parent, present, seed);
        var sizes = capacity.OrderDescending().ToArray();
        var byDemand = Enumerable.Range(0, parent.RowCount).OrderByDescending(j => votes[j]).ThenByDescending(j => capacity[j]).ThenBy(j => j).ToArray();
        var result = new double[parent.RowCount];
        for (int r = 0; r < byDemand.Length; r++) result[byDemand[r]] = sizes[r];
        return result;
    }

    /// <summary>How many children have each parent row as their nearest (on the parent values drawn with them), capacity ignored.</summary>
    private static int[] Demand(KeyPlan key, Table modelRows, Table parent, bool[]? present, ulong seed)
    {
        var votes = new int[parent.RowCount];
        foreach (int j in ParentMatcher.Match(modelRows, key.Joined, parent, key.From, null, present, null, false, seed)) if (j >= 0) votes[j]++;
        return votes;
    }

    /// <summary>
    /// For a reference without counts (its real children sat on a few parents: all weather on 3 of 1,458 airports), the
    /// parents the children may take: as many as the real share of referenced parents (at least one), those that are
    /// the nearest parent of most children. Matching every child to its own nearest parent would spread them over
    /// hundreds of parents instead.
    /// </summary>
    private static bool[]? Hubs(KeyPlan key, Table modelRows, Table parent, bool[]? present, ulong seed, out double[]? capacity)
    {
        capacity = null;
        if (key.ReferencedShare <= 0 || parent.RowCount == 0) return null;
        int wanted = Math.Max(1, (int)Math.Round(key.ReferencedShare * parent.RowCount, MidpointRounding.AwayFromZero));
        if (wanted >= parent.RowCount) return null;
        var votes = Demand(key, modelRows, parent, present, seed);
        var allowed = new bool[parent.RowCount];
        var hubs = Enumerable.Range(0, parent.RowCount).OrderByDescending(j => votes[j]).ThenBy(j => j).Take(wanted).ToArray();
        foreach (int j in hubs) allowed[j] = true;
        // Each hub takes the real share of the hub at its rank (the most voted the largest), so children are not piled on
        // whichever hub is nearest to most of them: a unique key through this parent (weather's airport and hour) stays fillable.
        if (key.HubCounts.Length > 0)
        {
            capacity = new double[parent.RowCount];
            for (int r = 0; r < hubs.Length; r++) capacity[hubs[r]] = key.HubCounts[(int)((r + 0.5) / hubs.Length * key.HubCounts.Length)];
        }
        return allowed;
    }

    private int Scaled(int rows) => (int)Math.Min(int.MaxValue / 2, Math.Round(rows * scale, MidpointRounding.AwayFromZero));

    /// <summary>
    /// Each synthetic primary-parent row repeated as many times as its sampled (rounded) count, then the scaled rows without
    /// a parent. When the counts' total strays further from the real children per parent times the synthetic parents than
    /// chance explains (more than 2·√total: a small or skewed parent table, 8 employees with all customers on 3 of them, can
    /// double the child table), they are rescaled to that total (largest remainders); otherwise they stay as drawn, so
    /// discrete counts (invoices of 1, 2, 4, 6, 9 or 14 lines) keep their values.
    /// </summary>
    private int[] ChildRows(KeyPlan primary)
    {
        var counts = Numbers(done[Fks[primary.ForeignKey].ParentTable].Model[primary.Count!]);
        var whole = new int[counts.Length];
        long sum = 0;
        for (int p = 0; p < counts.Length; p++)
            sum += whole[p] = double.IsFinite(counts[p]) ? (int)Math.Clamp(Math.Round(counts[p], MidpointRounding.AwayFromZero), 0, int.MaxValue / 4) : 0;
        long total = (long)Math.Round(primary.ChildrenPerParent * counts.Length, MidpointRounding.AwayFromZero);
        if (sum == 0 && total > 0 && whole.Length > 0) { Array.Fill(whole, 1); sum = whole.Length; }  // no drawn parent has children: spread them evenly
        if (sum > 0 && Math.Abs(sum - total) > 2 * Math.Sqrt(total)) Rescale(whole, sum, total);
        var rows = new List<int>();
        for (int p = 0; p < whole.Length; p++) for (int k = 0; k < whole[p]; k++) rows.Add(p);
        rows.AddRange(Enumerable.Repeat(-1, Scaled(plan.FreeRows)));
        return [.. rows];
    }

    private static void Rescale(int[] counts, long sum, long total)
    {
        double factor = total / (double)sum;
        var remainders = new double[counts.Length];
        long given = 0;
        for (int p = 0; p < counts.Length; p++)
        {
            double exact = counts[p] * factor;
            counts[p] = (int)Math.Floor(exact);
            remainders[p] = exact - counts[p];
            given += counts[p];
        }
        foreach (int p in Enumerable.Range(0, counts.Length).OrderByDescending(p => remainders[p]).ThenBy(p => p).Take((int)Math.Max(0, total - given))) counts[p]++;
    }

    private Table SampleModel(KeyPlan? primary, int[] primaryRows)
    {
        int n = primaryRows.Length;
        ulong modelSeed = SeededRandom.Derive(seed, ModelSalt);
        if (model is null) return new Table([new NumericColumn("@row", new double[n])]);
        // A table too small for CART is drawn column by column (see MultiTableSynthesizer.Fit), not given its parent's values.
        if (primary is null || primary.Joined.Length == 0 || model is IndependentModel or ConstrainedModel { Inner: IndependentModel })
            return model.Sample(n, modelSeed, context);
        // Any other child's model is CART, possibly inside the structures found among the table's own columns (reversed after the draw).
        var parent = done[Fks[primary.ForeignKey].ParentTable].Model;
        var given = Enumerable.Range(0, primary.Joined.Length).Select(k => ColumnTake.TakeOrMissing(parent[primary.From[k]], primaryRows, primary.Joined[k])).ToList();
        return GivenDraw.Draw(model, given, n, modelSeed, context);
    }

    /// <summary>
    /// Unique keys made (partly) of modelled columns (lahman's Teams (yearID, teamID)) repaired where a drawn key repeats:
    /// the repeating row's modelled key columns move to the nearest free key (<see cref="UniqueKeys"/>), so rows are not
    /// dropped. The output columns and the model rows (which the children are drawn from) change together.
    /// </summary>
    private Table RepairUniqueKeys(Table modelRows, Dictionary<string, Column> columns)
    {
        foreach (var set in plan.Unique.Where(s => s.All(columns.ContainsKey)))
        {
            var adjustable = set.Select(modelRows.Contains).ToArray();
            if (!adjustable.Contains(true)) continue;
            var parts = set.Select(c => columns[c]).ToArray();
            var repaired = UniqueKeys.Repair(parts, adjustable, SeededRandom.Derive(seed, UniqueSalt, (ulong)Array.IndexOf(plan.Unique, set)));
            for (int k = 0; k < set.Length; k++)
            {
                if (ReferenceEquals(repaired[k], parts[k])) continue;
                columns[set[k]] = repaired[k];
                modelRows = modelRows.WithColumn(repaired[k]);
            }
        }
        return modelRows;
    }

    /// <summary>The rows that keep every key intact (null = all): required parents assigned, implied keys resolving, unique keys not repeated.</summary>
    private int[]? RowsToKeep(int n, Dictionary<int, int[]> parentOf, Dictionary<string, Column> columns)
    {
        var drop = new bool[n];
        foreach (var key in plan.Keys.Where(k => k.Role is KeyRole.Primary or KeyRole.Reference && k.MissingShare == 0))
            for (int i = 0; i < n; i++) if (parentOf[key.ForeignKey][i] < 0) drop[i] = true;
        foreach (var key in plan.Keys.Where(k => k.Role == KeyRole.Implied))
        {
            var fk = Fks[key.ForeignKey];
            var parentKeys = RowKeys.Index(RowKeys.Of(done[fk.ParentTable].Output, fk.ParentColumns));
            var childKeys = RowKeys.Of(new Table(fk.ChildColumns.Select(c => columns[c])), fk.ChildColumns);
            for (int i = 0; i < n; i++) if (childKeys[i] is { } k && !parentKeys.ContainsKey(k)) drop[i] = true;
        }
        foreach (var set in plan.Unique.Where(s => s.All(columns.ContainsKey)))
        {
            var keys = RowKeys.Of(new Table(set.Select(c => columns[c])), set);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < n; i++) if (!drop[i] && keys[i] is { } k && !seen.Add(k)) drop[i] = true;
        }
        return drop.Contains(true) ? Enumerable.Range(0, n).Where(i => !drop[i]).ToArray() : null;
    }

    private static double[] Numbers(Column column)
    {
        var values = new double[column.Length];
        if (column is NumericColumn num) for (int i = 0; i < values.Length; i++) values[i] = num.IsMissing(i) ? 0 : num[i];
        return values;
    }

    private static Column EmptyColumn(EmptyColumnPlan e, int n) => e.Type switch
    {
        nameof(ColumnType.Numeric) => ColumnTake.AllMissing(new NumericColumn(e.Column, []), n),
        nameof(ColumnType.Boolean) => ColumnTake.AllMissing(new BooleanColumn(e.Column, []), n),
        nameof(ColumnType.DateTime) => ColumnTake.AllMissing(new DateTimeColumn(e.Column, []), n),
        nameof(ColumnType.Categorical) => ColumnTake.AllMissing(new CategoricalColumn(e.Column, [], []), n),
        _ => new TextColumn(e.Column, new string?[n]),
    };
}
