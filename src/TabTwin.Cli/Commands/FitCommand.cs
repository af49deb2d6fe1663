using System.CommandLine;
using TabTwin.Models;
using TabTwin.Synthesizers;

namespace TabTwin.Cli.Commands;

/// <summary><c>tabtwin fit data.csv -o model.tabtwin</c>: learn a table and save the fitted model.</summary>
internal static class FitCommand
{
    public static Command Build(CliConsole console)
    {
        var source = CommonOptions.Source();
        var output = CommonOptions.Output("Model file to write (e.g. model.tabtwin). It holds information from the data: protect it like the data.");
        var format = CommonOptions.Format();
        var table = CommonOptions.TableName();
        var query = CommonOptions.Query();
        var metadata = CommonOptions.Metadata();
        var locale = CommonOptions.Locale();
        var seed = CommonOptions.Seed();
        var synthesizer = CommonOptions.Synthesizer();
        var options = CommonOptions.SynthesizerOptions();
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("fit", "Learn a table and save the fitted model to a file.")
            { source, output, format, table, query, metadata, locale, seed, synthesizer, options, quiet };
        cmd.SetAction(r =>
        {
            console.Quiet = r.GetValue(quiet);
            var data = CommonOptions.ReadTable(console, r.GetValue(source)!, r.GetValue(format), r.GetValue(table), r.GetValue(query));
            var schema = CommonOptions.ResolveSchema(data, r.GetValue(metadata), r.GetValue(locale));
            var model = Fit(console, data, schema, r.GetValue(synthesizer)!, r.GetValue(options), r.GetValue(seed));
            var path = r.GetValue(output)!;
            console.Step($"Saving {path}", _ => ModelFile.Save(model, path));
            console.Out($"Model ({model.SynthesizerName}, {data.ColumnCount} columns, learned from {data.RowCount:N0} rows) saved to {Path.GetFullPath(path)}");
            return CliApp.ExitOk;
        });
        return cmd;
    }

    public static ISynthesizerModel Fit(CliConsole console, Tables.Table data, Schema.TableSchema schema, string synthesizer, string? options, ulong seed)
    {
        var entry = SynthesizerRegistry.Get(synthesizer);
        var s = entry.Create(CommonOptions.ParseSynthesizerOptions(options));
        return console.Step($"Fitting {entry.Name}", p => s.Fit(data, schema, new FitContext(seed, p)));
    }
}
