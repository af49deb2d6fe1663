using TabTwin.Generation.Spec;
using TabTwin.IO;
using TabTwin.Tables;

namespace TabTwin.Generation.Related;

/// <summary>
/// Streams related tables in constant memory: a top-level table is made chunk by chunk; each chunk written queues its
/// rows as parents of every child table, and a child chunk (<see cref="TablePlan.ChunkRows"/> rows of the child, the
/// same chunks as if the child were generated alone) is made as soon as its parents are known, written, and queues
/// its own rows for the grandchildren. Chunks of one table are made in parallel batches and written in order, a
/// parent's chunks before any child row that references them. A shard is a range of top-level chunks; its children
/// start at the global row the earlier chunks' children end at (counted without generating them), so shards
/// concatenated equal the whole run.
/// </summary>
internal sealed class RelatedStream
{
    private const int ChunkRows = TablePlan.ChunkRows;

    private readonly IRelationalSink _sink;
    private readonly GenerateOptions _options;
    private readonly int _batch;

    private RelatedStream(IRelationalSink sink, GenerateOptions options)
    {
        _sink = sink;
        _options = options;
        _batch = Math.Max(2, 2 * options.Threads);
    }

    /// <summary>The tables of <paramref name="spec"/>, parents first, ready to stream (the spec's relations are checked here).</summary>
    public static (RelationPlan Plan, List<TableNode> Nodes) Prepare(GenerationSpec spec, ulong seed, long? rootRows)
    {
        var plan = RelationPlan.Build(spec);
        var nodes = new Dictionary<string, TableNode>(StringComparer.Ordinal);
        var ordered = new List<TableNode>();
        foreach (var name in plan.Order)
        {
            var table = spec.Table(name);
            var relation = table.Parent is null ? null : plan.RelationOf(name);
            var parent = relation is null ? null : nodes[relation.Parent];
            var node = new TableNode(spec, table, relation, parent, parent is null ? rootRows : null, seed);
            parent?.Children.Add(node);
            nodes[name] = node;
            ordered.Add(node);
        }
        return (plan, ordered);
    }

    /// <summary>Generates every table into <paramref name="sink"/> (not completed here); returns each table's first row and row count.</summary>
    public static IReadOnlyList<(TableNode Node, long FirstRow, long Rows)> Run(IReadOnlyList<TableNode> nodes, IRelationalSink sink, GenerateOptions options)
    {
        if (options.Threads < 1) throw new ArgumentOutOfRangeException(nameof(options), "Threads must be at least 1.");
        var stream = new RelatedStream(sink, options);
        foreach (var root in nodes.Where(n => n.Parent is null)) stream.RunRoot(root);
        foreach (var node in nodes) node.CheckLength(node.NextRow);
        return nodes.Select(n => (n, n.FirstRow, n.NextRow - n.FirstRow)).ToList();
    }

    private void RunRoot(TableNode root)
    {
        // A shard is the root rows [firstRow, endRow) by row index; its first and last chunks are made whole (so their rows are
        // the single run's) and cut, the rows before the cut being the chunk's skip.
        var (firstRow, count) = _options.Shard is { } shard ? shard.Range(root.Rows) : (0L, root.Rows);
        long endRow = firstRow + count;
        long first = firstRow / ChunkRows, end = count == 0 ? first : (endRow + ChunkRows - 1) / ChunkRows;
        root.NextRow = root.FirstRow = firstRow;
        foreach (var child in root.Children) StartAfter(child, root.FirstRow);
        for (long k = first; k < end; k += _batch)
        {
            var chunkIndexes = new List<long>();
            for (long j = k; j < Math.Min(end, k + _batch); j++) chunkIndexes.Add(j);
            var made = InParallel(chunkIndexes, j =>
            {
                var rows = root.Plan.Generate(j);
                int skip = (int)(Math.Max(firstRow, j * ChunkRows) - j * ChunkRows), take = (int)(Math.Min(endRow, j * ChunkRows + rows.RowCount) - j * ChunkRows) - skip;
                return Made(root, skip == 0 && take == rows.RowCount ? rows : rows.Take(Enumerable.Range(skip, take).ToArray()), j, skip);
            });
            for (int i = 0; i < made.Length; i++)
            {
                Emit(root, made[i]);
                _options.Progress?.Report(new GenerationProgress(root.Name, root.NextRow - root.FirstRow, endRow - root.FirstRow));
            }
        }
        Finish(root);
    }

    /// <summary>A shard's start in <paramref name="child"/> (and its descendants): the children of the parents before it.</summary>
    private void StartAfter(TableNode child, long parentRows)
    {
        var chunks = new List<long>();
        for (long j = 0; j * ChunkRows < parentRows; j++) chunks.Add(j);
        var sums = InParallel(chunks, j => child.ChildrenPerParent(j, (int)Math.Min(ChunkRows, parentRows - j * ChunkRows), 0).Sum(c => (long)c));
        child.NextRow = child.FirstRow = sums.Sum();
        foreach (var grandchild in child.Children) StartAfter(grandchild, child.FirstRow);
    }

    /// <summary>A chunk made (the table's rows from row Skip of chunk Chunk on) with its children per row for every child table.</summary>
    private readonly record struct MadeChunk(Table Rows, long Chunk, int Skip, int[][] Children);

    private static MadeChunk Made(TableNode node, Table rows, long chunk, int skip) =>
        new(rows, chunk, skip, node.Children.Select(c => c.ChildrenPerParent(chunk, skip + rows.RowCount, skip)).ToArray());

    /// <summary>Writes a chunk, queues its rows as parents, and makes the children's chunks that are complete.</summary>
    private void Emit(TableNode node, MadeChunk made)
    {
        _options.Cancellation.ThrowIfCancellationRequested();
        _sink.Write(node.Name, made.Rows);
        node.Written = true;
        if (node.Parent is null) node.NextRow += made.Rows.RowCount;
        if (node.Children.Count == 0) return;
        var info = made.Rows.Select(node.InfoColumns);
        for (int c = 0; c < node.Children.Count; c++)
        {
            node.Children[c].Pending.Add(info, made.Children[c]);
            Drain(node.Children[c], final: false);
        }
    }

    /// <summary>Makes and writes the child's chunks whose parents are all known (with <paramref name="final"/>, the last partial one too).</summary>
    private void Drain(TableNode node, bool final)
    {
        while (true)
        {
            var jobs = new List<(long Chunk, int Skip, int Rows, Table Parents)>();
            while (jobs.Count < _batch)
            {
                long chunk = node.NextRow / ChunkRows;
                int skip = (int)(node.NextRow % ChunkRows);
                long wanted = ChunkRows - skip, queued = node.Pending.Rows;
                if (queued == 0 || (queued < wanted && !final)) break;
                int take = (int)Math.Min(wanted, queued);
                jobs.Add((chunk, skip, take, node.Pending.Take(take)));
                node.NextRow += take;
            }
            if (jobs.Count == 0) return;
            var made = InParallel(jobs, job => MakeChild(node, job.Chunk, job.Skip, job.Rows, job.Parents));
            foreach (var m in made) Emit(node, m);
        }
    }

    private static MadeChunk MakeChild(TableNode node, long chunk, int skip, int rows, Table parents)
    {
        Func<Table, int, Table>? adjust = node.After.Length == 0 ? null : (own, round) => AfterParentDates.Apply(node, own, round, chunk, skip, parents);
        var own = node.Plan.Generate(chunk, skip + rows, adjust);
        if (skip > 0) own = own.Take(Enumerable.Range(skip, rows).ToArray());
        var relation = node.Relation!;
        return Made(node, node.Compose(own, parents[relation.Key].WithName(relation.ForeignKey)), chunk, skip);
    }

    /// <summary>After the table's last parent: its last chunk, an empty chunk if it got no rows (so every table exists), then its children.</summary>
    private void Finish(TableNode node)
    {
        if (node.Parent is not null) Drain(node, final: true);
        if (!node.Written)
        {
            _sink.Write(node.Name, node.Empty());
            node.Written = true;
        }
        foreach (var child in node.Children) Finish(child);
    }

    /// <summary>make(item) for every item on up to Threads threads, results in item order; an error surfaces as itself, not wrapped.</summary>
    private T[] InParallel<TIn, T>(IReadOnlyList<TIn> items, Func<TIn, T> make)
    {
        var results = new T[items.Count];
        if (_options.Threads == 1 || items.Count == 1)
        {
            for (int i = 0; i < items.Count; i++) results[i] = make(items[i]);
            return results;
        }
        try
        {
            Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.Threads, CancellationToken = _options.Cancellation },
                i => results[i] = make(items[i]));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return results;
    }
}
