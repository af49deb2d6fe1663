using Orleans;
using Orleans.Runtime;

namespace TabTwin.Cluster.Scheduling;

/// <summary>How many items a silo's workers run at once (<see cref="SiloOptions.Cores"/>; all the machine's cores by default).</summary>
internal sealed record WorkerSlots(int Count)
{
    public static WorkerSlots Of(int? cores) => new(Math.Max(1, cores ?? Environment.ProcessorCount));
}

/// <summary>
/// The silo side every worker grain shares: one batch at a time, run on the silo's thread pool (never on the grain's
/// scheduler: an item is seconds of CPU), polled and cancelled by the client (<see cref="IClusterWorkerGrain"/>).
/// </summary>
internal abstract class WorkerGrain(ILocalSiloDetails silo, WorkerSlots slots) : Grain, IClusterWorkerGrain
{
    protected WorkerBatch? Batch { get; private set; }
    protected int Slots => slots.Count;

    public Task<WorkerInfo> Describe() => Task.FromResult(new WorkerInfo { Silo = silo.SiloAddress.ToString(), Slots = Slots });

    /// <summary>Starts <paramref name="run"/> as batch <paramref name="batchId"/> in the background; a retried start of the same batch is ignored.</summary>
    protected void Begin(Guid batchId, Action<WorkerBatch> run)
    {
        if (Batch is { Finished: false } running && running.Id != batchId)
            throw new InvalidOperationException("This worker is still running another batch.");
        if (Batch?.Id == batchId) return;
        var batch = new WorkerBatch(batchId);
        Batch = batch;
        _ = Task.Run(() => batch.Execute(run));
    }

    public Task<BatchStatus> Poll(Guid batchId) =>
        Task.FromResult(Batch is { } batch && batch.Id == batchId ? batch.Status() : BatchStatus.Lost);

    public Task Cancel(Guid batchId)
    {
        if (Batch is { } batch && batch.Id == batchId) batch.CancelSource.Cancel();
        return Task.CompletedTask;
    }
}

/// <summary>
/// One batch's state, shared between the grain (polls) and the pool threads doing the items. A batch whose client stops
/// polling for <see cref="Lease"/> is cancelled, so a client that died does not leave silos busy.
/// </summary>
internal sealed class WorkerBatch(Guid id)
{
    internal static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    public Guid Id { get; } = id;
    public CancellationTokenSource CancelSource { get; } = new();
    public CancellationToken Cancel => CancelSource.Token;
    private readonly object _gate = new();
    private readonly List<int> _done = [];
    private long _rows;
    private long _lastPollTicks = Environment.TickCount64;
    private Exception? _error;
    public bool Finished { get; private set; }

    /// <summary>Item <paramref name="item"/> is finished (its output complete).</summary>
    public void Done(int item)
    {
        lock (_gate) _done.Add(item);
    }

    public void AddRows(long rows) => Interlocked.Add(ref _rows, rows);

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

    public void Execute(Action<WorkerBatch> run)
    {
        using var watchdog = new Timer(_ =>
        {
            if (Environment.TickCount64 - Interlocked.Read(ref _lastPollTicks) > Lease.TotalMilliseconds) CancelSource.Cancel();
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        try { run(this); }
        catch (Exception e)
        {
            lock (_gate) _error = e is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[0] : e;
        }
        finally
        {
            lock (_gate) Finished = true;
        }
    }

    /// <summary>How to run <paramref name="items"/> items on <paramref name="slots"/> cores: side by side, each on the cores left over.</summary>
    public static (int Side, int PerItem) Split(int slots, int items)
    {
        int side = Math.Max(1, Math.Min(slots, items));
        return (side, Math.Max(1, slots / side));
    }
}
