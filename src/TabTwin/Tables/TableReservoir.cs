using TabTwin.Randomness;

namespace TabTwin.Tables;

/// <summary>
/// A uniform sample of at most a given number of rows from a table read in chunks, in one pass and bounded memory: each row
/// gets a priority hashed from the seed and its row number, and the rows of the smallest priorities are kept, in their
/// original order. The sample depends on the seed and the rows only — not on how the rows are chunked — and two
/// samples' candidates merge (the smallest priorities of the union), so partitions can be sampled apart.
/// </summary>
public static class TableReservoir
{
    /// <summary>The sample and the number of rows read.</summary>
    public static (Table Sample, long Rows) Read(ITableChunkSource source, int capacity, ulong seed, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var kept = new List<(Table Rows, ulong[] Priority, long[] RowNumber)>();
        int keptRows = 0;
        ulong cut = ulong.MaxValue;
        long row = 0;
        ulong salt = SeededRandom.Derive(seed, 0x7E5E_4701);
        foreach (var chunk in source.ReadChunks(cancel))
        {
            var take = new List<int>();
            var priorities = new List<ulong>();
            var numbers = new List<long>();
            for (int r = 0; r < chunk.RowCount; r++, row++)
            {
                ulong p = SeededRandom.Derive(salt, (ulong)row);
                if (p >= cut) continue;
                take.Add(r); priorities.Add(p); numbers.Add(row);
            }
            if (take.Count == 0) continue;
            kept.Add((chunk.Take(take.ToArray()), priorities.ToArray(), numbers.ToArray()));
            keptRows += take.Count;
            if (keptRows >= 2 * capacity) (kept, keptRows, cut) = Prune(kept, capacity);
        }
        if (kept.Count == 0) throw new InvalidOperationException($"'{source.Name}' holds no rows.");
        (kept, _, _) = Prune(kept, capacity);
        return (kept.Count == 1 ? kept[0].Rows : Table.Concat(kept.Select(k => k.Rows).ToArray()), row);
    }

    /// <summary>Keeps the rows of the <paramref name="capacity"/> smallest priorities (row order kept) as one table.</summary>
    private static (List<(Table, ulong[], long[])> Kept, int Rows, ulong Cut) Prune(List<(Table Rows, ulong[] Priority, long[] RowNumber)> kept, int capacity)
    {
        var all = kept.SelectMany((k, part) => k.Priority.Select((p, i) => (p, part, i))).ToList();
        if (all.Count <= capacity) return (kept, all.Count, ulong.MaxValue);
        all.Sort((a, b) => a.p.CompareTo(b.p));
        ulong cut = all[capacity].p; // priorities are 64-bit hashes: a tie at the cut is left to the row order below
        var keep = all.Take(capacity).OrderBy(x => x.part).ThenBy(x => x.i).ToList();
        var result = new List<(Table, ulong[], long[])>();
        foreach (var group in keep.GroupBy(x => x.part))
        {
            var (rows, priority, number) = kept[group.Key];
            var index = group.Select(x => x.i).ToArray();
            result.Add((rows.Take(index), index.Select(i => priority[i]).ToArray(), index.Select(i => number[i]).ToArray()));
        }
        return (result, capacity, cut);
    }
}
