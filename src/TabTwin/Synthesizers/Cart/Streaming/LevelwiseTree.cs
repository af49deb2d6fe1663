namespace TabTwin.Synthesizers.Cart.Streaming;

/// <summary>What one streamed tree predicts: a class per row (classification) or a value of the present rows (regression).</summary>
internal sealed record TreeTarget(int ClassCount, int MinClassRows, TargetGrid? Grid, int LeafQuantiles, int RowsPerTailQuantile)
{
    public bool Classifies => ClassCount > 0;
}

/// <summary>
/// One CART tree grown level by level from histograms that passes over the data accumulate, instead of from rows held in
/// memory: each pass routes every row down the tree grown so far, and the open nodes it reaches count its predictor bins
/// (per class, or count, sum and sum of squares of the target). The split of a node is then chosen by the in-memory
/// builder's own scan (<see cref="CartTreeBuilder.ScanSplit"/>) over the same sums, added in the same row order, so the tree
/// is the in-memory tree bit for bit; <see cref="ToTree"/> numbers nodes depth-first as the in-memory builder does.
/// Memory: the histograms of the open nodes a pass takes (<see cref="TakeOpenNodes"/> bounds them), never the rows.
/// </summary>
internal sealed class LevelwiseTree
{
    private sealed class Node(int depth)
    {
        public int Depth = depth, Feature = -1, Split, Left = -1, Right = -1, Size;
        public int[]? CategoryLeft;
        public double[]? LeafValues;
    }

    private readonly int[] _features, _binCounts, _offsets;
    private readonly bool[] _categorical;
    private readonly TreeTarget _target;
    private readonly int _minLeaf, _maxDepth, _width, _histSize;
    private readonly double _minGainFraction;
    private readonly CartTreeBuilder _scanner;
    private readonly List<Node> _nodes = [new(0)];
    private readonly List<int> _open = [0];
    private double _minGain;
    private double[] _rootCounts = [];
    private double _rootTotal;

    // This pass: the open nodes taken, their slot per node (−1 = not taken), and what their rows added up to.
    private int[] _taken = [];
    private readonly List<int> _slotOf = [-1];
    private double[][] _hist = [], _totals = [];
    private int[][] _gridCounts = [];

    public LevelwiseTree(int[] features, int[] binCounts, bool[] categorical, TreeTarget target, int minLeaf, int maxDepth, double minGainFraction)
    {
        _features = features; _binCounts = binCounts; _categorical = categorical; _target = target;
        _minLeaf = minLeaf; _maxDepth = maxDepth; _minGainFraction = minGainFraction;
        _width = target.Classifies ? target.ClassCount : 3;
        _offsets = new int[features.Length];
        for (int i = 0; i < features.Length; i++) { _offsets[i] = _histSize; _histSize += binCounts[features[i]] * _width; }
        _scanner = CartTreeBuilder.ForHistograms(binCounts, categorical, features, target.ClassCount, minLeaf);
    }

    public bool Done => _open.Count == 0 && _taken.Length == 0;

    /// <summary>Bytes one open node's accumulators take in a pass.</summary>
    public long BytesPerNode => 8L * (_histSize + _width) + 4L * (_target.Grid?.BinCount ?? 0);

    public int OpenNodes => _open.Count;

    /// <summary>Takes up to <paramref name="count"/> open nodes (in order) for the next pass and makes their accumulators.</summary>
    public void TakeOpenNodes(int count)
    {
        count = Math.Min(count, _open.Count);
        _taken = _open.GetRange(0, count).ToArray();
        _open.RemoveRange(0, count);
        _hist = new double[count][]; _totals = new double[count][]; _gridCounts = new int[count][];
        for (int s = 0; s < count; s++)
        {
            _slotOf[_taken[s]] = s;
            _hist[s] = new double[_histSize];
            _totals[s] = new double[_width];
            _gridCounts[s] = _target.Classifies ? [] : new int[_target.Grid!.BinCount];
        }
    }

    /// <summary>
    /// Adds the rows of one chunk: <paramref name="bins"/> per encoded column (chunk rows), and the target — classes, or the
    /// scaled and centred values (<paramref name="scaled"/>) with their leaf-grid bins (<paramref name="gridBins"/>); rows with <paramref name="eligible"/>
    /// false (regression: missing values) are not part of this tree.
    /// </summary>
    public void Accumulate(int[][] bins, int rows, int[]? classes, double[]? scaled, int[]? gridBins, bool[]? eligible)
    {
        if (_taken.Length == 0) return;
        // Rows grouped by the node they reach (stably: row order within a node), so each node's histogram of one feature is
        // filled in one sweep that stays in cache — and its sums are added in row order, as in memory.
        var slotOfRow = Scratch(ref _slotOfRow, rows);
        var start = new int[_taken.Length + 1];
        for (int r = 0; r < rows; r++)
        {
            int slot = eligible is not null && !eligible[r] ? -1 : _slotOf[Route(bins, r)];
            slotOfRow[r] = slot;
            if (slot >= 0) start[slot + 1]++;
        }
        for (int s = 0; s < _taken.Length; s++) start[s + 1] += start[s];
        var grouped = Scratch(ref _grouped, start[^1]);
        var next = (int[])start.Clone();
        for (int r = 0; r < rows; r++)
            if (slotOfRow[r] is var slot && slot >= 0) grouped[next[slot]++] = r;

        for (int s = 0; s < _taken.Length; s++)
        {
            if (start[s] == start[s + 1]) continue;
            var group = new ReadOnlySpan<int>(grouped, start[s], start[s + 1] - start[s]);
            double[] h = _hist[s], t = _totals[s];
            if (classes is not null)
            {
                foreach (int r in group) t[classes[r]]++;
                for (int i = 0; i < _features.Length; i++)
                {
                    int[] feature = bins[_features[i]];
                    int o = _offsets[i];
                    foreach (int r in group) h[o + feature[r] * _width + classes[r]]++;
                }
            }
            else
            {
                foreach (int r in group) { double y = scaled![r]; t[0]++; t[1] += y; t[2] += y * y; }
                for (int i = 0; i < _features.Length; i++)
                {
                    int[] feature = bins[_features[i]];
                    int o = _offsets[i];
                    foreach (int r in group)
                    {
                        double y = scaled![r];
                        int k = o + feature[r] * 3;
                        h[k] += 1; h[k + 1] += y; h[k + 2] += y * y;
                    }
                }
                var grid = _gridCounts[s];
                foreach (int r in group) grid[gridBins![r]]++;
            }
        }
    }

    // Per-chunk buffers, reused: a chunk's worth of arrays per tree per chunk would be large-object-heap garbage.
    private int[] _slotOfRow = [], _grouped = [], _classes = [];
    private double[] _scaled = [];
    private bool[] _eligible = [];

    private static T[] Scratch<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[Math.Max(length, buffer.Length * 2)];
        return buffer;
    }

    /// <summary>Buffers the caller fills with a chunk's targets (valid until the next chunk).</summary>
    public int[] ClassBuffer(int rows) => Scratch(ref _classes, rows);
    public double[] ScaledBuffer(int rows) => Scratch(ref _scaled, rows);
    public bool[] EligibleBuffer(int rows) => Scratch(ref _eligible, rows);

    private int Route(int[][] bins, int row)
    {
        int id = 0;
        while (true)
        {
            var n = _nodes[id];
            if (n.Feature < 0) return id;
            int bin = bins[n.Feature][row];
            id = (_categorical[n.Feature] ? n.CategoryLeft![bin] != 0 : bin <= n.Split) ? n.Left : n.Right;
        }
    }

    /// <summary>Decides the taken nodes: the best split (children open for a later pass) or a leaf.</summary>
    public void EndPass()
    {
        for (int s = 0; s < _taken.Length; s++)
        {
            int id = _taken[s];
            var node = _nodes[id];
            double[] totals = _totals[s];
            int count = (int)(_target.Classifies ? totals.Sum() : totals[0]);
            node.Size = count;
            double parent = Impurity(totals, count);
            if (id == 0)
            {
                // As the in-memory builder: the gain floor is relative to the root's impurity, in the target's scaled units.
                _minGain = Math.Max(1e-12, _minGainFraction * parent);
                if (_target.MinClassRows > 1)
                {
                    _rootCounts = CartTreeBuilder.SupportedRootCounts((double[])totals.Clone(), _target.MinClassRows);
                    _rootTotal = _rootCounts.Sum();
                }
            }
            int bestFeature = -1, bestLeftBins = 0;
            int[] bestOrder = [];
            if (node.Depth < _maxDepth && count >= 2 * _minLeaf && parent > 0)
            {
                double bestGain = _minGain;
                for (int i = 0; i < _features.Length; i++)
                {
                    int f = _features[i], cells = _binCounts[f] * _width;
                    Array.Copy(_hist[s], _offsets[i], _scanner.Histogram, 0, cells);
                    var (gain, leftBins) = _scanner.ScanSplit(f, count, parent);
                    if (gain > bestGain)
                    {
                        bestGain = gain; bestFeature = f; bestLeftBins = leftBins;
                        bestOrder = _scanner.SplitOrder[.._binCounts[f]];
                    }
                }
            }
            if (bestFeature < 0) MakeLeaf(node, s, count);
            else
            {
                node.Feature = bestFeature;
                if (_categorical[bestFeature])
                {
                    node.CategoryLeft = new int[_binCounts[bestFeature]];
                    for (int i = 0; i < bestLeftBins; i++) node.CategoryLeft[bestOrder[i]] = 1;
                }
                else node.Split = bestOrder[bestLeftBins - 1];
                node.Left = AddOpen(node.Depth + 1);
                node.Right = AddOpen(node.Depth + 1);
            }
            _slotOf[id] = -1;
        }
        _taken = []; _hist = []; _totals = []; _gridCounts = [];
    }

    private int AddOpen(int depth)
    {
        _nodes.Add(new Node(depth));
        _slotOf.Add(-1);
        _open.Add(_nodes.Count - 1);
        return _nodes.Count - 1;
    }

    /// <summary>n·Gini or the sum of squared deviations, as <c>CartTreeBuilder.Impurity</c> computes it from the same sums.</summary>
    private double Impurity(double[] totals, int count)
    {
        double n = count;
        if (n == 0) return 0;
        if (_target.Classifies)
        {
            double sq = 0;
            for (int c = 0; c < totals.Length; c++) sq += totals[c] * totals[c];
            return n - sq / n;
        }
        return Math.Max(0, totals[2] - totals[1] * totals[1] / n);
    }

    private void MakeLeaf(Node node, int slot, int count)
    {
        var values = new List<double>();
        if (_target.Classifies)
            CartTreeBuilder.ClassLeaf((double[])_totals[slot].Clone(), _target.MinClassRows, _rootCounts, _rootTotal, values);
        else
            _target.Grid!.LeafValues(_gridCounts[slot], count,
                CartTreeBuilder.LeafQuantileCount(count, _target.LeafQuantiles, _target.RowsPerTailQuantile), values);
        node.LeafValues = values.ToArray();
    }

    /// <summary>The grown tree in the in-memory builder's layout: nodes, category flags and leaves numbered depth first.</summary>
    public CartTree ToTree()
    {
        if (!Done) throw new InvalidOperationException("The tree still has open nodes.");
        var feature = new List<int>(); var split = new List<int>(); var left = new List<int>(); var right = new List<int>();
        var categoryLeft = new List<int>(); var leafOffsets = new List<int> { 0 }; var leafSizes = new List<int>(); var leafValues = new List<double>();
        Emit(0);
        return new CartTree(feature.ToArray(), split.ToArray(), left.ToArray(), right.ToArray(), categoryLeft.ToArray(),
            leafOffsets.ToArray(), leafValues.ToArray(), leafSizes.ToArray());

        int Emit(int id)
        {
            var n = _nodes[id];
            int at = feature.Count;
            feature.Add(-1); split.Add(0); left.Add(0); right.Add(0);
            if (n.Feature < 0)
            {
                left[at] = leafSizes.Count;
                leafSizes.Add(n.Size);
                leafValues.AddRange(n.LeafValues!);
                leafOffsets.Add(leafValues.Count);
                return at;
            }
            int flagOffset = categoryLeft.Count;
            if (n.CategoryLeft is { } flags) categoryLeft.AddRange(flags);
            feature[at] = n.Feature;
            split[at] = n.CategoryLeft is null ? n.Split : flagOffset;
            left[at] = Emit(n.Left);
            right[at] = Emit(n.Right);
            return at;
        }
    }
}
