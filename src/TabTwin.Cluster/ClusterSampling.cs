using Orleans.Runtime;
using Orleans;
using Orleans.Runtime.Placement;
using TabTwin.Cluster.Sampling;
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
    /// <summary>How often the client asks each worker for progress (and checks it is alive).</summary>
    internal static TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
    /// <summary>How long a failing job waits for a silo to stop a batch (a part stops between chunks of 65,536 rows).</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DiscoveryTimeout = TimeSpan.FromSeconds(10);
    /// <summary>Consecutive failed calls after which a worker's silo counts as gone.</summary>
    private const int FailuresBeforeLost = 2;

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
        var job = new Job(plan, parts, progress)
        {
            ModelPath = sourcePath, ModelSha256 = ModelCache.HashOf(sourcePath), Seed = seed, Kind = kind, Table = table,
        };
        var staging = PartitionedSampling.CreateStaging(outputFolder, overwrite);
        job.Staging = staging;
        try
        {
            await job.RunAsync(client, cancel);
            PartitionedSampling.Commit(staging, outputFolder, plan, parts, shard);
        }
        catch
        {
            PartitionedSampling.Abandon(staging);
            throw;
        }
        return new ClusterSampleResult(parts.Sum(p => plan.PartRange(p).Rows), parts.Count, job.SilosUsed, job.Reassigned, job.Elapsed);
    }

    /// <summary>The client's bookkeeping for one job: parts waiting, parts done, and one loop per worker silo.</summary>
    private sealed class Job(PartitionPlan plan, List<int> parts, IProgress<ClusterProgress>? progress)
    {
        public required string ModelPath { get; init; }
        public required string ModelSha256 { get; init; }
        public required ulong Seed { get; init; }
        public required PartKind Kind { get; init; }
        public required string? Table { get; init; }
        public string Staging { get; set; } = "";
        public int SilosUsed { get; private set; }
        public int Reassigned { get; private set; }
        public TimeSpan Elapsed => _clock.Elapsed;

        private readonly Guid _id = Guid.NewGuid();
        private readonly object _gate = new();
        private readonly Queue<int> _pending = new(parts);
        private readonly HashSet<int> _done = [];
        private readonly Dictionary<Guid, long> _inFlightRows = [];
        private readonly HashSet<string> _lost = new(StringComparer.Ordinal);
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private int _inFlight, _working, _started;
        private long _rowsOfDoneParts;

        public async Task RunAsync(ClusterClient client, CancellationToken cancel)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            var loops = new List<Task>();
            var started = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                while (true)
                {
                    lock (_gate) if (_done.Count == parts.Count) break;
                    // (Re)discover silos: at the start, then every few seconds (silos that join get work).
                    foreach (var silo in await Discover(client, first: started.Count == 0, stop.Token))
                    {
                        var name = silo.ToString();
                        if (_lost.Contains(name) || !started.Add(name)) continue;
                        lock (_gate) _started++;
                        loops.Add(WorkerLoop(client, silo, stop.Token));
                    }
                    if (loops.Count == 0 || loops.All(l => l.IsCompleted))
                    {
                        await Task.WhenAll(loops);
                        lock (_gate) if (_done.Count == parts.Count) break;
                        throw new TabTwinException("cluster.no-silos", $"No silo of the cluster is left to write the remaining {parts.Count - _done.Count} of {parts.Count} parts.",
                            hint: "Start silos with 'tabtwin silo --cluster …' and run the job again.");
                    }
                    await Task.WhenAny(Task.WhenAny(loops), Task.Delay(TimeSpan.FromSeconds(5), stop.Token));
                    loops.RemoveAll(l => l.IsCompletedSuccessfully);
                    if (loops.FirstOrDefault(l => l.IsFaulted) is { } failed) await failed; // a data error: stop the job
                    cancel.ThrowIfCancellationRequested();
                    // With parts left but every loop ended, the next round rediscovers silos.
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
        private static async Task<IReadOnlyList<SiloAddress>> Discover(ClusterClient client, bool first, CancellationToken cancel)
        {
            for (int attempt = 1; ; attempt++)
            {
                try { return await client.ActiveSilosAsync().WaitAsync(DiscoveryTimeout, cancel); }
                catch (Exception e) when (IsSiloFailure(e, cancel))
                {
                    if (!first) return [];
                    if (attempt == 3) throw new TabTwinException("cluster.unreachable", $"The cluster did not say which silos are active: {e.Message}", inner: e);
                }
            }
        }

        /// <summary>Gives one silo batches until no part is waiting and none is in flight anywhere (a lost silo's parts come back).</summary>
        private async Task WorkerLoop(ClusterClient client, SiloAddress silo, CancellationToken cancel)
        {
            var worker = client.Orleans.GetGrain<ISamplingWorkerGrain>($"{_id:N}/{silo.ToParsableString()}");
            WorkerInfo info;
            try { info = await OnSilo(silo, worker.Describe); }
            catch (Exception e) when (IsSiloFailure(e, cancel)) { Lose(silo, []); return; }
            lock (_gate) { SilosUsed++; _working++; }
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
                            // part per core, smaller towards the end so the silos finish together.
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

        /// <summary>Runs one batch to its end; false when the silo is lost (its unfinished parts are back in the queue).</summary>
        private async Task<bool> RunBatch(ISamplingWorkerGrain worker, SiloAddress silo, int[] batch, CancellationToken cancel)
        {
            var request = new PartBatch
            {
                BatchId = Guid.NewGuid(), ModelPath = ModelPath, ModelSha256 = ModelSha256, TotalRows = plan.TotalRows, Parts = plan.Parts,
                PartIndices = batch, Seed = Seed, StagingFolder = Staging, Kind = Kind, Table = Table,
            };
            var finished = new HashSet<int>();
            int failures = 0;
            bool started = false;
            try
            {
                while (true)
                {
                    try
                    {
                        if (!started) { await OnSilo(silo, () => worker.Start(request)); started = true; }
                        await Task.Delay(PollInterval, cancel);
                        var status = await worker.Poll(request.BatchId);
                        failures = 0;
                        Record(request.BatchId, batch, status, finished);
                        if (!status.Finished) continue;
                        if (status.ErrorCode is null && finished.Count == batch.Length) return true;
                        if (status.ErrorCode is "cluster.batch-lost" or "cluster.worker-failed" or "cluster.cancelled" && !cancel.IsCancellationRequested)
                        {
                            Lose(silo, batch.Where(p => !finished.Contains(p)));
                            return false;
                        }
                        throw new TabTwinException(status.ErrorCode ?? "cluster.worker-failed", status.ErrorMessage ?? "A silo failed to write its parts.", hint: status.ErrorHint);
                    }
                    catch (Exception e) when (IsSiloFailure(e, cancel))
                    {
                        if (++failures < FailuresBeforeLost) continue;
                        Lose(silo, batch.Where(p => !finished.Contains(p)));
                        try { _ = worker.Cancel(request.BatchId); } catch { /* the silo is gone */ }
                        return false;
                    }
                }
            }
            catch when (started)
            {
                // The job is failing or cancelled: stop this batch and wait until it has stopped writing, so the staging
                // folder can be removed without a silo adding a file to it afterwards.
                await StopBatch(worker, request.BatchId);
                throw;
            }
            finally
            {
                lock (_gate)
                {
                    _inFlight -= batch.Length;
                    _inFlightRows.Remove(request.BatchId);
                }
            }
        }

        private static async Task StopBatch(ISamplingWorkerGrain worker, Guid batchId)
        {
            var deadline = DateTime.UtcNow + StopWait;
            try
            {
                await worker.Cancel(batchId).WaitAsync(StopWait);
                while (DateTime.UtcNow < deadline && !(await worker.Poll(batchId).WaitAsync(StopWait)).Finished)
                    await Task.Delay(PollInterval);
            }
            catch (Exception e) when (e is not OutOfMemoryException) { /* the silo is gone: it writes nothing more */ }
        }

        private void Record(Guid batchId, int[] batch, BatchStatus status, HashSet<int> finished)
        {
            ClusterProgress snapshot;
            lock (_gate)
            {
                long doneRowsOfBatch = 0;
                foreach (int part in status.PartsDone)
                {
                    if (Array.IndexOf(batch, part) < 0) continue;
                    long rows = plan.PartRange(part).Rows;
                    doneRowsOfBatch += rows;
                    if (finished.Add(part) && _done.Add(part)) _rowsOfDoneParts += rows;
                }
                _inFlightRows[batchId] = Math.Max(0, status.RowsWritten - doneRowsOfBatch);
                long rowsNow = _rowsOfDoneParts + _inFlightRows.Values.Sum();
                snapshot = new ClusterProgress(_done.Count, parts.Count, rowsNow, rowsNow / Math.Max(1e-3, _clock.Elapsed.TotalSeconds), _working);
            }
            progress?.Report(snapshot);
        }

        private void Lose(SiloAddress silo, IEnumerable<int> unfinished)
        {
            lock (_gate)
            {
                _lost.Add(silo.ToString());
                foreach (int part in unfinished)
                {
                    if (_done.Contains(part)) continue;
                    _pending.Enqueue(part);
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
}
