using System.CommandLine;
using System.Text.Json;
using TabTwin.Sampling.Constraints;
using TabTwin.IO;
using TabTwin.Schema;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>tabtwin validate data.csv --metadata m.json</c>: checks a table (real or synthetic) against the schema and the
/// constraints of a metadata file and lists every violation. Exit 0 when clean (warnings allowed), 1 when not.
/// </summary>
internal static class ValidateCommand
{
    public static Command Build(CliConsole console)
    {
        var source = CommonOptions.Source();
        var format = CommonOptions.Format();
        var encoding = CommonOptions.Encoding();
        var table = CommonOptions.TableName();
        var query = CommonOptions.Query();
        var metadata = new Option<string>("--metadata", "-m") { Description = "Metadata JSON with \"columns\" and optional \"constraints\".", Required = true };
        var json = new Option<string?>("--json") { Description = "Also write the findings as JSON to this file." };
        var maxRows = new Option<int>("--max-rows") { Description = "Violating rows to show per problem.", DefaultValueFactory = _ => 10 };
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("validate", "Check a table against the metadata's schema and constraints; list every violation.")
            { source, format, encoding, table, query, metadata, json, maxRows, quiet };
        var outputs = new OutputOptions();
        cmd.Add(outputs.Overwrite);
        cmd.SetAction(r =>
        {
            console.Quiet = r.GetValue(quiet);
            outputs.Check(r, null, null, r.GetValue(json));
            int max = r.GetValue(maxRows);
            if (max < 0) throw new TabTwinException("cli.max-rows", $"--max-rows must be zero or more, not {max}.");
            var path = r.GetValue(metadata)!;
            if (!File.Exists(path)) throw new SchemaException("metadata.not-found", $"Metadata file '{path}' does not exist.", file: path);
            var text = File.ReadAllText(path);
            var schema = SchemaJson.FromJson(text, path);
            var constraints = ConstraintSet.FromMetadataJson(text, path);
            var data = CommonOptions.ReadTable(console, r.GetValue(source)!, r.GetValue(format), r.GetValue(table), r.GetValue(query), r.GetValue(encoding));
            var report = TableValidator.Validate(data, schema, constraints, max);
            foreach (var issue in report.Issues)
            {
                console.Out($"{issue.Severity}: {issue.Subject}: {issue.Message}");
                foreach (var row in issue.Rows) console.Out($"  {row}");
                if (issue.Count > issue.Rows.Count && issue.Rows.Count > 0) console.Out($"  ... and {issue.Count - issue.Rows.Count:N0} more");
            }
            console.Out(report.IsValid
                ? $"OK: {report.RowCount:N0} rows × {report.ColumnCount} columns fit the metadata and satisfy {report.ConstraintCount} constraint(s){(report.Warnings > 0 ? $" ({report.Warnings} warning(s))" : "")}."
                : $"INVALID: {report.Errors} error(s), {report.Warnings} warning(s) in {report.RowCount:N0} rows.");
            if (r.GetValue(json) is { } jsonPath)
                AtomicFile.WriteAllText(jsonPath, JsonSerializer.Serialize(report, SchemaJson.Options), overwrite: r.GetValue(outputs.Overwrite));
            return report.IsValid ? CliApp.ExitOk : CliApp.ExitDataError;
        });
        return cmd;
    }
}
