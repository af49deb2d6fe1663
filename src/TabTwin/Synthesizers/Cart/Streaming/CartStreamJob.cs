using TabTwin.Encoding;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.Cart.Streaming;

/// <summary>
/// What every pass of a streaming CART fit needs to read its rows, wherever it runs: the encoding, the options, the row
/// count and per modelled column its name, kind and classes — and, as the coordinator learns them, the bins (after the
/// statistics pass), the regression targets' scales and exact centres (after the order pass) and the visiting order.
/// A worker elsewhere gets the same from <see cref="Write"/>/<see cref="Read"/> (the encoding travels separately, in the
/// model-file format).
/// </summary>
internal sealed class CartStreamJob
{
    public CartStreamJob(TableEncoding encoding, CartOptions options, long rows)
    {
        if (rows > int.MaxValue) throw new TabTwinException("stream.too-many-rows", $"The table has {rows:N0} rows; a fit reads at most {int.MaxValue:N0}.",
            hint: "Fit on a sample of the rows (e.g. a query with LIMIT or a subset of the files).");
        Encoding = encoding; Options = options; Rows = (int)rows;
        var states = encoding.Modelled;
        Columns = states.Length;
        Names = states.Select(s => s.Name).ToArray();
        Categorical = states.Select(s => s.EncodedKind == EncodedKind.Discrete).ToArray();
        Cardinality = states.Select(s => s.Cardinality).ToArray();
    }

    public TableEncoding Encoding { get; }
    public CartOptions Options { get; }
    public int Rows { get; }
    public int Columns { get; }
    public string[] Names { get; }
    public bool[] Categorical { get; }
    public int[] Cardinality { get; }

    /// <summary>After the statistics pass: per column its bins (null for discrete columns) and bin count (the last = missing).</summary>
    public CartBinning?[] Binning { get; private set; } = [];
    public int[] BinCounts { get; private set; } = [];

    /// <summary>After the statistics pass: per continuous column the regression scale; after the order pass, the exact targets.</summary>
    public double[] Scales { get; private set; } = [];
    public long[] Present { get; private set; } = [];
    public ExactTarget[] Targets { get; private set; } = [];

    /// <summary>After the order pass: the visiting order (a tree's predictors are the columns before it).</summary>
    public int[] Order { get; private set; } = [];

    public bool IsClipped(int j) => Options.PrivacyOn && Options.UnclippedColumns?.Contains(Names[j]) != true;

    public void SetBinning(CartBinning?[] binning, double[] scales, long[] present)
    {
        Binning = binning; Scales = scales; Present = present;
        BinCounts = new int[Columns];
        for (int j = 0; j < Columns; j++) BinCounts[j] = Categorical[j] ? Cardinality[j] + 1 : binning[j]!.Edges.Length + 2;
    }

    public void SetOrder(int[] order, long[] centreUnits)
    {
        Order = order;
        Targets = new ExactTarget[Columns];
        for (int j = 0; j < Columns; j++)
            if (!Categorical[j]) Targets[j] = ExactTarget.Of(Scales[j], Present[j], centreUnits[j]);
    }

    /// <summary>The histogram layout of column <paramref name="j"/>'s tree (or its missing-value tree), as the coordinator grows it.</summary>
    public HistogramShape ShapeOf(int j, bool missing)
    {
        var features = Order[..Array.IndexOf(Order, j)];
        int classes = Categorical[j] ? Cardinality[j] + 1 : missing ? 2 : 0;
        return new HistogramShape(features, BinCounts, Categorical, classes, classes > 0 ? 0 : Binning[j]!.Grid!.BinCount);
    }

    /// <summary>
    /// A chunk encoded and binned as the in-memory fit bins the whole table (missing = the last bin), with each continuous
    /// value's leaf-grid bin.
    /// </summary>
    public BinnedChunk Bin(EncodedTable encoded, ParallelOptions parallel)
    {
        int m = encoded.Columns.Count, rows = encoded.RowCount;
        var bins = new int[m][];
        var values = new double[]?[m];
        var grids = new int[]?[m];
        Parallel.For(0, m, parallel, j =>
        {
            var c = encoded[j];
            var b = new int[rows];
            int missingBin = BinCounts[j] - 1;
            if (c.Kind == EncodedKind.Discrete)
                for (int r = 0; r < rows; r++) b[r] = c.Missing[r] ? missingBin : c.Codes![r];
            else
            {
                var grid = Binning[j]!.Grid!;
                var g = new int[rows];
                for (int r = 0; r < rows; r++)
                    if (c.Missing[r]) b[r] = missingBin;
                    else { b[r] = CartColumn.BinOf(c.Values![r], Binning[j]!.Edges); g[r] = grid.BinOf(c.Values![r]); }
                values[j] = c.Values;
                grids[j] = g;
            }
            bins[j] = b;
        });
        return new BinnedChunk(rows, bins, values, grids);
    }

    /// <summary>Everything but the encoding and options, which the caller stores in the model-file format.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(Rows);
        writer.Write(Binning.Length > 0);
        if (Binning.Length > 0)
        {
            for (int j = 0; j < Columns; j++)
            {
                writer.Write(Binning[j] is not null);
                if (Binning[j] is not { } b) continue;
                writer.WriteArray<double>(b.Edges); writer.Write(b.Low); writer.Write(b.High);
                b.Grid!.Write(writer);
            }
            writer.WriteArray<double>(Scales); writer.WriteArray<long>(Present);
        }
        writer.Write(Order.Length > 0);
        if (Order.Length > 0)
        {
            writer.WriteArray<int>(Order);
            writer.WriteArray<long>(Targets.Select(t => t.Units).ToArray());
        }
    }

    public static CartStreamJob Read(BinaryReader reader, TableEncoding encoding, CartOptions options)
    {
        var job = new CartStreamJob(encoding, options, reader.ReadInt32());
        InvalidDataException Bad() => new("A streaming-fit job message is damaged.");
        if (reader.ReadBoolean())
        {
            var binning = new CartBinning?[job.Columns];
            for (int j = 0; j < job.Columns; j++)
            {
                if (reader.ReadBoolean() == job.Categorical[j]) throw Bad();
                if (job.Categorical[j]) continue;
                var edges = reader.ReadArray<double>();
                double low = reader.ReadDouble(), high = reader.ReadDouble();
                binning[j] = new CartBinning(edges, low, high, TargetGrid.Read(reader));
            }
            var (scales, present) = (reader.ReadArray<double>(), reader.ReadArray<long>());
            if (scales.Length != job.Columns || present.Length != job.Columns) throw Bad();
            job.SetBinning(binning, scales, present);
        }
        if (reader.ReadBoolean())
        {
            var (order, units) = (reader.ReadArray<int>(), reader.ReadArray<long>());
            if (order.Length != job.Columns || units.Length != job.Columns || order.Any(j => (uint)j >= (uint)job.Columns) || order.Distinct().Count() != job.Columns)
                throw Bad();
            job.SetOrder(order, units);
        }
        return job;
    }
}
