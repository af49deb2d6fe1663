using Orleans.Runtime;
using TabTwin.Cluster.Scheduling;
using TabTwin.Generation;
using TabTwin.Generation.Spec;
using TabTwin.Synthesis;

namespace TabTwin.Cluster.Sampling;

/// <summary>
/// Writes parts with <see cref="PartitionedSampling.WritePart"/> (or generates them), <see cref="WorkerInfo.Slots"/>
/// parts at a time, in the background of <see cref="WorkerGrain"/>.
/// </summary>
internal sealed class SamplingWorkerGrain(ModelCache models, SpecCache specs, ILocalSiloDetails silo, WorkerSlots slots)
    : WorkerGrain(silo, slots), ISamplingWorkerGrain
{
    public Task Start(PartBatch batch)
    {
        if (batch.Problem() is { } problem) throw new ArgumentException($"Rejected sampling batch: {problem}.");
        Begin(batch.BatchId, job => Write(job, batch));
        return Task.CompletedTask;
    }

    private void Write(WorkerBatch job, PartBatch batch)
    {
        if (!Directory.Exists(batch.StagingFolder))
            throw new TabTwinException("cluster.output-not-shared", $"The output's staging folder '{batch.StagingFolder}' is not on silo {Environment.MachineName}.",
                hint: "Put the output folder on storage every silo mounts at the same path (and the model file too).");
        var plan = new PartitionPlan(batch.TotalRows, batch.Parts);
        // As PartitionedSampling.Sample does: parts side by side, each chunk made on the cores left over.
        var (side, perPart) = WorkerBatch.Split(Slots, batch.PartIndices.Length);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = side, CancellationToken = job.Cancel };
        if (batch.Kind == PartKind.Generate)
        {
            var spec = specs.Get(batch.ModelPath, batch.ModelSha256);
            Parallel.ForEach(batch.PartIndices, parallel, part =>
            {
                var options = new GenerateOptions
                {
                    Rows = plan.TotalRows, Seed = batch.Seed, Shard = new Shard(part + 1, plan.Parts), Threads = perPart,
                    Cancellation = job.Cancel, Progress = new GeneratedRows(job),
                };
                ClusterGeneration.WritePart(spec, batch.Table, Path.Combine(batch.StagingFolder, PartitionPlan.PartFileName(part)), options);
                job.Done(part);
            });
            return;
        }
        var model = models.Get(batch.ModelPath, batch.ModelSha256);
        var keys = PartitionedKeys.For(model, plan.TotalRows, batch.Seed);
        Parallel.ForEach(batch.PartIndices, parallel, part =>
        {
            PartitionedSampling.WritePart(model, plan, part, batch.Seed, batch.StagingFolder, perPart, rows => job.AddRows(rows), job.Cancel, keys);
            job.Done(part);
        });
    }

    /// <summary>A generated part's running row count: the batch total sums the increases.</summary>
    private sealed class GeneratedRows(WorkerBatch job) : IProgress<GenerationProgress>
    {
        private long _last;
        public void Report(GenerationProgress value)
        {
            long delta = value.RowsDone - Interlocked.Exchange(ref _last, value.RowsDone);
            if (delta > 0) job.AddRows(delta);
        }
    }
}
