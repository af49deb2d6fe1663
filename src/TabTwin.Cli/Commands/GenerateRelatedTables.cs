using System.CommandLine;
using TabTwin.Generation;
using TabTwin.Generation.Related;
using TabTwin.Generation.Spec;
using TabTwin.IO;
using TabTwin.Synthesizers;

namespace TabTwin.Cli.Commands;

/// <summary>
/// Multi-table output of <c>tabtwin generate</c>: a spec whose tables have parents (customers → orders → order_lines)
/// is streamed, keys intact, into a folder (one file per table) or a database with key constraints. <c>--shard k/n</c>
/// makes part k of the top-level chunks with all their children; the parts concatenated equal the whole run.
/// </summary>
internal static class GenerateRelatedTables
{
    /// <summary>Whether the spec asks for related tables (some table has a parent) and no single table was picked.</summary>
    public static bool Applies(GenerationSpec spec, GenerateCommand.GenerateOptionSet o, ParseResult r) =>
        r.GetValue(o.Table) is null && spec.Tables.Any(t => t.Parent is not null);

    public static int Run(CliConsole console, GenerationSpec spec, GenerateCommand.GenerateOptionSet o, ParseResult r)
    {
        var destination = r.GetValue(o.Output)
            ?? throw new TabTwinException("cli.output", "Give an output with -o: a folder (one file per table) or a database (e.g. -o shop/ or -o sqlite:shop.db).");
        var shard = r.GetValue(o.Shard) is { } s ? Shard.Parse(s) : (Shard?)null;
        int threads = r.GetValue(o.Threads) ?? Environment.ProcessorCount;
        if (threads < 1) throw new TabTwinException("cli.threads", $"--threads must be at least 1, not {threads}.");
        var result = console.Step($"Generating {string.Join(" → ", spec.Tables.Select(t => t.Name))}" + (shard is null ? "" : $" (shard {shard})") +
                                  $" into {TableReader.Describe(destination)}", progress =>
            RelatedTablesGenerator.GenerateTo(spec, destination, new GenerateOptions
            {
                Rows = r.GetValue(o.Rows), Seed = r.GetValue(o.Seed), Shard = shard, Threads = threads, Overwrite = r.GetValue(o.Outputs.Overwrite),
                Progress = progress is null ? null : new TopLevelProgress(progress),
            }, r.GetValue(o.Benchmark.FileFormat) ?? "csv"));
        foreach (var (table, where) in result.Tables.Zip(result.Written))
        {
            var relation = table.Relation;
            console.Out($"{table.Rows,12:N0} rows of '{table.Table}'" + (relation is null ? "" : $" ({relation.ForeignKey} → {relation.Parent}.{relation.Key})") +
                        (shard is null ? "" : $" (rows {table.FirstRow + 1:N0}–{table.FirstRow + table.Rows:N0})") + $" → {where}");
        }
        console.Info($"{result.RowsPerSecond:N0} rows/s ({result.Elapsed.TotalSeconds:0.00} s, {threads} thread(s))");
        return CliApp.ExitOk;
    }

    /// <summary>Progress as the share of top-level rows done (children follow their parents), reported on the generating thread.</summary>
    private sealed class TopLevelProgress(IProgress<StepProgress> inner) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) =>
            inner.Report(new StepProgress($"{value.RowsDone:N0} of {value.RowsTotal:N0} rows of '{value.Table}'", value.RowsTotal == 0 ? 1 : (double)value.RowsDone / value.RowsTotal));
    }
}
