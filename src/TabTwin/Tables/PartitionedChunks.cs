namespace TabTwin.Tables;

/// <summary>
/// A chunked table whose rows fall in fixed partitions that can be read on their own (Parquet row groups of a file or of a
/// folder of files), in partition order: reading every partition in order is one pass.
/// </summary>
internal interface IPartitionedChunkSource : ITableChunkSource
{
    /// <summary>Rows per partition, known when the source is opened.</summary>
    IReadOnlyList<long> PartitionRows { get; }

    /// <summary>The chunks of one partition.</summary>
    IEnumerable<Table> ReadPartition(int partition, CancellationToken cancel = default);
}

/// <summary>
/// A run of consecutive partitions a streaming fit reads as one piece of work (on this machine or on a worker elsewhere).
/// The plan depends only on the partitions' row counts and the unit size, so every process that opens the same data draws
/// the same units; a source without partitions is one unit.
/// </summary>
internal sealed record WorkUnit(int Index, int FirstPartition, int PartitionCount)
{
    public static IReadOnlyList<WorkUnit> Plan(ITableChunkSource source, long unitRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(unitRows, 1);
        if (source is not IPartitionedChunkSource partitioned || partitioned.PartitionRows.Count == 0) return [new WorkUnit(0, -1, 0)];
        var units = new List<WorkUnit>();
        var rows = partitioned.PartitionRows;
        int first = 0;
        long sum = 0;
        for (int p = 0; p < rows.Count; p++)
        {
            sum += rows[p] < 0 ? unitRows : rows[p]; // a partition of unknown size is a unit of its own
            if (sum < unitRows && p < rows.Count - 1) continue;
            units.Add(new WorkUnit(units.Count, first, p - first + 1));
            first = p + 1; sum = 0;
        }
        return units;
    }

    /// <summary>This unit's chunks (the whole source for a source without partitions).</summary>
    public IEnumerable<Table> Read(ITableChunkSource source, CancellationToken cancel)
    {
        if (FirstPartition < 0) return source.ReadChunks(cancel);
        var partitioned = (IPartitionedChunkSource)source;
        return Enumerable.Range(FirstPartition, PartitionCount).SelectMany(p => partitioned.ReadPartition(p, cancel));
    }
}
