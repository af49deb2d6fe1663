using Orleans;
using Orleans.Concurrency;

namespace TabTwin.Cluster.Scheduling;

/// <summary>
/// What every worker grain of a distributed job answers (sampling parts, fitting work units): one activation per (job,
/// silo), placed on that silo by a placement hint; a batch of items starts in the background (the job's own
/// <c>Start</c>), and the client polls <see cref="Poll"/> (which also shows that the silo is alive) and gives a dead
/// silo's unfinished items to the others (<see cref="SiloScheduler"/>).
/// </summary>
public interface IClusterWorkerGrain : IGrainWithStringKey
{
    /// <summary>The silo this activation runs on and how many items it works on at once.</summary>
    Task<WorkerInfo> Describe();

    /// <summary>What the current batch has done; also refreshes the worker's lease (no poll for a while cancels the batch).</summary>
    [AlwaysInterleave, ResponseTimeout("00:00:15")]
    Task<BatchStatus> Poll(Guid batchId);

    /// <summary>Stops the batch (the client gave up or was cancelled); items already finished stay finished.</summary>
    [AlwaysInterleave, ResponseTimeout("00:00:15")]
    Task Cancel(Guid batchId);
}

/// <summary>Where a worker runs: its silo address (as Orleans prints it) and how many items it works on concurrently.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerInfo
{
    [Id(0)] public required string Silo { get; init; }
    [Id(1)] public required int Slots { get; init; }
}

/// <summary>A batch's progress: the items finished so far, rows done, and when it ended, whether with an error (code,
/// message and hint of the <see cref="TabTwinException"/>, or the exception's type).</summary>
[GenerateSerializer, Immutable]
public sealed record BatchStatus
{
    [Id(0)] public required int[] PartsDone { get; init; }
    [Id(1)] public required long RowsWritten { get; init; }
    [Id(2)] public required bool Finished { get; init; }
    [Id(3)] public string? ErrorCode { get; init; }
    [Id(4)] public string? ErrorMessage { get; init; }
    [Id(5)] public string? ErrorHint { get; init; }

    public static BatchStatus Lost { get; } = new()
    {
        PartsDone = [], RowsWritten = 0, Finished = true, ErrorCode = "cluster.batch-lost",
        ErrorMessage = "This worker has no such batch (the silo restarted or the grain was moved).",
    };
}
