using TabTwin.Encoding;

namespace TabTwin.Synthesizers.Cart.Streaming;

/// <summary>
/// The statistics pass over some rows: per continuous column its <see cref="ContinuousColumnStats"/>, per discrete column
/// its class counts (the last = missing). Partials merge; the sketches inside make the result depend on the order of the
/// merges, so partials are merged in the fixed order of the work units they cover.
/// </summary>
internal sealed class StatsPartial
{
    private StatsPartial(ContinuousColumnStats?[] continuous, long[][] classCounts) { Continuous = continuous; ClassCounts = classCounts; }

    public ContinuousColumnStats?[] Continuous { get; }
    public long[][] ClassCounts { get; }

    public static StatsPartial Empty(CartStreamJob job)
    {
        var continuous = new ContinuousColumnStats?[job.Columns];
        var counts = new long[job.Columns][];
        for (int j = 0; j < job.Columns; j++)
        {
            int tail = job.IsClipped(j) ? CartFitter.TailIndex(job.Rows, job.Options.RobustTail, job.Options.TailRows) + 1 : 1;
            continuous[j] = job.Categorical[j] ? null : new ContinuousColumnStats(Math.Min(tail, 1 << 20), Math.Max(job.Options.MaxBins, TargetGrid.Size));
            counts[j] = job.Categorical[j] ? new long[job.Cardinality[j] + 1] : [];
        }
        return new StatsPartial(continuous, counts);
    }

    public void Add(EncodedTable encoded, ParallelOptions parallel) =>
        Parallel.For(0, Continuous.Length, parallel, j =>
        {
            var c = encoded[j];
            if (Continuous[j] is { } stats) stats.Add(c.Values!, c.Missing, c.Length);
            else
            {
                var counts = ClassCounts[j];
                int missing = counts.Length - 1;
                for (int r = 0; r < c.Length; r++) counts[c.Missing[r] ? missing : c.Codes![r]]++;
            }
        });

    public void Merge(StatsPartial other)
    {
        for (int j = 0; j < Continuous.Length; j++)
        {
            if (Continuous[j] is { } stats) stats.Merge(other.Continuous[j]!);
            else PassWire.AddInto(ClassCounts[j], other.ClassCounts[j]);
        }
    }

    public void Write(BinaryWriter writer)
    {
        for (int j = 0; j < Continuous.Length; j++)
            if (Continuous[j] is { } stats) stats.Write(writer);
            else writer.WriteArray<long>(ClassCounts[j]);
    }

    public static StatsPartial Read(BinaryReader reader, CartStreamJob job)
    {
        var partial = Empty(job);
        for (int j = 0; j < job.Columns; j++)
        {
            if (!job.Categorical[j]) { partial.Continuous[j] = ContinuousColumnStats.Read(reader); continue; }
            var counts = reader.ReadArray<long>();
            if (counts.Length != partial.ClassCounts[j].Length) throw new InvalidDataException("Class counts in a streaming-fit message are damaged.");
            partial.ClassCounts[j] = counts;
        }
        return partial;
    }
}

/// <summary>
/// The order pass over some rows: per column its bin counts and per pair of columns their joint counts (the visiting
/// order's entropies and mutual information), and per continuous column the exact sum of its scaled values (the regression
/// centre, in <see cref="ExactTarget"/> grid units). Integer sums: partials add up in any order.
/// </summary>
internal sealed class OrderPartial
{
    private OrderPartial(int[][] counts, int[][][] joint, long[] centreUnits) { Counts = counts; Joint = joint; CentreUnits = centreUnits; }

    public int[][] Counts { get; }
    public int[][][] Joint { get; }
    public long[] CentreUnits { get; }

    /// <summary>Zero sums for the job's columns; with <paramref name="explicitOrder"/> (the user gave the order) no counts.</summary>
    public static OrderPartial Empty(CartStreamJob job, bool explicitOrder)
    {
        int m = job.Columns;
        var bins = job.BinCounts;
        var counts = explicitOrder ? [] : Enumerable.Range(0, m).Select(j => new int[bins[j]]).ToArray();
        var joint = explicitOrder ? [] : Enumerable.Range(0, m).Select(a => Enumerable.Range(0, m).Select(b => b > a ? new int[bins[a] * bins[b]] : []).ToArray()).ToArray();
        return new OrderPartial(counts, joint, new long[m]);
    }

    private bool ExplicitOrder => Counts.Length == 0;

    public void Add(BinnedChunk chunk, CartStreamJob job, ParallelOptions parallel)
    {
        var bins = chunk.Bins;
        int m = job.Columns;
        Parallel.For(0, m, parallel, a =>
        {
            if (chunk.Values[a] is { } values)
            {
                int missingBin = job.BinCounts[a] - 1, bits = ExactTarget.BitsFor(job.Present[a]);
                long units = 0;
                for (int r = 0; r < chunk.Rows; r++) if (bins[a][r] != missingBin) units += ExactTarget.CentreUnits(values[r], job.Scales[a], bits);
                CentreUnits[a] += units;
            }
            if (ExplicitOrder) return;
            int[] x = bins[a];
            for (int r = 0; r < chunk.Rows; r++) Counts[a][x[r]]++;
            for (int b = a + 1; b < m; b++)
            {
                int wb = job.BinCounts[b];
                int[] y = bins[b], cells = Joint[a][b];
                for (int r = 0; r < chunk.Rows; r++) cells[x[r] * wb + y[r]]++;
            }
        });
    }

    public void Merge(OrderPartial other)
    {
        PassWire.AddInto(CentreUnits, other.CentreUnits);
        if (ExplicitOrder != other.ExplicitOrder) throw new InvalidDataException("Order partials of different kinds cannot be added.");
        for (int a = 0; a < Counts.Length; a++)
        {
            PassWire.AddInto(Counts[a], other.Counts[a]);
            for (int b = 0; b < Joint[a].Length; b++) PassWire.AddInto(Joint[a][b], other.Joint[a][b]);
        }
    }

    public void Write(BinaryWriter writer)
    {
        writer.WriteArray<long>(CentreUnits);
        writer.WriteJagged(Counts);
        foreach (var row in Joint) writer.WriteJagged(row);
    }

    public static OrderPartial Read(BinaryReader reader, CartStreamJob job, bool explicitOrder)
    {
        var partial = Empty(job, explicitOrder);
        var units = reader.ReadArray<long>();
        var counts = reader.ReadJagged<int>();
        if (units.Length != job.Columns || counts.Length != partial.Counts.Length) throw new InvalidDataException("An order partial in a streaming-fit message is damaged.");
        var read = new OrderPartial(counts, new int[counts.Length][][], units);
        for (int a = 0; a < counts.Length; a++) read.Joint[a] = reader.ReadJagged<int>();
        partial.Merge(read); // checks every shape against the job's
        return partial;
    }
}

/// <summary>One tree a level pass accumulates: its column, whether it is the missing-value tree, and its nodes' sums.</summary>
internal sealed record ActiveTree(int Column, bool Missing, NodeHistograms Sums);

/// <summary>The level pass over some rows: every active tree's open-node histograms (<see cref="NodeHistograms"/>).</summary>
internal static class LevelPass
{
    /// <summary>Adds one binned chunk to every active tree's sums (in parallel over trees; each tree's sums are its own).</summary>
    public static void Add(BinnedChunk chunk, CartStreamJob job, IReadOnlyList<ActiveTree> active, TargetBuffers[] buffers, ParallelOptions parallel)
    {
        var bins = chunk.Bins;
        int len = chunk.Rows;
        Parallel.For(0, active.Count, parallel, t =>
        {
            var (j, missing, sums) = active[t];
            int missingBin = job.BinCounts[j] - 1;
            var buffer = buffers[t];
            if (job.Categorical[j]) sums.Accumulate(bins, len, bins[j], null, null, null, null); // a discrete column's bin is its class
            else if (missing)
            {
                var classes = buffer.Classes(len);
                for (int r = 0; r < len; r++) classes[r] = bins[j][r] == missingBin ? 1 : 0;
                sums.Accumulate(bins, len, classes, null, null, null, null);
            }
            else
            {
                var (targets, squares, present) = buffer.Targets(len);
                var target = job.Targets[j];
                double[] values = chunk.Values[j]!;
                for (int r = 0; r < len; r++)
                    if (present[r] = bins[j][r] != missingBin)
                    {
                        targets[r] = target.Value(values[r]);
                        squares[r] = target.Square(targets[r]);
                    }
                sums.Accumulate(bins, len, null, targets, squares, chunk.GridBins[j], present);
            }
        });
    }
}

/// <summary>One active tree's per-chunk target buffers, reused from chunk to chunk.</summary>
internal sealed class TargetBuffers
{
    private int[] _classes = [];
    private double[] _targets = [], _squares = [];
    private bool[] _present = [];

    public int[] Classes(int rows) => _classes.Length >= rows ? _classes : _classes = new int[Math.Max(rows, 2 * _classes.Length)];

    public (double[] Targets, double[] Squares, bool[] Present) Targets(int rows)
    {
        if (_targets.Length < rows)
        {
            int size = Math.Max(rows, 2 * _targets.Length);
            _targets = new double[size]; _squares = new double[size]; _present = new bool[size];
        }
        return (_targets, _squares, _present);
    }
}
