using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using TabTwin.IO;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>tabtwin inspect data.csv</c>: prints the detected metadata JSON on stdout (edit it and pass it back
/// with <c>--metadata</c>) and a readable summary of kinds and reasons on stderr. A table that looks like long-format
/// histories gets the proposed "sequence" in its metadata, with the reason (see SequenceDetector).
/// </summary>
internal static class InspectCommand
{
    /// <summary><c>tabtwin inspect model.tabtwin</c>: what the model is, its columns and, for a DP model, its privacy ledger.</summary>
    private static int InspectModel(CliConsole console, string path)
    {
        var model = Models.ModelFile.Load(path);
        console.Out($"Model {Path.GetFileName(path)}: {CommonOptions.Describe(model)}, {model.Schema.Columns.Count} columns");
        foreach (var c in model.Schema.Columns) console.Out($"  {c.Name}: {c.KindLabel}");
        if (Synthesis.PrivateSynthesis.LedgerOf(model) is not { } ledger)
        {
            console.Out("Privacy: protection rules (rare values, leaf sizes, clipping), not differential privacy; no privacy ledger.");
            return CliApp.ExitOk;
        }
        console.Out("Privacy: " + Synthesizers.PrivacyLedgerText.Summary(ledger));
        foreach (var (access, mechanism, cost) in Synthesizers.PrivacyLedgerText.Rows(ledger)) console.Out($"  {access} — {mechanism}: {cost}");
        return CliApp.ExitOk;
    }

    public static Command Build(CliConsole console)
    {
        var source = CommonOptions.Source();
        var format = CommonOptions.Format();
        var encoding = CommonOptions.Encoding();
        var table = CommonOptions.TableName();
        var query = CommonOptions.Query();
        var metadata = CommonOptions.Metadata();
        var locale = CommonOptions.Locale();
        var output = new Option<string?>("--output", "-o") { Description = "Write the metadata JSON to this file instead of stdout." };
        var quiet = CommonOptions.Quiet();
        var tables = InspectDatabase.Tables();
        var orphans = InspectDatabase.Orphans();
        var cmd = new Command("inspect", "Detect column kinds (numerical, categorical, boolean, datetime, id, pii, text) and print the metadata JSON; "
            + "for a database of several tables or a folder of tables, its tables, primary and foreign keys (declared or proposed) and orphans.")
            { source, format, encoding, table, query, metadata, locale, output, quiet, tables, orphans };
        var outputs = new OutputOptions();
        cmd.Add(outputs.Overwrite);
        cmd.SetAction(r =>
        {
            console.Quiet = r.GetValue(quiet);
            if (r.GetValue(source)!.EndsWith(".tabtwin", StringComparison.OrdinalIgnoreCase) && File.Exists(r.GetValue(source)))
                return InspectModel(console, r.GetValue(source)!);
            outputs.Check(r, null, null, r.GetValue(output));
            if (InspectDatabase.Applies(r.GetValue(source)!, r.GetValue(table), r.GetValue(query), r.GetValue(tables)))
            {
                InspectDatabase.Run(console, r.GetValue(source)!, InspectDatabase.ReadOptions(r.GetValue(tables), r.GetValue(orphans)!, r.GetValue(metadata)),
                    r.GetValue(output), r.GetValue(outputs.Overwrite));
                return CliApp.ExitOk;
            }
            var data = CommonOptions.ReadTable(console, r.GetValue(source)!, r.GetValue(format), r.GetValue(table), r.GetValue(query), r.GetValue(encoding));
            var schema = CommonOptions.ResolveSchema(data, r.GetValue(metadata), r.GetValue(locale));
            var sequence = SequenceDetector.DetectUnlessDeclared(data, schema, r.GetValue(source));
            bool declaredSequence = schema.Sequence is not null;
            schema = SequenceDetector.WithProposal(schema, sequence);
            var detected = StructureDetector.DetectUnlessDeclared(data, schema);
            var json = WithConstraints(SchemaJson.ToJson(schema), detected);
            if (r.GetValue(output) is { } path)
            {
                AtomicFile.WriteAllText(path, json + Environment.NewLine, overwrite: r.GetValue(outputs.Overwrite));
                console.Out($"Metadata for {data.ColumnCount} columns written to {Path.GetFullPath(path)}");
            }
            else
            {
                console.Out(json);
            }
            console.Info($"{data.RowCount:N0} rows × {data.ColumnCount} columns:");
            int width = schema.Columns.Max(c => c.Name.Length);
            foreach (var c in schema.Columns)
                console.Info($"  {c.Name.PadRight(width)}  {c.KindLabel,-22} {c.Reason}");
            foreach (var d in detected)
                console.Info($"  constraint {d.Rule.Type}: {d.Rule.Describe()} — {d.Reason}");
            if (schema.Sequence is { } spec)
                console.Info($"  sequence: entity '{spec.Entity}', order '{spec.Order}'{ContextText(spec)} — "
                    + (declaredSequence ? SchemaOverrides.SetInMetadata : "proposed: " + sequence.Proposal!.Reason));
            else
                foreach (var miss in sequence.NotProposed)
                    console.Info($"  no sequence: {miss}");
            return CliApp.ExitOk;
        });
        return cmd;
    }

    private static string ContextText(SequenceSpec spec) => spec.Context switch
    {
        null => ", context: every column constant within each entity",
        { Count: 0 } => "",
        var c => $", context: {string.Join(", ", c)}",
    };

    /// <summary>The metadata JSON with the detected rules (and their reasons) as its "constraints" array.</summary>
    private static string WithConstraints(string schemaJson, IReadOnlyList<DetectedConstraint> detected)
    {
        if (detected.Count == 0) return schemaJson;
        var root = JsonNode.Parse(schemaJson)!.AsObject();
        root["constraints"] = StructureDetector.ToJson(detected);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
