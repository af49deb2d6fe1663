using Orleans;
using Orleans.Runtime;
using TabTwin.Generation;
using TabTwin.Generation.Spec;
using TabTwin.Synthesis;

namespace TabTwin.Cluster.Sampling;

/// <summary>
/// Writes parts with <see cref="PartitionedSampling.WritePart"/> on the silo's thread pool (never on the grain's
/// scheduler: a part is seconds of CPU), <see cref="WorkerInfo.Slots"/> parts at a time. A batch whose client stops
/// polling for <see cref="Lease"/> is cancelled, so a client that died does not leave silos busy.
/// </summary>
internal sealed class SamplingWorkerGrain(ModelCache models, SpecCache specs, ILocalSiloDetails silo) : Grain, ISamplingWorkerGrain
{
    internal static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static int Slots => Math.Max(1, Environment.ProcessorCount);
    private Job? _job;

    public Task<WorkerInfo> Describe() => Task.FromResult(new WorkerInfo { Silo = silo.SiloAddress.ToString(), Slots = Slots });

    public Task Start(PartBatch batch)
    {
        if (batch.Problem() is { } problem) throw new ArgumentException($"Rejected sampling batch: {problem}.");
        if (_job is { Finished: false } running && running.Id != batch.BatchId)
            throw new InvalidOperationException("This worker is still writing another batch.");
        if (_job?.Id == batch.BatchId) return Task.CompletedTask; // a retried Start of the same batch
        var job = new Job(batch.BatchId);
        _job = job;
        job.Run = Task.Run(() => job.Execute(models, specs, batch));
        return Task.CompletedTask;
    }

    public Task<BatchStatus> Poll(Guid batchId)
    {
        if (_job is not { } job || job.Id != batchId)
            return Task.FromResult(new BatchStatus { PartsDone = [], RowsWritten = 0, Finished = true, ErrorCode = "cluster.batch-lost", ErrorMessage = "This worker has no such batch (the silo restarted or the grain was moved)." });
        return Task.FromResult(job.Status());
    }

    public Task Cancel(Guid batchId)
    {
        if (_job is { } job && job.Id == batchId) job.CancelSource.Cancel();
        return Task.CompletedTask;
    }

    /// <summary>One batch's state, shared between the grain (polls) and the pool threads writing parts.</summary>
    private sealed class Job(Guid id)
    {
        public Guid Id { get; } = id;
        public CancellationTokenSource CancelSource { get; } = new();
        public Task? Run { get; set; }
        private readonly object _gate = new();
        private readonly List<int> _done = [];
        private long _rows;
        private long _lastPollTicks = Environment.TickCount64;
        private Exception? _error;
        public bool Finished { get; private set; }

        /// <summary>Part p of a generation is shard p+1 of P of the spec's table, written as Parquet: the bytes
        /// <c>tabtwin generate spec -n N --seed S --shard p+1/P -o part.parquet</c> writes.</summary>
        private void Generate(GenerationSpec spec, PartitionPlan plan, PartBatch batch, int side, int perPart)
        {
            Parallel.ForEach(batch.PartIndices, new ParallelOptions { MaxDegreeOfParallelism = side, CancellationToken = CancelSource.Token }, part =>
            {
                var rows = new GeneratedRows(this);
                var options = new GenerateOptions
                {
                    Rows = plan.TotalRows, Seed = batch.Seed, Shard = new Shard(part + 1, plan.Parts), Threads = perPart,
                    Cancellation = CancelSource.Token, Progress = rows,
                };
                ClusterGeneration.WritePart(spec, batch.Table, Path.Combine(batch.StagingFolder, PartitionPlan.PartFileName(part)), options);
                lock (_gate) _done.Add(part);
            });
        }

        /// <summary>A generated part's running row count: the batch total sums the increases.</summary>
        private sealed class GeneratedRows(Job job) : IProgress<GenerationProgress>
        {
            private long _last;
            public void Report(GenerationProgress value)
            {
                long delta = value.RowsDone - Interlocked.Exchange(ref _last, value.RowsDone);
                if (delta > 0) Interlocked.Add(ref job._rows, delta);
            }
        }

        public BatchStatus Status()
        {
            Interlocked.Exchange(ref _lastPollTicks, Environment.TickCount64);
            lock (_gate)
            {
                var error = _error;
                return new BatchStatus
                {
                    PartsDone = _done.ToArray(), RowsWritten = Interlocked.Read(ref _rows), Finished = Finished,
                    ErrorCode = error switch { null => null, TabTwinException t => t.Code, OperationCanceledException => "cluster.cancelled", _ => "cluster.worker-failed" },
                    ErrorMessage = error switch { null => null, TabTwinException t => t.Message, _ => $"{error.GetType().Name}: {error.Message}" },
                    ErrorHint = (error as TabTwinException)?.Hint,
                };
            }
        }

        public void Execute(ModelCache models, SpecCache specs, PartBatch batch)
        {
            using var watchdog = new Timer(_ =>
            {
                if (Environment.TickCount64 - Interlocked.Read(ref _lastPollTicks) > Lease.TotalMilliseconds) CancelSource.Cancel();
            }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            try
            {
                if (!Directory.Exists(batch.StagingFolder))
                    throw new TabTwinException("cluster.output-not-shared", $"The output's staging folder '{batch.StagingFolder}' is not on silo {Environment.MachineName}.",
                        hint: "Put the output folder on storage every silo mounts at the same path (and the model file too).");
                var plan = new PartitionPlan(batch.TotalRows, batch.Parts);
                // As PartitionedSampling.Sample does: parts side by side, each chunk made on the cores left over.
                int side = Math.Max(1, Math.Min(Slots, batch.PartIndices.Length)), perPart = Math.Max(1, Slots / side);
                if (batch.Kind == PartKind.Generate)
                {
                    Generate(specs.Get(batch.ModelPath, batch.ModelSha256), plan, batch, side, perPart);
                    return;
                }
                var model = models.Get(batch.ModelPath, batch.ModelSha256);
                var keys = PartitionedKeys.For(model, plan.TotalRows, batch.Seed);
                Parallel.ForEach(batch.PartIndices, new ParallelOptions { MaxDegreeOfParallelism = side, CancellationToken = CancelSource.Token }, part =>
                {
                    PartitionedSampling.WritePart(model, plan, part, batch.Seed, batch.StagingFolder, perPart,
                        rows => Interlocked.Add(ref _rows, rows), CancelSource.Token, keys);
                    lock (_gate) _done.Add(part);
                });
            }
            catch (Exception e)
            {
                lock (_gate) _error = e is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[0] : e;
            }
            finally
            {
                lock (_gate) Finished = true;
            }
        }
    }
}
