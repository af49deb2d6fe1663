using System.CommandLine;
using System.Runtime.InteropServices;
using TabTwin.Cluster;
using TabTwin.Generation;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>sample model.tabtwin -n N -o out/ --parts P --cluster &lt;connection&gt;</c>: the same folder as without
/// <c>--cluster</c>, byte for byte, its parts written by the cluster's silos (<see cref="ClusterSampling"/>). The model
/// file and the output folder must be on storage every silo sees at the same path.
/// </summary>
internal static class SampleCluster
{
    public static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(2);

    /// <summary>The --cluster connection, or null; refuses what the silos cannot honour before any work (for sampling: rules
    /// added with --metadata, as the silos load the model file as it is, and --threads, as each silo uses its own cores).</summary>
    public static ClusterConnection? Connection(ParseResult r, Option<string?> cluster, Option<string?> clusterId, IEnumerable<Option> notForCluster,
        string mode = "--cluster (the silos sample the model file as it is, on their own cores)")
    {
        if (r.GetValue(cluster) is not { } text)
        {
            if (GenerateCommand.Given(r, clusterId))
                throw new UsageException("cli.cluster-id", "--cluster-id names a cluster given with --cluster.", hint: "Add --cluster <connection>.");
            return null;
        }
        GenerateCommand.Refuse(r, mode, notForCluster);
        return ClusterConnection.Parse(text, r.GetValue(clusterId));
    }

    public static int Run(CliConsole console, ClusterConnection connection, string modelPath, ISynthesizerModel model, PartitionPlan plan,
        ulong seed, string folder, Shard? shard, bool overwrite)
    {
        using var stop = new CancellationTokenSource();
        // Ctrl+C stops the silos' batches and removes the staging folder before the process ends.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        var progress = ProgressLines(console);
        console.Info($"Sampling {plan.TotalRows:N0} rows into {plan.Parts:N0} part(s) on cluster '{connection.ClusterId}' ({connection.Display})"
            + (shard is null ? "" : $" (shard {shard})"));
        var result = ClusterSampling.SampleAsync(connection, modelPath, plan, seed, folder, shard, overwrite, progress, model, stop.Token).GetAwaiter().GetResult();
        console.Out($"{result.Rows:N0} synthetic rows written to {Path.GetFullPath(folder)} in {result.Parts:N0} part file(s) by {result.Silos} silo(s)"
            + (shard is null ? "" : $" (shard {shard}, marker {PartitionedSampling.ShardMarker(shard.Value)})"));
        console.Info($"{result.Rows / Math.Max(1e-3, result.Elapsed.TotalSeconds):N0} rows/s ({result.Elapsed.TotalSeconds:0.00} s"
            + (result.Reassigned > 0 ? $"; {result.Reassigned} part(s) re-run after a silo was lost)" : ")"));
        return CliApp.ExitOk;
    }

    public static IProgress<ClusterProgress> ProgressLines(CliConsole console) => new Lines(console, ReportEvery);

    /// <summary>One progress line on stderr when a part finishes, at most every <paramref name="every"/> (logs stay short).</summary>
    private sealed class Lines(CliConsole console, TimeSpan every) : IProgress<ClusterProgress>
    {
        private readonly object _gate = new();
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private TimeSpan? _last;
        private int _parts = -1;

        public void Report(ClusterProgress p)
        {
            lock (_gate)
            {
                bool finished = p.PartsDone == p.PartsTotal;
                if (!finished && (p.PartsDone == _parts || _clock.Elapsed - _last < every)) return;
                if (finished && _parts == p.PartsTotal) return;
                _last = _clock.Elapsed;
                _parts = p.PartsDone;
                console.Info($"  parts {p.PartsDone:N0}/{p.PartsTotal:N0}, {p.RowsWritten:N0} rows, {p.RowsPerSecond:N0} rows/s, {p.Silos} silo(s) working");
            }
        }
    }
}
