using TabTwin.Encoding;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Bundles;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Cart;

/// <summary>
/// A fitted sequential CART model. Immutable. <see cref="Sample(int, ulong, SampleContext?)"/> works in blocks of <see cref="BlockRows"/>
/// rows; block b draws from its own stream derived from (seed, b), columns in visiting order, so the output is
/// byte-identical for any thread count.
/// </summary>
public sealed class CartModel : IConditionalModel
{
    internal const int BlockRows = 4096;

    internal CartModel(TableEncoding encoding, CartOptions options, int[] order, CartColumn[] columns)
    {
        Encoding = encoding; Options = options; Order = order; Columns = columns;
        _categorical = columns.Select(c => c.Kind == EncodedKind.Discrete).ToArray();
    }

    private readonly bool[] _categorical;

    public string SynthesizerName => CartSynthesizer.RegistryName;
    public TableSchema Schema => Encoding.Schema;
    internal TableEncoding Encoding { get; }
    public CartOptions Options { get; }

    /// <summary>The modelled column names in the order they are synthesized.</summary>
    public IReadOnlyList<string> VisitOrder => Order.Select(j => Columns[j].Name).ToArray();

    /// <summary>The smallest number of training rows behind any leaf of any tree (the k the model guarantees).</summary>
    public int SmallestLeaf => Columns.SelectMany(c => c.MissingTree is null ? [c.Tree] : new[] { c.Tree, c.MissingTree })
        .SelectMany(t => t.LeafSizes).DefaultIfEmpty(0).Min();

    /// <summary>Tree sizes per column (leaves), for inspection.</summary>
    public IReadOnlyDictionary<string, int> LeafCounts => Columns.ToDictionary(c => c.Name, c => c.Tree.LeafCount);

    internal int[] Order { get; }
    internal CartColumn[] Columns { get; }

    public Table Sample(int rows, ulong seed, SampleContext? context = null) => SampleWith(null, rows, seed, context);

    /// <summary>
    /// <paramref name="rows"/> rows whose leading columns (the first columns of the visiting order, see
    /// <see cref="CartOptions.LeadingColumns"/>) take the encoded values of <paramref name="given"/> (indexed like the
    /// modelled columns, null = drawn) and whose later columns are drawn from their trees as in <see cref="Sample(int, ulong, SampleContext?)"/>:
    /// an exact draw from the model's distribution given those values, at the cost of an unconditional sample. The
    /// given columns must be a prefix of the visiting order (a later column could not be fixed without rejection).
    /// </summary>
    internal Table SampleGiven(EncodedColumn?[] given, int rows, ulong seed, SampleContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(given);
        if (given.Length != Columns.Length) throw new ArgumentException($"{given.Length} given columns for a model of {Columns.Length}.");
        int prefix = given.Count(g => g is not null);
        for (int k = 0; k < prefix; k++)
            if (given[Order[k]] is not { } g || g.Length != rows || g.Kind != Columns[Order[k]].Kind)
                throw new ArgumentException($"The given columns must be the first {prefix} of the visiting order ({string.Join(", ", VisitOrder.Take(prefix))}), each with {rows} rows of the model's kind.");
        return SampleWith(given, rows, seed, context);
    }

    private Table SampleWith(EncodedColumn?[]? given, int rows, ulong seed, SampleContext? context)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        context ??= new SampleContext();
        if (context.MaxThreads is < 1) throw new ArgumentOutOfRangeException(nameof(context), "MaxThreads must be at least 1 (or null for all cores).");
        int m = Columns.Length;
        var values = new double[m][];
        var codes = new int[m][];
        var missing = new bool[m][];
        for (int j = 0; j < m; j++)
        {
            if (Columns[j].Kind == EncodedKind.Discrete) codes[j] = new int[rows]; else values[j] = new double[rows];
            missing[j] = new bool[rows];
        }
        int blocks = (rows + BlockRows - 1) / BlockRows, done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = context.MaxThreads ?? -1, CancellationToken = context.Cancel };
        Parallel.For(0, blocks, parallel, b =>
        {
            int start = b * BlockRows, count = Math.Min(rows, start + BlockRows) - start;
            SampleBlock(SeededRandom.For(seed, (ulong)b), start, count, values, codes, missing, given);
            context.Progress?.Report(new StepProgress("sample", Interlocked.Increment(ref done) / (double)blocks));
        });
        var encoded = new EncodedColumn[m];
        for (int j = 0; j < m; j++)
        {
            var mask = Bitmask.FromBools(missing[j]);
            encoded[j] = Columns[j].Kind == EncodedKind.Discrete
                ? EncodedColumn.Discrete(Columns[j].Name, codes[j], Columns[j].Cardinality, mask)
                : EncodedColumn.Continuous(Columns[j].Name, values[j], mask);
        }
        return Encoding.Decode(new EncodedTable(encoded, rows), SeededRandom.Derive(seed, ulong.MaxValue), context.MaxThreads);
    }

    /// <summary>
    /// Exactly <paramref name="rows"/> rows satisfying <paramref name="conditions"/>, conditioned inside the trees (see
    /// <see cref="CartConditionalSampler"/>): exact in the conditioned columns, the other columns from the model's
    /// conditional distribution. Categories dropped for privacy, values outside the robust range and values no
    /// reachable leaf holds are rejected at once with a <see cref="TabTwinException"/>.
    /// </summary>
    public Table Sample(int rows, ConditionSet conditions, ulong seed, SampleContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (conditions.IsEmpty) return Sample(rows, seed, context);
        context ??= new SampleContext();
        if (context.MaxThreads is < 1) throw new ArgumentOutOfRangeException(nameof(context), "MaxThreads must be at least 1 (or null for all cores).");
        var constraints = Conditioning.ConstraintResolver.Resolve(Encoding, conditions);
        return new CartConditionalSampler(this, constraints).Sample(rows, seed, context, conditions.ToString());
    }

    private void SampleBlock(SeededRandom random, int start, int count, double[][] values, int[][] codes, bool[][] missing, EncodedColumn?[]? given)
    {
        var bins = new int[Columns.Length][];
        for (int j = 0; j < bins.Length; j++) bins[j] = new int[count];
        var jitter = LeafKernel.Of(Options);
        foreach (int j in Order)
        {
            var column = Columns[j];
            int[] binsOut = bins[j];
            if (given?[j] is { } fixedColumn)
            {
                Copy(column, fixedColumn, j, start, count, values, codes, missing, binsOut);
                continue;
            }
            for (int i = 0; i < count; i++)
            {
                if (column.Kind == EncodedKind.Discrete)
                {
                    int code = random.NextWeighted(column.Tree.LeafSpan(column.Tree.LeafOf(bins, _categorical, i)));
                    if (code == column.Cardinality) missing[j][start + i] = true;
                    else codes[j][start + i] = code;
                    binsOut[i] = code;
                    continue;
                }
                if (column.MissingTree is { } mt && random.NextWeighted(mt.LeafSpan(mt.LeafOf(bins, _categorical, i))) == 1)
                {
                    missing[j][start + i] = true;
                    binsOut[i] = column.MissingBin;
                    continue;
                }
                double v = DrawValue(random, column.Tree.LeafSpan(column.Tree.LeafOf(bins, _categorical, i)), jitter);
                v = Math.Clamp(v, column.Low, column.High);
                values[j][start + i] = v;
                binsOut[i] = CartColumn.BinOf(v, column.Edges);
            }
        }
    }

    /// <summary>A given column's values for rows start..start+count, with the bins later trees split on.</summary>
    private static void Copy(CartColumn column, EncodedColumn source, int j, int start, int count, double[][] values, int[][] codes, bool[][] missing, int[] bins)
    {
        for (int i = 0; i < count; i++)
        {
            int r = start + i;
            if (source.Missing[r])
            {
                missing[j][r] = true;
                bins[i] = column.MissingBin;
            }
            else if (column.Kind == EncodedKind.Discrete)
            {
                codes[j][r] = source.Codes![r];
                bins[i] = source.Codes![r];
            }
            else
            {
                double v = Math.Clamp(source.Values![r], column.Low, column.High);
                values[j][r] = v;
                bins[i] = CartColumn.BinOf(v, column.Edges);
            }
        }
    }

    /// <summary>
    /// A stored leaf quantile, moved by a uniform kernel towards the mid-points with its distinct neighbours (see
    /// <see cref="LeafKernel"/>) and kept inside the leaf's range: values are not copied verbatim. Point masses shared
    /// by enough rows (e.g. capital-gain = 0) stay exact.
    /// </summary>
    internal static double DrawValue(SeededRandom random, ReadOnlySpan<double> q, LeafKernel kernel)
    {
        int k = q.Length, i = k == 1 ? 0 : random.NextInt(k);
        var (isPoint, a, b) = kernel.Component(q, i);
        if (isPoint) return a;
        return Math.Clamp(a + (b - a) * random.NextDouble(), q[0], q[k - 1]);
    }

    public void Write(ModelBundleWriter bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        CartFormat.Write(bundle, this);
    }

    internal static CartModel Read(ModelBundleReader bundle) => CartFormat.Read(bundle);
}
