using System.CommandLine;
using System.Globalization;
using TabTwin.Evaluation;
using TabTwin.Evaluation.Utility;
using TabTwin.IO;
using TabTwin.Augmentation;
using TabTwin.Sampling.Rebalancing;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Registry;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>tabtwin augment data.csv --target fraud --to 0.3 -o out.csv</c>: the real table plus new rows of its rare
/// classes (synthesizer, SMOTE or noise), optionally with a before/after minority-recall evaluation.
/// </summary>
internal static class AugmentCommand
{
    public static Command Build(CliConsole console)
    {
        var source = CommonOptions.Source();
        var output = CommonOptions.Output("Augmented table to write: the real rows, then the new ones (.csv, .tsv, .parquet, .db/.sqlite, .duckdb, or a database).");
        var format = CommonOptions.Format();
        var encoding = CommonOptions.Encoding();
        var table = CommonOptions.TableName();
        var query = CommonOptions.Query();
        var outTable = CommonOptions.OutputTable();
        var outputs = new OutputOptions();
        var metadata = CommonOptions.Metadata();
        var locale = CommonOptions.Locale();
        var target = new Option<string>("--target") { Description = "Categorical or boolean column whose rare classes are raised.", Required = true };
        var to = new Option<double>("--to") { Description = "Share every class should at least have in the output, e.g. 0.3 (for a binary target: the minority share).", Required = true };
        var method = new Option<string>("--method") { Description = "How new rows are made: synth (synthesizer, conditional sampling), smote (SMOTE-NC interpolation) or noise (noisy copies).", DefaultValueFactory = _ => "synth" };
        var scale = new Option<double>("--scale") { Description = "noise: noise standard deviation as a multiple of each column's standard deviation.", DefaultValueFactory = _ => 0.05 };
        var flip = new Option<double>("--flip") { Description = "noise: probability of replacing a categorical value by one drawn from the same class (0 keeps every category).", DefaultValueFactory = _ => 0.0 };
        var neighbours = new Option<int>("--neighbours", "-k") { Description = "smote: nearest neighbours per row.", DefaultValueFactory = _ => 5 };
        var synthesizer = CommonOptions.Synthesizer();
        var options = CommonOptions.SynthesizerOptions();
        var seed = CommonOptions.Seed();
        var mark = new Option<bool>("--mark") { Description = "Add a boolean column is_synthetic (false on real rows, true on new ones)." };
        var evaluate = new Option<bool>("--evaluate") { Description = "Hold out 20% of the real rows, augment the other 80%, and report how a LightGBM's minority recall, precision, F1 and AUC on the holdout change." };
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("augment", "Append synthetic rows of the rare classes of a target to the real table (rare-event augmentation).")
            { source, output, format, encoding, table, query, outTable, metadata, locale, target, to, method, scale, flip, neighbours, synthesizer, options, seed, mark, evaluate, quiet };
        foreach (var option in outputs.ForTables) cmd.Add(option);
        cmd.SetAction(r =>
        {
            console.Quiet = r.GetValue(quiet);
            outputs.Check(r, r.GetValue(output)!, r.GetValue(outTable));
            var chosen = ParseMethod(r.GetValue(method)!);
            FitCommand.CheckSynthesizer(r.GetValue(synthesizer)!, r.GetValue(options));
            var data = CommonOptions.ReadTable(console, r.GetValue(source)!, r.GetValue(format), r.GetValue(table), r.GetValue(query), r.GetValue(encoding));
            var schema = CommonOptions.ResolveSchema(data, r.GetValue(metadata), r.GetValue(locale));
            var targetName = r.GetValue(target)!;
            if (schema.Find(targetName) is null)
                throw new TabTwinException("augment.unknown-target", $"--target '{targetName}' is not a column of the table (columns: {string.Join(", ", data.ColumnNames)}).", column: targetName);
            ClassDistribution.CheckKind(schema, targetName);
            ulong seedValue = r.GetValue(seed);
            // Check the plan before a possibly long fit, on the whole table (the same classes as the 80% part).
            AugmentPlanner.Plan(ClassDistribution.Of(data, schema, targetName), r.GetValue(to));
            Table? holdout = null;
            if (r.GetValue(evaluate))
            {
                (data, holdout) = HoldoutSplit.Split(data, 0.8, seedValue);
                console.Out($"Held out 20% of the real rows ({holdout.RowCount:N0}) to evaluate on; augmenting the other {data.RowCount:N0} (the output holds only those).");
            }
            var settings = new AugmentOptions
            {
                Target = targetName, To = r.GetValue(to), Method = chosen, Seed = seedValue,
                Synthesizer = SynthesizerRegistry.Get(r.GetValue(synthesizer)!).Name,
                SynthesizerOptions = CommonOptions.ParseSynthesizerOptions(r.GetValue(options)),
                NoiseScale = r.GetValue(scale), CategoryFlip = r.GetValue(flip), Neighbours = r.GetValue(neighbours), Mark = r.GetValue(mark),
            };
            var result = console.Step($"Augmenting ({MethodName(chosen)})", p => Augmenter.Augment(data, schema, settings, p));
            var destination = r.GetValue(output)!;
            CommonOptions.WriteTable(console, result.Table, destination, outputs.Write(r, r.GetValue(outTable)));
            PrintPlan(console, result, destination);
            if (holdout is not null) Evaluate(console, data, result, holdout, schema, targetName, seedValue);
            return CliApp.ExitOk;
        });
        return cmd;
    }

    private static AugmentMethod ParseMethod(string text) => text.Trim().ToLowerInvariant() switch
    {
        "synth" or "synthesizer" => AugmentMethod.Synth,
        "smote" => AugmentMethod.Smote,
        "noise" => AugmentMethod.Noise,
        _ => throw new TabTwinException("augment.method", $"--method '{text}' is not a method; use synth, smote or noise."),
    };

    private static string MethodName(AugmentMethod m) => m.ToString().ToLowerInvariant();

    private static void PrintPlan(CliConsole console, AugmentResult result, string destination)
    {
        var plan = result.Plan;
        string how = result.Method == AugmentMethod.Synth ? $"synth with {result.Synthesizer}" : MethodName(result.Method);
        if (plan.TotalAdded == 0)
            console.Out($"Every class of '{plan.Original.Target}' already has a share of at least {F(plan.To)}; nothing added. {result.RealRows:N0} real rows written to {TableReader.Describe(destination)}");
        else
            console.Out($"{result.RealRows:N0} real rows + {plan.TotalAdded:N0} new rows ({how}) written to {TableReader.Describe(destination)}");
        for (int c = 0; c < plan.Original.Classes.Count; c++)
        {
            var k = plan.Original.Classes[c];
            console.Out($"  {plan.Original.Target} = {k.Label}: {k.Count:N0} rows ({F(plan.Original.Share(c))}) → {k.Count + plan.Added[c]:N0} ({F(plan.FinalShare(c))})" +
                        (plan.Added[c] > 0 ? $", {plan.Added[c]:N0} added" : ""));
        }
    }

    private static void Evaluate(CliConsole console, Table train, AugmentResult result, Table holdout, Schema.TableSchema schema, string target, ulong seed)
    {
        var minority = result.Plan.Original.Minority.Class!;
        var options = new UtilityOptions { Boosting = new BoostingOptions { Seed = (int)(seed % int.MaxValue) } };
        var cmp = console.Step("Evaluating minority recall", _ => AugmentationEvaluation.Compare(train, result.Table, holdout, schema, target, minority, options));
        console.Out($"Minority class '{minority}' on the real holdout ({cmp.Augmented.TestRows:N0} rows, {cmp.Augmented.TestMinorityRows:N0} of that class); LightGBM trained on:");
        console.Out($"  {"",-22} {"recall",9} {"precision",9} {"F1",9} {"AUC",9}");
        Row("real rows only", cmp.RealOnly.Recall, cmp.RealOnly.Precision, cmp.RealOnly.F1, cmp.RealOnly.Auc, signed: false);
        Row($"augmented ({MethodName(result.Method)})", cmp.Augmented.Recall, cmp.Augmented.Precision, cmp.Augmented.F1, cmp.Augmented.Auc, signed: false);
        Row("change", cmp.RecallChange, cmp.PrecisionChange, cmp.F1Change, cmp.AucChange, signed: true);

        void Row(string label, double recall, double precision, double f1, double auc, bool signed)
        {
            string V(double v) => !double.IsFinite(v) ? "n/a" : v.ToString(signed ? "+0.000;-0.000;0.000" : "0.000", CultureInfo.InvariantCulture);
            console.Out($"  {label,-22} {V(recall),9} {V(precision),9} {V(f1),9} {V(auc),9}");
        }
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
