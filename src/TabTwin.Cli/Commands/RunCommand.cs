using TabTwin.IO;
using System.CommandLine;
using System.Diagnostics;
using TabTwin.Evaluation;
using TabTwin.Evaluation.Audit;
using TabTwin.Models;
using TabTwin.Tables;
using TabTwin.Synthesizers;
using TabTwin.Synthesis;
using TabTwin.Sampling.Rebalancing;

namespace TabTwin.Cli.Commands;

/// <summary><c>tabtwin run data.csv -o synth.csv</c>: fit and sample in one step.</summary>
internal static class RunCommand
{
    public static Command Build(CliConsole console)
    {
        var source = CommonOptions.Source();
        var output = CommonOptions.Output("Synthetic table to write (.csv, .tsv, .parquet, .db/.sqlite, .duckdb, or a database).");
        var format = CommonOptions.Format();
        var encoding = CommonOptions.Encoding();
        var table = CommonOptions.TableName();
        var query = CommonOptions.Query();
        var outTable = CommonOptions.OutputTable();
        var outputs = new OutputOptions();
        var metadata = CommonOptions.Metadata();
        var locale = CommonOptions.Locale();
        var seed = CommonOptions.Seed();
        var rows = CommonOptions.Rows();
        var synthesizer = CommonOptions.Synthesizer();
        var options = CommonOptions.SynthesizerOptions();
        var saveModel = new Option<string?>("--save-model") { Description = "Also save the fitted model to this file." };
        var signKey = CommonOptions.SignKeyFile();
        var report = EvaluateCommand.Report();
        var json = EvaluateCommand.Json();
        var target = EvaluateCommand.Target();
        var where = ConditionOptions.Where();
        var conditions = ConditionOptions.Conditions();
        var rebalance = new Option<string?>("--rebalance")
        {
            Description = "Sample with these class shares of one categorical/boolean column, e.g. \"income=>50K:0.5\" or \"class=a:0.2,b:0.3\" " +
                          "(classes not named keep their proportions in what remains; combines with --where).",
        };
        var quiet = CommonOptions.Quiet();
        var noPrivacyCheck = CommonOptions.NoPrivacyCheck();
        var privacy = new PrivacyOptions();
        var tables = InspectDatabase.Tables();
        var scale = SynthesizeDatabase.Scale();
        var stream = new StreamOptions();
        var cmd = new Command("run", "Fit a synthesizer on a table (or a whole database) and write a synthetic one, in one step.")
            { source, output, format, encoding, table, query, outTable, metadata, locale, seed, rows, synthesizer, options, noPrivacyCheck, saveModel, signKey, report, json, target, where, conditions, rebalance, quiet, tables, scale };
        foreach (var option in outputs.ForTables) cmd.Add(option);
        foreach (var option in privacy.All) cmd.Add(option);
        cmd.Add(privacy.AuditCanaries);
        foreach (var option in stream.All) cmd.Add(option);
        cmd.SetAction(r =>
        {
            console.Quiet = r.GetValue(quiet);
            bool dp = privacy.Requested(r, synthesizer);
            privacy.CheckAudit(r, dp, r.GetValue(report) is not null || r.GetValue(json) is not null);
            if (dp && r.GetValue(rebalance) is not null) throw PrivateSynthesis.RebalanceNotYet();
            if (stream.Requested(r))
            {
                // The evaluation needs real rows the model never saw and, like --rebalance, the real table in memory.
                StreamOptions.CheckCompatible(dp, ("--report", r.GetValue(report) is not null), ("--json", r.GetValue(json) is not null),
                    ("--rebalance", r.GetValue(rebalance) is not null), ("--tables", r.GetValue(tables) is not null),
                    ("a whole database (name one table with --table or --query)", !TableChunks.IsParquetFiles(r.GetValue(source)!)
                        && InspectDatabase.Applies(r.GetValue(source)!, r.GetValue(table), r.GetValue(query), r.GetValue(tables))));
                var started = Stopwatch.StartNew();
                outputs.Check(r, r.GetValue(output)!, r.GetValue(outTable), r.GetValue(saveModel));
                FitCommand.CheckSynthesizer(r.GetValue(synthesizer)!, r.GetValue(options));
                var signing = CommonOptions.ResolveSigningKey(r.GetValue(signKey), r.GetValue(saveModel));
                var streamed = stream.Fit(console, r, r.GetValue(source)!, r.GetValue(format), r.GetValue(table), r.GetValue(query), r.GetValue(encoding),
                    r.GetValue(metadata), r.GetValue(locale), r.GetValue(synthesizer)!, r.GetValue(options), r.GetValue(seed),
                    !r.GetValue(noPrivacyCheck));
                if (r.GetValue(saveModel) is { } streamedPath) console.Step($"Saving {streamedPath}", _ => ModelFile.Save(streamed.Model, streamedPath, signing));
                string? conditionsFile = r.GetValue(conditions);
                int? count = r.GetValue(rows) ?? (conditionsFile is null ? (int)Math.Min(streamed.Rows, int.MaxValue) : null);
                if (count <= 0) throw new TabTwinException("cli.rows", $"--rows must be a positive number of rows, not {count}.");
                var drawn = r.GetValue(where) is { Length: > 0 } || conditionsFile is not null
                    ? ConditionOptions.Sample(console, streamed.Model, count, r.GetValue(where) ?? [], conditionsFile, r.GetValue(seed))
                    : FitCommand.Sample(console, streamed.Model, count!.Value, r.GetValue(seed));
                CommonOptions.WriteTable(console, drawn, r.GetValue(output)!, outputs.Write(r, r.GetValue(outTable)));
                console.Out($"{drawn.RowCount:N0} synthetic rows × {drawn.ColumnCount} columns ({CommonOptions.Describe(streamed.Model)}, seed {r.GetValue(seed)}) " +
                            $"written to {TableReader.Describe(r.GetValue(output)!)} in {started.Elapsed.TotalSeconds:0.0} s");
                return CliApp.ExitOk;
            }
            if (dp && InspectDatabase.Applies(r.GetValue(source)!, r.GetValue(table), r.GetValue(query), r.GetValue(tables)))
                throw PrivateSynthesis.DatabaseNotYet();
            if (InspectDatabase.Applies(r.GetValue(source)!, r.GetValue(table), r.GetValue(query), r.GetValue(tables)))
                return SynthesizeDatabase.Run(console, r.GetValue(source)!, r.GetValue(output)!, SynthesizeDatabase.Options(console, r.GetValue(tables),
                    r.GetValue(metadata), r.GetValue(seed), r.GetValue(scale), r.GetValue(outputs.Overwrite), !r.GetValue(noPrivacyCheck)));
            var total = Stopwatch.StartNew();
            // Every output is checked before the (slow) read and fit: an existing one needs --overwrite, every folder must take files.
            outputs.Check(r, r.GetValue(output)!, r.GetValue(outTable), r.GetValue(saveModel), r.GetValue(report), r.GetValue(json));
            if (!dp) FitCommand.CheckSynthesizer(r.GetValue(synthesizer)!, r.GetValue(options));
            var key = CommonOptions.ResolveSigningKey(r.GetValue(signKey), r.GetValue(saveModel)); // a bad key file fails before the work
            var data = CommonOptions.ReadTable(console, r.GetValue(source)!, r.GetValue(format), r.GetValue(table), r.GetValue(query), r.GetValue(encoding));
            var schema = CommonOptions.ResolveSchema(data, r.GetValue(metadata), r.GetValue(locale));
            if (dp) PrivateSynthesis.CheckSchema(schema);
            SynthesizeSequences.HintWhenHistories(console, data, schema, r.GetValue(metadata), r.GetValue(source)!);
            string? conditionsPath = r.GetValue(conditions);
            if (schema.Sequence is not null)
            {
                // Histories: --rows counts entities, --conditions gives contexts, the holdout for the report is whole entities.
                if (r.GetValue(rebalance) is not null || r.GetValue(where) is { Length: > 0 })
                    throw new UsageException("cli.sequence-sampling", "--where and --rebalance apply to rows, not to histories.", hint: "Use --conditions with one context row per new entity.");
                Table? seqHoldout = null;
                int realEntities = SynthesizeSequences.Entities(data, schema);
                if (r.GetValue(report) is not null || r.GetValue(json) is not null)
                {
                    (data, seqHoldout) = Sequences.SequenceModel.SplitEntities(data, schema.Sequence, 0.8, r.GetValue(seed));
                    console.Out($"Held out 20% of the real histories ({seqHoldout.RowCount:N0} rows) for the privacy/utility evaluation.");
                }
                var seqModel = SynthesizeSequences.Fit(console, data, schema, r.GetValue(synthesizer)!, r.GetValue(seed), !r.GetValue(noPrivacyCheck));
                if (r.GetValue(saveModel) is { } seqPath) console.Step($"Saving {seqPath}", _ => seqModel.Save(seqPath));
                var histories = SynthesizeSequences.Sample(console, seqModel, r.GetValue(rows), conditionsPath, null, null, r.GetValue(seed), realEntities);
                CommonOptions.WriteTable(console, histories, r.GetValue(output)!, outputs.Write(r, r.GetValue(outTable)));
                console.Out($"{histories.RowCount:N0} synthetic rows ({SynthesizeSequences.Entities(histories, schema):N0} histories) × {histories.ColumnCount} columns " +
                            $"(sequences, seed {r.GetValue(seed)}) written to {TableReader.Describe(r.GetValue(output)!)} in {total.Elapsed.TotalSeconds:0.0} s");
                if (r.GetValue(report) is not null || r.GetValue(json) is not null)
                    EvaluateCommand.Evaluate(console, data, histories, schema, seqHoldout, r.GetValue(target), r.GetValue(seed), r.GetValue(report), r.GetValue(json));
                return CliApp.ExitOk;
            }
            int? n = conditionsPath is null ? r.GetValue(rows) ?? data.RowCount : r.GetValue(rows);
            if (n <= 0) throw new TabTwinException("cli.rows", $"--rows must be a positive number of rows, not {n}.");
            // Conditions are checked against the schema before the (slow) fit, so a typo fails at once.
            var wheres = r.GetValue(where) ?? [];
            if (wheres.Length > 0) Sampling.ConditionParser.ParseAll(wheres, schema);
            ulong seedValue = r.GetValue(seed);
            string? reportPath = r.GetValue(report), jsonPath = r.GetValue(json), targetName = r.GetValue(target);
            bool evaluate = reportPath is not null || jsonPath is not null;
            if (targetName is not null && !evaluate)
                throw new TabTwinException("cli.target-without-report", "--target only matters with --report or --json.");
            // Check the shares against the real classes before the (possibly long) fit.
            var shares = r.GetValue(rebalance) is { } spec ? ClassShares.Parse(spec, data.ColumnNames) : null;
            if (shares is not null && conditionsPath is not null)
                throw new TabTwinException("cli.rebalance", "--rebalance cannot be combined with --conditions (each conditions row fixes its own values).",
                    hint: "Use --rebalance alone or with --where.");
            var classes = shares is null ? null : ClassDistribution.Of(data, schema, shares.Column);
            if (shares is not null) shares.Counts(classes!, n!.Value);
            Table? holdout = null;
            int inputRows = data.RowCount;   // the default output size, also when 20% is held out for the report
            if (evaluate)
            {
                EvaluateCommand.CheckTarget(schema, targetName);
                // Privacy and utility need real rows the synthesizer never saw: fit on 80%, keep 20% aside.
                (data, holdout) = HoldoutSplit.Split(data, 0.8, seedValue);
                console.Out($"Held out 20% of the real rows ({holdout.RowCount:N0}) for the privacy/utility evaluation; fitting on the other {data.RowCount:N0}.");
                if (r.GetValue(privacy.AuditCanaries) is { } canaries) PrivateRunAudit.Check(canaries, data.RowCount, "--audit-canaries");
            }
            var model = dp
                ? privacy.Fit(console, r, synthesizer, options, targetName, data, schema, seedValue)
                : FitCommand.Fit(console, data, schema, r.GetValue(synthesizer)!, r.GetValue(options), seedValue, !r.GetValue(noPrivacyCheck));
            if (r.GetValue(saveModel) is { } modelPath) console.Step($"Saving {modelPath}", _ => ModelFile.Save(model, modelPath, key));
            // Rebalancing samples per class; conditions go through the conditional sampler; otherwise constrained models report their resampling.
            var synthetic = shares is not null
                ? console.Step($"Sampling {n:N0} rows with {shares}", p => Rebalancer.Sample(model, classes!, shares, n!.Value, seedValue, new SampleContext(p),
                    wheres.Length > 0 ? Sampling.ConditionParser.ParseAll(wheres, schema) : null))
                : wheres is { Length: > 0 } || conditionsPath is not null
                    ? ConditionOptions.Sample(console, model, n, wheres, conditionsPath, seedValue)
                    : FitCommand.Sample(console, model, n ?? inputRows, seedValue);
            var destination = r.GetValue(output)!;
            CommonOptions.WriteTable(console, synthetic, destination, outputs.Write(r, r.GetValue(outTable)));
            console.Out($"{synthetic.RowCount:N0} synthetic rows × {synthetic.ColumnCount} columns ({CommonOptions.Describe(model)}, seed {seedValue}) " +
                        $"written to {TableReader.Describe(destination)} in {total.Elapsed.TotalSeconds:0.0} s");
            if (evaluate)
            {
                var audit = dp ? privacy.Audit(console, r, synthesizer, options, targetName, data, schema, seedValue) : null;
                EvaluateCommand.Evaluate(console, data, synthetic, schema, holdout, targetName, seedValue, reportPath, jsonPath, PrivateSynthesis.LedgerOf(model), audit);
            }
            return CliApp.ExitOk;
        });
        return cmd;
    }
}
