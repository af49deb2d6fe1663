using System.CommandLine;
using TabTwin.Generation;
using TabTwin.Generation.Spec;
using TabTwin.IO;
using TabTwin.Synthesizers;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>tabtwin generate spec.yaml --rows 10000000 -o customers.parquet</c>: make data from a written spec, with no real
/// data at all. Modes are dispatched in <see cref="Dispatch"/>: today a spec file; other generators (benchmark
/// classification/regression sets, multi-table output) add their options and a branch there.
/// </summary>
internal static class GenerateCommand
{
    public static Command Build(CliConsole console)
    {
        var o = new GenerateOptionSet();
        var cmd = new Command("generate", "Generate data from a spec (YAML or JSON; see docs/spec.schema.json) — no real data needed.");
        cmd.Add(o.Spec);
        foreach (var option in o.Options) cmd.Add(option);
        cmd.SetAction(r => Dispatch(console, o, r));
        return cmd;
    }

    /// <summary>The options of the command, kept together so modes can read them.</summary>
    internal sealed class GenerateOptionSet
    {
        public readonly Argument<string?> Spec = new("spec") { Description = "Spec file (.yaml, .yml or .json).", Arity = ArgumentArity.ZeroOrOne };
        public readonly Option<string?> Output = new("--output", "-o") { Description = "Output: .csv, .tsv, .parquet, .db/.sqlite, .duckdb, sqlite:/duckdb:/pg: or postgres:// (database table = the spec table's name, or --output-table)." };
        public readonly Option<long?> Rows = new("--rows", "-n") { Description = "Number of rows (default: the spec's rows)." };
        public readonly Option<ulong?> Seed = new("--seed") { Description = "Random seed (default: the spec's seed, else 0); the same seed gives identical output." };
        public readonly Option<string?> Shard = new("--shard") { Description = "Generate only part k of n (e.g. 3/8); parts 1..n concatenated equal the whole run." };
        public readonly Option<int?> Threads = new("--threads") { Description = "Worker threads (default: all cores); the output does not depend on it." };
        public readonly Option<string?> Table = new("--table") { Description = "Which table of a multi-table spec to generate." };
        public readonly Option<string?> OutputTable = new("--output-table") { Description = "Table name to create when the output is a database." };
        public readonly Option<bool> Check = new("--check") { Description = "Only validate the spec (print warnings) and exit." };
        public readonly Option<bool> Quiet = CommonOptions.Quiet();
        public readonly OutputOptions Outputs = new();

        public readonly GenerateBenchmarkOptions Benchmark = new();
        public readonly GenerateCluster Cluster = new();

        public IEnumerable<Option> Options => [Output, Rows, Seed, Shard, Threads, Table, OutputTable, Check, Quiet, .. Outputs.ForTables, .. Benchmark.Options, .. Cluster.Options];
    }

    private static int Dispatch(CliConsole console, GenerateOptionSet o, ParseResult r)
    {
        console.Quiet = r.GetValue(o.Quiet);
        if (o.Benchmark.TryRun(console, o, r) is { } exit) return exit;
        if (r.GetValue(o.Spec) is { } specPath) return FromSpec(console, o, r, specPath);
        throw new TabTwinException("cli.generate-mode", "Nothing to generate: give a spec file, e.g. 'tabtwin generate examples/customers.yaml -o customers.parquet'.",
            hint: "Write a spec (see README, 'Generating data from a spec').");
    }

    /// <summary>Whether <paramref name="option"/> was written on the command line (not just its default).</summary>
    internal static bool Given(ParseResult r, Option option) => r.GetResult(option) is { Implicit: false };

    /// <summary>A usage error (exit 2) naming every given option of <paramref name="options"/>: the mode cannot honour them.</summary>
    internal static void Refuse(ParseResult r, string mode, IEnumerable<Option> options)
    {
        var given = options.Where(option => Given(r, option)).Select(option => option.Name).ToArray();
        if (given.Length == 0) return;
        throw new UsageException("cli.option-not-applicable", $"{string.Join(", ", given)} {(given.Length == 1 ? "does" : "do")} not apply to {mode}.",
            hint: $"Drop {(given.Length == 1 ? "it" : "them")}; 'tabtwin {r.CommandResult.Command.Name} --help' says which options go with which mode.");
    }

    private static int FromSpec(CliConsole console, GenerateOptionSet o, ParseResult r, string specPath)
    {
        Refuse(r, "a spec (they are for --classification/--regression)", o.Benchmark.BenchmarkOnly);
        var spec = SpecReader.Load(specPath);
        long? rows = r.GetValue(o.Rows);
        if (rows is < 0) throw new TabTwinException("cli.rows", $"--rows must not be negative, not {rows}.");
        var warnings = DataGenerator.Check(spec, rows);
        foreach (var w in warnings) console.Error($"warning: {w.Message}");
        if (r.GetValue(o.Check))
        {
            Refuse(r, "--check, which only validates the spec", [o.Output, o.Shard, o.Threads, o.OutputTable, o.Benchmark.FileFormat]);
            console.Out($"{specPath}: valid ({spec.Tables.Count} table(s): {string.Join(", ", spec.Tables.Select(t => $"{t.Name} ({t.Columns.Count} columns)"))}).");
            return CliApp.ExitOk;
        }
        if (GenerateRelatedTables.Applies(spec, o, r))
        {
            Refuse(r, "related tables (each database table takes its spec table's name)", [o.OutputTable]);
            return GenerateRelatedTables.Run(console, spec, o, r);
        }
        Refuse(r, "a single table (it is for related tables written to a folder)", [o.Benchmark.FileFormat]);
        if (o.Cluster.Applies(r)) return o.Cluster.Run(console, o, r, specPath);
        var destination = r.GetValue(o.Output)
            ?? throw new TabTwinException("cli.output", "Give an output with -o (e.g. -o customers.parquet, -o data.csv, -o sqlite:out.db).");
        var table = r.GetValue(o.Table);
        var tableSpec = table is not null ? spec.Table(table) : spec.Tables.Count == 1 ? spec.Tables[0] : spec.Tables.First(t => t.Parent is null);
        var shard = r.GetValue(o.Shard) is { } s ? Generation.Shard.Parse(s) : (Shard?)null;
        int threads = r.GetValue(o.Threads) ?? Environment.ProcessorCount;
        if (threads < 1) throw new TabTwinException("cli.threads", $"--threads must be at least 1, not {threads}.");
        var write = o.Outputs.Write(r, r.GetValue(o.OutputTable) ?? tableSpec.Name);
        o.Outputs.Check(r, destination, write.TableName);

        var result = console.Step($"Generating {tableSpec.Name}" + (shard is null ? "" : $" (shard {shard})"), progress =>
        {
            var options = new GenerateOptions
            {
                Rows = rows, Seed = r.GetValue(o.Seed), Shard = shard, Threads = threads,
                Progress = progress is null ? null : new Progress(progress),
            };
            return DataGenerator.GenerateTo(spec, destination, tableSpec.Name, options, write);
        });
        console.Out($"{result.Rows:N0} rows of '{result.Table}' written to {TableReader.Describe(destination)}" +
                    (shard is null ? "" : $" (shard {shard}: rows {result.FirstRow + 1:N0}–{result.FirstRow + result.Rows:N0})"));
        console.Info($"{result.RowsPerSecond:N0} rows/s ({result.Elapsed.TotalSeconds:0.00} s, {threads} thread(s))");
        return CliApp.ExitOk;
    }

    /// <summary>Turns row counts into the fraction the progress bar shows.</summary>
    private sealed class Progress(IProgress<StepProgress> inner) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) =>
            inner.Report(new StepProgress($"{value.RowsDone:N0} of {value.RowsTotal:N0} rows", value.RowsTotal == 0 ? 1 : (double)value.RowsDone / value.RowsTotal));
    }
}
