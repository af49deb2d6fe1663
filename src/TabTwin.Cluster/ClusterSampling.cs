using Orleans.Runtime;
using TabTwin.Cluster.Sampling;
using TabTwin.Cluster.Scheduling;
using TabTwin.Generation;
using TabTwin.Models;
using TabTwin.Synthesizers;
using TabTwin.Synthesis;

namespace TabTwin.Cluster;

/// <summary>Where a distributed sampling job is: parts finished of the total, rows written, the rate, silos working.</summary>
public readonly record struct ClusterProgress(int PartsDone, int PartsTotal, long RowsWritten, double RowsPerSecond, int Silos);

/// <summary>What a distributed sampling job did. <see cref="Reassigned"/> counts parts given to another silo after theirs failed.</summary>
public sealed record ClusterSampleResult(long Rows, int Parts, int Silos, int Reassigned, TimeSpan Elapsed);

/// <summary>
/// <c>sample -o folder --parts P --cluster …</c>: the same partitioned folder as <see cref="PartitionedSampling.Sample"/>,
/// byte for byte, with the parts written by the cluster's silos. The client creates the staging folder, hands each
/// silo's worker batches of part indices (as many parts as it has cores) until none are left, and commits
/// (<c>_SUCCESS</c> last) when every part is written. A silo that dies or stops answering loses its unfinished parts to
/// the others; a part's bytes depend only on the model, plan, seed and part index, so where it ran does not matter.
/// The model file and the output folder must be on storage every silo sees at the same path (one machine, or NFS/SMB).
/// </summary>
public static class ClusterSampling
{
    /// <summary>Connects to the cluster, samples, disconnects.</summary>
    public static async Task<ClusterSampleResult> SampleAsync(ClusterConnection connection, string modelPath, PartitionPlan plan, ulong seed,
        string outputFolder, Shard? shard = null, bool overwrite = false, IProgress<ClusterProgress>? progress = null,
        ISynthesizerModel? loadedModel = null, CancellationToken cancel = default)
    {
        // The model is checked before connecting: a job the silos would refuse fails here, with the same error.
        loadedModel ??= ModelFile.Load(modelPath);
        PartitionedKeys.For(loadedModel, plan.TotalRows, seed);
        await using var client = await ClusterClient.ConnectAsync(connection, cancel: cancel);
        return await SampleAsync(client, modelPath, plan, seed, outputFolder, shard, overwrite, progress, cancel);
    }

    /// <summary>Samples through a connected client (see the class summary).</summary>
    public static Task<ClusterSampleResult> SampleAsync(ClusterClient client, string modelPath, PartitionPlan plan, ulong seed,
        string outputFolder, Shard? shard = null, bool overwrite = false, IProgress<ClusterProgress>? progress = null, CancellationToken cancel = default) =>
        RunPartsAsync(client, PartKind.Sample, modelPath, null, plan, seed, outputFolder, shard, overwrite, progress, cancel);

    /// <summary>Runs a partitioned job (parts sampled from a model file, or generated from a spec file) and commits it.</summary>
    internal static async Task<ClusterSampleResult> RunPartsAsync(ClusterClient client, PartKind kind, string sourcePath, string? table, PartitionPlan plan,
        ulong seed, string outputFolder, Shard? shard, bool overwrite, IProgress<ClusterProgress>? progress, CancellationToken cancel)
    {
        sourcePath = Path.GetFullPath(sourcePath);
        outputFolder = Path.GetFullPath(outputFolder);
        if (!File.Exists(sourcePath)) throw new TabTwinException("io.not-found", $"File '{sourcePath}' does not exist.", file: sourcePath);
        var parts = (shard is { } s ? plan.PartsOfShard(s) : Enumerable.Range(0, plan.Parts)).ToList();
        var staging = PartitionedSampling.CreateStaging(outputFolder, overwrite);
        var protocol = new PartProtocol(client, new PartBatch
        {
            BatchId = Guid.Empty, ModelPath = sourcePath, ModelSha256 = ModelCache.HashOf(sourcePath), TotalRows = plan.TotalRows, Parts = plan.Parts,
            PartIndices = [0], Seed = seed, StagingFolder = staging, Kind = kind, Table = table,
        });
        var job = new SiloScheduler(client, protocol, parts, p => plan.PartRange(p).Rows, progress);
        try
        {
            await job.RunAsync(cancel);
            PartitionedSampling.Commit(staging, outputFolder, plan, parts, shard);
        }
        catch
        {
            PartitionedSampling.Abandon(staging);
            throw;
        }
        return new ClusterSampleResult(parts.Sum(p => plan.PartRange(p).Rows), parts.Count, job.SilosUsed, job.Reassigned, job.Elapsed);
    }

    /// <summary>Parts on a silo: the job's fields with the batch's part indices; a finished part is complete in the staging folder.</summary>
    private sealed class PartProtocol(ClusterClient client, PartBatch template) : IBatchProtocol
    {
        private readonly Guid _id = Guid.NewGuid();

        public IClusterWorkerGrain Worker(SiloAddress silo) => client.Orleans.GetGrain<ISamplingWorkerGrain>($"{_id:N}/{silo.ToParsableString()}");

        public Task Start(IClusterWorkerGrain worker, Guid batchId, int[] items) =>
            ((ISamplingWorkerGrain)worker).Start(template with { BatchId = batchId, PartIndices = items });

        public Task Collect(IClusterWorkerGrain worker, Guid batchId, int item) => Task.CompletedTask;
    }
}
