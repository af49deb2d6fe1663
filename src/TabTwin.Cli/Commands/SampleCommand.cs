using TabTwin.IO;
using System.CommandLine;
using TabTwin.Models;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>tabtwin sample model.tabtwin -n 100000 -o out.parquet [--where "age>=30"]</c>: draw rows from a saved model, optionally under
/// conditions; with <c>--parts P</c> (and <c>--shard k/n</c>), a partitioned Parquet folder of any size (see <see cref="SampleParts"/>).
/// </summary>
internal static class SampleCommand
{
    public static Command Build(CliConsole console)
    {
        var model = new Argument<string>("model") { Description = "Model file written by 'tabtwin fit'." };
        var output = CommonOptions.Output("Output table (.csv, .tsv, .parquet, .db/.sqlite, .duckdb, or a database); with --parts, a folder.");
        var rows = new Option<long?>("--rows", "-n")
        {
            Description = $"Number of rows to sample (required unless --conditions is given); at most {int.MaxValue:N0} into one table, any number with --parts.",
        };
        var where = ConditionOptions.Where();
        var conditions = ConditionOptions.Conditions();
        var seed = CommonOptions.Seed();
        var table = new Option<string?>("--output-table", "--table") { Description = "Table name to create when the output is a database (default: data)." };
        var outputs = new OutputOptions();
        var metadata = new Option<string?>("--metadata", "-m")
        {
            Description = "Metadata JSON whose \"constraints\" every sampled row must also satisfy (enforced by resampling; the model's own constraints always apply).",
        };
        var verifyKey = CommonOptions.VerifyKeyFile();
        var quiet = CommonOptions.Quiet();
        var scale = SynthesizeDatabase.Scale();
        var continueFrom = new Option<string?>("--continue") { Description = "Sequence models: real histories (long format) to continue; with --steps." };
        var steps = new Option<int?>("--steps") { Description = "Sequence models: steps to add to every history given with --continue." };
        var partitioned = new SampleParts();
        var cmd = new Command("sample", "Sample new rows (or a whole database, or histories) from a saved model.") { model, output, rows, where, conditions, seed, table, metadata, verifyKey, quiet, scale, continueFrom, steps };
        foreach (var option in outputs.ForTables) cmd.Add(option);
        foreach (var option in partitioned.Options) cmd.Add(option);
        // The row count of one table (an int): past it only --parts can hold the rows.
        int? Rows(ParseResult r) => r.GetValue(rows) switch
        {
            null => null,
            > int.MaxValue and var n => throw new UsageException("cli.rows", $"-n {n:N0} is more rows than one table holds ({int.MaxValue:N0} at most).",
                hint: "Add --parts P to write a partitioned Parquet folder (-o out/ --parts 64) in constant memory."),
            < int.MinValue => int.MinValue,   // negative counts keep their own error downstream
            var n => (int)n,
        };
        cmd.SetAction(r =>
        {
            console.Quiet = r.GetValue(quiet);
            var path = r.GetValue(model)!;
            if (File.Exists(path) && MultiTable.DatabaseSynthesis.IsDatabaseModel(path))
            {
                partitioned.RefuseFor(r, "database models (their tables are sampled together)");
                return SynthesizeDatabase.Sample(console, path, r.GetValue(output)!, SynthesizeDatabase.Options(console, null, null, r.GetValue(seed),
                    r.GetValue(scale), r.GetValue(outputs.Overwrite), privacyCheck: true));
            }
            bool isSequence = File.Exists(path) && Sequences.SequenceModel.IsSequenceModel(path);
            if (isSequence) partitioned.RefuseFor(r, "sequence models (a history cannot be split between parts)");
            if (partitioned.Applies(r))
                return partitioned.Run(console, r, path, output, rows, seed, verifyKey, metadata, where, [conditions, table, scale, continueFrom, steps, outputs.Append], outputs);
            _ = Rows(r);   // a row count past one table's is a usage error before any output is checked
            outputs.Check(r, r.GetValue(output)!, r.GetValue(table));
            if (isSequence)
            {
                var sequences = console.Step($"Loading {path}", _ => Sequences.SequenceModel.Load(path));
                if (r.GetValue(where) is { Length: > 0 }) throw new UsageException("cli.sequence-sampling", "--where applies to rows, not to histories.", hint: "Use --conditions with one context row per new entity.");
                var histories = SynthesizeSequences.Sample(console, sequences, Rows(r), r.GetValue(conditions), r.GetValue(continueFrom), r.GetValue(steps), r.GetValue(seed), 0);
                CommonOptions.WriteTable(console, histories, r.GetValue(output)!, outputs.Write(r, r.GetValue(table)));
                console.Out($"{histories.RowCount:N0} synthetic rows written to {TableReader.Describe(r.GetValue(output)!)}");
                return CliApp.ExitOk;
            }
            if (r.GetValue(continueFrom) is not null || r.GetValue(steps) is not null)
                throw new UsageException("cli.steps", "--continue and --steps apply only to sequence models.", hint: "Fit with a \"sequence\" in the metadata to continue histories.");
            var key = CommonOptions.ResolveSigningKey(r.GetValue(verifyKey), path, "--verify-key-file");
            var fitted = console.Step($"Loading {path}", _ => ModelFile.Load(path, verifyWith: key));
            if (r.GetValue(metadata) is { } metadataPath && Sampling.Constraints.ConstraintSet.FromMetadataFile(metadataPath) is { IsEmpty: false } extra)
                fitted = Sampling.Constraints.ConstrainedModel.Enforce(fitted, extra);
            string[]? wheres = r.GetValue(where);
            string? conditionsPath = r.GetValue(conditions);
            // Conditions go through the conditional sampler; otherwise constrained models report their resampling.
            var synthetic = wheres is { Length: > 0 } || conditionsPath is not null || Rows(r) is not > 0
                ? ConditionOptions.Sample(console, fitted, Rows(r), wheres, conditionsPath, r.GetValue(seed))
                : FitCommand.Sample(console, fitted, Rows(r)!.Value, r.GetValue(seed));
            var destination = r.GetValue(output)!;
            CommonOptions.WriteTable(console, synthetic, destination, outputs.Write(r, r.GetValue(table)));
            console.Out($"{synthetic.RowCount:N0} synthetic rows written to {TableReader.Describe(destination)}");
            return CliApp.ExitOk;
        });
        return cmd;
    }
}
