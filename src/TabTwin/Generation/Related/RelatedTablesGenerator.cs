using System.Diagnostics;
using TabTwin.Generation.Spec;
using TabTwin.Tables;

namespace TabTwin.Generation.Related;

/// <summary>What a related-tables run wrote: per table (parents first) its first row (a shard's start) and row count.</summary>
public sealed record RelatedGenerationResult(IReadOnlyList<RelatedTableRows> Tables, IReadOnlyList<string> Written, TimeSpan Elapsed)
{
    public long TotalRows => Tables.Sum(t => t.Rows);
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? TotalRows / Elapsed.TotalSeconds : 0;
}

/// <summary>One table of a related-tables run: rows [<see cref="FirstRow"/>, FirstRow + <see cref="Rows"/>) of the whole output.</summary>
public sealed record RelatedTableRows(string Table, long FirstRow, long Rows, TableRelation? Relation);

/// <summary>
/// Parent/child tables (customers → orders → order_lines): each parent row draws its number of children from the
/// child's <see cref="ParentSpec.Children"/> distribution (zero allowed), the child gets that many rows in parent
/// order, its foreign-key column copies the parent's key (so 100% of the keys resolve), and its
/// <see cref="ParentSpec.After"/> datetimes are moved on or after the parent's (by a gap in days, or by redrawing the
/// values that fall before) before the child's own constraints are checked. Every random draw is keyed by the seed,
/// the table, the column and the chunk (or row), so the same spec and seed give the same tables on any thread count;
/// tables stream chunk by chunk in constant memory (see <see cref="RelatedStream"/>). The columns are made by the
/// spec engine, so every column type, formula and correlation of the single-table spec works in child tables too.
/// </summary>
public static class RelatedTablesGenerator
{
    /// <summary>Generates every table of <paramref name="spec"/> in memory.</summary>
    /// <param name="spec">The spec; tables with a 'parent' get their rows from their parents.</param>
    /// <param name="seed">Null = the spec's seed (or 0).</param>
    /// <param name="rootRows">Rows of every top-level table (null = each table's own 'rows').</param>
    /// <param name="threads">Worker threads (results never depend on it).</param>
    public static RelatedTables Generate(GenerationSpec spec, ulong? seed = null, long? rootRows = null, int? threads = null) =>
        Generate(spec, new GenerateOptions { Seed = seed, Rows = rootRows, Threads = threads ?? Environment.ProcessorCount });

    /// <summary>Generates every table (or the <see cref="GenerateOptions.Shard"/> part of each) in memory; <see cref="GenerateOptions.Rows"/> sets every top-level table's rows.</summary>
    public static RelatedTables Generate(GenerationSpec spec, GenerateOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (plan, nodes) = RelatedStream.Prepare(spec, options.Seed ?? spec.Seed ?? 0, options.Rows);
        using var sink = new MemorySink();
        RelatedStream.Run(nodes, sink, options);
        return new RelatedTables(plan.Order, sink.Tables(), plan.Relations, plan.PrimaryKeys);
    }

    /// <summary>
    /// Streams every table to <paramref name="destination"/>: a database address (sqlite:/duckdb:/pg:, postgres://,
    /// .db/.sqlite/.duckdb) gets all tables in one transaction with PRIMARY and FOREIGN KEY constraints; anything
    /// else is a folder with one <paramref name="fileFormat"/> file (csv, tsv, parquet) per table. Memory stays
    /// constant however many rows; nothing is left behind if generation fails. With a
    /// <see cref="GenerateOptions.Shard"/>, part k of n of the top-level chunks and all their descendants.
    /// </summary>
    public static RelatedGenerationResult GenerateTo(GenerationSpec spec, string destination, GenerateOptions? options = null, string fileFormat = "csv")
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        options ??= new GenerateOptions();
        var sw = Stopwatch.StartNew();
        var (plan, nodes) = RelatedStream.Prepare(spec, options.Seed ?? spec.Seed ?? 0, options.Rows);
        using var sink = new BackgroundSink(RelatedSinks.Open(destination, fileFormat, new RelatedLayout(plan.Order, plan.Relations, plan.PrimaryKeys), out var written, options.Overwrite));
        var tables = RelatedStream.Run(nodes, sink, options);
        sink.Complete();
        return new RelatedGenerationResult(tables.Select(t => new RelatedTableRows(t.Node.Name, t.FirstRow, t.Rows, t.Node.Relation)).ToList(), written, sw.Elapsed);
    }
}
