namespace TabTwin.Synthesizers.Cart;

/// <summary>The binned training data every tree of one fit shares (read-only while trees are built in parallel).</summary>
internal sealed record BinnedTable(int[][] Bins, int[] BinCounts, bool[] Categorical, int RowCount);

/// <summary>
/// Grows one CART tree on pre-binned predictors with histogram splits: Gini for class targets, variance for
/// numeric targets. Continuous predictors split on a bin threshold; discrete predictors on a prefix of their
/// bins ordered by the node's target mean (or the rate of the node's majority class), the classic
/// Breiman ordering. All buffers are allocated once per tree; the hot loops do not allocate.
/// Deterministic: no randomness, ties go to the first feature/threshold.
/// </summary>
internal sealed class CartTreeBuilder
{
    private readonly BinnedTable _data;
    private readonly int[] _features;
    private readonly int[]? _classes;   // classification target per table row
    private readonly int _classCount;
    private readonly double[]? _values; // regression target per table row
    private readonly double[]? _targets, _squares; // regression: per table row, the exact target and its square (see ExactTarget)
    private readonly int _minLeaf, _maxDepth, _leafQuantiles;
    private int _rowsPerTailQuantile;   // regression: a large leaf stores one quantile per this many rows (up to MaxLeafQuantiles; 0 = LeafQuantiles only)
    private int _minClassRows;          // classification: a class fewer rows of a leaf share is not emitted from it (0 = off)
    private double[] _rootCounts = [];  // classification: the distribution their mass is spread by
    private double _rootTotal;
    private double _minGain;
    private TargetGrid? _grid;          // regression: leaf quantiles from counts on this grid (a streaming fit's, to fit in memory on its bins)

    private readonly double[] _hist, _parentCounts, _leftCounts;
    private readonly int[] _order, _bestOrder, _scratchRows;
    private readonly double[] _keys, _scratchValues;
    private readonly List<int> _feature = [], _split = [], _left = [], _right = [], _categoryLeft = [], _leafOffsets = [0], _leafSizes = [];
    private readonly List<double> _leafValues = [];

    private CartTreeBuilder(BinnedTable data, int[] features, int[]? classes, int classCount, double[]? values, double[]? targets, double[]? squares,
        int minLeaf, int maxDepth, int leafQuantiles, int rowCapacity)
    {
        _data = data; _features = features; _classes = classes; _classCount = classCount; _values = values; _targets = targets; _squares = squares;
        _minLeaf = minLeaf; _maxDepth = maxDepth; _leafQuantiles = leafQuantiles;
        int maxBins = Math.Max(1, features.Length == 0 ? 1 : features.Max(f => data.BinCounts[f]));
        int width = classes is not null ? classCount : 3;
        _hist = new double[maxBins * width];
        _parentCounts = new double[Math.Max(classCount, 1)];
        _leftCounts = new double[Math.Max(classCount, 1)];
        _order = new int[maxBins]; _bestOrder = new int[maxBins]; _keys = new double[maxBins];
        _scratchRows = new int[rowCapacity];
        _scratchValues = new double[rowCapacity];
    }

    /// <summary>
    /// A classification tree over <paramref name="rows"/> predicting <paramref name="classes"/> (0..classCount−1). With
    /// <paramref name="minClassRows"/> above 1, a leaf emits a class only where at least that many of its rows share it;
    /// the share of the rarer classes is spread by the column's overall distribution (of the classes that common overall).
    /// </summary>
    public static CartTree Classification(BinnedTable data, int[] features, int[] rows, int[] classes, int classCount, int minLeaf, int maxDepth,
        double minGainFraction, int minClassRows = 0)
    {
        var b = new CartTreeBuilder(data, features, classes, classCount, null, null, null, minLeaf, maxDepth, 0, rows.Length) { _minClassRows = minClassRows };
        if (minClassRows > 1)
        {
            var root = new double[classCount];
            foreach (int r in rows) root[classes[r]]++;
            b._rootCounts = SupportedRootCounts(root, minClassRows);
            b._rootTotal = b._rootCounts.Sum();
        }
        return b.Build(rows, minGainFraction);
    }

    /// <summary>Most quantiles a leaf stores when it grows them with its rows.</summary>
    internal const int MaxLeafQuantiles = 1024;

    /// <summary>
    /// A regression tree over <paramref name="rows"/> predicting <paramref name="values"/>; leaves keep up to <paramref name="leafQuantiles"/>
    /// quantiles, or one per <paramref name="rowsPerQuantile"/> of their rows when that is more (at most <see cref="MaxLeafQuantiles"/>).
    /// Why grow them: a leaf's draws reach only its outermost stored quantile, the (1 − 1/2k) quantile of its rows, so 64
    /// quantiles cut the top 0.8 % of a large leaf — a populated long tail lost its range (issue 14); one quantile per
    /// few tail-rule rows reaches about as far as the tail clipping allows.
    /// </summary>
    /// <remarks>
    /// Split statistics (sums, sums of squares over a node) are computed on <see cref="ExactTarget"/>s: scaled by a power of
    /// two, centred and on a fixed-point grid, so no sum overflows (at 1e150, (n · value)² had) and every sum is exact in any
    /// order of rows — a streaming or distributed fit adds them in another order and grows this tree. Leaves keep the
    /// real values.
    /// </remarks>
    public static CartTree Regression(BinnedTable data, int[] features, int[] rows, double[] values, int minLeaf, int maxDepth, int leafQuantiles, double minGainFraction,
        int rowsPerQuantile = 0, TargetGrid? grid = null)
    {
        var target = ExactTarget.Of(values, rows);
        var targets = new double[values.Length];
        var squares = new double[values.Length];
        foreach (int r in rows) { targets[r] = target.Value(values[r]); squares[r] = target.Square(targets[r]); }
        var b = new CartTreeBuilder(data, features, null, 0, values, targets, squares, minLeaf, maxDepth, leafQuantiles, rows.Length) { _rowsPerTailQuantile = rowsPerQuantile, _grid = grid };
        return b.Build(rows, minGainFraction);
    }

    /// <summary>
    /// A builder that only scans histograms a streaming fit accumulated (<see cref="Histogram"/>, <see cref="ScanSplit"/>): the
    /// split rule is this one code, so a streamed tree splits exactly where the in-memory tree does.
    /// </summary>
    internal static CartTreeBuilder ForHistograms(int[] binCounts, bool[] categorical, int[] features, int classCount, int minLeaf)
    {
        var data = new BinnedTable(new int[binCounts.Length][], binCounts, categorical, 0);
        return new CartTreeBuilder(data, features, classCount > 0 ? [] : null, classCount, classCount > 0 ? null : [], null, null, minLeaf, 0, 0, 0);
    }

    private CartTree Build(int[] rows, double minGainFraction)
    {
        rows = (int[])rows.Clone(); // partitioned in place
        // In scaled units the 1e-12 floor is relative to the target's magnitude: a column of values near 1e-20 splits too.
        _minGain = Math.Max(1e-12, minGainFraction * Impurity(rows, 0, rows.Length));
        Grow(rows, 0, rows.Length, 0);
        return new CartTree(_feature.ToArray(), _split.ToArray(), _left.ToArray(), _right.ToArray(), _categoryLeft.ToArray(),
            _leafOffsets.ToArray(), _leafValues.ToArray(), _leafSizes.ToArray());
    }

    private int Grow(int[] rows, int start, int end, int depth)
    {
        int node = _feature.Count;
        _feature.Add(-1); _split.Add(0); _left.Add(0); _right.Add(0);
        int count = end - start;
        int bestFeature = -1, bestLeftBins = 0, bestBinCount = 0;
        if (depth < _maxDepth && count >= 2 * _minLeaf)
        {
            double parent = Impurity(rows, start, end), bestGain = _minGain;
            if (parent > 0)
                foreach (int f in _features)
                {
                    var (gain, leftBins) = BestSplit(rows, start, end, f, parent);
                    if (gain > bestGain)
                    {
                        bestGain = gain; bestFeature = f; bestLeftBins = leftBins; bestBinCount = _data.BinCounts[f];
                        Array.Copy(_order, _bestOrder, bestBinCount);
                    }
                }
        }
        if (bestFeature < 0) { _left[node] = AddLeaf(rows, start, end); return node; }

        // Left-membership per bin of the chosen feature; continuous features use the threshold bin.
        int[] bins = _data.Bins[bestFeature];
        bool categorical = _data.Categorical[bestFeature];
        int flagOffset = _categoryLeft.Count, threshold = _bestOrder[bestLeftBins - 1];
        if (categorical)
        {
            for (int b = 0; b < bestBinCount; b++) _categoryLeft.Add(0);
            for (int i = 0; i < bestLeftBins; i++) _categoryLeft[flagOffset + _bestOrder[i]] = 1;
        }
        int mid = Partition(rows, start, end, r => categorical ? _categoryLeft[flagOffset + bins[r]] != 0 : bins[r] <= threshold);
        _feature[node] = bestFeature;
        _split[node] = categorical ? flagOffset : threshold;
        _left[node] = Grow(rows, start, mid, depth + 1);
        _right[node] = Grow(rows, mid, end, depth + 1);
        return node;
    }

    /// <summary>Stable partition of rows[start..end) by <paramref name="goesLeft"/>; returns the first right position.</summary>
    private int Partition(int[] rows, int start, int end, Func<int, bool> goesLeft)
    {
        int l = start, k = 0;
        for (int i = start; i < end; i++)
        {
            int r = rows[i];
            if (goesLeft(r)) rows[l++] = r; else _scratchRows[k++] = r;
        }
        Array.Copy(_scratchRows, 0, rows, l, k);
        return l;
    }

    /// <summary>The best gain of splitting on feature <paramref name="f"/> and how many bins (in <see cref="_order"/>) go left.</summary>
    private (double Gain, int LeftBins) BestSplit(int[] rows, int start, int end, int f, double parent)
    {
        int binCount = _data.BinCounts[f], width = _classes is not null ? _classCount : 3;
        int[] bins = _data.Bins[f];
        Array.Clear(_hist, 0, binCount * width);
        if (_classes is { } cls)
            for (int i = start; i < end; i++) { int r = rows[i]; _hist[bins[r] * width + cls[r]]++; }
        else
            for (int i = start; i < end; i++)
            {
                int r = rows[i]; int o = bins[r] * 3;
                _hist[o] += 1; _hist[o + 1] += _targets![r]; _hist[o + 2] += _squares![r];
            }
        return ScanSplit(f, end - start, parent);
    }

    /// <summary>The split buffer a streaming fit fills with one node's histogram of one feature before <see cref="ScanSplit"/>.</summary>
    internal double[] Histogram => _hist;

    /// <summary>After <see cref="ScanSplit"/>: the scanned bins in split order (the first LeftBins go left).</summary>
    internal int[] SplitOrder => _order;

    /// <summary>
    /// The best gain of splitting a node of <paramref name="total"/> rows on feature <paramref name="f"/>, from its histogram
    /// already in <see cref="Histogram"/> (per bin: class counts, or count, sum and sum of squares of the target).
    /// </summary>
    internal (double Gain, int LeftBins) ScanSplit(int f, double total, double parent)
    {
        int binCount = _data.BinCounts[f], width = _classes is not null ? _classCount : 3;
        // Non-empty bins in split order: natural order for continuous, ordered by target statistic for discrete.
        int used = 0, majority = _classes is not null ? MajorityClass(binCount) : 0;
        for (int b = 0; b < binCount; b++)
        {
            double n = BinCount(b, width);
            if (n == 0) continue;
            _order[used] = b;
            _keys[used] = _classes is not null ? _hist[b * width + majority] / n : _hist[b * 3 + 1] / n;
            used++;
        }
        if (used < 2) return (0, 0);
        if (_data.Categorical[f]) Array.Sort(_keys, _order, 0, used);

        double leftN = 0, bestGain = 0; int bestLeft = 0;
        double leftSum = 0, leftSq = 0, totalSum = 0, totalSq = 0;
        if (_classes is null)
            for (int i = 0; i < used; i++) { int o = _order[i] * 3; totalSum += _hist[o + 1]; totalSq += _hist[o + 2]; }
        else
        {
            Array.Clear(_parentCounts, 0, _classCount);
            Array.Clear(_leftCounts, 0, _classCount);
            for (int b = 0; b < binCount; b++) for (int c = 0; c < width; c++) _parentCounts[c] += _hist[b * width + c];
        }

        for (int i = 0; i < used - 1; i++)
        {
            int b = _order[i];
            leftN += BinCount(b, width);
            double rightN = total - leftN;
            if (_classes is null) { leftSum += _hist[b * 3 + 1]; leftSq += _hist[b * 3 + 2]; }
            else for (int c = 0; c < width; c++) _leftCounts[c] += _hist[b * width + c];
            if (leftN < _minLeaf) continue;
            if (rightN < _minLeaf) break;
            double impurity;
            if (_classes is null)
            {
                double rs = totalSum - leftSum, rq = totalSq - leftSq;
                impurity = (leftSq - leftSum * leftSum / leftN) + (rq - rs * rs / rightN);
            }
            else impurity = GiniOfSplit(width, leftN, rightN);
            double gain = parent - impurity;
            if (gain > bestGain) { bestGain = gain; bestLeft = i + 1; }
        }
        return (bestGain, bestLeft);
    }

    /// <summary>n·Gini of the left side (class counts in <see cref="_leftCounts"/>) plus that of the right side.</summary>
    private double GiniOfSplit(int width, double leftN, double rightN)
    {
        double leftSq = 0, rightSq = 0;
        for (int c = 0; c < width; c++)
        {
            double l = _leftCounts[c], r = _parentCounts[c] - l;
            leftSq += l * l; rightSq += r * r;
        }
        return (leftN - leftSq / leftN) + (rightN - rightSq / rightN);
    }

    private double BinCount(int b, int width)
    {
        if (_classes is null) return _hist[b * 3];
        double n = 0;
        for (int c = 0; c < width; c++) n += _hist[b * width + c];
        return n;
    }

    private int MajorityClass(int binCount)
    {
        int best = 0; double bestCount = -1;
        for (int c = 0; c < _classCount; c++)
        {
            double n = 0;
            for (int b = 0; b < binCount; b++) n += _hist[b * _classCount + c];
            if (n > bestCount) { bestCount = n; best = c; }
        }
        return best;
    }

    /// <summary>n·Gini (classification) or the sum of squared deviations (regression) of rows[start..end).</summary>
    private double Impurity(int[] rows, int start, int end)
    {
        double n = end - start;
        if (n == 0) return 0;
        if (_classes is { } cls)
        {
            Array.Clear(_parentCounts, 0, _classCount);
            for (int i = start; i < end; i++) _parentCounts[cls[rows[i]]]++;
            double sq = 0;
            for (int c = 0; c < _classCount; c++) sq += _parentCounts[c] * _parentCounts[c];
            return n - sq / n;
        }
        double sum = 0, sumSq = 0;
        for (int i = start; i < end; i++) { int r = rows[i]; sum += _targets![r]; sumSq += _squares![r]; }
        return Math.Max(0, sumSq - sum * sum / n);
    }

    private int AddLeaf(int[] rows, int start, int end)
    {
        int leaf = _leafSizes.Count, count = end - start;
        _leafSizes.Add(count);
        if (_classes is { } cls)
        {
            Array.Clear(_parentCounts, 0, _classCount);
            for (int i = start; i < end; i++) _parentCounts[cls[rows[i]]]++;
            ClassLeaf(_parentCounts.AsSpan(0, _classCount), _minClassRows, _rootCounts, _rootTotal, _leafValues);
        }
        else if (_grid is { } grid)
        {
            var counts = new int[grid.BinCount];
            for (int i = start; i < end; i++) counts[grid.BinOf(_values![rows[i]])]++;
            grid.LeafValues(counts, count, LeafQuantileCount(count, _leafQuantiles, _rowsPerTailQuantile), _leafValues);
        }
        else
        {
            var values = _scratchValues.AsSpan(0, count);
            for (int i = 0; i < count; i++) values[i] = _values![rows[start + i]];
            values.Sort();
            int k = LeafQuantileCount(count, _leafQuantiles, _rowsPerTailQuantile);
            if (k == count) foreach (double v in values) _leafValues.Add(v);
            else
                for (int q = 0; q < k; q++)
                {
                    var (lo, hi, frac) = QuantilePosition(q, k, count);
                    _leafValues.Add(values[lo] == values[hi] ? values[lo] : values[lo] + (values[hi] - values[lo]) * frac);
                }
        }
        _leafOffsets.Add(_leafValues.Count);
        return leaf;
    }

    /// <summary>How many quantiles a regression leaf of <paramref name="count"/> rows stores (all its values when fewer).</summary>
    internal static int LeafQuantileCount(int count, int leafQuantiles, int rowsPerTailQuantile)
    {
        int grown = rowsPerTailQuantile > 0 ? Math.Min(MaxLeafQuantiles, count / rowsPerTailQuantile) : 0;
        return Math.Min(count, Math.Max(leafQuantiles, grown));
    }

    /// <summary>
    /// Quantile q of k over <paramref name="count"/> sorted values: mid-point quantiles (each stored point stands for an equal
    /// share of the leaf's rows), interpolated between ranks lo and hi.
    /// </summary>
    internal static (int Lo, int Hi, double Frac) QuantilePosition(int q, int k, int count)
    {
        double pos = (q + 0.5) / k * count - 0.5;
        int lo = Math.Clamp((int)Math.Floor(pos), 0, count - 1), hi = Math.Min(lo + 1, count - 1);
        return (lo, hi, Math.Clamp(pos - lo, 0, 1));
    }

    /// <summary>
    /// A classification leaf's cumulative class counts into <paramref name="output"/>; with <paramref name="minClassRows"/> above 1,
    /// the rows of classes fewer rows share are spread by <paramref name="rootCounts"/> (the column's supported distribution).
    /// </summary>
    internal static void ClassLeaf(Span<double> counts, int minClassRows, double[] rootCounts, double rootTotal, List<double> output)
    {
        if (minClassRows > 1)
        {
            double unsupported = 0;
            for (int c = 0; c < counts.Length; c++)
                if (counts[c] < minClassRows) { unsupported += counts[c]; counts[c] = 0; }
            if (unsupported > 0)
                for (int c = 0; c < counts.Length; c++) counts[c] += unsupported * rootCounts[c] / rootTotal;
        }
        double cumulative = 0;
        for (int c = 0; c < counts.Length; c++) output.Add(cumulative += counts[c]);
    }

    /// <summary>The distribution a key-like column's unsupported leaf rows are spread by: the classes that common overall.</summary>
    internal static double[] SupportedRootCounts(double[] root, int minClassRows)
    {
        var supported = root.Select(c => c >= minClassRows ? c : 0).ToArray();
        return supported.Any(c => c > 0) ? supported : root;
    }
}
