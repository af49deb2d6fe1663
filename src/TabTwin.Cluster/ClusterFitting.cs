using System.Text.Json;
using Orleans.Runtime;
using TabTwin.Cluster.Fitting;
using TabTwin.Cluster.Scheduling;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;

namespace TabTwin.Cluster;

/// <summary>Where a distributed fit is: the pass (its stage and number), its work units done of the total, rows read
/// in the pass and the rate, silos working.</summary>
public readonly record struct ClusterFitProgress(string Stage, int Pass, int UnitsDone, int UnitsTotal, long Rows, double RowsPerSecond, int Silos);

/// <summary>What a distributed fit did: the fit itself, its passes over the data, the work units of a pass, the most silos
/// a pass used, and the units run again after their silo was lost.</summary>
public sealed record ClusterFitResult(StreamingFitResult Fit, int Passes, int Units, int Silos, int Reassigned, TimeSpan Elapsed);

/// <summary>
/// <c>fit data/ --cluster …</c>: the streaming CART fit (<see cref="StreamingSynthesis"/>) with its passes over the data
/// run by the cluster's silos. This process draws the sample, resolves the schema, learns the encoding and grows the
/// trees; each pass is sent to the silos as work units (consecutive Parquet row groups, <see cref="StreamingFitOptions.UnitRows"/>
/// rows each) that every silo reads from the same path, and their results are merged here in a fixed order — so the model
/// equals the one-process <c>fit --stream</c> with the same unit size, byte for byte, whichever silo ran which unit. A
/// silo that dies loses its units to the others (<see cref="SiloScheduler"/>). Only Parquet input (a folder, a pattern
/// such as <c>data/*.parquet</c>, or one file) and the <c>cart</c> synthesizer fit on a cluster.
/// </summary>
public static class ClusterFitting
{
    /// <summary>The node-histogram memory of a pass on a cluster: each unit returns up to this much in one message.</summary>
    public const long HistogramBytes = 32L << 20;

    /// <summary>True for input the silos can read by path: a folder or pattern of Parquet files, or one Parquet file.</summary>
    public static bool Accepts(string input) =>
        TableChunks.IsParquetFiles(input) || input.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) && File.Exists(input);

    /// <summary>Connects to the cluster, fits, disconnects (see the class summary).</summary>
    public static async Task<ClusterFitResult> FitAsync(ClusterConnection connection, string input, string synthesizer, JsonElement? options,
        Func<Table, TableSchema> schemaOf, FitContext context, StreamingFitOptions? streaming = null, IProgress<ClusterFitProgress>? progress = null,
        PrivacyCheckOptions? privacyCheck = null)
    {
        CheckInput(input);
        await using var client = await ClusterClient.ConnectAsync(connection, cancel: context.Cancel);
        return await FitAsync(client, input, synthesizer, options, schemaOf, context, streaming, progress, privacyCheck);
    }

    /// <summary>Fits through a connected client (see the class summary). The privacy self-check runs here, on the sample,
    /// as in the one-process streaming fit (<paramref name="privacyCheck"/>: null = the default check).</summary>
    public static async Task<ClusterFitResult> FitAsync(ClusterClient client, string input, string synthesizer, JsonElement? options,
        Func<Table, TableSchema> schemaOf, FitContext context, StreamingFitOptions? streaming = null, IProgress<ClusterFitProgress>? progress = null,
        PrivacyCheckOptions? privacyCheck = null)
    {
        CheckInput(input);
        input = Path.GetFullPath(input); // the silos open the same path
        streaming ??= new StreamingFitOptions();
        if (streaming.HistogramBytes > HistogramBytes) streaming = streaming with { HistogramBytes = HistogramBytes }; // the model does not depend on it
        var source = TableChunks.Open(input);
        var dispatcher = new Dispatcher(client, input, UnitRows(source, streaming.UnitRows), progress);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The library's fit is synchronous and calls the dispatcher once per pass; it runs on the pool, off the caller's thread.
        var fit = await Task.Run(() => StreamingSynthesis.Fit(source, synthesizer, options, schemaOf, context, streaming, dispatcher.Dispatch, privacyCheck), context.Cancel);
        return new ClusterFitResult(fit, dispatcher.Passes, dispatcher.Units, dispatcher.Silos, dispatcher.Reassigned, clock.Elapsed);
    }

    private static void CheckInput(string input)
    {
        if (!Accepts(input))
            throw new TabTwinException("cluster.fit-input", $"'{input}' is not a folder, pattern or file of Parquet files; a cluster fit reads Parquet row groups, which every silo opens by path.",
                file: input, hint: "Convert the table to Parquet (tabtwin sample … --parts, or any Parquet writer) on storage every silo sees, or fit with --stream on one machine.");
    }

    /// <summary>The rows of each work unit (for progress; 0 where a partition does not say).</summary>
    private static long[] UnitRows(ITableChunkSource source, long unitRows)
    {
        var partitions = (source as IPartitionedChunkSource)?.PartitionRows ?? [];
        return WorkUnit.Plan(source, unitRows).Select(u => u.FirstPartition < 0 ? 0
            : Enumerable.Range(u.FirstPartition, u.PartitionCount).Sum(p => Math.Max(0, partitions[p]))).ToArray();
    }

    /// <summary>Runs each pass of the fit on the silos; one worker grain per silo for the whole fit.</summary>
    private sealed class Dispatcher(ClusterClient client, string input, long[] unitRows, IProgress<ClusterFitProgress>? progress)
    {
        private readonly Guid _fit = Guid.NewGuid();
        private readonly HashSet<string> _lost = new(StringComparer.Ordinal);
        private IReadOnlyList<SiloAddress> _silos = [];
        public int Passes { get; private set; }
        public int Units => unitRows.Length;
        public int Silos { get; private set; }
        public int Reassigned { get; private set; }

        public void Dispatch(StreamingPassWork work, Action<int, byte[]> onResult, CancellationToken cancel)
        {
            var protocol = new UnitProtocol(client, _fit, input, work, onResult);
            var pass = new SiloScheduler(client, protocol, Enumerable.Range(0, work.Units).ToArray(), u => u < unitRows.Length ? unitRows[u] : 0,
                progress is null ? null : new PassProgress(progress, work), _lost, _silos);
            pass.RunAsync(cancel).GetAwaiter().GetResult();
            _silos = pass.Workers;
            Passes++;
            Silos = Math.Max(Silos, pass.SilosUsed);
            Reassigned += pass.Reassigned;
        }
    }

    private sealed class PassProgress(IProgress<ClusterFitProgress> inner, StreamingPassWork work) : IProgress<ClusterProgress>
    {
        public void Report(ClusterProgress p) =>
            inner.Report(new ClusterFitProgress(work.Stage, work.Number, p.PartsDone, p.PartsTotal, p.RowsWritten, p.RowsPerSecond, p.Silos));
    }

    /// <summary>A pass on a silo's worker: the pass's job goes with the first batch each silo gets; a finished unit's
    /// result is taken from the silo and handed to the fit.</summary>
    private sealed class UnitProtocol(ClusterClient client, Guid fit, string input, StreamingPassWork work, Action<int, byte[]> onResult) : IBatchProtocol
    {
        private readonly HashSet<IClusterWorkerGrain> _given = [];

        public IClusterWorkerGrain Worker(SiloAddress silo) => client.Orleans.GetGrain<IFitWorkerGrain>($"{fit:N}/{silo.ToParsableString()}");

        public async Task Start(IClusterWorkerGrain worker, Guid batchId, int[] items)
        {
            var grain = (IFitWorkerGrain)worker;
            var batch = new FitBatch { BatchId = batchId, Pass = work.Number, InputPath = input, Units = items };
            bool given;
            lock (_given) given = _given.Contains(worker);
            if (given && await grain.Start(batch)) return;
            if (!await grain.Start(batch with { Job = work.Job, Request = work.Request }))
                throw new InvalidOperationException("A fit worker refused a pass sent with its job.");
            lock (_given) _given.Add(worker);
        }

        public async Task Collect(IClusterWorkerGrain worker, Guid batchId, int item)
        {
            var result = await ((IFitWorkerGrain)worker).Take(batchId, item)
                ?? throw new TabTwinException("cluster.batch-lost", $"A silo finished work unit {item} of pass {work.Number} but no longer holds its result.",
                    hint: "Run the fit again; a silo may have restarted.");
            onResult(item, result);
        }
    }
}
