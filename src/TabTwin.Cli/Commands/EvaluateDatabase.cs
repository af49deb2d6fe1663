using TabTwin.Evaluation.MultiTable;
using TabTwin.Evaluation.Report;
using TabTwin.IO;
using TabTwin.Schema.Relational;

namespace TabTwin.Cli.Commands;

/// <summary><c>tabtwin evaluate</c> on two whole databases (or folders of tables): SDMetrics' multi-table quality and referential integrity.</summary>
internal static class EvaluateDatabase
{
    public static void Run(CliConsole console, string realAddress, string syntheticAddress, string? metadataFile, string? holdout, string? target,
        string? reportPath, string? jsonPath)
    {
        if (holdout is not null || target is not null)
            throw new UsageException("evaluate.database-holdout",
                $"--{(holdout is not null ? "holdout" : "target")} applies to one table; '{TableReader.Describe(realAddress)}' holds several tables.",
                hint: "Evaluate a database without --holdout and --target, or pick one table with --table to evaluate it alone.");
        // Both sides are read as they are (orphans kept, no keys proposed for the synthetic side): the evaluation
        // measures the synthetic database's integrity against the real keys instead of repairing it.
        var real = console.Step($"Reading {TableReader.Describe(realAddress)}", _ => RelationalSource.Read(realAddress,
            new RelationalReadOptions { MetadataFile = metadataFile, Orphans = OrphanPolicy.Keep, Warning = w => console.Error("warning: " + w) }));
        var synthetic = console.Step($"Reading {TableReader.Describe(syntheticAddress)}", _ => RelationalSource.Read(syntheticAddress,
            new RelationalReadOptions { MetadataFile = metadataFile, Orphans = OrphanPolicy.Keep, ProposeKeys = false }));
        var result = console.Step("Evaluating", _ => MultiTableQuality.Evaluate(real, synthetic));
        foreach (var line in result.SummaryLines()) console.Out(line);
        if (jsonPath is not null)
        {
            console.Step($"Writing {jsonPath}", _ => AtomicFile.WriteAllText(jsonPath, result.ToJson()));
            console.Out($"Metrics written to {Path.GetFullPath(jsonPath)}");
        }
        if (reportPath is not null)
        {
            console.Step($"Writing {reportPath}", _ => AtomicFile.WriteAllText(reportPath, MultiTableHtmlReport.Render(result, real, synthetic)));
            console.Out($"Report written to {Path.GetFullPath(reportPath)}");
        }
    }
}
