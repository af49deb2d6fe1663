using System.Collections.Concurrent;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.Cart.Streaming;

/// <summary>
/// A worker's binned work units, kept in spill files between the passes of one distributed fit: the order pass bins a
/// unit once (as the one-process fit spills its rows), and every level pass reads the bins back instead of reading and
/// encoding the source again — that re-reading had cost a cluster fit 3× the one-process time. A unit this worker has not
/// binned (it ran elsewhere before, or its spill is incomplete) is read from the source and spilled on the way. The
/// spills of the two most recent fits are kept; older ones are deleted. Keyed by the fit's id, which the coordinator
/// draws once per fit (its bins do not change after the statistics pass).
/// </summary>
internal static class UnitSpillCache
{
    private sealed class Entry(BinnedSpill spill)
    {
        public BinnedSpill Spill { get; } = spill;
        public bool Complete { get; set; }
        /// <summary>One reader at a time: a unit run twice at once (re-queued while still running) must not share the file position.</summary>
        public SemaphoreSlim Reading { get; } = new(1, 1);
    }

    private const int FitsKept = 2;
    private static readonly ConcurrentDictionary<(Guid Fit, int Unit), Entry> Spills = new();
    private static readonly List<Guid> RecentFits = [];
    private static readonly object Gate = new();

    /// <summary>The unit's binned chunks: from this worker's spill when complete, else from the source, spilling them.</summary>
    public static IEnumerable<BinnedChunk> Chunks(Guid fit, int unit, CartStreamJob job, ITableChunkSource source, WorkUnit work,
        ParallelOptions parallel, bool rebin)
    {
        Touch(fit);
        if (!rebin && Spills.TryGetValue((fit, unit), out var kept) && kept.Complete) return Read(kept, parallel.CancellationToken);
        return BinAndSpill(fit, unit, job, source, work, parallel);
    }

    private static IEnumerable<BinnedChunk> Read(Entry entry, CancellationToken cancel)
    {
        entry.Reading.Wait(cancel);
        try
        {
            foreach (var chunk in entry.Spill.Read(cancel)) yield return chunk;
        }
        finally { entry.Reading.Release(); }
    }

    private static IEnumerable<BinnedChunk> BinAndSpill(Guid fit, int unit, CartStreamJob job, ITableChunkSource source, WorkUnit work, ParallelOptions parallel)
    {
        // A replaced spill is not disposed here: a run of the same unit may still read it (its file goes when collected).
        var entry = new Entry(new BinnedSpill(null, job.BinCounts, job.Categorical.Select(c => !c).ToArray()));
        Spills[(fit, unit)] = entry;
        foreach (var chunk in LocalPassRunner.Binned(job, source, [work], parallel))
        {
            entry.Spill.Write(chunk);
            yield return chunk;
        }
        entry.Complete = true;
    }

    /// <summary>Marks <paramref name="fit"/> as recent and deletes the spills of fits older than the last <see cref="FitsKept"/>.</summary>
    private static void Touch(Guid fit)
    {
        lock (Gate)
        {
            RecentFits.Remove(fit);
            RecentFits.Add(fit);
            while (RecentFits.Count > FitsKept)
            {
                var stale = RecentFits[0];
                RecentFits.RemoveAt(0);
                foreach (var key in Spills.Keys.Where(k => k.Fit == stale).ToList())
                    if (Spills.TryRemove(key, out var entry)) entry.Spill.Dispose();
            }
        }
    }
}
