using Orleans;
using Orleans.Concurrency;
using TabTwin.Cluster.Scheduling;

namespace TabTwin.Cluster.Fitting;

/// <summary>
/// A silo-side worker of a distributed streaming fit: it runs one pass of the fit over the work units it is given, reading
/// the input (Parquet files on storage every silo sees at the same path) itself, and keeps each unit's result until the
/// client takes it (<see cref="IClusterWorkerGrain"/> for the rest of the protocol). One activation per (fit, silo) for
/// the whole fit, so a pass's job is sent to each silo once, not with every batch.
/// </summary>
public interface IFitWorkerGrain : IClusterWorkerGrain
{
    /// <summary>Begins a batch of units; false when the batch came without its pass's job and this worker does not have
    /// it (the client then sends the batch again with it).</summary>
    Task<bool> Start(FitBatch batch);

    /// <summary>The result of a finished unit of the current batch (null when there is none), handed over once.</summary>
    [AlwaysInterleave]
    Task<byte[]?> Take(Guid batchId, int unit);
}

/// <summary>
/// Units of one pass for one worker: the input by full path, the pass's number and, the first time a worker gets the pass,
/// its job and request (what <c>DistributedCartFit.RunUnit</c> takes; the same bytes for every unit).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FitBatch
{
    public const int MaxPathLength = 4096, MaxUnits = 1_000_000;
    public const long MaxWorkBytes = 512L << 20;

    [Id(0)] public required Guid BatchId { get; init; }
    [Id(1)] public required int Pass { get; init; }
    [Id(2)] public required string InputPath { get; init; }
    [Id(3)] public required int[] Units { get; init; }
    [Id(4)] public byte[]? Job { get; init; }
    [Id(5)] public byte[]? Request { get; init; }

    /// <summary>The first thing wrong with the batch (a silo must not trust what a client sends), or null.</summary>
    public string? Problem()
    {
        if (InputPath is not { Length: > 0 and <= MaxPathLength } || !Path.IsPathFullyQualified(InputPath)) return "the input must be a full path of 1–4096 characters";
        if (Pass < 1) return "the pass number must be positive";
        if (Units is null || Units.Length is 0 or > MaxUnits || Units.Any(u => u < 0)) return "unit indices out of range";
        if ((Job is null) != (Request is null) || Job?.LongLength + Request?.LongLength > MaxWorkBytes) return "a pass needs both its job and its request, at most 512 MB";
        return null;
    }
}
