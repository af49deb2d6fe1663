using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace TabTwin.Cluster.Scheduling;

/// <summary>What one kind of distributed job does with its items on a silo's worker (see <see cref="SiloScheduler"/>).</summary>
internal interface IBatchProtocol
{
    /// <summary>The job's worker grain on <paramref name="silo"/> (its key names the job and the silo).</summary>
    IClusterWorkerGrain Worker(SiloAddress silo);

    /// <summary>Starts a batch of items on <paramref name="worker"/> (called with the placement hint for its silo set).</summary>
    Task Start(IClusterWorkerGrain worker, Guid batchId, int[] items);

    /// <summary>Takes what a finished item produced, before it counts as done (a fit fetches the unit's result). Called at
    /// most once per item across the job's silos; a failure of the silo returns the item to the queue.</summary>
    Task Collect(IClusterWorkerGrain worker, Guid batchId, int item);
}

/// <summary>
/// The client's bookkeeping for one distributed job: items waiting, in flight and done, and one loop per worker silo
/// handing it batches (guided self-scheduling) until every item is done. A silo that dies or stops answering loses its
/// unfinished items to the others; an item's output depends only on the item, so where it ran does not matter, and
/// each item is collected once. Silos that join during the job get work; <paramref name="lost"/> may be shared by the
/// jobs of one run so a dead silo is not asked again, and <paramref name="known"/> (the silos an earlier job of the run
/// used) stand in when the cluster does not answer which silos are active.
/// </summary>
internal sealed class SiloScheduler(ClusterClient client, IBatchProtocol protocol, IReadOnlyList<int> items, Func<int, long> rowsOf,
    IProgress<ClusterProgress>? progress, HashSet<string>? lost = null, IReadOnlyList<SiloAddress>? known = null)
{
    /// <summary>The silos that took part in this job (to pass on as the next job's <c>known</c>).</summary>
    public IReadOnlyList<SiloAddress> Workers { get { lock (_gate) return [.. _workers]; } }
    private readonly List<SiloAddress> _workers = [];

    /// <summary>How often the client asks each worker for progress (and checks it is alive).</summary>
    internal static TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
    /// <summary>How long a failing job waits for a silo to stop a batch (items stop between chunks).</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DiscoveryTimeout = TimeSpan.FromSeconds(10);
    /// <summary>Consecutive failed calls after which a worker's silo counts as gone.</summary>
    private const int FailuresBeforeLost = 2;

    public int SilosUsed { get; private set; }
    public int Reassigned { get; private set; }
    public TimeSpan Elapsed => _clock.Elapsed;

    private readonly object _gate = new();
    private readonly Queue<int> _pending = new(items);
    private readonly HashSet<int> _done = [], _collecting = [];
    private readonly Dictionary<Guid, long> _inFlightRows = [];
    private readonly HashSet<string> _lost = lost ?? new(StringComparer.Ordinal);
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private int _inFlight, _working, _started;
    private long _rowsOfDoneItems;

    public async Task RunAsync(CancellationToken cancel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var loops = new List<Task>();
        var started = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (true)
            {
                lock (_gate) if (_done.Count == items.Count) break;
                // (Re)discover silos: at the start, then every few seconds (silos that join get work).
                foreach (var silo in await Discover(client, first: started.Count == 0, known, stop.Token))
                {
                    var name = silo.ToString();
                    lock (_gate) if (_lost.Contains(name)) continue;
                    if (!started.Add(name)) continue;
                    lock (_gate) _started++;
                    loops.Add(WorkerLoop(silo, stop.Token));
                }
                if (loops.Count == 0 || loops.All(l => l.IsCompleted))
                {
                    await Task.WhenAll(loops);
                    lock (_gate) if (_done.Count == items.Count) break;
                    throw new TabTwinException("cluster.no-silos", $"No silo of the cluster is left to do the remaining {items.Count - _done.Count} of {items.Count} items of the job.",
                        hint: "Start silos with 'tabtwin silo --cluster …' and run the job again.");
                }
                await Task.WhenAny(Task.WhenAny(loops), Task.Delay(TimeSpan.FromSeconds(5), stop.Token));
                loops.RemoveAll(l => l.IsCompletedSuccessfully);
                if (loops.FirstOrDefault(l => l.IsFaulted) is { } failed) await failed; // a data error: stop the job
                cancel.ThrowIfCancellationRequested();
                // With items left but every loop ended, the next round rediscovers silos.
            }
        }
        finally
        {
            stop.Cancel();
            try { await Task.WhenAll(loops); } catch { /* already reported, or cancelled with the job */ }
        }
    }

    /// <summary>
    /// The active silos. Later rounds are best effort: the management call goes through one gateway, which may be
    /// the silo that just died (its call then times out), and the workers already running carry the job meanwhile.
    /// </summary>
    private static async Task<IReadOnlyList<SiloAddress>> Discover(ClusterClient client, bool first, IReadOnlyList<SiloAddress>? known, CancellationToken cancel)
    {
        for (int attempt = 1; ; attempt++)
        {
            try { return await client.ActiveSilosAsync().WaitAsync(DiscoveryTimeout, cancel); }
            catch (Exception e) when (IsSiloFailure(e, cancel))
            {
                if (!first) return [];
                if (known is { Count: > 0 }) return known;
                if (attempt == 3) throw new TabTwinException("cluster.unreachable", $"The cluster did not say which silos are active: {e.Message}", inner: e);
            }
        }
    }

    /// <summary>Gives one silo batches until no item is waiting and none is in flight anywhere (a lost silo's items come back).</summary>
    private async Task WorkerLoop(SiloAddress silo, CancellationToken cancel)
    {
        var worker = protocol.Worker(silo);
        WorkerInfo info;
        try { info = await OnSilo(silo, worker.Describe); }
        catch (Exception e) when (IsSiloFailure(e, cancel)) { Lose(silo, []); return; }
        lock (_gate) { SilosUsed++; _working++; _workers.Add(silo); }
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                int[] batch;
                lock (_gate)
                {
                    if (_pending.Count == 0)
                    {
                        if (_inFlight == 0) return;
                        batch = [];
                    }
                    else
                    {
                        // Guided self-scheduling: large batches while much is left (few round trips), at least one
                        // item per core, smaller towards the end so the silos finish together.
                        int workers = Math.Max(1, _started - _lost.Count);
                        int guided = (_pending.Count + 2 * workers - 1) / (2 * workers);
                        batch = new int[Math.Min(_pending.Count, Math.Max(info.Slots, guided))];
                        for (int i = 0; i < batch.Length; i++) batch[i] = _pending.Dequeue();
                        _inFlight += batch.Length;
                    }
                }
                if (batch.Length == 0) { await Task.Delay(PollInterval, cancel); continue; }
                if (!await RunBatch(worker, silo, batch, cancel)) return;
            }
        }
        finally { lock (_gate) _working--; }
    }

    /// <summary>Runs one batch to its end; false when the silo is lost (its unfinished items are back in the queue).</summary>
    private async Task<bool> RunBatch(IClusterWorkerGrain worker, SiloAddress silo, int[] batch, CancellationToken cancel)
    {
        var batchId = Guid.NewGuid();
        var finished = new HashSet<int>();
        int failures = 0;
        bool started = false;
        try
        {
            while (true)
            {
                try
                {
                    if (!started) { await OnSilo(silo, () => protocol.Start(worker, batchId, batch)); started = true; }
                    await Task.Delay(PollInterval, cancel);
                    var status = await worker.Poll(batchId);
                    failures = 0;
                    await Record(worker, batchId, batch, status, finished);
                    if (!status.Finished) continue;
                    if (status.ErrorCode is null && finished.Count == batch.Length) return true;
                    if (status.ErrorCode is "cluster.batch-lost" or "cluster.worker-failed" or "cluster.cancelled" && !cancel.IsCancellationRequested)
                    {
                        Lose(silo, batch.Where(p => !finished.Contains(p)));
                        return false;
                    }
                    throw new TabTwinException(status.ErrorCode ?? "cluster.worker-failed", status.ErrorMessage ?? "A silo failed its part of the job.", hint: status.ErrorHint);
                }
                catch (Exception e) when (IsSiloFailure(e, cancel))
                {
                    if (++failures < FailuresBeforeLost) continue;
                    Lose(silo, batch.Where(p => !finished.Contains(p)));
                    try { _ = worker.Cancel(batchId); } catch { /* the silo is gone */ }
                    return false;
                }
            }
        }
        catch when (started)
        {
            // The job is failing or cancelled: stop this batch and wait until it has stopped, so what it writes (a
            // staging folder) can be removed without a silo adding a file to it afterwards.
            await StopBatch(worker, batchId);
            throw;
        }
        finally
        {
            lock (_gate)
            {
                _inFlight -= batch.Length;
                _inFlightRows.Remove(batchId);
            }
        }
    }

    private static async Task StopBatch(IClusterWorkerGrain worker, Guid batchId)
    {
        var deadline = DateTime.UtcNow + StopWait;
        try
        {
            await worker.Cancel(batchId).WaitAsync(StopWait);
            while (DateTime.UtcNow < deadline && !(await worker.Poll(batchId).WaitAsync(StopWait)).Finished)
                await Task.Delay(PollInterval);
        }
        catch (Exception e) when (e is not OutOfMemoryException) { /* the silo is gone: it does nothing more */ }
    }

    /// <summary>Collects the batch's newly finished items (each once across the job) and reports progress.</summary>
    private async Task Record(IClusterWorkerGrain worker, Guid batchId, int[] batch, BatchStatus status, HashSet<int> finished)
    {
        foreach (int item in status.PartsDone)
        {
            if (Array.IndexOf(batch, item) < 0 || finished.Contains(item)) continue;
            bool mine;
            lock (_gate) mine = !_done.Contains(item) && _collecting.Add(item);
            if (mine)
            {
                try { await protocol.Collect(worker, batchId, item); }
                catch
                {
                    lock (_gate) _collecting.Remove(item); // uncollected: back to the queue with the silo's other items
                    throw;
                }
                lock (_gate)
                {
                    _collecting.Remove(item);
                    if (_done.Add(item)) _rowsOfDoneItems += rowsOf(item);
                }
            }
            // Not mine: another silo has (or is collecting) it; if that one fails, it puts the item back.
            finished.Add(item);
        }
        ClusterProgress snapshot;
        lock (_gate)
        {
            long doneRowsOfBatch = status.PartsDone.Where(p => Array.IndexOf(batch, p) >= 0).Sum(rowsOf);
            _inFlightRows[batchId] = Math.Max(0, status.RowsWritten - doneRowsOfBatch);
            long rowsNow = _rowsOfDoneItems + _inFlightRows.Values.Sum();
            snapshot = new ClusterProgress(_done.Count, items.Count, rowsNow, rowsNow / Math.Max(1e-3, _clock.Elapsed.TotalSeconds), _working);
        }
        progress?.Report(snapshot);
    }

    private void Lose(SiloAddress silo, IEnumerable<int> unfinished)
    {
        lock (_gate)
        {
            _lost.Add(silo.ToString());
            foreach (int item in unfinished)
            {
                if (_done.Contains(item)) continue;
                _pending.Enqueue(item);
                Reassigned++;
            }
        }
    }

    /// <summary>Calls a worker with a placement hint, so a new activation is made on <paramref name="silo"/>.</summary>
    private static async Task<T> OnSilo<T>(SiloAddress silo, Func<Task<T>> call)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try { return await call(); }
        finally { RequestContext.Remove(IPlacementDirector.PlacementHintKey); }
    }

    private static async Task OnSilo(SiloAddress silo, Func<Task> call) => await OnSilo(silo, async () => { await call(); return 0; });

    /// <summary>Failures that mean "that silo is gone or unreachable", as opposed to a job error or the user's cancel.</summary>
    private static bool IsSiloFailure(Exception e, CancellationToken cancel) =>
        !cancel.IsCancellationRequested && e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
            or OrleansException or System.Net.Sockets.SocketException;
}
