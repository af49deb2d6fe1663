using TabTwin.IO;
using System.CommandLine;
using TabTwin.Models;
using TabTwin.Sampling.Constraints;
using TabTwin.Synthesizers;
using TabTwin.Registry;
using TabTwin.Synthesis;

namespace TabTwin.Cli.Commands;

/// <summary><c>tabtwin fit data.csv -o model.tabtwin</c>: learn a table and save the fitted model.</summary>
internal static class FitCommand
{
    public static Command Build(CliConsole console)
    {
        var source = CommonOptions.Source();
        var output = CommonOptions.Output("Model file to write (e.g. model.tabtwin). It holds information from the data: protect it like the data.");
        var format = CommonOptions.Format();
        var encoding = CommonOptions.Encoding();
        var table = CommonOptions.TableName();
        var query = CommonOptions.Query();
        var metadata = CommonOptions.Metadata();
        var locale = CommonOptions.Locale();
        var seed = CommonOptions.Seed();
        var synthesizer = CommonOptions.Synthesizer();
        var options = CommonOptions.SynthesizerOptions();
        var signKey = CommonOptions.SignKeyFile();
        var quiet = CommonOptions.Quiet();
        var noPrivacyCheck = CommonOptions.NoPrivacyCheck();
        var privacy = new PrivacyOptions();
        var outputs = new OutputOptions();
        var tables = InspectDatabase.Tables();
        var stream = new StreamOptions();
        var clustered = new FitCluster();
        var cmd = new Command("fit", "Learn a table (or a whole database) and save the fitted model to a file; --stream learns a table larger than memory in passes, "
            + "--cluster runs those passes on the silos of a cluster (Parquet input that every silo reads at the same path; cart).")
            { source, output, format, encoding, table, query, metadata, locale, seed, synthesizer, options, noPrivacyCheck, signKey, quiet, outputs.Overwrite, tables };
        foreach (var option in privacy.All) cmd.Add(option);
        foreach (var option in stream.All) cmd.Add(option);
        foreach (var option in clustered.All) cmd.Add(option);
        cmd.SetAction(r =>
        {
            console.Quiet = r.GetValue(quiet);
            outputs.Check(r, null, null, r.GetValue(output)!);
            bool dp = privacy.Requested(r, synthesizer);
            var cluster = clustered.Connection(r, dp, r.GetValue(source)!, r.GetValue(synthesizer)!, [format, encoding, table, query, tables, stream.SpillFolder]);
            if (stream.Requested(r, implied: cluster is not null))
            {
                if (cluster is null)
                    StreamOptions.CheckCompatible(dp, ("--tables", r.GetValue(tables) is not null),
                        ("a whole database (name one table with --table or --query)", !TableChunks.IsParquetFiles(r.GetValue(source)!)
                            && InspectDatabase.Applies(r.GetValue(source)!, r.GetValue(table), r.GetValue(query), r.GetValue(tables))));
                CheckSynthesizer(r.GetValue(synthesizer)!, r.GetValue(options));
                var signing = CommonOptions.ResolveSigningKey(r.GetValue(signKey), r.GetValue(output));
                var streamed = cluster is null
                    ? stream.Fit(console, r, r.GetValue(source)!, r.GetValue(format), r.GetValue(table), r.GetValue(query), r.GetValue(encoding),
                        r.GetValue(metadata), r.GetValue(locale), r.GetValue(synthesizer)!, r.GetValue(options), r.GetValue(seed), !r.GetValue(noPrivacyCheck))
                    : FitCluster.Fit(console, cluster, r.GetValue(source)!, r.GetValue(synthesizer)!, r.GetValue(options), r.GetValue(metadata), r.GetValue(locale),
                        r.GetValue(seed), stream.Options(r), !r.GetValue(noPrivacyCheck));
                var modelPath = r.GetValue(output)!;
                console.Step($"Saving {modelPath}", _ => ModelFile.Save(streamed.Model, modelPath, signing));
                console.Out($"Model ({CommonOptions.Describe(streamed.Model)}, {streamed.Model.Schema.Columns.Count} columns, learned from {streamed.Rows:N0} rows" +
                            $"{(streamed.Streamed ? " in passes" : $" (a sample of {streamed.SampleRows:N0})")}) saved to {Path.GetFullPath(modelPath)}");
                return CliApp.ExitOk;
            }
            if (dp && InspectDatabase.Applies(r.GetValue(source)!, r.GetValue(table), r.GetValue(query), r.GetValue(tables)))
                throw PrivateSynthesis.DatabaseNotYet();
            if (InspectDatabase.Applies(r.GetValue(source)!, r.GetValue(table), r.GetValue(query), r.GetValue(tables)))
                return SynthesizeDatabase.Fit(console, r.GetValue(source)!, r.GetValue(output)!, SynthesizeDatabase.Options(console, r.GetValue(tables),
                    r.GetValue(metadata), r.GetValue(seed), 1, r.GetValue(outputs.Overwrite), !r.GetValue(noPrivacyCheck)));
            if (!dp) CheckSynthesizer(r.GetValue(synthesizer)!, r.GetValue(options));
            var key = CommonOptions.ResolveSigningKey(r.GetValue(signKey), r.GetValue(output)); // a bad key file fails before the work
            var data = CommonOptions.ReadTable(console, r.GetValue(source)!, r.GetValue(format), r.GetValue(table), r.GetValue(query), r.GetValue(encoding));
            var schema = CommonOptions.ResolveSchema(data, r.GetValue(metadata), r.GetValue(locale));
            if (dp) PrivateSynthesis.CheckSchema(schema);
            SynthesizeSequences.HintWhenHistories(console, data, schema, r.GetValue(metadata), r.GetValue(source)!);
            var path = r.GetValue(output)!;
            if (schema.Sequence is not null)
            {
                if (key is not null) throw new UsageException("cli.sign-sequence", "Signing is not yet available for sequence model files.", hint: "Leave out --sign-key-file.");
                var sequences = SynthesizeSequences.Fit(console, data, schema, r.GetValue(synthesizer)!, r.GetValue(seed), !r.GetValue(noPrivacyCheck));
                console.Step($"Saving {path}", _ => sequences.Save(path));
                console.Out($"Sequence model ({SynthesizeSequences.Entities(data, schema):N0} histories, {data.RowCount:N0} rows) saved to {Path.GetFullPath(path)}");
                return CliApp.ExitOk;
            }
            var model = dp
                ? privacy.Fit(console, r, synthesizer, options, null, data, schema, r.GetValue(seed))
                : Fit(console, data, schema, r.GetValue(synthesizer)!, r.GetValue(options), r.GetValue(seed), !r.GetValue(noPrivacyCheck));
            console.Step($"Saving {path}", _ => ModelFile.Save(model, path, key));
            console.Out($"Model ({CommonOptions.Describe(model)}, {data.ColumnCount} columns, learned from {data.RowCount:N0} rows) saved to {Path.GetFullPath(path)}");
            return CliApp.ExitOk;
        });
        return cmd;
    }

    /// <summary>
    /// Builds the synthesizer once, only to check its name and options (unknown names, out-of-range values) before the
    /// input is read: a typo in --options must not cost a read and a fit.
    /// </summary>
    public static void CheckSynthesizer(string synthesizer, string? options) =>
        SynthesizerRegistry.Get(synthesizer).Create(CommonOptions.ParseSynthesizerOptions(options));

    /// <summary>
    /// Fits; every output row honours the constraints the schema declares (the metadata's "constraints", even an empty
    /// list, is the user's word) or, when it declares none, the structures detected in the data (one-hot groups, dates
    /// split into parts). The library decides and applies them; this reports how. With <paramref name="privacyCheck"/>, a
    /// synthesizer whose protection can be tuned (cart) first checks itself on a held-out slice (<see cref="PrivacyCheck"/>).
    /// </summary>
    public static ISynthesizerModel Fit(CliConsole console, Tables.Table data, Schema.TableSchema schema, string synthesizer, string? options, ulong seed,
        bool privacyCheck = true)
    {
        var entry = SynthesizerRegistry.Get(synthesizer);
        var s = entry.Create(CommonOptions.ParseSynthesizerOptions(options));
        var rules = StructureDetector.ForFit(data, schema);
        string label = rules.IsEmpty ? $"Fitting {entry.Name}" : $"Fitting {entry.Name} with {rules.Count} constraint(s)";
        var checkOptions = privacyCheck ? new PrivacyCheckOptions() : PrivacyCheckOptions.Off;
        var (model, report, check) = console.Step(label, p => PrivacyCheck.Fit(s, data, schema, new FitContext(seed, p) { Warning = w => console.Error("warning: " + w) }, rules, checkOptions));
        if (check is not null) console.Info($"  {check.Describe()}");
        foreach (var line in report?.Transforms ?? []) console.Info($"  learned around: {line}");
        foreach (var line in report?.EnforcedByRejection ?? []) console.Info($"  enforced by resampling: {line}");
        return model;
    }

    /// <summary>Samples, and for constrained models says how many rows were resampled to honour the rules.</summary>
    public static Tables.Table Sample(CliConsole console, ISynthesizerModel model, int rows, ulong seed)
    {
        SampleBudget.Ensure(model.Schema, rows);
        if (model is not ConstrainedModel constrained)
            return console.Step($"Sampling {rows:N0} rows", p => model.Sample(rows, seed, new SampleContext(p)));
        var (table, report) = console.Step($"Sampling {rows:N0} rows", p => constrained.SampleWithReport(rows, seed, new SampleContext(p)));
        console.Info($"Constraints: {report.Format()}");
        return table;
    }
}
