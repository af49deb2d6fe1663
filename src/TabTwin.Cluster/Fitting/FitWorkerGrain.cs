using System.Collections.Concurrent;
using Orleans.Runtime;
using TabTwin.Cluster.Scheduling;
using TabTwin.Synthesis;

namespace TabTwin.Cluster.Fitting;

/// <summary>
/// Runs a streaming fit's pass over work units with <see cref="DistributedCartFit.RunUnit"/> on the input opened here
/// (<see cref="SourceCache"/>), <see cref="WorkerInfo.Slots"/> cores in all, and keeps each unit's result until the client
/// takes it. A result larger than Orleans lets a message carry is an error, not a silo that seems to die.
/// </summary>
internal sealed class FitWorkerGrain(SourceCache sources, ILocalSiloDetails silo, WorkerSlots slots) : WorkerGrain(silo, slots), IFitWorkerGrain
{
    /// <summary>Below <see cref="Hosting.OrleansSetup.MaxMessageBodyBytes"/>, with room for the message's framing.</summary>
    internal const long MaxResultBytes = Hosting.OrleansSetup.MaxMessageBodyBytes - (1L << 20);

    private (int Number, byte[] Job, byte[] Request)? _pass;
    private (Guid Batch, ConcurrentDictionary<int, byte[]> Results) _results = (Guid.Empty, new());

    public Task<bool> Start(FitBatch batch)
    {
        if (batch.Problem() is { } problem) throw new ArgumentException($"Rejected fit batch: {problem}.");
        if (batch.Job is not null) _pass = (batch.Pass, batch.Job, batch.Request!);
        if (_pass is not { } pass || pass.Number != batch.Pass) return Task.FromResult(false);
        if (Batch?.Id != batch.BatchId)
        {
            if (Batch is { Finished: false }) throw new InvalidOperationException("This worker is still running another batch.");
            _results = (batch.BatchId, new ConcurrentDictionary<int, byte[]>());
        }
        var results = _results.Results;
        Begin(batch.BatchId, job => Run(job, batch, pass.Job, pass.Request, results));
        return Task.FromResult(true);
    }

    public Task<byte[]?> Take(Guid batchId, int unit) =>
        Task.FromResult(_results.Batch == batchId && _results.Results.TryRemove(unit, out var bytes) ? bytes : null);

    private void Run(WorkerBatch job, FitBatch batch, byte[] work, byte[] request, ConcurrentDictionary<int, byte[]> results)
    {
        var source = sources.Get(batch.InputPath);
        var (side, perUnit) = WorkerBatch.Split(Slots, batch.Units.Length);
        Parallel.ForEach(batch.Units, new ParallelOptions { MaxDegreeOfParallelism = side, CancellationToken = job.Cancel }, unit =>
        {
            var result = DistributedCartFit.RunUnit(work, request, source, unit, new ParallelOptions { MaxDegreeOfParallelism = perUnit, CancellationToken = job.Cancel });
            if (result.LongLength > MaxResultBytes)
                throw new TabTwinException("cluster.result-too-large", $"Work unit {unit} of '{batch.InputPath}' produced {result.LongLength >> 20} MB, more than a cluster message carries.",
                    hint: "Lower the histogram memory of the fit (StreamingFitOptions.HistogramBytes).");
            results[unit] = result;
            job.Done(unit);
        });
    }
}
