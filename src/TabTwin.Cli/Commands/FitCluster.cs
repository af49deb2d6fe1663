using System.CommandLine;
using System.Runtime.InteropServices;
using TabTwin.Cluster;
using TabTwin.Registry;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>fit data/ --cluster &lt;connection&gt; -o model.tabtwin</c>: the streaming cart fit with its passes run by the
/// cluster's silos (<see cref="ClusterFitting"/>), the same model as <c>fit data/ --stream</c> with the same
/// <c>--unit-rows</c>. The input must be Parquet on storage every silo sees at the same path.
/// </summary>
internal sealed class FitCluster
{
    public Option<string?> Cluster { get; } = new("--cluster")
    {
        Description = "Fit on a cluster of 'tabtwin silo' workers: the streaming cart fit (implies --stream) with its passes over the data run by the silos; "
            + "the same model as --stream with the same --unit-rows. The input must be a folder, a pattern (data/*.parquet) or a file of Parquet on storage "
            + "every silo sees at the same path; not with --epsilon, another --synthesizer, databases or CSV. The connection: 'localhost' or a PostgreSQL "
            + "connection holding the membership table, as for 'tabtwin silo'.",
    };

    public Option<string?> ClusterId { get; } = SiloCommand.ClusterId();

    public IEnumerable<Option> All => [Cluster, ClusterId];

    /// <summary>The connection when --cluster was given, after refusing what a cluster fit does not do (usage errors, before any work).</summary>
    public ClusterConnection? Connection(ParseResult r, bool dp, string source, string synthesizer, IEnumerable<Option> notForCluster)
    {
        var connection = SampleCluster.Connection(r, Cluster, ClusterId, notForCluster,
            "--cluster (the silos read the Parquet files as they are, with their own cores, and spill nothing)");
        if (connection is null) return null;
        if (dp) throw new UsageException("cli.cluster-private", "--cluster cannot be combined with --epsilon: the private synthesizers read their data in memory.",
            hint: "Drop --cluster, or drop --epsilon.");
        if (SynthesizerRegistry.Get(synthesizer).Name != CartSynthesizer.RegistryName)
            throw new UsageException("cli.cluster-synthesizer", $"Only '{CartSynthesizer.RegistryName}' fits on a cluster (it learns in passes); '{synthesizer}' learns from rows in memory.",
                hint: $"Drop --synthesizer, or fit '{synthesizer}' without --cluster (with --stream it learns from a sample).");
        if (!ClusterFitting.Accepts(source))
            throw new UsageException("cli.cluster-input", $"--cluster fits Parquet: '{source}' is not a folder, pattern or file of Parquet files (each silo opens the row groups by path).",
                hint: "Convert the table to Parquet on storage every silo sees, or fit it with --stream on one machine.");
        return connection;
    }

    /// <summary>Fits on the cluster, printing the passes' progress on stderr, and says how.</summary>
    public static StreamingFitResult Fit(CliConsole console, ClusterConnection connection, string source, string synthesizer, string? options,
        string? metadata, string? locale, ulong seed, StreamingFitOptions streaming, bool privacyCheck)
    {
        using var stop = new CancellationTokenSource();
        // Ctrl+C stops the silos' batches before the process ends.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        console.Info($"Fitting {synthesizer} (streaming) on cluster '{connection.ClusterId}' ({connection.Display}) from {Path.GetFullPath(source)}");
        var result = ClusterFitting.FitAsync(connection, source, synthesizer, CommonOptions.ParseSynthesizerOptions(options),
            sample => CommonOptions.ResolveSchema(sample, metadata, locale),
            new FitContext(seed, Cancel: stop.Token) { Warning = w => console.Error("warning: " + w) }, streaming, new Lines(console, SampleCluster.ReportEvery),
            privacyCheck ? new PrivacyCheckOptions() : PrivacyCheckOptions.Off).GetAwaiter().GetResult();
        console.Info($"  {result.Fit.Description}");
        if (result.Fit.PrivacyCheck is { } check) console.Info($"  {check.Describe()}");
        console.Info($"  {result.Passes} passes over {result.Units:N0} work unit(s) on {result.Silos} silo(s) in {result.Elapsed.TotalSeconds:0.00} s"
            + (result.Reassigned > 0 ? $"; {result.Reassigned} unit(s) re-run after a silo was lost" : ""));
        return result.Fit;
    }

    /// <summary>One progress line on stderr when a unit is done, at most every <paramref name="every"/> (logs stay short).</summary>
    private sealed class Lines(CliConsole console, TimeSpan every) : IProgress<ClusterFitProgress>
    {
        private readonly object _gate = new();
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private TimeSpan? _last;

        public void Report(ClusterFitProgress p)
        {
            lock (_gate)
            {
                if (p.UnitsDone == 0 || _clock.Elapsed - _last < every) return;
                _last = _clock.Elapsed;
                console.Info($"  pass {p.Pass} ({p.Stage}): units {p.UnitsDone:N0}/{p.UnitsTotal:N0}, {p.Rows:N0} rows, {p.RowsPerSecond:N0} rows/s, {p.Silos} silo(s) working");
            }
        }
    }
}
