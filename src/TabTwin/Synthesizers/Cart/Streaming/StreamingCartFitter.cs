using TabTwin.Encoding;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.Cart.Streaming;

/// <summary>
/// Fits the CART model in passes over a table read in chunks, holding sketches and histograms instead of rows:
/// <list type="number">
/// <item>statistics: per continuous column a quantile sketch, the exact tail values, distinct values while few, the
/// largest magnitude; per discrete column the class counts → bin edges, clipped ranges and leaf grids;</item>
/// <item>order: bin entropies and pairwise joint counts (the visiting order's mutual information) and the regression
/// targets' exact centres;</item>
/// <item>one pass per tree level: every tree's open nodes accumulate their histograms (<see cref="LevelwiseTree"/>), at most
/// <see cref="StreamingFitOptions.HistogramBytes"/> at a time (more passes when they do not fit).</item>
/// </list>
/// The encoding is fitted beforehand on a reservoir of rows (<see cref="TableReservoir"/>). Where the passes run is the
/// <see cref="IStreamingPassRunner"/>'s business (this process, or a cluster's workers): every sum is exact
/// (<see cref="ExactTarget"/>) and the sketches merge in the fixed order of the work units, so the model equals the
/// in-memory fit on the same bins (<see cref="CartFitter.Fit"/> given <see cref="Result.Binning"/>), byte for byte, whatever
/// the chunk size, thread count or machines.
/// </summary>
internal static class StreamingCartFitter
{
    public sealed record Result(int[] Order, CartColumn[] Columns, long Rows, int Passes, CartBinning?[] Binning);

    public static Result Fit(ITableChunkSource source, TableEncoding encoding, long rows, CartOptions options, StreamingFitOptions streaming,
        ParallelOptions parallel, IProgress<StepProgress>? progress)
    {
        var job = new CartStreamJob(encoding, options, rows);
        using var runner = new LocalPassRunner(source, streaming, parallel);
        return Fit(job, runner, streaming.HistogramBytes, parallel.CancellationToken, progress);
    }

    public static Result Fit(CartStreamJob job, IStreamingPassRunner runner, long histogramBytes, CancellationToken cancel, IProgress<StepProgress>? progress)
    {
        var options = job.Options;
        int n = job.Rows, m = job.Columns, passes = 0;

        // Pass 1: statistics → bins, ranges, leaf grids, regression scales.
        var stats = runner.Statistics(job);
        passes++;
        progress?.Report(new StepProgress("statistics", 1));
        var binning = new CartBinning?[m];
        var scales = new double[m];
        var present = new long[m];
        for (int j = 0; j < m; j++)
        {
            if (stats.Continuous[j] is not { } column) continue;
            bool clipped = job.IsClipped(j);
            binning[j] = column.Binning(options.MaxBins, clipped ? options.RobustTail : 0, clipped ? options.TailRows : 0);
            scales[j] = ExactTarget.ScaleFor(column.Largest);
            present[j] = column.Present;
        }
        job.SetBinning(binning, scales, present);

        // Pass 2: the visiting order's entropies and joint counts; the regression targets' centres.
        bool explicitOrder = options.VisitOrder is not null;
        var counts = runner.Order(job, explicitOrder);
        passes++;
        int[] order;
        if (explicitOrder) order = CartFitter.ExplicitOrder([.. job.Names], options.VisitOrder!);
        else
        {
            var entropy = new double[m];
            for (int j = 0; j < m; j++) entropy[j] = VisitOrder.Entropy(counts.Counts[j], n);
            var mi = new double[m, m];
            for (int a = 0; a < m; a++)
                for (int b = a + 1; b < m; b++)
                    mi[a, b] = mi[b, a] = Math.Max(0, entropy[a] + entropy[b] - VisitOrder.Entropy(counts.Joint[a][b], n));
            order = VisitOrder.Choose(entropy, mi, job.Categorical, job.BinCounts, options.LeadingColumns is { } leading ? CartFitter.LeadingIndices([.. job.Names], leading) : []);
        }
        job.SetOrder(order, counts.CentreUnits);
        progress?.Report(new StepProgress("order", 1));

        // Passes 3…: the trees, level by level.
        var (trees, missingTrees) = Trees(job, stats);
        var all = Enumerable.Range(0, m).SelectMany(j => new[] { (Column: j, Tree: missingTrees[j], Missing: true), (Column: j, Tree: (LevelwiseTree?)trees[j], Missing: false) })
            .Where(t => t.Tree is not null).ToArray();
        int levelPasses = 0;
        while (all.Any(t => !t.Tree!.Done))
        {
            cancel.ThrowIfCancellationRequested();
            long budget = histogramBytes;
            var active = new List<ActiveTree>();
            var taken = new List<LevelwiseTree>();
            foreach (var (j, tree, missing) in all)
            {
                if (tree!.Done || tree.OpenNodes == 0) continue;
                long fit = Math.Max(active.Count == 0 ? 1 : 0, Math.Min(tree.OpenNodes, budget / tree.BytesPerNode));
                if (fit == 0) continue;
                active.Add(new ActiveTree(j, missing, tree.TakeOpenNodes((int)fit)));
                taken.Add(tree);
                budget -= fit * tree.BytesPerNode;
            }
            runner.Level(job, active);
            for (int t = 0; t < active.Count; t++) taken[t].EndPass(active[t].Sums);
            passes++; levelPasses++;
            progress?.Report(new StepProgress("trees", Math.Min(0.99, levelPasses / (double)(options.MaxDepth + 1))));
        }

        var columns = new CartColumn[m];
        for (int j = 0; j < m; j++)
        {
            var b = binning[j];
            columns[j] = new CartColumn(job.Names[j], job.Categorical[j] ? EncodedKind.Discrete : EncodedKind.Continuous, job.Cardinality[j],
                b?.Edges ?? [], b?.Low ?? 0, b?.High ?? 0, trees[j].ToTree(), missingTrees[j]?.ToTree());
        }
        progress?.Report(new StepProgress("trees", 1));
        return new Result(order, columns, n, passes, binning);
    }

    /// <summary>Every column's tree (and a continuous column's missing-value tree when it has missing values), nothing grown yet.</summary>
    private static (LevelwiseTree[] Trees, LevelwiseTree?[] MissingTrees) Trees(CartStreamJob job, StatsPartial stats)
    {
        var options = job.Options;
        int m = job.Columns, minLeaf = options.MinLeafFor(job.Rows), keySupport = CartFitter.KeySupport(options);
        var trees = new LevelwiseTree[m];
        var missingTrees = new LevelwiseTree?[m];
        for (int position = 0; position < m; position++)
        {
            int j = job.Order[position];
            var features = job.Order[..position];
            if (job.Categorical[j])
                trees[j] = new LevelwiseTree(features, job.BinCounts, job.Categorical,
                    new TreeTarget(job.Cardinality[j] + 1, options.PrivacyOn && CartFitter.IsKeyLike(job.Cardinality[j], job.Rows) ? keySupport : 0, null, 0, 0),
                    minLeaf, options.MaxDepth, options.MinGainFraction);
            else
            {
                if (stats.Continuous[j]!.Missing > 0)
                    missingTrees[j] = new LevelwiseTree(features, job.BinCounts, job.Categorical, new TreeTarget(2, 0, null, 0, 0), minLeaf, options.MaxDepth, options.MinGainFraction);
                trees[j] = new LevelwiseTree(features, job.BinCounts, job.Categorical,
                    new TreeTarget(0, 0, job.Binning[j]!.Grid, options.LeafQuantiles, options.PrivacyOn ? CartFitter.RowsPerTailQuantile * options.TailRows : 0),
                    minLeaf, options.MaxDepth, options.MinGainFraction);
            }
        }
        return (trees, missingTrees);
    }
}
