using System.CommandLine;
using TabTwin.Generation.Related;
using TabTwin.Generation.Spec;
using TabTwin.IO;

namespace TabTwin.Cli.Commands;

/// <summary>
/// Multi-table output of <c>tabtwin generate</c>: a spec whose tables have parents (customers → orders → order_lines)
/// is generated whole, keys intact, into a folder (one file per table) or a database with key constraints.
/// </summary>
internal static class GenerateRelatedTables
{
    /// <summary>Whether the spec asks for related tables (some table has a parent) and no single table was picked.</summary>
    public static bool Applies(GenerationSpec spec, GenerateCommand.GenerateOptionSet o, ParseResult r) =>
        r.GetValue(o.Table) is null && spec.Tables.Any(t => t.Parent is not null);

    public static int Run(CliConsole console, GenerationSpec spec, GenerateCommand.GenerateOptionSet o, ParseResult r)
    {
        if (r.GetValue(o.Shard) is not null) throw new TabTwinException("cli.shard", "--shard applies to one table; related tables are generated whole (pick one with --table to shard it).");
        var destination = r.GetValue(o.Output)
            ?? throw new TabTwinException("cli.output", "Give an output with -o: a folder (one file per table) or a database (e.g. -o shop/ or -o sqlite:shop.db).");
        int threads = r.GetValue(o.Threads) ?? Environment.ProcessorCount;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var tables = console.Step($"Generating {string.Join(" → ", spec.Tables.Select(t => t.Name))}", _ =>
            RelatedTablesGenerator.Generate(spec, r.GetValue(o.Seed), r.GetValue(o.Rows), threads));
        var written = console.Step($"Writing {TableReader.Describe(destination)}", _ => RelatedTablesWriter.Write(tables, destination, r.GetValue(o.Benchmark.FileFormat) ?? "csv"));
        long total = 0;
        foreach (var (name, where) in tables.Order.Zip(written))
        {
            var relation = tables.Relations.FirstOrDefault(x => x.Child == name);
            console.Out($"{tables[name].RowCount,12:N0} rows of '{name}'" + (relation is null ? "" : $" ({relation.ForeignKey} → {relation.Parent}.{relation.Key})") + $" → {where}");
            total += tables[name].RowCount;
        }
        console.Info($"{total / Math.Max(sw.Elapsed.TotalSeconds, 1e-9):N0} rows/s ({sw.Elapsed.TotalSeconds:0.00} s)");
        return CliApp.ExitOk;
    }
}
