using System.CommandLine;
using TabTwin.IO;
using TabTwin.MultiTable;
using TabTwin.Synthesis;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>run</c>, <c>fit</c> and <c>sample</c> on whole databases (a database holding several tables, a folder of tables, or
/// <c>--tables</c>): parses the options, calls <see cref="DatabaseSynthesis"/> and prints what it did.
/// </summary>
internal static class SynthesizeDatabase
{
    public static Option<double> Scale() => new("--scale")
    {
        Description = "Whole databases: root tables get this many times their real rows (0.1 = ten times smaller); child tables follow their learned counts.",
        DefaultValueFactory = _ => 1.0,
    };

    public static DatabaseSynthesisOptions Options(CliConsole console, string? tables, string? metadata, ulong seed, double scale, bool overwrite, bool privacyCheck)
    {
        if (!(scale >= 0) || double.IsInfinity(scale)) throw new UsageException("cli.scale", $"--scale must be a finite number ≥ 0, not {scale}.");
        return new DatabaseSynthesisOptions
        {
            Read = InspectDatabase.ReadOptions(tables, "as-missing", metadata) with { Warning = w => console.Error("warning: " + w) },
            Fit = new MultiTableOptions
            {
                Seed = seed, Warning = w => console.Info("  " + w), PrivacyCheck = privacyCheck ? null : PrivacyCheckOptions.Off,
            },
            Scale = scale,
            Write = new RelationalWriteOptions { Overwrite = overwrite },
            Step = console.Info,
        };
    }

    public static int Run(CliConsole console, string source, string destination, DatabaseSynthesisOptions options)
    {
        var result = DatabaseSynthesis.Run(source, destination, options);
        console.Out($"{Describe(result)} written to {TableReader.Describe(destination)} in {result.Elapsed.TotalSeconds:0.0} s (seed {options.Fit.Seed}).");
        return CliApp.ExitOk;
    }

    public static int Fit(CliConsole console, string source, string modelPath, DatabaseSynthesisOptions options)
    {
        var model = DatabaseSynthesis.Fit(source, modelPath, options);
        console.Out($"Database model ({model.Metadata.Tables.Count} tables, {model.Metadata.ForeignKeys.Count} foreign keys) saved to {Path.GetFullPath(modelPath)}");
        return CliApp.ExitOk;
    }

    public static int Sample(CliConsole console, string modelPath, string destination, DatabaseSynthesisOptions options)
    {
        var result = DatabaseSynthesis.Sample(modelPath, destination, options);
        console.Out($"{Describe(result)} written to {TableReader.Describe(destination)} in {result.Elapsed.TotalSeconds:0.0} s (seed {options.Fit.Seed}).");
        return CliApp.ExitOk;
    }

    private static string Describe(DatabaseSynthesisResult result) =>
        $"{result.Synthetic.RowCount:N0} synthetic rows in {result.Synthetic.Metadata.Tables.Count} tables ({string.Join(", ", result.Synthetic.Metadata.ParentsFirst.Select(t => $"{t} {result.Synthetic[t].RowCount:N0}"))})";
}
