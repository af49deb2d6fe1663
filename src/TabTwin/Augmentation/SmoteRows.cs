using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Augmentation;

/// <summary>
/// SMOTE-NC rows for one class (Chawla et al. 2002). Each new row picks a real row of the class (the base), one of
/// its k nearest neighbours in the class (see <see cref="ClassNeighbours"/>) and a gap u ~ U(0, 1):
/// <list type="bullet">
/// <item>numbers and datetimes: base + u·(neighbour − base), one u for all columns so the row lies on the segment
/// between the two parents; rounded like the column (integers, decimal places, the datetime format's finest unit) and
/// kept between the parents. A missing base value stays missing; a missing neighbour value gives the base's;</item>
/// <item>categorical and boolean columns: the value most of the k neighbours hold (SMOTE-NC), ties going to the base's
/// value, then to the nearest neighbour's;</item>
/// <item>text: the base's value; ids: fresh keys; personal data: fresh fake values; datetime offsets: the base's.</item>
/// </list>
/// Classes above <see cref="MaxCandidates"/> rows look for neighbours among a seeded sample of that many of their rows.
/// One seeded stream draws every base, neighbour and gap in row order; neighbour lists are computed in parallel, each
/// independently, so output does not depend on the thread count.
/// </summary>
internal static class SmoteRows
{
    /// <summary>
    /// Neighbours are searched among at most this many rows of the class (a seeded sample when it is larger), which bounds
    /// the exact search at this many distance evaluations per base row.
    /// </summary>
    internal const int MaxCandidates = 20_000;

    public static Table Generate(Table real, TableSchema schema, string target, int[] classRows, int count, int neighbours,
        ulong seed, int? maxThreads, CancellationToken cancel)
    {
        var (bases, partners, gaps, knn) = Pairs(real, schema, target, classRows, count, neighbours, seed, maxThreads, cancel);
        var columns = new List<Column>(real.ColumnCount);
        for (int j = 0; j < real.ColumnCount; j++)
        {
            var column = real[j];
            var spec = schema[column.Name];
            var role = NewRowColumns.RoleOf(spec, column);
            ulong columnSeed = SeededRandom.Derive(seed, 0x5307E, (ulong)j);
            columns.Add(role switch
            {
                NewRowColumns.Role.Number => Interpolate((NumericColumn)column, bases, partners, gaps),
                NewRowColumns.Role.Date => Interpolate((DateTimeColumn)column, bases, partners, gaps),
                NewRowColumns.Role.FreshKey => NewRowColumns.FreshKeys(column, count, columnSeed),
                NewRowColumns.Role.Fake => NewRowColumns.Fake(spec, schema.Locale, count, columnSeed),
                _ when column.Name != target && spec.Kind is ColumnKind.Categorical or ColumnKind.Boolean
                    => column.Take(MajorityRows(ClassNeighbours.Codes(column), bases, knn)),
                _ => column.Take(bases),
            });
        }
        return new Table(columns);
    }

    /// <summary>For each new row: its base row, the neighbour it moves towards, the gap, and every used base's neighbour list.</summary>
    internal static (int[] Bases, int[] Partners, double[] Gaps, Dictionary<int, int[]> Neighbours) Pairs(Table real, TableSchema schema, string target,
        int[] classRows, int count, int neighbours, ulong seed, int? maxThreads, CancellationToken cancel)
    {
        if (classRows.Length < 2)
            throw new TabTwinException("augment.too-few-rows",
                $"Class '{real[target].FormatValue(classRows.FirstOrDefault())}' of '{target}' has {classRows.Length} row; SMOTE needs at least 2 rows of a class to interpolate between.",
                column: target, hint: "Use --method noise or --method synth for a class this rare.");
        int k = Math.Min(neighbours, classRows.Length - 1);
        var rng = new SeededRandom(seed);
        var bases = new int[count];
        var slots = new int[count];
        var gaps = new double[count];
        for (int r = 0; r < count; r++)
        {
            bases[r] = classRows[rng.NextInt(classRows.Length)];
            slots[r] = rng.NextInt(k);
            gaps[r] = rng.NextDouble();
        }
        var space = ClassNeighbours.Build(real, schema, target);
        var candidates = classRows.Length <= MaxCandidates ? classRows : Subsample(classRows, MaxCandidates, SeededRandom.Derive(seed, 0xCA4D));
        var distinct = bases.Distinct().Order().ToArray();
        var search = space.Over(candidates);
        var lists = new int[distinct.Length][];
        Parallel.For(0, distinct.Length, new ParallelOptions { MaxDegreeOfParallelism = maxThreads ?? -1, CancellationToken = cancel },
            i => lists[i] = search.Nearest(distinct[i], k));
        var knn = new Dictionary<int, int[]>(distinct.Length);
        for (int i = 0; i < distinct.Length; i++) knn[distinct[i]] = lists[i];
        var partners = new int[count];
        for (int r = 0; r < count; r++) partners[r] = knn[bases[r]][slots[r]];

        return (bases, partners, gaps, knn);
    }

    /// <summary><paramref name="count"/> of <paramref name="rows"/> by a seeded partial Fisher–Yates shuffle, back in table order.</summary>
    private static int[] Subsample(int[] rows, int count, ulong seed)
    {
        var pool = (int[])rows.Clone();
        var rng = new SeededRandom(seed);
        for (int i = 0; i < count; i++) { int j = i + rng.NextInt(pool.Length - i); (pool[i], pool[j]) = (pool[j], pool[i]); }
        var chosen = pool[..count];
        Array.Sort(chosen);
        return chosen;
    }

    private static NumericColumn Interpolate(NumericColumn column, int[] bases, int[] partners, double[] gaps)
    {
        var values = new double[bases.Length];
        for (int r = 0; r < values.Length; r++)
        {
            int a = bases[r], b = partners[r];
            if (column.IsMissing(a)) { values[r] = double.NaN; continue; }
            if (column.IsMissing(b)) { values[r] = column[a]; continue; }
            double lo = Math.Min(column[a], column[b]), hi = Math.Max(column[a], column[b]);
            // Rounding a point between two values that are on the column's grid stays between them; the clamp guards off-grid data.
            values[r] = Math.Clamp(NewRowColumns.RoundLike(column, column[a] + gaps[r] * (column[b] - column[a])), lo, hi);
        }
        return NewRowColumns.Numbers(column, values);
    }

    private static DateTimeColumn Interpolate(DateTimeColumn column, int[] bases, int[] partners, double[] gaps)
    {
        long step = NewRowColumns.DateStep(column);
        var ticks = new long?[bases.Length];
        var t = column.Ticks;
        for (int r = 0; r < ticks.Length; r++)
        {
            int a = bases[r], b = partners[r];
            if (column.IsMissing(a)) continue;
            if (column.IsMissing(b)) { ticks[r] = t[a]; continue; }
            long moved = t[a] + (long)Math.Round(gaps[r] * (double)(t[b] - t[a]));
            ticks[r] = NewRowColumns.RoundTicks(moved, step, Math.Min(t[a], t[b]), Math.Max(t[a], t[b]));
        }
        return NewRowColumns.Dates(column, ticks, bases);
    }

    /// <summary>For each new row, a real row holding the majority value among its base's neighbours (ties: base, then nearest).</summary>
    private static int[] MajorityRows(int[] codes, int[] bases, Dictionary<int, int[]> knn)
    {
        var rows = new int[bases.Length];
        var votes = new Dictionary<int, int>();
        for (int r = 0; r < rows.Length; r++)
        {
            var near = knn[bases[r]];
            votes.Clear();
            int top = 0;
            foreach (int n in near) top = Math.Max(top, votes[codes[n]] = votes.GetValueOrDefault(codes[n]) + 1);
            int chosen = bases[r];
            if (votes.GetValueOrDefault(codes[bases[r]]) != top)
                foreach (int n in near) if (votes[codes[n]] == top) { chosen = n; break; }
            rows[r] = chosen;
        }
        return rows;
    }
}
