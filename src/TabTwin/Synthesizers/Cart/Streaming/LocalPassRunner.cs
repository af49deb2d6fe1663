using TabTwin.Tables;

namespace TabTwin.Synthesizers.Cart.Streaming;

/// <summary>Runs a streaming fit's passes over every work unit of the data, somewhere: this process, or a cluster's workers.</summary>
internal interface IStreamingPassRunner
{
    /// <summary>The statistics of every unit, merged in unit order.</summary>
    StatsPartial Statistics(CartStreamJob job);

    /// <summary>The order pass's counts and centres over every row.</summary>
    OrderPartial Order(CartStreamJob job, bool explicitOrder);

    /// <summary>Adds every row to the active trees' open-node sums.</summary>
    void Level(CartStreamJob job, IReadOnlyList<ActiveTree> active);
}

/// <summary>
/// The passes in this process: units read in order; the order pass writes the binned rows to a spill file
/// (<see cref="BinnedSpill"/>) that the level passes read instead of parsing and encoding the source again.
/// </summary>
internal sealed class LocalPassRunner(ITableChunkSource source, StreamingFitOptions streaming, ParallelOptions parallel) : IStreamingPassRunner, IDisposable
{
    private readonly IReadOnlyList<WorkUnit> _units = WorkUnit.Plan(source, streaming.UnitRows);
    private BinnedSpill? _spill;

    public StatsPartial Statistics(CartStreamJob job)
    {
        StatsPartial? merged = null;
        foreach (var unit in _units)
        {
            var partial = UnitStatistics(job, source, unit, parallel);
            if (merged is null) merged = partial; else merged.Merge(partial);
        }
        return merged!;
    }

    /// <summary>One unit's statistics (also what a worker elsewhere computes).</summary>
    public static StatsPartial UnitStatistics(CartStreamJob job, ITableChunkSource source, WorkUnit unit, ParallelOptions parallel)
    {
        var partial = StatsPartial.Empty(job);
        foreach (var chunk in unit.Read(source, parallel.CancellationToken))
        {
            parallel.CancellationToken.ThrowIfCancellationRequested();
            partial.Add(job.Encoding.EncodeUnseen(chunk), parallel);
        }
        return partial;
    }

    public OrderPartial Order(CartStreamJob job, bool explicitOrder)
    {
        var partial = OrderPartial.Empty(job, explicitOrder);
        _spill?.Dispose();
        _spill = streaming.Spill ? new BinnedSpill(streaming.SpillFolder, job.BinCounts, job.Categorical.Select(c => !c).ToArray()) : null;
        foreach (var chunk in Binned(job, source, _units, parallel))
        {
            _spill?.Write(chunk);
            partial.Add(chunk, job, parallel);
        }
        return partial;
    }

    public void Level(CartStreamJob job, IReadOnlyList<ActiveTree> active)
    {
        var buffers = active.Select(_ => new TargetBuffers()).ToArray();
        foreach (var chunk in _spill?.Read(parallel.CancellationToken) ?? Binned(job, source, _units, parallel))
            LevelPass.Add(chunk, job, active, buffers, parallel);
    }

    /// <summary>The units' chunks, encoded and binned.</summary>
    public static IEnumerable<BinnedChunk> Binned(CartStreamJob job, ITableChunkSource source, IEnumerable<WorkUnit> units, ParallelOptions parallel)
    {
        foreach (var unit in units)
            foreach (var chunk in unit.Read(source, parallel.CancellationToken))
            {
                parallel.CancellationToken.ThrowIfCancellationRequested();
                yield return job.Bin(job.Encoding.EncodeUnseen(chunk), parallel);
            }
    }

    public void Dispose() => _spill?.Dispose();
}
