using TabTwin.Encoding;
using TabTwin.Tables;
using TabTwin.Synthesizers.Cart;

namespace TabTwin.Synthesizers.Cart.Streaming;

/// <summary>
/// Fits the CART model in passes over a table read in chunks, holding sketches and histograms instead of rows:
/// <list type="number">
/// <item>statistics: per continuous column a quantile sketch, the exact tail values, distinct values while few, the
/// largest magnitude; per discrete column the class counts → bin edges, clipped ranges and leaf grids;</item>
/// <item>order: bin entropies and pairwise joint counts (the visiting order's mutual information) and the regression
/// targets' centres;</item>
/// <item>one pass per tree level: every tree's open nodes accumulate their histograms (<see cref="LevelwiseTree"/>), at most
/// <see cref="StreamingFitOptions.HistogramBytes"/> at a time (more passes when they do not fit).</item>
/// </list>
/// The encoding is fitted beforehand on a reservoir of rows (<see cref="TableReservoir"/>). Chunks are processed in order and
/// each tree's sums are added row by row, so the model equals the in-memory fit on the same bins
/// (<see cref="CartFitter.Fit"/> given <see cref="Result.Binning"/>), byte for byte, whatever the chunk size or thread count.
/// </summary>
internal static class StreamingCartFitter
{
    public sealed record Result(int[] Order, CartColumn[] Columns, long Rows, int Passes, CartBinning?[] Binning);

    public static Result Fit(ITableChunkSource source, TableEncoding encoding, long rows, CartOptions options, StreamingFitOptions streaming,
        ParallelOptions parallel, IProgress<StepProgress>? progress)
    {
        if (rows > int.MaxValue) throw new TabTwinException("stream.too-many-rows", $"'{source.Name}' has {rows:N0} rows; a fit reads at most {int.MaxValue:N0}.",
            hint: "Fit on a sample of the rows (e.g. a query with LIMIT or a subset of the files).");
        int n = (int)rows, m = encoding.Modelled.Length, passes = 0;
        var names = encoding.Modelled.Select(c => c.Name).ToList();

        // Pass 1: statistics.
        var kinds = new EncodedKind[m];
        var cardinality = new int[m];
        var continuous = new ContinuousColumnStats?[m];
        var classCounts = new long[m][];
        bool first = true;
        foreach (var encoded in Encoded(source, encoding, parallel.CancellationToken))
        {
            if (first)
            {
                for (int j = 0; j < m; j++)
                {
                    kinds[j] = encoded[j].Kind; cardinality[j] = encoded[j].Cardinality;
                    bool clipped = options.PrivacyOn && options.UnclippedColumns?.Contains(names[j]) != true;
                    int tail = clipped ? CartFitter.TailIndex(n, options.RobustTail, options.TailRows) + 1 : 1;
                    continuous[j] = kinds[j] == EncodedKind.Continuous ? new ContinuousColumnStats(Math.Min(tail, 1 << 20), Math.Max(options.MaxBins, TargetGrid.Size)) : null;
                    classCounts[j] = new long[cardinality[j] + 1];
                }
                first = false;
            }
            Parallel.For(0, m, parallel, j =>
            {
                var c = encoded[j];
                if (continuous[j] is { } stats) stats.Add(c.Values!, c.Missing, c.Length);
                else for (int r = 0; r < c.Length; r++) classCounts[j][c.Missing[r] ? cardinality[j] : c.Codes![r]]++;
            });
        }
        passes++;
        progress?.Report(new StepProgress("statistics", 1));

        var binning = new CartBinning?[m];
        var binCounts = new int[m];
        var categorical = new bool[m];
        for (int j = 0; j < m; j++)
        {
            categorical[j] = kinds[j] == EncodedKind.Discrete;
            if (continuous[j] is { } stats)
            {
                bool clipped = options.PrivacyOn && options.UnclippedColumns?.Contains(names[j]) != true;
                binning[j] = stats.Binning(options.MaxBins, clipped ? options.RobustTail : 0, clipped ? options.TailRows : 0);
                binCounts[j] = binning[j]!.Edges.Length + 2;
            }
            else binCounts[j] = cardinality[j] + 1;
        }

        // Pass 2: the visiting order's entropies and joint counts; the regression targets' centres.
        var scale = new double[m];
        for (int j = 0; j < m; j++)
        {
            double largest = continuous[j]?.Largest ?? 0;
            scale[j] = largest > 0 && double.IsFinite(largest) ? Math.ScaleB(1, -Math.Clamp(Math.ILogB(largest) + 1, -1000, 1022)) : 1;
        }
        var centre = new double[m];
        int[] order;
        bool explicitOrder = options.VisitOrder is not null;
        var counts = explicitOrder ? [] : Enumerable.Range(0, m).Select(j => new int[binCounts[j]]).ToArray();
        var joint = explicitOrder ? [] : Enumerable.Range(0, m).Select(a => Enumerable.Range(0, m).Select(b => b > a ? new int[binCounts[a] * binCounts[b]] : []).ToArray()).ToArray();
        using var spill = streaming.Spill ? new BinnedSpill(streaming.SpillFolder, binCounts, continuous.Select(c => c is not null).ToArray()) : null;
        foreach (var chunk in Binned(source, encoding, binning, binCounts, parallel))
        {
            spill?.Write(chunk);
            var bins = chunk.Bins;
            Parallel.For(0, m, parallel, a =>
            {
                if (chunk.Values[a] is { } values)
                    for (int r = 0; r < chunk.Rows; r++) if (bins[a][r] != binCounts[a] - 1) centre[a] += values[r] * scale[a];
                if (explicitOrder) return;
                int[] x = bins[a];
                foreach (int b in x) counts[a][b]++;
                for (int b = a + 1; b < m; b++)
                {
                    int wb = binCounts[b];
                    int[] y = bins[b], cells = joint[a][b];
                    for (int r = 0; r < x.Length; r++) cells[x[r] * wb + y[r]]++;
                }
            });
        }
        passes++;
        for (int j = 0; j < m; j++)
            if (continuous[j] is { Present: > 0 } stats) centre[j] /= stats.Present;
        if (explicitOrder) order = CartFitter.ExplicitOrder(names, options.VisitOrder!);
        else
        {
            var entropy = new double[m];
            for (int j = 0; j < m; j++) entropy[j] = VisitOrder.Entropy(counts[j], n);
            var mi = new double[m, m];
            for (int a = 0; a < m; a++)
                for (int b = a + 1; b < m; b++)
                    mi[a, b] = mi[b, a] = Math.Max(0, entropy[a] + entropy[b] - VisitOrder.Entropy(joint[a][b], n));
            order = VisitOrder.Choose(entropy, mi, categorical, binCounts, options.LeadingColumns is { } leading ? CartFitter.LeadingIndices(names, leading) : []);
        }
        progress?.Report(new StepProgress("order", 1));

        // Passes 3…: the trees, level by level.
        int minLeaf = options.MinLeafFor(n), keySupport = CartFitter.KeySupport(options);
        var trees = new LevelwiseTree[m];
        var missingTrees = new LevelwiseTree?[m];
        for (int position = 0; position < m; position++)
        {
            int j = order[position];
            var features = order[..position];
            if (categorical[j])
                trees[j] = new LevelwiseTree(features, binCounts, categorical,
                    new TreeTarget(cardinality[j] + 1, options.PrivacyOn && CartFitter.IsKeyLike(cardinality[j], n) ? keySupport : 0, null, 0, 0),
                    minLeaf, options.MaxDepth, options.MinGainFraction);
            else
            {
                if (continuous[j]!.Missing > 0)
                    missingTrees[j] = new LevelwiseTree(features, binCounts, categorical, new TreeTarget(2, 0, null, 0, 0), minLeaf, options.MaxDepth, options.MinGainFraction);
                trees[j] = new LevelwiseTree(features, binCounts, categorical,
                    new TreeTarget(0, 0, binning[j]!.Grid, options.LeafQuantiles, options.PrivacyOn ? CartFitter.RowsPerTailQuantile * options.TailRows : 0),
                    minLeaf, options.MaxDepth, options.MinGainFraction);
            }
        }
        var all = Enumerable.Range(0, m).SelectMany(j => new[] { (Column: j, Tree: missingTrees[j], Missing: true), (Column: j, Tree: (LevelwiseTree?)trees[j], Missing: false) })
            .Where(t => t.Tree is not null).ToArray();
        int levelPasses = 0;
        while (all.Any(t => !t.Tree!.Done))
        {
            parallel.CancellationToken.ThrowIfCancellationRequested();
            long budget = streaming.HistogramBytes;
            var active = new List<(int Column, LevelwiseTree Tree, bool Missing)>();
            foreach (var (j, tree, missing) in all)
            {
                if (tree!.Done || tree.OpenNodes == 0) continue;
                long fit = Math.Max(active.Count == 0 ? 1 : 0, Math.Min(tree.OpenNodes, budget / tree.BytesPerNode));
                if (fit == 0) continue;
                tree.TakeOpenNodes((int)fit);
                budget -= fit * tree.BytesPerNode;
                active.Add((j, tree, missing));
            }
            var chunks = spill?.Read(parallel.CancellationToken) ?? Binned(source, encoding, binning, binCounts, parallel);
            foreach (var chunk in chunks)
            {
                var bins = chunk.Bins;
                int len = chunk.Rows;
                Parallel.For(0, active.Count, parallel, t =>
                {
                    var (j, tree, missing) = active[t];
                    int missingBin = binCounts[j] - 1;
                    if (categorical[j]) tree.Accumulate(bins, len, bins[j], null, null, null); // a discrete column's bin is its class
                    else if (missing)
                    {
                        var classes = tree.ClassBuffer(len);
                        for (int r = 0; r < len; r++) classes[r] = bins[j][r] == missingBin ? 1 : 0;
                        tree.Accumulate(bins, len, classes, null, null, null);
                    }
                    else
                    {
                        var scaled = tree.ScaledBuffer(len);
                        var present = tree.EligibleBuffer(len);
                        double[] values = chunk.Values[j]!;
                        for (int r = 0; r < len; r++)
                            if (present[r] = bins[j][r] != missingBin) scaled[r] = values[r] * scale[j] - centre[j];
                        tree.Accumulate(bins, len, null, scaled, chunk.GridBins[j], present);
                    }
                });
            }
            foreach (var (_, tree, _) in active) tree.EndPass();
            passes++; levelPasses++;
            progress?.Report(new StepProgress("trees", Math.Min(0.99, levelPasses / (double)(options.MaxDepth + 1))));
        }

        var columns = new CartColumn[m];
        for (int j = 0; j < m; j++)
        {
            var b = binning[j];
            columns[j] = new CartColumn(names[j], kinds[j], cardinality[j], b?.Edges ?? [], b?.Low ?? 0, b?.High ?? 0, trees[j].ToTree(), missingTrees[j]?.ToTree());
        }
        progress?.Report(new StepProgress("trees", 1));
        return new Result(order, columns, rows, passes, binning);
    }

    private static IEnumerable<EncodedTable> Encoded(ITableChunkSource source, TableEncoding encoding, CancellationToken cancel)
    {
        foreach (var chunk in source.ReadChunks(cancel))
        {
            cancel.ThrowIfCancellationRequested();
            yield return encoding.EncodeUnseen(chunk);
        }
    }

    /// <summary>
    /// The source's chunks encoded and binned as the in-memory fit bins the whole table (missing = the last bin), with each
    /// continuous value's leaf-grid bin.
    /// </summary>
    private static IEnumerable<BinnedChunk> Binned(ITableChunkSource source, TableEncoding encoding, CartBinning?[] binning, int[] binCounts, ParallelOptions parallel)
    {
        foreach (var encoded in Encoded(source, encoding, parallel.CancellationToken))
        {
            int m = encoded.Columns.Count, rows = encoded.RowCount;
            var bins = new int[m][];
            var values = new double[]?[m];
            var grids = new int[]?[m];
            Parallel.For(0, m, parallel, j =>
            {
                var c = encoded[j];
                var b = new int[rows];
                int missingBin = binCounts[j] - 1;
                if (c.Kind == EncodedKind.Discrete)
                    for (int r = 0; r < rows; r++) b[r] = c.Missing[r] ? missingBin : c.Codes![r];
                else
                {
                    var grid = binning[j]!.Grid!;
                    var g = new int[rows];
                    for (int r = 0; r < rows; r++)
                        if (c.Missing[r]) b[r] = missingBin;
                        else { b[r] = CartColumn.BinOf(c.Values![r], binning[j]!.Edges); g[r] = grid.BinOf(c.Values![r]); }
                    values[j] = c.Values;
                    grids[j] = g;
                }
                bins[j] = b;
            });
            yield return new BinnedChunk(rows, bins, values, grids);
        }
    }
}
