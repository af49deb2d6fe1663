using System.Diagnostics;
using System.Reflection;
using TabTwin.Evaluation.Coverage;
using TabTwin.Evaluation.Detection;
using TabTwin.Evaluation.Privacy;
using TabTwin.Evaluation.Quality;
using TabTwin.Evaluation.Utility;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Evaluation;

/// <summary>What <see cref="EvaluationReport.Compute"/> evaluates beyond quality, coverage and detection.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Real rows the synthesizer never saw; enables privacy (and utility with a <see cref="Target"/>).</summary>
    public Table? Holdout { get; init; }
    /// <summary>Column a model should predict; enables TSTR utility (needs a holdout).</summary>
    public string? Target { get; init; }
    public ulong Seed { get; init; }
    /// <summary>Threads for the neighbour search and detection folds (−1 = all cores); results do not depend on it
    /// (each LightGBM model itself stays single-threaded, which is what keeps it deterministic).</summary>
    public int MaxThreads { get; init; } = -1;
    public IProgress<StepProgress>? Progress { get; init; }
    /// <summary>Detection rows per side; kept configurable so tests stay fast.</summary>
    public int DetectionRowsPerSide { get; init; } = 5_000;
}

/// <summary>
/// The full evaluation of a synthetic table in one call: quality, coverage and classifier detection always;
/// privacy only with a holdout (DCR needs rows the model never saw); TSTR utility only with a holdout and a target.
/// Skipped parts are recorded with the reason, so a report never silently omits anything.
/// </summary>
public static class EvaluationReport
{
    public static EvaluationResult Compute(Table real, Table synthetic, TableSchema schema, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(synthetic);
        ArgumentNullException.ThrowIfNull(schema);
        options ??= new EvaluationOptions();
        if (options.Target is { } t && !schema.Columns.Any(c => c.Name == t))
            throw new SchemaException("evaluate.unknown-target", $"The target column '{t}' is not in the table (columns: {string.Join(", ", schema.Columns.Select(c => c.Name))}).", column: t);

        var started = DateTimeOffset.UtcNow;
        var total = Stopwatch.StartNew();
        var parts = new List<EvaluationPartRun>();
        int threads = options.MaxThreads > 0 ? options.MaxThreads : Environment.ProcessorCount;
        // LightGBM takes an int seed; fold the 64-bit seed so every bit still matters.
        int boostSeed = (int)((options.Seed ^ (options.Seed >> 32)) & 0x7FFF_FFFF);
        const int partCount = 5;
        int done = 0;

        T? Run<T>(string part, string? skip, Func<T> work) where T : class
        {
            options.Progress?.Report(new StepProgress(part, (double)done / partCount));
            done++;
            if (skip is not null) { parts.Add(new(part, false, 0, skip)); return null; }
            var clock = Stopwatch.StartNew();
            var result = work();
            parts.Add(new(part, true, clock.Elapsed.TotalSeconds));
            return result;
        }

        var quality = Run("quality", null, () => QualityReport.Compute(real, synthetic, schema))!;
        var coverage = Run("coverage", null, () => CoverageReport.Compute(real, synthetic, schema))!;
        int perSide = Math.Min(Math.Min(real.RowCount, synthetic.RowCount), options.DetectionRowsPerSide);
        var detectionOptions = new DetectionOptions
        {
            Boosting = new BoostingOptions { Seed = boostSeed, Iterations = 50 },
            MaxParallelFolds = threads, MaxRowsPerSide = options.DetectionRowsPerSide,
        };
        int detectionMinimum = Math.Max(detectionOptions.Folds, DetectionOptions.MinRowsPerSide);
        var detection = Run("detection", perSide < detectionMinimum ? $"needs at least {detectionMinimum} rows in each table (got {perSide})" : null,
            () => ClassifierDetection.Compute(real, synthetic, schema, detectionOptions));
        var holdout = options.Holdout;
        var privacy = Run("privacy", holdout is null ? "no holdout given (privacy compares synthetic rows with real rows the model never saw)" : null,
            () => PrivacyReport.Compute(real, holdout!, synthetic, schema, new PrivacyOptions { Seed = options.Seed, MaxThreads = options.MaxThreads }));
        string? utilitySkip = holdout is null ? "no holdout given (utility tests models on real rows the model never saw)"
            : options.Target is null ? "no target column given" : null;
        var utility = Run("utility", utilitySkip, () => TstrUtility.Compute(real, holdout!, synthetic, schema, options.Target!,
            new UtilityOptions { Boosting = new BoostingOptions { Seed = boostSeed } }));
        options.Progress?.Report(new StepProgress("done", 1));

        var run = new EvaluationRunInfo(Version, options.Seed, started, total.Elapsed.TotalSeconds,
            real.RowCount, synthetic.RowCount, holdout?.RowCount, options.Target, parts);
        return new EvaluationResult(quality, coverage, detection, privacy, utility, run);
    }

    /// <summary>The TabTwin library version (informational version without the source-revision suffix).</summary>
    public static string Version
    {
        get
        {
            var asm = typeof(EvaluationReport).Assembly;
            var info = asm.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            if (info is not null) return info.Split('+')[0];
            return asm.GetName().Version?.ToString() ?? "unknown";
        }
    }
}
