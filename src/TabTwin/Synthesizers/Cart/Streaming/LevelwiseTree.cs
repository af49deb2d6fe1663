namespace TabTwin.Synthesizers.Cart.Streaming;

/// <summary>What one streamed tree predicts: a class per row (classification) or a value of the present rows (regression).</summary>
internal sealed record TreeTarget(int ClassCount, int MinClassRows, TargetGrid? Grid, int LeafQuantiles, int RowsPerTailQuantile)
{
    public bool Classifies => ClassCount > 0;
}

/// <summary>
/// One CART tree grown level by level from histograms that passes over the data accumulate, instead of from rows held in
/// memory: each pass routes every row down the tree grown so far, and the open nodes it reaches count its predictor bins
/// (<see cref="NodeHistograms"/>: per class, or count, sum and sum of squares of the exact target). The split of a node is
/// then chosen by the in-memory builder's own scan (<see cref="CartTreeBuilder.ScanSplit"/>) over the same sums — exact, so
/// in whatever order or on whatever machine the rows were added — and the tree is the in-memory tree bit for bit;
/// <see cref="ToTree"/> numbers nodes depth-first as the in-memory builder does. Memory: the histograms of the open nodes
/// a pass takes (<see cref="TakeOpenNodes"/> bounds them), never the rows.
/// </summary>
internal sealed class LevelwiseTree
{
    private sealed class Node(int depth)
    {
        public int Depth = depth, Feature = -1, Split, Left = -1, Right = -1, Size;
        public int[]? CategoryLeft;
        public double[]? LeafValues;
    }

    private readonly HistogramShape _shape;
    private readonly TreeTarget _target;
    private readonly int _minLeaf, _maxDepth;
    private readonly double _minGainFraction;
    private readonly CartTreeBuilder _scanner;
    private readonly List<Node> _nodes = [new(0)];
    private readonly List<int> _open = [0];
    private double _minGain;
    private double[] _rootCounts = [];
    private double _rootTotal;
    private int[] _taken = []; // the open nodes this pass accumulates

    public LevelwiseTree(int[] features, int[] binCounts, bool[] categorical, TreeTarget target, int minLeaf, int maxDepth, double minGainFraction)
    {
        _target = target;
        _minLeaf = minLeaf; _maxDepth = maxDepth; _minGainFraction = minGainFraction;
        _shape = new HistogramShape(features, binCounts, categorical, target.ClassCount, target.Grid?.BinCount ?? 0);
        _scanner = CartTreeBuilder.ForHistograms(binCounts, categorical, features, target.ClassCount, minLeaf);
    }

    public bool Done => _open.Count == 0 && _taken.Length == 0;

    /// <summary>Bytes one open node's accumulators take in a pass.</summary>
    public long BytesPerNode => _shape.BytesPerNode;

    public int OpenNodes => _open.Count;

    /// <summary>The layout of this tree's node histograms.</summary>
    public HistogramShape Shape => _shape;

    /// <summary>
    /// Takes up to <paramref name="count"/> open nodes (in order) for the next pass: the tree so far, the nodes taken, and
    /// empty accumulators for them (a worker elsewhere makes its own from <see cref="Routing"/> and <see cref="Taken"/>).
    /// </summary>
    public NodeHistograms TakeOpenNodes(int count)
    {
        count = Math.Min(count, _open.Count);
        _taken = _open.GetRange(0, count).ToArray();
        _open.RemoveRange(0, count);
        return new NodeHistograms(_shape, Routing(), _taken);
    }

    public int[] Taken => _taken;

    /// <summary>The tree grown so far, for routing rows.</summary>
    public TreeRouting Routing()
    {
        int n = _nodes.Count;
        var routing = new TreeRouting(new int[n], new int[n], new int[n], new int[n], new int[n][]);
        for (int id = 0; id < n; id++)
        {
            var node = _nodes[id];
            routing.Feature[id] = node.Feature; routing.Split[id] = node.Split;
            routing.Left[id] = node.Left; routing.Right[id] = node.Right;
            routing.CategoryLeft[id] = node.CategoryLeft ?? [];
        }
        return routing;
    }

    /// <summary>Decides the taken nodes: the best split (children open for a later pass) or a leaf.</summary>
    public void EndPass(NodeHistograms sums)
    {
        if (!sums.Taken.AsSpan().SequenceEqual(_taken)) throw new InvalidOperationException("The sums are not of the nodes this pass took.");
        for (int s = 0; s < _taken.Length; s++)
        {
            int id = _taken[s];
            var node = _nodes[id];
            double[] totals = sums.Totals[s];
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
                for (int i = 0; i < _shape.Features.Length; i++)
                {
                    int f = _shape.Features[i], cells = _shape.BinCounts[f] * _shape.Width;
                    Array.Copy(sums.Hist[s], _shape.Offsets[i], _scanner.Histogram, 0, cells);
                    var (gain, leftBins) = _scanner.ScanSplit(f, count, parent);
                    if (gain > bestGain)
                    {
                        bestGain = gain; bestFeature = f; bestLeftBins = leftBins;
                        bestOrder = _scanner.SplitOrder[.._shape.BinCounts[f]];
                    }
                }
            }
            if (bestFeature < 0) MakeLeaf(node, sums, s, count);
            else
            {
                node.Feature = bestFeature;
                if (_shape.Categorical[bestFeature])
                {
                    node.CategoryLeft = new int[_shape.BinCounts[bestFeature]];
                    for (int i = 0; i < bestLeftBins; i++) node.CategoryLeft[bestOrder[i]] = 1;
                }
                else node.Split = bestOrder[bestLeftBins - 1];
                node.Left = AddOpen(node.Depth + 1);
                node.Right = AddOpen(node.Depth + 1);
            }
        }
        _taken = [];
    }

    private int AddOpen(int depth)
    {
        _nodes.Add(new Node(depth));
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

    private void MakeLeaf(Node node, NodeHistograms sums, int slot, int count)
    {
        var values = new List<double>();
        if (_target.Classifies)
            CartTreeBuilder.ClassLeaf((double[])sums.Totals[slot].Clone(), _target.MinClassRows, _rootCounts, _rootTotal, values);
        else
            _target.Grid!.LeafValues(sums.GridCounts[slot], count,
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
