using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using TabTwin.Evaluation.Quality;
using TabTwin.IO;
using TabTwin.Models;
using TabTwin.Synthesizers;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>tabtwin demo</c>: the whole job on the embedded demo table (4,000 rows of UCI Adult, CC BY 4.0):
/// detect the schema, fit, sample, write the synthetic CSV and print a short summary with quality scores.
/// </summary>
internal static class DemoCommand
{
    private const string ResourceName = "TabTwin.Cli.Demo.adult_demo.csv";

    public static Command Build(CliConsole console)
    {
        var outDir = new Option<string>("--output-dir", "-o") { Description = "Folder for the demo's files (the demo's own: its files there are replaced on every run).", DefaultValueFactory = _ => "tabtwin-demo" };
        var seed = CommonOptions.Seed();
        var rows = CommonOptions.Rows();
        var synthesizer = CommonOptions.Synthesizer();
        var options = CommonOptions.SynthesizerOptions();
        var signKey = CommonOptions.SignKeyFile();
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("demo", "Run TabTwin end to end on an embedded demo table (4,000 rows of UCI Adult).")
            { outDir, seed, rows, synthesizer, options, signKey, quiet };
        cmd.SetAction(r =>
        {
            console.Quiet = r.GetValue(quiet);
            var total = Stopwatch.StartNew();
            var dir = Path.GetFullPath(r.GetValue(outDir)!);
            var key = CommonOptions.ResolveSigningKey(r.GetValue(signKey), dir); // the demo's model is signed like any other
            Directory.CreateDirectory(dir);
            var realPath = Path.Combine(dir, "adult_demo.csv");
            using (var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
                                ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing."))
                AtomicFile.WriteStream(realPath, s => stream.CopyTo(s));

            var real = CommonOptions.ReadTable(console, realPath, null, null, null);
            var schema = CommonOptions.ResolveSchema(real, null, null);
            ulong seedValue = r.GetValue(seed);
            var model = FitCommand.Fit(console, real, schema, r.GetValue(synthesizer)!, r.GetValue(options), seedValue);
            int n = r.GetValue(rows) ?? real.RowCount;
            var synthetic = console.Step($"Sampling {n:N0} rows", p => model.Sample(n, seedValue, new SampleContext(p)));
            var synthPath = Path.Combine(dir, "synthetic.csv");
            var modelPath = Path.Combine(dir, "model.tabtwin");
            var metadataPath = Path.Combine(dir, "metadata.json");
            CommonOptions.WriteTable(console, synthetic, synthPath, new WriteOptions { Overwrite = true });   // the demo folder is the demo's own
            ModelFile.Save(model, modelPath, key);
            AtomicFile.WriteAllText(metadataPath, Schema.SchemaJson.ToJson(schema) + Environment.NewLine);
            var quality = console.Step("Evaluating quality", _ => QualityReport.Compute(real, synthetic, schema));

            console.Out($"TabTwin demo: UCI Adult, {real.RowCount:N0} real rows × {real.ColumnCount} columns (CC BY 4.0, Becker & Kohavi 1996)");
            console.Out($"  synthesizer     {CommonOptions.Describe(model)}, seed {seedValue}, {total.Elapsed.TotalSeconds:0.0} s in all");
            console.Out($"  synthetic CSV   {synthPath} ({synthetic.RowCount:N0} rows)");
            console.Out($"  model file      {modelPath}");
            console.Out($"  metadata        {metadataPath}");
            console.Out($"  quality         column shapes {quality.ColumnShapes:0.000}, column-pair trends {quality.ColumnPairTrends:0.000}, overall {quality.Overall:0.000} (SDMetrics {QualityResult.SdMetricsVersion} definitions, 1 = identical)");
            console.Out($"                  {TabTwin.Evaluation.EvaluationVerdicts.Quality(quality)}");
            console.Out("  kinds           " + string.Join(", ", schema.Columns.GroupBy(c => c.KindLabel).Select(g => $"{g.Count()} {g.Key}")));
            console.Out("First synthetic rows:");
            console.Out("  " + string.Join(",", synthetic.ColumnNames));
            for (int i = 0; i < Math.Min(3, synthetic.RowCount); i++)
                console.Out("  " + string.Join(",", synthetic.FormatRow(i).Select(v => v ?? "")));
            return CliApp.ExitOk;
        });
        return cmd;
    }
}
