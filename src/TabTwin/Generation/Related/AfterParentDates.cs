using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Generation.Related;

/// <summary>
/// Moves a child chunk's after-columns on or after their parents' datetimes: parent + gap (days) when a gap is declared,
/// else a redraw of the values that fall before. It runs on every draw of the chunk, the first and each constraint
/// redraw (<see cref="TablePlan.Generate(long, int, Func{Table, int, Table}?)"/>), so the child's constraints are
/// checked on the moved dates; a redraw round draws fresh gaps and redraws from its own streams.
/// </summary>
internal static class AfterParentDates
{
    /// <param name="node">The child table and its relations to its parents.</param>
    /// <param name="own">The chunk's own columns: rows [0, skip) are a shard's padding (no parent here), row skip + i has parent row i of <paramref name="parents"/>.</param>
    /// <param name="round">0 for the first draw, 1, 2, … for constraint redraws (each round draws from its own streams).</param>
    /// <param name="chunk">The chunk index, which seeds the chunk's streams.</param>
    /// <param name="skip">How many leading rows are a shard's padding.</param>
    /// <param name="parents">The parent rows of this chunk, one per child row after the padding.</param>
    public static Table Apply(TableNode node, Table own, int round, long chunk, int skip, Table parents)
    {
        var columns = own.Columns.ToArray();
        foreach (var after in node.After)
        {
            int i = own.IndexOf(after.Column);
            columns[i] = Move(after, (DateTimeColumn)columns[i], parents.Get<DateTimeColumn>(after.ParentColumn), round, chunk, skip);
        }
        return new Table(columns);
    }

    private static DateTimeColumn Move(AfterColumn after, DateTimeColumn child, DateTimeColumn parent, int round, long chunk, int skip)
    {
        var range = after.Range;
        long resolution = range is null ? 0 : range.DateOnly ? TimeSpan.TicksPerDay : range.Resolution?.Ticks ?? 0;
        var gaps = after.Gap is null ? null : (NumericColumn)after.Gap.DrawRound(chunk, child.Length, round)[0];
        var ticks = child.Ticks.ToArray();
        ulong redrawSeed = round == 0 ? after.RedrawSeed : SeededRandom.Derive(after.RedrawSeed, (ulong)round);
        long firstRow = chunk * TablePlan.ChunkRows;
        for (int r = skip; r < ticks.Length; r++)
        {
            int p = r - skip;
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
                // parent is already past it), keyed by the global row so the result does not depend on chunking.
                long end = range is not null && range.To.Ticks > start ? range.To.Ticks : start + TimeSpan.TicksPerDay;
                ulong row = (ulong)(firstRow + r);
                var u = SeededRandom.ToOpenUnit(SeededRandom.Hash(redrawSeed ^ row * 0x9E3779B97F4A7C15UL));
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
}
