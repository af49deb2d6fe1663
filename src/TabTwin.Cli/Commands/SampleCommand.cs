using TabTwin.IO;
using System.CommandLine;
using TabTwin.Models;

namespace TabTwin.Cli.Commands;

/// <summary><c>tabtwin sample model.tabtwin -n 100000 -o out.parquet</c>: draw rows from a saved model.</summary>
internal static class SampleCommand
{
    public static Command Build(CliConsole console)
    {
        var model = new Argument<string>("model") { Description = "Model file written by 'tabtwin fit'." };
        var output = CommonOptions.Output("Output table (.csv, .tsv, .parquet, .db/.sqlite, .duckdb, or a database).");
        var rows = new Option<int>("--rows", "-n") { Description = "Number of rows to sample.", Required = true };
        var seed = CommonOptions.Seed();
        var table = CommonOptions.TableName();
        var metadata = new Option<string?>("--metadata", "-m")
        {
            Description = "Metadata JSON whose \"constraints\" every sampled row must also satisfy (enforced by resampling; the model's own constraints always apply).",
        };
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("sample", "Sample new rows from a saved model.") { model, output, rows, seed, table, metadata, quiet };
        cmd.SetAction(r =>
        {
            console.Quiet = r.GetValue(quiet);
            int n = r.GetValue(rows);
            if (n <= 0) throw new TabTwinException("cli.rows", $"--rows must be a positive number of rows, not {n}.");
            var path = r.GetValue(model)!;
            var fitted = console.Step($"Loading {path}", _ => ModelFile.Load(path));
            if (r.GetValue(metadata) is { } metadataPath && Sampling.Constraints.ConstraintSet.FromMetadataFile(metadataPath) is { IsEmpty: false } extra)
                fitted = Sampling.Constraints.ConstrainedModel.Enforce(fitted, extra);
            var synthetic = FitCommand.Sample(console, fitted, n, r.GetValue(seed));
            var destination = r.GetValue(output)!;
            CommonOptions.WriteTable(console, synthetic, destination, r.GetValue(table));
            console.Out($"{synthetic.RowCount:N0} synthetic rows written to {TableReader.Describe(destination)}");
            return CliApp.ExitOk;
        });
        return cmd;
    }
}
