using System.Diagnostics;
using TabTwin.Generation.Spec;
using TabTwin.IO;
using TabTwin.Tables;

namespace TabTwin.Generation;

/// <summary>How to run a generation: rows, seed, shard, threads, progress.</summary>
public sealed record GenerateOptions
{
    /// <summary>Row count; null = the table's <c>rows</c> in the spec.</summary>
    public long? Rows { get; init; }
    /// <summary>Seed; null = the spec's <c>seed</c>, else 0. The same seed gives identical data.</summary>
    public ulong? Seed { get; init; }
    /// <summary>Generate only this part of the rows (see <see cref="Shard"/>); null = all.</summary>
    public Shard? Shard { get; init; }
    /// <summary>Worker threads; output does not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    public IProgress<GenerationProgress>? Progress { get; init; }
    public CancellationToken Cancellation { get; init; }
    /// <summary>Related tables: replace existing files or database tables of the same names (otherwise they are an error before any row is made).</summary>
    public bool Overwrite { get; init; }
}

/// <summary>
/// Part <see cref="Index"/> (1-based) of <see cref="Count"/>: a contiguous range of rows by row index (<see cref="Range"/>),
/// the parts as even as whole rows allow, so shard outputs concatenated in order equal the single run's output, row for row.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>Parses "k/n" (1 ≤ k ≤ n).</summary>
    public static Shard Parse(string text)
    {
        var parts = (text ?? "").Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out int k) && int.TryParse(parts[1], out int n) && n >= 1 && k >= 1 && k <= n)
            return new Shard(k, n);
        throw new TabTwinException("cli.shard", $"'{text}' is not a shard; write k/n with 1 ≤ k ≤ n, e.g. 3/8.");
    }

    /// <summary>
    /// The rows [FirstRow, FirstRow + Rows) this part holds of <paramref name="rows"/>: part k of n starts at ⌊rows·(k−1)/n⌋
    /// and ends at ⌊rows·k/n⌋, so the parts tile the rows in order and their sizes differ by at most one.
    /// </summary>
    public (long FirstRow, long Rows) Range(long rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (Count < 1 || Index < 1 || Index > Count) throw new InvalidOperationException($"Shard {this} is not k/n with 1 ≤ k ≤ n.");
        long first = (long)((Int128)rows * (Index - 1) / Count), end = (long)((Int128)rows * Index / Count);
        return (first, end - first);
    }

    public override string ToString() => $"{Index}/{Count}";
}

public sealed record GenerationProgress(string Table, long RowsDone, long RowsTotal);

/// <summary>What a generation run did.</summary>
public sealed record GenerationResult(string Table, long FirstRow, long Rows, TimeSpan Elapsed, IReadOnlyList<SpecWarning> Warnings)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Generates tables from a <see cref="GenerationSpec"/>: in chunks of <see cref="ChunkRows"/> rows, made in parallel
/// and delivered in order, so memory stays constant however many rows are asked for and the output is identical for
/// any thread count. <see cref="GenerateOptions.Shard"/> makes one of n disjoint parts of the same output.
/// </summary>
public static class DataGenerator
{
    /// <summary>Rows per chunk (fixed: random streams are per chunk, and shards are whole chunks).</summary>
    public const int ChunkRows = TablePlan.ChunkRows;

    /// <summary>Generates the whole table (or shard) in memory.</summary>
    public static Table Generate(GenerationSpec spec, string? table = null, GenerateOptions? options = null)
    {
        var chunks = new List<Table>();
        Run(spec, table, options, chunks.Add, out _);
        return TableConcat.Rows(chunks);
    }

    /// <summary>Streams the table (or shard) into <paramref name="sink"/> and completes it.</summary>
    public static GenerationResult GenerateTo(GenerationSpec spec, ITableSink sink, string? table = null, GenerateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var result = Run(spec, table, options, sink.Write, out _);
        sink.Complete();
        return result;
    }

    /// <summary>Streams the table (or shard) to a file or database (see <see cref="TableSinks.Open"/>).</summary>
    public static GenerationResult GenerateTo(GenerationSpec spec, string destination, string? table = null, GenerateOptions? options = null,
        WriteOptions? writeOptions = null)
    {
        writeOptions ??= new WriteOptions { TableName = table };
        // The row count is known up front, so a file sink checks the free space against it before the first chunk lands.
        writeOptions = writeOptions with { ExpectedRows = writeOptions.ExpectedRows ?? ExpectedRows(spec, table, options) };
        using var sink = TableSinks.Open(destination, writeOptions, csvHeader: true);
        return GenerateTo(spec, sink, table, options);
    }

    private static long? ExpectedRows(GenerationSpec spec, string? table, GenerateOptions? options)
    {
        var tableSpec = table is not null ? spec.Tables.FirstOrDefault(t => t.Name == table) : spec.Tables.Count == 1 ? spec.Tables[0] : null;
        long? rows = options?.Rows ?? tableSpec?.Rows;
        return rows is { } r && options?.Shard is { } shard ? r / shard.Count : rows;
    }

    /// <summary>The chunks of the table (or shard), in order, generated ahead in parallel while the caller consumes them.</summary>
    public static IEnumerable<Table> GenerateChunks(GenerationSpec spec, string? table = null, GenerateOptions? options = null)
    {
        var (plan, span, _) = Prepare(spec, table, options);
        return Ordered(plan, span, options ?? new GenerateOptions());
    }

    /// <summary>Validates the spec and returns its warnings (the checks generation makes before the first row).</summary>
    public static IReadOnlyList<SpecWarning> Check(GenerationSpec spec, long? rows = null)
    {
        var warnings = SpecValidator.Validate(spec).ToList();
        foreach (var t in spec.Tables.Where(t => t.Parent is null)) _ = new TablePlan(spec, t, rows ?? t.Rows ?? 0, spec.Seed ?? 0, []);
        return warnings;
    }

    /// <summary>The rows [first, first + count) of shard <paramref name="shard"/> of <paramref name="rows"/> rows (see <see cref="Shard.Range"/>).</summary>
    public static (long FirstRow, long Count) ShardRange(long rows, Shard shard) => shard.Range(rows);

    /// <summary>The rows to make, [FirstRow, EndRow), and the chunks that hold them (the first and last may be cut).</summary>
    private readonly record struct RowSpan(long FirstRow, long EndRow)
    {
        public long FirstChunk => FirstRow / ChunkRows;
        public long EndChunk => EndRow == FirstRow ? FirstChunk : (EndRow + ChunkRows - 1) / ChunkRows;

        /// <summary>Chunk <paramref name="k"/> (generated whole, so its rows are those of the single run) cut to this span.</summary>
        public Table Cut(long k, Table chunk)
        {
            long start = k * ChunkRows;
            int from = (int)(Math.Max(FirstRow, start) - start), to = (int)(Math.Min(EndRow, start + chunk.RowCount) - start);
            return from == 0 && to == chunk.RowCount ? chunk : chunk.Take(Enumerable.Range(from, to - from).ToArray());
        }
    }

    private static (TablePlan Plan, RowSpan Span, List<SpecWarning> Warnings) Prepare(GenerationSpec spec, string? table, GenerateOptions? options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new GenerateOptions();
        if (options.Threads < 1) throw new ArgumentOutOfRangeException(nameof(options), "Threads must be at least 1.");
        var tableSpec = table is not null ? spec.Table(table)
            : spec.Tables.Count == 1 ? spec.Tables[0]
            : throw new SpecException("spec.table-required",
                $"The spec has {spec.Tables.Count} tables ({string.Join(", ", spec.Tables.Select(t => t.Name))}); name the one to generate.", file: spec.SourceFile);
        long rows = options.Rows ?? tableSpec.Rows
            ?? throw new SpecException("spec.missing-field", $"table '{tableSpec.Name}', field 'rows': no row count; give 'rows' in the spec or --rows.",
                tableSpec.Name, field: "rows", line: tableSpec.Line, file: spec.SourceFile);
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(options), "Rows must not be negative.");
        var warnings = new List<SpecWarning>();
        foreach (var other in spec.Tables) if (other != tableSpec) SpecValidator.Analyze(spec, other, warnings);
        warnings.Clear();
        var plan = new TablePlan(spec, tableSpec, rows, options.Seed ?? spec.Seed ?? 0, warnings);
        var (first, count) = options.Shard is { } shard ? shard.Range(plan.Rows) : (0L, plan.Rows);
        return (plan, new RowSpan(first, first + count), warnings);
    }

    private static GenerationResult Run(GenerationSpec spec, string? table, GenerateOptions? options, Action<Table> consume, out TablePlan plan)
    {
        options ??= new GenerateOptions();
        var sw = Stopwatch.StartNew();
        var (p, span, warnings) = Prepare(spec, table, options);
        plan = p;
        long rows = 0, firstRow = span.FirstRow;
        bool any = false;
        foreach (var chunk in Ordered(p, span, options))
        {
            consume(chunk);
            any = true;
            rows += chunk.RowCount;
        }
        if (!any) consume(p.GenerateEmpty());
        return new GenerationResult(p.Table.Name, firstRow, rows, sw.Elapsed, warnings);
    }

    /// <summary>The span's chunks in order, cut to the span, at most 2×threads generated ahead (constant memory).</summary>
    private static IEnumerable<Table> Ordered(TablePlan plan, RowSpan span, GenerateOptions options)
    {
        long first = span.FirstChunk, end = span.EndChunk;
        long total = span.EndRow - span.FirstRow, done = 0;
        var ct = options.Cancellation;
        if (options.Threads == 1)
        {
            for (long k = first; k < end; k++)
            {
                ct.ThrowIfCancellationRequested();
                var chunk = span.Cut(k, plan.Generate(k));
                done += chunk.RowCount;
                options.Progress?.Report(new GenerationProgress(plan.Table.Name, done, total));
                yield return chunk;
            }
            yield break;
        }
        var scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, options.Threads).ConcurrentScheduler;
        var window = new Queue<Task<Table>>();
        long next = first;
        Task<Table> Start(long k) => Task.Factory.StartNew(() => span.Cut(k, plan.Generate(k)), ct, TaskCreationOptions.None, scheduler);
        try
        {
            while (next < end && window.Count < options.Threads * 2) window.Enqueue(Start(next++));
            while (window.Count > 0)
            {
                var chunk = window.Dequeue().GetAwaiter().GetResult();
                if (next < end) window.Enqueue(Start(next++));
                done += chunk.RowCount;
                options.Progress?.Report(new GenerationProgress(plan.Table.Name, done, total));
                yield return chunk;
            }
        }
        finally
        {
            // Abandoned early (error or the consumer stopped): let in-flight chunks finish without observing them.
            foreach (var t in window) t.ContinueWith(static x => _ = x.Exception, TaskScheduler.Default);
        }
    }
}
