using TabTwin.Generation;

namespace TabTwin.Synthesis;

/// <summary>
/// How a sample of <see cref="TotalRows"/> rows is cut into <see cref="Parts"/> part files: part p holds the contiguous
/// rows [⌊N·p/P⌋, ⌊N·(p+1)/P⌋), so part sizes differ by at most one row and the parts in order are the whole sample.
/// What a row holds depends on the row's number only, never on the plan, so a sample cut into 8 or 64 parts is the same
/// rows (see <see cref="PartitionedSampling"/>).
/// </summary>
public sealed record PartitionPlan(long TotalRows, int Parts)
{
    /// <summary>Most part files one plan may have (a folder of more is slow to list and to read).</summary>
    public const int MaxParts = 100_000;

    /// <summary>The row count (at least 1).</summary>
    /// <exception cref="TabTwinException"><c>sample.parts</c> unless 1 ≤ rows and 1 ≤ parts ≤ min(<see cref="MaxParts"/>, rows).</exception>
    public long TotalRows { get; } = Check(TotalRows, Parts).TotalRows;

    /// <summary>The number of part files (1 to min(<see cref="MaxParts"/>, <see cref="TotalRows"/>)).</summary>
    public int Parts { get; } = Parts;

    private static (long TotalRows, int Parts) Check(long rows, int parts)
    {
        if (rows < 1)
            throw new TabTwinException("sample.parts", $"A partitioned sample needs at least one row, not {rows:N0}.", hint: "Give the row count with -n.");
        if (parts < 1 || parts > MaxParts)
            throw new TabTwinException("sample.parts", $"The number of parts must be from 1 to {MaxParts:N0}, not {parts:N0}.", hint: "Choose --parts in that range.");
        if (parts > rows)
            throw new TabTwinException("sample.parts", $"{parts:N0} parts of {rows:N0} rows would leave parts empty.",
                hint: $"Use at most {rows:N0} parts, or sample more rows.");
        return (rows, parts);
    }

    /// <summary>The rows part <paramref name="part"/> (0-based) holds: first row (0-based) and count.</summary>
    public (long FirstRow, long Rows) PartRange(int part)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, Parts);
        long first = (long)((Int128)TotalRows * part / Parts), end = (long)((Int128)TotalRows * (part + 1) / Parts);
        return (first, end - first);
    }

    /// <summary>The file name of part <paramref name="part"/>: <c>part-00000.parquet</c> (five digits, more past 99,999), so names sort in row order.</summary>
    public static string PartFileName(int part)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        return $"part-{part:D5}.parquet";
    }

    /// <summary>
    /// The parts shard k of n writes: a contiguous run of part numbers, split as evenly as whole parts allow (see
    /// <see cref="Shard.Range"/>), so shards 1..n together write every part exactly once. A shard gets no part when n exceeds <see cref="Parts"/>.
    /// </summary>
    public IEnumerable<int> PartsOfShard(Shard shard)
    {
        var (first, count) = shard.Range(Parts);
        return Enumerable.Range((int)first, (int)count);
    }
}

/// <summary>What <see cref="PartitionedSampling.Sample"/> wrote: the folder, the rows and part files of this run (of its shard, when sharded).</summary>
public sealed record PartitionedResult(string Folder, long Rows, int PartsWritten, Shard? Shard, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}
