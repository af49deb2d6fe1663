using System.CommandLine;
using System.Globalization;
using TabTwin.Generation.Benchmarks;
using TabTwin.IO;
using TabTwin.Tables;

namespace TabTwin.Cli.Commands;

/// <summary>
/// The ML-benchmark modes of <c>tabtwin generate</c>, in the spirit of scikit-learn's make_classification/make_regression:
/// <c>tabtwin generate --classification --rows 100000 --features 20 --informative 5 --classes 3 --weights 0.8,0.15,0.05
/// --noise 0.01 -o bench.csv</c> writes bench.csv and, beside it, bench.params.json (the generating parameters).
/// </summary>
internal sealed class GenerateBenchmarkOptions
{
    public readonly Option<bool> Classification = new("--classification") { Description = "Generate a classification benchmark (Gaussian clusters on hypercube vertices, as scikit-learn's make_classification)." };
    public readonly Option<bool> Regression = new("--regression") { Description = "Generate a regression benchmark (y = X·coef + bias + noise, as scikit-learn's make_regression)." };
    public readonly Option<int?> Features = new("--features") { Description = "Benchmarks: feature columns (default 20 for classification, 100 for regression)." };
    public readonly Option<int?> Informative = new("--informative") { Description = "Benchmarks: informative features (default 2 for classification, 10 for regression)." };
    public readonly Option<int?> Redundant = new("--redundant") { Description = "Classification: linear combinations of the informative features (default 2)." };
    public readonly Option<int?> Repeated = new("--repeated") { Description = "Classification: copies of informative/redundant features (default 0)." };
    public readonly Option<int?> Classes = new("--classes") { Description = "Classification: number of classes (default 2)." };
    public readonly Option<int?> ClustersPerClass = new("--clusters-per-class") { Description = "Classification: Gaussian clusters per class (default 2)." };
    public readonly Option<string?> Weights = new("--weights") { Description = "Classification: class shares, e.g. 0.8,0.15,0.05 (or one fewer: the last class takes the rest)." };
    public readonly Option<double?> Noise = new("--noise") { Description = "Classification: share of random labels (flip_y, default 0.01). Regression: sd of the Gaussian noise on y (default 0)." };
    public readonly Option<double?> ClassSeparation = new("--class-sep") { Description = "Classification: hypercube half-edge (default 1; larger = easier)." };
    public readonly Option<bool> NoHypercube = new("--no-hypercube") { Description = "Classification: clusters on a random polytope instead of hypercube vertices." };
    public readonly Option<bool> RandomShiftScale = new("--random-shift-scale") { Description = "Classification: shift each feature by a random value and scale it by a random factor in [1, 101)." };
    public readonly Option<double?> Bias = new("--bias") { Description = "Regression: added to y (default 0)." };
    public readonly Option<int?> EffectiveRank = new("--effective-rank") { Description = "Regression: correlated low-rank features with about this many dominant directions (default: independent features)." };
    public readonly Option<double?> TailStrength = new("--tail-strength") { Description = "Regression: weight of the singular values' fat tail with --effective-rank (default 0.5)." };
    public readonly Option<int?> Targets = new("--targets") { Description = "Regression: number of target columns (default 1)." };
    public readonly Option<bool> NoShuffle = new("--no-shuffle") { Description = "Benchmarks: keep rows in cluster order and columns in role order." };
    public readonly Option<bool> RoleNames = new("--role-names") { Description = "Benchmarks: name columns informative_1, redundant_1, noise_1, … instead of x0, x1, …." };
    public readonly Option<int?> Decimals = new("--decimals") { Description = "Benchmarks: round values to this many decimal places (smaller files)." };
    public readonly Option<string?> Params = new("--params") { Description = "Benchmarks: where to write the generating parameters (default: beside the output, out.csv → out.params.json)." };

    /// <summary>Related tables (a spec with parent links) written to a folder: the file format.</summary>
    public readonly Option<string> FileFormat = new("--file-format")
    {
        Description = "Related tables written to a folder: csv (default), tsv or parquet.", DefaultValueFactory = _ => "csv",
    };

    public IEnumerable<Option> Options => [FileFormat, Classification, Regression, .. BenchmarkOnly];

    /// <summary>The options only the benchmark modes read.</summary>
    public IEnumerable<Option> BenchmarkOnly =>
    [
        Features, Informative, Redundant, Repeated, Classes, ClustersPerClass, Weights, Noise, ClassSeparation,
        NoHypercube, RandomShiftScale, Bias, EffectiveRank, TailStrength, Targets, NoShuffle, RoleNames, Decimals, Params,
    ];

    private IEnumerable<Option> ClassificationOnly => [Redundant, Repeated, Classes, ClustersPerClass, Weights, ClassSeparation, NoHypercube, RandomShiftScale];
    private IEnumerable<Option> RegressionOnly => [Bias, EffectiveRank, TailStrength, Targets];

    /// <summary>Runs a benchmark mode when one is asked for; null otherwise (the spec mode then runs).</summary>
    public int? TryRun(CliConsole console, GenerateCommand.GenerateOptionSet o, ParseResult r)
    {
        bool classification = r.GetValue(Classification), regression = r.GetValue(Regression);
        if (!classification && !regression) return null;
        if (classification && regression) throw Usage("Choose --classification or --regression, not both.");
        if (r.GetValue(o.Spec) is { } spec) throw Usage($"--{(classification ? "classification" : "regression")} makes its own data; drop the spec '{spec}'.");
        string mode = classification ? "--classification" : "--regression";
        GenerateCommand.Refuse(r, mode, [o.Table, o.Check, FileFormat, .. classification ? RegressionOnly : ClassificationOnly]);
        var destination = r.GetValue(o.Output) ?? throw Usage("Give an output with -o (e.g. -o bench.csv, -o bench.parquet, -o sqlite:bench.db).");
        long rows = r.GetValue(o.Rows) ?? 100;
        if (rows < 0) throw Usage($"--rows must not be negative, not {rows}.");
        // A shard is rows [first, first + count) by row index of the whole set, so the shards concatenated are the single run.
        var shard = r.GetValue(o.Shard) is { } shardText ? Generation.Shard.Parse(shardText) : (Generation.Shard?)null;
        var (firstRow, count) = shard?.Range(rows) ?? (0L, rows);
        ulong seed = r.GetValue(o.Seed) ?? 0;
        int threads = r.GetValue(o.Threads) ?? Environment.ProcessorCount;
        var naming = r.GetValue(RoleNames) ? FeatureNaming.ByRole : FeatureNaming.Indexed;
        GeneratorParameters parameters;
        Func<IEnumerable<Table>> chunks;
        try
        {
            if (classification)
            {
                var d = new ClassificationOptions();
                bool random = r.GetValue(RandomShiftScale);
                var generator = new ClassificationGenerator(d with
                {
                    Rows = rows, Seed = seed, Naming = naming, Decimals = r.GetValue(Decimals), Shuffle = !r.GetValue(NoShuffle),
                    Features = r.GetValue(Features) ?? d.Features, Informative = r.GetValue(Informative) ?? d.Informative,
                    Redundant = r.GetValue(Redundant) ?? d.Redundant, Repeated = r.GetValue(Repeated) ?? d.Repeated,
                    Classes = r.GetValue(Classes) ?? d.Classes, ClustersPerClass = r.GetValue(ClustersPerClass) ?? d.ClustersPerClass,
                    Weights = ParseWeights(r.GetValue(Weights)), LabelNoise = r.GetValue(Noise) ?? d.LabelNoise,
                    ClassSeparation = r.GetValue(ClassSeparation) ?? d.ClassSeparation, Hypercube = !r.GetValue(NoHypercube),
                    Shift = random ? null : d.Shift, Scale = random ? null : d.Scale,
                });
                parameters = generator.Parameters;
                chunks = () => generator.GenerateChunks(firstRow, count, 100_000, threads);
            }
            else
            {
                var d = new RegressionOptions();
                var generator = new RegressionGenerator(d with
                {
                    Rows = rows, Seed = seed, Naming = naming, Decimals = r.GetValue(Decimals), Shuffle = !r.GetValue(NoShuffle),
                    Features = r.GetValue(Features) ?? d.Features, Informative = r.GetValue(Informative) ?? d.Informative,
                    Targets = r.GetValue(Targets) ?? d.Targets, Bias = r.GetValue(Bias) ?? d.Bias, Noise = r.GetValue(Noise) ?? d.Noise,
                    EffectiveRank = r.GetValue(EffectiveRank), TailStrength = r.GetValue(TailStrength) ?? d.TailStrength,
                });
                parameters = generator.Parameters;
                chunks = () => generator.GenerateChunks(firstRow, count, 100_000, threads);
            }
        }
        catch (ArgumentException e)
        {
            throw Usage(e.Message);
        }

        var paramsPath = r.GetValue(Params) ?? DefaultParamsPath(destination, parameters.Generator);
        var write = o.Outputs.Write(r, r.GetValue(o.OutputTable) ?? parameters.Generator);
        o.Outputs.Check(r, destination, write.TableName, paramsPath);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        console.Step($"Generating {count:N0} rows ({parameters.Generator}{(shard is null ? "" : $", shard {shard}")})", progress =>
        {
            using var sink = TableSinks.Open(destination, write);
            long done = 0;
            foreach (var chunk in chunks())
            {
                sink.Write(chunk);
                done += chunk.RowCount;
                progress?.Report(new Synthesizers.StepProgress($"{done:N0} of {count:N0} rows", count == 0 ? 1 : (double)done / count));
            }
            sink.Complete();
        });
        parameters.Save(paramsPath);
        console.Out($"{count:N0} rows × {parameters.Features.Length} features ({parameters.Generator}) written to {TableReader.Describe(destination)}" +
                    (shard is null ? "" : $" (shard {shard}: rows {firstRow + 1:N0}–{firstRow + count:N0} of {rows:N0})"));
        console.Out($"generating parameters: {paramsPath}");
        console.Info($"{count / Math.Max(sw.Elapsed.TotalSeconds, 1e-9):N0} rows/s ({sw.Elapsed.TotalSeconds:0.00} s, {threads} thread(s))");
        return CliApp.ExitOk;
    }

    private static string DefaultParamsPath(string destination, string generator) =>
        destination.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) || destination.StartsWith("pg:", StringComparison.OrdinalIgnoreCase)
            ? generator + ".params.json"
            : GeneratorParameters.PathBeside(destination);

    private static double[]? ParseWeights(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var weights = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out weights[i]))
                throw Usage($"--weights must be numbers separated by commas, e.g. 0.8,0.15,0.05; '{parts[i]}' is not a number.");
        return weights;
    }

    private static TabTwinException Usage(string message) => new("cli.benchmark", message);
}
