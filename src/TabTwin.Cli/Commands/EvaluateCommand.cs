using System.CommandLine;
using System.Globalization;
using TabTwin.Evaluation;
using TabTwin.Evaluation.Quality;
using TabTwin.Evaluation.Report;
using TabTwin.Evaluation.Sequences;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Cli.Commands;

/// <summary><c>tabtwin evaluate --real train.csv --synthetic synth.csv</c>: score a synthetic table against the real one.</summary>
internal static class EvaluateCommand
{
    public static Command Build(CliConsole console)
    {
        var real = new Option<string>("--real") { Description = "The real table the synthesizer was fitted on; a database or folder of several tables is evaluated as a whole.", Required = true };
        var synthetic = new Option<string>("--synthetic") { Description = "The synthetic table (or database, or folder of tables) to evaluate.", Required = true };
        var holdout = new Option<string?>("--holdout") { Description = "Real rows the synthesizer never saw; enables privacy (and utility with --target)." };
        var target = Target();
        var metadata = CommonOptions.Metadata();
        var report = Report();
        var json = Json();
        var seed = CommonOptions.Seed();
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("evaluate", "Score a synthetic table against the real one: quality, coverage, detection, privacy and utility.")
            { real, synthetic, holdout, target, metadata, report, json, seed, quiet };
        var outputs = new OutputOptions();
        cmd.Add(outputs.Overwrite);
        cmd.SetAction(r =>
        {
            console.Quiet = r.GetValue(quiet);
            outputs.Check(r, null, null, r.GetValue(report), r.GetValue(json));
            if (RelationalAddress.HoldsSeveralTables(r.GetValue(real)!))
            {
                EvaluateDatabase.Run(console, r.GetValue(real)!, r.GetValue(synthetic)!, r.GetValue(metadata), r.GetValue(holdout), r.GetValue(target),
                    r.GetValue(report), r.GetValue(json));
                return CliApp.ExitOk;
            }
            var realTable = CommonOptions.ReadTable(console, r.GetValue(real)!, null, null, null);
            var schema = CommonOptions.ResolveSchema(realTable, r.GetValue(metadata), null);
            CheckTarget(schema, r.GetValue(target));
            var syntheticTable = CommonOptions.ReadTable(console, r.GetValue(synthetic)!, null, null, null);
            RequireColumns(schema, syntheticTable, "synthetic", r.GetValue(synthetic)!);
            Table? holdoutTable = null;
            if (r.GetValue(holdout) is { } h)
            {
                holdoutTable = CommonOptions.ReadTable(console, h, null, null, null);
                RequireColumns(schema, holdoutTable, "holdout", h);
            }
            Evaluate(console, realTable, syntheticTable, schema, holdoutTable, r.GetValue(target), r.GetValue(seed), r.GetValue(report), r.GetValue(json));
            return CliApp.ExitOk;
        });
        return cmd;
    }

    public static Option<string?> Target() => new("--target") { Description = "Column a model should predict from the others (enables the utility score; needs a holdout)." };
    public static Option<string?> Report() => new("--report") { Description = "Write a self-contained HTML evaluation report to this file." };
    public static Option<string?> Json() => new("--json") { Description = "Write the evaluation metrics as JSON (schemaVersion 1) to this file." };

    /// <summary>Fails early (before any fitting) when the target is not a column of the table.</summary>
    public static void CheckTarget(TableSchema schema, string? target)
    {
        if (target is not null && !schema.Columns.Any(c => c.Name == target))
            throw new SchemaException("evaluate.unknown-target",
                $"--target '{target}' is not a column of the real table (columns: {string.Join(", ", schema.Columns.Select(c => c.Name))}).", column: target);
    }

    /// <summary>Every column of the real table must be in the other table too; says which file lacks which column.</summary>
    private static void RequireColumns(TableSchema schema, Table table, string role, string path)
    {
        foreach (var c in schema.Columns)
            if (!table.Contains(c.Name))
                throw new SchemaException("evaluate.missing-column",
                    $"The {role} table {TableReader.Describe(path)} has no column '{c.Name}', which the real table has.", column: c.Name);
    }

    /// <summary>Runs the evaluation, prints the headline scores with verdicts and writes the requested files atomically.</summary>
    public static EvaluationResult Evaluate(CliConsole console, Table real, Table synthetic, TableSchema schema, Table? holdout,
        string? target, ulong seed, string? reportPath, string? jsonPath, Synthesizers.IPrivacyLedger? ledger = null, Evaluation.Audit.AuditResult? audit = null)
    {
        var result = console.Step("Evaluating", p => EvaluationReport.Compute(real, synthetic, schema,
            new EvaluationOptions { Holdout = holdout, Target = target, Seed = seed, Progress = p }));
        PrintHeadlines(console, result);
        SequenceEvaluationResult? sequences = null;
        if (schema.Sequence is not null)
        {
            sequences = console.Step("Evaluating sequences", _ => SequenceEvaluation.Evaluate(real, synthetic, schema,
                new SequenceEvaluationOptions { Seed = seed, Holdout = holdout }));
            PrintSequences(console, sequences);
        }
        if (jsonPath is not null)
        {
            var json = result.ToJsonNode();
            if (sequences is not null) json["sequences"] = sequences.ToJsonNode();
            if (ledger is not null) json["differentialPrivacy"] = Evaluation.Audit.PrivateRunAudit.ToJsonNode(ledger, audit);
            console.Step($"Writing {jsonPath}", _ => AtomicFile.WriteAllText(jsonPath, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })));
            console.Out($"Metrics written to {Path.GetFullPath(jsonPath)}");
        }
        if (reportPath is not null)
        {
            console.Step($"Writing {reportPath}", _ => AtomicFile.WriteAllText(reportPath, HtmlReport.Render(result, real, synthetic, schema, sequences, ledger, audit)));
            console.Out($"Report written to {Path.GetFullPath(reportPath)}");
        }
        return result;
    }

    private static void PrintHeadlines(CliConsole console, EvaluationResult r)
    {
        static string F(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
        var q = r.Quality;
        console.Out($"Quality   {F(q.Overall)}  {EvaluationVerdicts.Quality(q)}");
        console.Out($"          SDMetrics {QualityResult.SdMetricsVersion}: column shapes {F(q.ColumnShapes)}, column pair trends {F(q.ColumnPairTrends)} " +
                    $"over {q.PairsMeetingThreshold} pair{(q.PairsMeetingThreshold == 1 ? "" : "s")} with a real trend (all pairs {F(q.AllPairTrends)})");
        double coverage = EvaluationVerdicts.MeanCoverage(r.Coverage);
        console.Out($"Coverage  {F(coverage)}  {EvaluationVerdicts.Coverage(coverage)}");
        if (r.Detection is { } d) console.Out($"Detection AUC {F(d.Auc)}  {EvaluationVerdicts.Detection(d.Auc)}");
        if (r.Privacy is { } p) console.Out($"Privacy   DCR share {F(p.DcrShare.Value)}, exact copies {F(p.ExactCopyRate)}  {EvaluationVerdicts.Privacy(p.DcrShare.Value, p.ExactCopyRate)}");
        if (r.Utility is { } u) console.Out($"Utility   TSTR ratio {F(u.Ratio)} ({u.Target})  {EvaluationVerdicts.Utility(u.Ratio)}");
        foreach (var skipped in r.Run.Parts.Where(x => !x.Ran)) console.Out($"{char.ToUpperInvariant(skipped.Part[0])}{skipped.Part[1..]} skipped: {skipped.SkippedReason}.");
    }

    /// <summary>One line per sequence metric, with its ideal or target (definitions: <see cref="SequenceEvaluationResult"/>).</summary>
    private static void PrintSequences(CliConsole console, SequenceEvaluationResult s)
    {
        static string F(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
        console.Out($"Sequences {s.RealEntities} real and {s.SyntheticEntities} synthetic entities");
        console.Out($"  column shapes over steps     {F(s.ColumnShapes)}  (1 ideal, target >= 0.95)");
        console.Out($"  sequence length KS           {F(s.LengthKs)}  (0 ideal, target <= 0.10)");
        console.Out($"  inter-event gap KS           {F(s.GapKs)}  (0 ideal)");
        console.Out($"  repeated order values        {F(s.SyntheticRepeatedOrderShare)}  (share of steps repeating the step before's order value; real {F(s.RealRepeatedOrderShare)})");
        console.Out($"  lag-1 autocorrelation error  {F(s.Lag1AutocorrelationError)}  (mean |real - synthetic|, 0 ideal, target <= 0.15; lags 1-{s.Autocorrelations.FirstOrDefault()?.Real.Count ?? 0}: {F(s.AutocorrelationError)})");
        foreach (var r in s.Returns)
            console.Out($"  log returns of {r.Column}: lag-1 autocorrelation real {F(r.RealReturnLag1)} synthetic {F(r.SyntheticReturnLag1)}; of |returns| real {F(r.RealAbsoluteReturnLag1)} synthetic {F(r.SyntheticAbsoluteReturnLag1)}");
        if (s.Transitions.Count > 0) console.Out($"  transition matrix distance   {F(s.TransitionDistance)}  (0 ideal)");
        console.Out(s.Discrimination is { } d
            ? $"  discriminative AUC           {F(d.Auc)}  (0.5 ideal, target <= 0.80; {d.UnitsPerSide} entities or {d.WindowLength}-step windows per side)"
            : $"  discriminative AUC skipped: {s.DiscriminationSkipped}.");
        if (s.DynamicsDiscrimination is { } dd) console.Out($"  discriminative AUC, dynamics {F(dd.Auc)}  (0.5 ideal; scale-free features only: levels hidden)");
        console.Out(s.Predictive.Count > 0
            ? $"  next-step prediction ratio   {F(s.PredictiveRatio)}  (real-on-real error / synthetic-on-real error, 1 ideal)"
            : $"  next-step prediction skipped: {s.PredictiveSkipped}.");
        var p = s.Reproduction;
        console.Out($"  reproduced histories         {p.ReproducedSequences}, runs of {p.RunLength} identical steps {p.ReproducedRuns} in {p.EntitiesWithReproducedRun} entities  (0 ideal)"
            + (s.HoldoutReproduction is { } h ? $"; holdout baseline {h.ReproducedSequences}, {h.ReproducedRuns} in {h.EntitiesWithReproducedRun}" : ""));
        console.Out(s.EntityDcrShare is { } dcr
            ? $"  entity DCR share             {F(dcr.Value)}  (0.5 ideal, target <= 0.53)"
            : "  entity DCR share skipped: no holdout given.");
    }
}
