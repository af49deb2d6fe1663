using TabTwin.IO;
using System.CommandLine;
using TabTwin.Models;

namespace TabTwin.Cli.Commands;

/// <summary><c>tabtwin sample model.tabtwin -n 100000 -o out.parquet [--where "age>=30"]</c>: draw rows from a saved model, optionally under conditions.</summary>
internal static class SampleCommand
{
    public static Command Build(CliConsole console)
    {
        var model = new Argument<string>("model") { Description = "Model file written by 'tabtwin fit'." };
        var output = CommonOptions.Output("Output table (.csv, .tsv, .parquet, .db/.sqlite, .duckdb, or a database).");
        var rows = new Option<int?>("--rows", "-n") { Description = "Number of rows to sample (required unless --conditions is given)." };
        var where = ConditionOptions.Where();
        var conditions = ConditionOptions.Conditions();
        var seed = CommonOptions.Seed();
        var table = CommonOptions.TableName();
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("sample", "Sample new rows from a saved model.") { model, output, rows, where, conditions, seed, table, quiet };
        cmd.SetAction(r =>
        {
            console.Quiet = r.GetValue(quiet);
            var path = r.GetValue(model)!;
            var fitted = console.Step($"Loading {path}", _ => ModelFile.Load(path));
            var synthetic = ConditionOptions.Sample(console, fitted, r.GetValue(rows), r.GetValue(where), r.GetValue(conditions), r.GetValue(seed));
            var destination = r.GetValue(output)!;
            CommonOptions.WriteTable(console, synthetic, destination, r.GetValue(table));
            console.Out($"{synthetic.RowCount:N0} synthetic rows written to {TableReader.Describe(destination)}");
            return CliApp.ExitOk;
        });
        return cmd;
    }
}
