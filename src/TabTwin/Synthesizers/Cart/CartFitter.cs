using TabTwin.Encoding;

namespace TabTwin.Synthesizers.Cart;

/// <summary>
/// Fits the sequential CART model: bins every column, chooses the visiting order, then trains each column's
/// trees on the columns visited before it (in parallel over columns; training is deterministic, so the result
/// does not depend on the thread count).
/// </summary>
internal static class CartFitter
{
    /// <summary>
    /// Fits in memory. With <paramref name="binning"/> (per encoded column; null entries for discrete ones) the predictor bins,
    /// ranges and leaf grids are those given — a streaming fit's — instead of exact ones from the sorted values: that fit then
    /// grows the same trees (the test of the streaming fit).
    /// </summary>
    public static (int[] Order, CartColumn[] Columns) Fit(EncodedTable table, CartOptions options, ParallelOptions parallel,
        IProgress<StepProgress>? progress, CartBinning?[]? binning = null)
    {
        int n = table.RowCount, m = table.Columns.Count;
        var edges = new double[m][];
        var bounds = new (double Low, double High)[m];
        var bins = new int[m][];
        var binCounts = new int[m];
        var categorical = new bool[m];
        Parallel.For(0, m, parallel, j =>
        {
            var c = table[j];
            categorical[j] = c.Kind == EncodedKind.Discrete;
            bool clipped = options.PrivacyOn && options.UnclippedColumns?.Contains(c.Name) != true;
            if (binning?[j] is { } given) { edges[j] = given.Edges; bounds[j] = (given.Low, given.High); }
            else edges[j] = categorical[j] ? [] : ValueEdges(c, options.MaxBins, clipped ? options.RobustTail : 0, clipped ? options.TailRows : 0, out bounds[j]);
            binCounts[j] = categorical[j] ? c.Cardinality + 1 : edges[j].Length + 2;
            bins[j] = BinColumn(c, edges[j], binCounts[j] - 1);
        });
        var data = new BinnedTable(bins, binCounts, categorical, n);
        var names = table.Columns.Select(c => c.Name).ToList();
        var order = options.VisitOrder is { } visit ? ExplicitOrder(names, visit)
            : VisitOrder.Choose(data, options.LeadingColumns is { } leading ? LeadingIndices(names, leading) : []);

        int minLeaf = options.MinLeafFor(n), done = 0;
        // The rows a key-like category needs in a leaf grow with the protection level like the leaves themselves.
        int keySupport = KeySupport(options);
        var columns = new CartColumn[m];
        Parallel.For(0, m, parallel, position =>
        {
            int j = order[position];
            var features = order[..position];
            var c = table[j];
            var allRows = Enumerable.Range(0, n).ToArray();
            CartTree tree;
            CartTree? missingTree = null;
            if (c.Kind == EncodedKind.Discrete)
            {
                var classes = new int[n];
                for (int i = 0; i < n; i++) classes[i] = c.Missing[i] ? c.Cardinality : c.Codes![i];
                tree = CartTreeBuilder.Classification(data, features, allRows, classes, c.Cardinality + 1, minLeaf, options.MaxDepth, options.MinGainFraction,
                    options.PrivacyOn && IsKeyLike(c.Cardinality, n) ? keySupport : 0);
            }
            else
            {
                if (c.Missing.Count > 0)
                {
                    var classes = new int[n];
                    for (int i = 0; i < n; i++) classes[i] = c.Missing[i] ? 1 : 0;
                    missingTree = CartTreeBuilder.Classification(data, features, allRows, classes, 2, minLeaf, options.MaxDepth, options.MinGainFraction);
                }
                var present = allRows.Where(i => !c.Missing[i]).ToArray();
                tree = CartTreeBuilder.Regression(data, features, present, c.Values!, minLeaf, options.MaxDepth, options.LeafQuantiles, options.MinGainFraction,
                    options.PrivacyOn ? RowsPerTailQuantile * options.TailRows : 0, binning?[j]?.Grid);
            }
            columns[j] = new CartColumn(c.Name, c.Kind, c.Cardinality, edges[j], bounds[j].Low, bounds[j].High, tree, missingTree);
            progress?.Report(new StepProgress("trees", Interlocked.Increment(ref done) / (double)m));
        });
        return (order, columns);
    }

    /// <summary>
    /// A large leaf stores one quantile per this many tail-rule rows (25 at protection 1): measured over 3 seeded splits of
    /// 8 shared tables (bench case privacy-seeds), one per 5 rows raised the DCR share of mid-size tables (Managers
    /// 0.533 → 0.552) where one per 25 kept it within noise and still reaches into a populated tail.
    /// </summary>
    internal const int RowsPerTailQuantile = 5;

    /// <summary>The rows a key-like category needs in a leaf: they grow with the protection level like the leaves themselves.</summary>
    internal static int KeySupport(CartOptions options) => (int)Math.Ceiling(options.Encoding.RareCategoryThreshold * options.ProtectionLevel);

    /// <summary>
    /// More kept categories than √rows: each category is a handful of records (a player id in a table of his seasons), so
    /// a category a few rows of a leaf share ties those records' other values to it. Such a column emits from a leaf
    /// only the categories at least RareCategoryThreshold of its rows share. Measured (issue 14, bench § privacy):
    /// lahman HallOfFame's DCR share 0.565 → 0.523 and Salaries' 0.557 → 0.530 at 2 points less quality; applied to
    /// every categorical column it also cost Adult 0.007 of quality (education × education-num), so it stays with keys.
    /// </summary>
    internal static bool IsKeyLike(int cardinality, int rows) => cardinality > Math.Sqrt(rows);

    internal static int[] ExplicitOrder(List<string> modelled, string[] names)
    {
        var order = names.Select(name => modelled.IndexOf(name)).ToArray();
        if (order.Length != modelled.Count || order.Contains(-1) || order.Distinct().Count() != order.Length)
            throw new TabTwinException("cart.visit-order",
                $"The CART VisitOrder [{string.Join(", ", names)}] must name every modelled column exactly once; the modelled columns are: {string.Join(", ", modelled)}.",
                hint: "Leave VisitOrder empty (null) to let CART choose, or list all modelled columns.");
        return order;
    }

    /// <summary>
    /// The modelled columns among <paramref name="names"/>, in that order. A leading column the encoding does not model (constant
    /// or empty in the training data) is left out: its value tells the trees nothing, and a draw given it simply omits it.
    /// </summary>
    internal static int[] LeadingIndices(List<string> modelled, string[] names)
    {
        var order = names.Select(name => modelled.IndexOf(name)).Where(j => j >= 0).ToArray();
        if (order.Distinct().Count() != order.Length)
            throw new InvalidOperationException($"The leading columns [{string.Join(", ", names)}] must be distinct modelled columns; the modelled columns are: {string.Join(", ", modelled)}.");
        return order;
    }

    /// <summary>
    /// Quantile bin edges of the present values (every distinct value its own bin when there are few), and the range values
    /// are clipped to: the <paramref name="tailRows"/>-th smallest and largest value (or the <paramref name="tail"/> quantiles
    /// when they lie further in). Why a count of rows and not a share: the privacy concern is the few records that
    /// alone span the extremes; a share clipped 1,000 rows of a million-row table's populated tail and nothing of a
    /// 500-row table, whose exact minimum and maximum then bounded the draws.
    /// </summary>
    private static double[] ValueEdges(EncodedColumn c, int maxBins, double tail, int tailRows, out (double Low, double High) bounds)
    {
        var sorted = new double[c.Length - c.Missing.Count];
        for (int i = 0, k = 0; i < c.Length; i++) if (!c.Missing[i]) sorted[k++] = c.Values![i];
        Array.Sort(sorted);
        int n = sorted.Length;
        int low = TailIndex(n, tail, tailRows);
        bounds = n == 0 ? (0, 0) : (sorted[low], sorted[n - 1 - low]);
        var edges = new List<double>();
        for (int i = 0; i < n - 1 && edges.Count < maxBins; i++)
            if (sorted[i] < sorted[i + 1]) edges.Add(sorted[i]);
        if (edges.Count < maxBins) return edges.ToArray(); // few distinct values: each has its own bin
        edges.Clear();
        for (int b = 1; b < maxBins; b++)
        {
            double e = sorted[Math.Min(n - 1, (int)((long)b * n / maxBins))];
            if (e < sorted[^1] && (edges.Count == 0 || e > edges[^1])) edges.Add(e);
        }
        return edges.ToArray();
    }

    /// <summary>The row index of the value bounding the tail rule's clipped range on each side (see <see cref="ValueEdges"/>).</summary>
    internal static int TailIndex(int present, double tail, int tailRows) =>
        Math.Min(Math.Max((int)Math.Floor(tail * (present - 1)), TailRange.LowIndex(present, tailRows)), (present - 1) / 2);

    private static int[] BinColumn(EncodedColumn c, double[] edges, int missingBin)
    {
        var bins = new int[c.Length];
        for (int i = 0; i < bins.Length; i++)
            bins[i] = c.Missing[i] ? missingBin : c.Kind == EncodedKind.Discrete ? c.Codes![i] : CartColumn.BinOf(c.Values![i], edges);
        return bins;
    }
}

/// <summary>A continuous column's predictor bin edges, clipped range and (streaming) leaf grid.</summary>
internal sealed record CartBinning(double[] Edges, double Low, double High, TargetGrid? Grid);
