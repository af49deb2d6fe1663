namespace TabTwin.Synthesizers.Cart.Streaming;

/// <summary>
/// A tree grown so far, as much of it as sends a row to the node it reaches: per node its split feature (−1: a leaf or an
/// open node), threshold bin, children and, for a categorical split, which categories go left.
/// </summary>
internal sealed record TreeRouting(int[] Feature, int[] Split, int[] Left, int[] Right, int[][] CategoryLeft)
{
    public int Route(int[][] bins, int row, bool[] categorical)
    {
        int id = 0;
        while (Feature[id] is var f && f >= 0)
        {
            int bin = bins[f][row];
            id = (categorical[f] ? CategoryLeft[id][bin] != 0 : bin <= Split[id]) ? Left[id] : Right[id];
        }
        return id;
    }

    public void Write(BinaryWriter writer)
    {
        writer.WriteArray<int>(Feature); writer.WriteArray<int>(Split); writer.WriteArray<int>(Left); writer.WriteArray<int>(Right);
        writer.WriteJagged(CategoryLeft);
    }

    /// <summary>Reads a routing and checks that every walk ends: children point forward to existing nodes, features exist.</summary>
    public static TreeRouting Read(BinaryReader reader, int[] binCounts)
    {
        var routing = new TreeRouting(reader.ReadArray<int>(), reader.ReadArray<int>(), reader.ReadArray<int>(), reader.ReadArray<int>(), reader.ReadJagged<int>());
        int n = routing.Feature.Length;
        bool ok = n > 0 && routing.Split.Length == n && routing.Left.Length == n && routing.Right.Length == n && routing.CategoryLeft.Length == n;
        for (int id = 0; ok && id < n; id++)
        {
            int f = routing.Feature[id];
            if (f < 0) continue;
            ok = f < binCounts.Length && routing.Left[id] > id && routing.Left[id] < n && routing.Right[id] > id && routing.Right[id] < n
                 && (routing.CategoryLeft[id].Length == 0 || routing.CategoryLeft[id].Length == binCounts[f]);
        }
        return ok ? routing : throw new InvalidDataException("A tree in a streaming-fit message is damaged.");
    }
}

/// <summary>The fixed layout of one tree's node histograms: which features, where each starts, how wide a bin is.</summary>
internal sealed class HistogramShape
{
    public HistogramShape(int[] features, int[] binCounts, bool[] categorical, int classCount, int gridBins)
    {
        Features = features; BinCounts = binCounts; Categorical = categorical; ClassCount = classCount; GridBins = gridBins;
        Width = classCount > 0 ? classCount : 3;
        Offsets = new int[features.Length];
        for (int i = 0; i < features.Length; i++) { Offsets[i] = Size; Size += binCounts[features[i]] * Width; }
    }

    public int[] Features { get; }
    public int[] BinCounts { get; }
    public bool[] Categorical { get; }
    public int ClassCount { get; }
    public int GridBins { get; }
    public int Width { get; }
    public int[] Offsets { get; }
    public int Size { get; }

    /// <summary>Bytes one node's accumulators take.</summary>
    public long BytesPerNode => 8L * (Size + Width) + 4L * GridBins;
}

/// <summary>
/// What the rows reaching some open nodes of one tree add up to in a pass: per node and predictor bin, the class counts
/// or the count, sum and sum of squares of the target (exact on <see cref="ExactTarget"/>'s grid), the node's totals and
/// its leaf-grid counts. Partials over different rows add up (<see cref="Add"/>) to the same sums in any order, so a pass
/// can be split across chunks, partitions and machines.
/// </summary>
internal sealed class NodeHistograms
{
    private readonly HistogramShape _shape;
    private readonly TreeRouting _routing;
    private readonly int[] _slotOfNode;

    /// <summary>Zero sums for the <paramref name="taken"/> nodes.</summary>
    public NodeHistograms(HistogramShape shape, TreeRouting routing, int[] taken)
        : this(shape, routing, taken,
            [.. taken.Select(_ => new double[shape.Size])], [.. taken.Select(_ => new double[shape.Width])], [.. taken.Select(_ => new int[shape.GridBins])])
    {
    }

    private NodeHistograms(HistogramShape shape, TreeRouting routing, int[] taken, double[][] hist, double[][] totals, int[][] gridCounts)
    {
        _shape = shape; _routing = routing; Taken = taken;
        _slotOfNode = new int[routing.Feature.Length];
        Array.Fill(_slotOfNode, -1);
        for (int s = 0; s < taken.Length; s++) _slotOfNode[taken[s]] = s;
        Hist = hist; Totals = totals; GridCounts = gridCounts;
    }

    public int[] Taken { get; }
    public TreeRouting Routing => _routing;
    public double[][] Hist { get; }
    public double[][] Totals { get; }
    public int[][] GridCounts { get; }

    // Per-chunk buffers, reused: a chunk's worth of arrays per tree per chunk would be large-object-heap garbage.
    private int[] _slotOfRow = [], _grouped = [];

    private static T[] Scratch<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[Math.Max(length, buffer.Length * 2)];
        return buffer;
    }

    /// <summary>
    /// Adds the rows of one chunk: <paramref name="bins"/> per encoded column, and the target — classes, or the exact targets
    /// and their squares with their leaf-grid bins; rows with <paramref name="eligible"/> false (regression: missing values)
    /// are not part of this tree.
    /// </summary>
    public void Accumulate(int[][] bins, int rows, int[]? classes, double[]? targets, double[]? squares, int[]? gridBins, bool[]? eligible)
    {
        int taken = Taken.Length;
        if (taken == 0) return;
        // Rows grouped by the node they reach, so each node's histogram of one feature is filled in one sweep that stays in cache.
        var slotOfRow = Scratch(ref _slotOfRow, rows);
        var start = new int[taken + 1];
        for (int r = 0; r < rows; r++)
        {
            int slot = eligible is not null && !eligible[r] ? -1 : _slotOfNode[_routing.Route(bins, r, _shape.Categorical)];
            slotOfRow[r] = slot;
            if (slot >= 0) start[slot + 1]++;
        }
        for (int s = 0; s < taken; s++) start[s + 1] += start[s];
        var grouped = Scratch(ref _grouped, start[^1]);
        var next = (int[])start.Clone();
        for (int r = 0; r < rows; r++)
            if (slotOfRow[r] is var slot && slot >= 0) grouped[next[slot]++] = r;

        var features = _shape.Features;
        int width = _shape.Width;
        for (int s = 0; s < taken; s++)
        {
            if (start[s] == start[s + 1]) continue;
            var group = new ReadOnlySpan<int>(grouped, start[s], start[s + 1] - start[s]);
            double[] h = Hist[s], t = Totals[s];
            if (classes is not null)
            {
                foreach (int r in group) t[classes[r]]++;
                for (int i = 0; i < features.Length; i++)
                {
                    int[] feature = bins[features[i]];
                    int o = _shape.Offsets[i];
                    foreach (int r in group) h[o + feature[r] * width + classes[r]]++;
                }
            }
            else
            {
                foreach (int r in group) { t[0]++; t[1] += targets![r]; t[2] += squares![r]; }
                for (int i = 0; i < features.Length; i++)
                {
                    int[] feature = bins[features[i]];
                    int o = _shape.Offsets[i];
                    foreach (int r in group)
                    {
                        int k = o + feature[r] * 3;
                        h[k] += 1; h[k + 1] += targets![r]; h[k + 2] += squares![r];
                    }
                }
                var grid = GridCounts[s];
                foreach (int r in group) grid[gridBins![r]]++;
            }
        }
    }

    /// <summary>Adds another partial of the same nodes (over other rows).</summary>
    public void Add(NodeHistograms other)
    {
        if (!other.Taken.AsSpan().SequenceEqual(Taken)) throw new InvalidDataException("Partial histograms of different nodes cannot be added.");
        for (int s = 0; s < Taken.Length; s++)
        {
            PassWire.AddInto(Hist[s], other.Hist[s]);
            PassWire.AddInto(Totals[s], other.Totals[s]);
            PassWire.AddInto(GridCounts[s], other.GridCounts[s]);
        }
    }

    /// <summary>The sums only (the reader knows the shape and the nodes).</summary>
    public void WriteSums(BinaryWriter writer)
    {
        writer.WriteJagged(Hist); writer.WriteJagged(Totals); writer.WriteJagged(GridCounts);
    }

    /// <summary>A partial of the same shape and nodes as this one, read from what <see cref="WriteSums"/> wrote.</summary>
    public NodeHistograms ReadSums(BinaryReader reader)
    {
        var (hist, totals, grid) = (reader.ReadJagged<double>(), reader.ReadJagged<double>(), reader.ReadJagged<int>());
        bool fits = hist.Length == Taken.Length && totals.Length == Taken.Length && grid.Length == Taken.Length;
        for (int s = 0; fits && s < Taken.Length; s++)
            fits = hist[s].Length == _shape.Size && totals[s].Length == _shape.Width && grid[s].Length == _shape.GridBins;
        if (!fits) throw new InvalidDataException("Partial histograms in a streaming-fit message are damaged.");
        return new NodeHistograms(_shape, _routing, Taken, hist, totals, grid);
    }
}
