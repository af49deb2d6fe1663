namespace TabTwin.Synthesizers.Cart;

/// <summary>
/// One fitted tree as flat arrays (cheap to store, cache-friendly to walk). Node <c>i</c> is a leaf when
/// <see cref="Feature"/>[i] is −1; then <see cref="Left"/>[i] is its leaf index. Otherwise it splits on the
/// binned column <see cref="Feature"/>[i]: a continuous predictor sends bins ≤ <see cref="Split"/>[i] left;
/// a discrete predictor sends bin b left when <see cref="CategoryLeft"/>[Split[i] + b] is 1.
/// Leaf l's outcome lives in <see cref="LeafValues"/>[LeafOffsets[l] .. LeafOffsets[l+1]): cumulative class
/// counts (classification) or sorted quantiles (regression).
/// </summary>
internal sealed class CartTree
{
    public CartTree(int[] feature, int[] split, int[] left, int[] right, int[] categoryLeft, int[] leafOffsets, double[] leafValues, int[] leafSizes)
    {
        Feature = feature; Split = split; Left = left; Right = right; CategoryLeft = categoryLeft;
        LeafOffsets = leafOffsets; LeafValues = leafValues; LeafSizes = leafSizes;
    }

    public int[] Feature { get; }
    public int[] Split { get; }
    public int[] Left { get; }
    public int[] Right { get; }
    public int[] CategoryLeft { get; }
    public int[] LeafOffsets { get; }
    public double[] LeafValues { get; }
    /// <summary>Training rows per leaf (kept for the privacy check "no leaf smaller than k").</summary>
    public int[] LeafSizes { get; }

    public int NodeCount => Feature.Length;
    public int LeafCount => LeafSizes.Length;

    /// <summary>The leaf that row <paramref name="row"/> of the binned columns falls into.</summary>
    public int LeafOf(int[][] bins, bool[] categorical, int row)
    {
        int node = 0;
        while (true)
        {
            int f = Feature[node];
            if (f < 0) return Left[node];
            int bin = bins[f][row];
            bool left = categorical[f] ? CategoryLeft[Split[node] + bin] != 0 : bin <= Split[node];
            node = left ? Left[node] : Right[node];
        }
    }

    public ReadOnlySpan<double> LeafSpan(int leaf) => LeafValues.AsSpan(LeafOffsets[leaf], LeafOffsets[leaf + 1] - LeafOffsets[leaf]);

    /// <summary>All arrays, packed for the model file: node ints, category flags, leaf offsets, leaf sizes.</summary>
    public int[] PackInts()
    {
        int n = NodeCount;
        var r = new int[4 + 4 * n + CategoryLeft.Length + LeafOffsets.Length + LeafSizes.Length];
        r[0] = n; r[1] = CategoryLeft.Length; r[2] = LeafOffsets.Length; r[3] = LeafSizes.Length;
        int o = 4;
        foreach (var a in new[] { Feature, Split, Left, Right, CategoryLeft, LeafOffsets, LeafSizes }) { a.CopyTo(r, o); o += a.Length; }
        return r;
    }

    /// <summary>Rebuilds a tree from <see cref="PackInts"/> output; returns null when the arrays are inconsistent.</summary>
    public static CartTree? Unpack(int[] ints, double[] leafValues, int columnCount, int[] binCounts, bool[] categorical)
    {
        if (ints.Length < 4) return null;
        int n = ints[0], flags = ints[1], offsets = ints[2], sizes = ints[3];
        if (n < 1 || flags < 0 || offsets < 2 || sizes != offsets - 1 || ints.Length != 4 + 4 * n + flags + offsets + sizes) return null;
        int o = 4;
        int[] Take(int count) { var a = ints.AsSpan(o, count).ToArray(); o += count; return a; }
        var tree = new CartTree(Take(n), Take(n), Take(n), Take(n), Take(flags), Take(offsets), leafValues, []);
        tree = new CartTree(tree.Feature, tree.Split, tree.Left, tree.Right, tree.CategoryLeft, tree.LeafOffsets, leafValues, Take(sizes));
        return tree.IsConsistent(columnCount, binCounts, categorical) ? tree : null;
    }

    private bool IsConsistent(int columnCount, int[] binCounts, bool[] categorical)
    {
        if (LeafOffsets[0] != 0 || LeafOffsets[^1] != LeafValues.Length) return false;
        for (int l = 0; l < LeafCount; l++) if (LeafOffsets[l + 1] <= LeafOffsets[l]) return false;
        for (int i = 0; i < NodeCount; i++)
        {
            int f = Feature[i];
            if (f < 0) { if ((uint)Left[i] >= (uint)LeafCount) return false; continue; }
            // Children always follow their parent, so walking can never loop.
            if (f >= columnCount || Left[i] <= i || Right[i] <= i || Left[i] >= NodeCount || Right[i] >= NodeCount) return false;
            if (categorical[f] && (Split[i] < 0 || Split[i] + binCounts[f] > CategoryLeft.Length)) return false;
        }
        return true;
    }
}
