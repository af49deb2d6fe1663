using Orleans;
using TabTwin.Cluster.Scheduling;
using TabTwin.Synthesis;

namespace TabTwin.Cluster.Sampling;

/// <summary>
/// A silo-side worker of distributed sampling: it writes the part files it is given into the job's staging folder on
/// shared storage (<see cref="IClusterWorkerGrain"/> for the rest of the protocol).
/// </summary>
public interface ISamplingWorkerGrain : IClusterWorkerGrain
{
    /// <summary>Begins writing a batch of parts (one batch at a time per worker).</summary>
    Task Start(PartBatch batch);
}

/// <summary>What a batch's parts are: rows sampled from a model file, or rows generated from a spec file (a shard each).</summary>
[GenerateSerializer]
public enum PartKind { Sample = 0, Generate = 1 }

/// <summary>
/// Parts of one job for one worker. The model (or spec) goes by path (on storage the silos share) and SHA-256, so the silo
/// samples from exactly the bytes the client checked; sizes are bounded (<see cref="MaxParts"/>, <see cref="MaxPathLength"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PartBatch
{
    public const int MaxParts = 100_000, MaxPathLength = 4096;

    [Id(0)] public required Guid BatchId { get; init; }
    [Id(1)] public required string ModelPath { get; init; }
    [Id(2)] public required string ModelSha256 { get; init; }
    [Id(3)] public required long TotalRows { get; init; }
    [Id(4)] public required int Parts { get; init; }
    [Id(5)] public required int[] PartIndices { get; init; }
    [Id(6)] public required ulong Seed { get; init; }
    [Id(7)] public required string StagingFolder { get; init; }
    /// <summary>Sample from the model at <see cref="ModelPath"/>, or generate from the spec there.</summary>
    [Id(8)] public PartKind Kind { get; init; }
    /// <summary>Generate: which table of the spec (null = its only table).</summary>
    [Id(9)] public string? Table { get; init; }

    /// <summary>The first thing wrong with the batch (a silo must not trust what a client sends), or null.</summary>
    public string? Problem()
    {
        if (ModelPath is not { Length: > 0 and <= MaxPathLength } || StagingFolder is not { Length: > 0 and <= MaxPathLength })
            return "model path and staging folder must be 1–4096 characters";
        // Silos write only into a job's staging folder (what PartitionedSampling.CreateStaging names), never anywhere a caller says.
        if (!Path.IsPathFullyQualified(StagingFolder) || !Path.GetFileName(Path.TrimEndingDirectorySeparator(StagingFolder)).StartsWith(PartitionedSampling.StagingPrefix, StringComparison.Ordinal))
            return "the staging folder must be a full path to a partitioned output's staging folder";
        if (!Path.IsPathFullyQualified(ModelPath)) return "the model path must be a full path";
        if (ModelSha256 is not { Length: 64 } || !ModelSha256.All(char.IsAsciiHexDigitLower)) return "the model hash must be 64 lowercase hex digits";
        if (TotalRows < 0 || Parts < 1 || Parts > MaxParts) return "rows must be ≥ 0 and parts 1–100000";
        if (Kind is not (PartKind.Sample or PartKind.Generate) || Table is { Length: > 200 }) return "unknown kind of part, or a table name over 200 characters";
        if (PartIndices is null || PartIndices.Length is 0 or > MaxParts || PartIndices.Any(p => p < 0 || p >= Parts)) return "part indices out of range";
        return null;
    }
}
