using TabTwin.Encoding;
using TabTwin.Synthesizers.Conditioning;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Cart;

/// <summary>
/// Exact conditional sampling for sequential CART, by conditioning inside the trees. Candidates are drawn in visiting
/// order; at a conditioned column the leaf's outcome distribution is restricted to the allowed values (so the
/// condition holds by construction) and the candidate is kept with probability m / W, where m is the leaf's mass
/// inside the allowed set and W the largest such mass over the leaves the conditions leave reachable. The kept rows
/// are distributed exactly as the model's rows given the conditions (rejection sampling with proposal "restricted
/// draws" and weight ∏ m ≤ ∏ W): earlier columns are influenced by later conditions through the m's, and a rare
/// condition costs only its mass relative to its best leaf, not its raw frequency. Candidates come in blocks with
/// their own seed streams, processed in waves; the first rows kept in block order are returned, so the result does
/// not depend on the thread count.
/// </summary>
internal sealed class CartConditionalSampler
{
    private const ulong CandidateSalt = 0xCA27C0;
    private const long MinimumBudget = 2_000_000;
    private const long BudgetRowsFactor = 2_000;

    private readonly CartModel _model;
    private readonly ColumnConstraint?[] _constraints;
    private readonly LeafKernel _jitter;
    private readonly bool[] _categorical;
    private readonly double[]?[] _leafMass;     // per conditioned column: value-tree leaf → mass inside the allowed set
    private readonly double[] _bound;           // per column: W (1 when unconditioned)

    public CartConditionalSampler(CartModel model, ColumnConstraint?[] constraints)
    {
        _model = model;
        _constraints = constraints;
        _jitter = LeafKernel.Of(model.Options);
        var columns = model.Columns;
        _categorical = columns.Select(c => c.Kind == EncodedKind.Discrete).ToArray();
        _leafMass = new double[columns.Length][];
        _bound = Enumerable.Repeat(1.0, columns.Length).ToArray();
        var allowedBins = new bool[columns.Length][];
        for (int j = 0; j < columns.Length; j++) if (constraints[j] is { } c) allowedBins[j] = AllowedBins(columns[j], c);
        foreach (int j in model.Order)
        {
            if (constraints[j] is not { } c) continue;
            var column = columns[j];
            var tree = column.Tree;
            var mass = new double[tree.LeafCount];
            for (int l = 0; l < mass.Length; l++) mass[l] = ValueMass(column, c, tree.LeafSpan(l));
            _leafMass[j] = mass;
            double valueMax = Reachable(tree, allowedBins).Select(l => mass[l]).DefaultIfEmpty(0).Max();
            if (column.Kind == EncodedKind.Discrete) _bound[j] = valueMax;
            else
            {
                // m = P(missing)·[missing allowed] + P(present)·valueMass: linear in P(missing), largest at an end of its reachable range.
                var missingShares = column.MissingTree is { } mt ? Reachable(mt, allowedBins).Select(l => MissingShare(mt.LeafSpan(l))).ToArray() : [0.0];
                double pMin = missingShares.DefaultIfEmpty(0).Min(), pMax = missingShares.DefaultIfEmpty(0).Max();
                double Mix(double p) => (c.AllowMissing ? p : 0) + (1 - p) * valueMax;
                _bound[j] = Math.Max(Mix(pMin), Mix(pMax));
            }
            if (!(_bound[j] > 0))
                throw c.Never(CartSynthesizer.RegistryName, c.AllowMissing && !c.Intervals.Any()
                    ? "it was never missing in training" : "no leaf of its tree holds such a value under the other conditions");
        }
    }

    public Table Sample(int rows, ulong seed, SampleContext context, string conditionsText)
    {
        var columns = _model.Columns;
        int m = columns.Length;
        int blockRows = (int)Math.Clamp(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(rows, 1)), 64, CartModel.BlockRows);
        var kept = new List<Block>();
        int accepted = 0;
        long drawn = 0, budget = Math.Max(MinimumBudget, BudgetRowsFactor * (long)rows);
        ulong nextBlock = 0;
        ulong candidateSeed = SeededRandom.Derive(seed, CandidateSalt);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = context.MaxThreads ?? -1, CancellationToken = context.Cancel };
        while (accepted < rows)
        {
            double rate = drawn == 0 ? 0 : accepted / (double)drawn;
            int remaining = rows - accepted;
            if (drawn >= 100_000 && (rate == 0 || drawn + remaining / rate > budget))
                throw Unreachable(rows, conditionsText, drawn, accepted, budget);
            // The first wave assumes the bound is tight; later waves follow the acceptance seen so far.
            double expected = drawn == 0 ? 1 : Math.Max(rate, 1.0 / drawn);
            int blocks = (int)Math.Clamp(Math.Ceiling(remaining / expected * 1.15 / blockRows), 1, 256);
            var wave = new Block[blocks];
            ulong first = nextBlock;
            Parallel.For(0, blocks, parallel, b => wave[b] = SampleBlock(SeededRandom.For(candidateSeed, first + (ulong)b), blockRows));
            nextBlock += (ulong)blocks;
            foreach (var block in wave)
            {
                drawn += blockRows;
                if (accepted >= rows) break;
                kept.Add(block);
                accepted += block.Accepted.Length;
            }
            context.Progress?.Report(new StepProgress("conditional sample", Math.Min(1, accepted / (double)Math.Max(rows, 1))));
        }
        return Assemble(kept, rows, seed, context);
    }

    private sealed record Block(int[] Accepted, double[]?[] Values, int[]?[] Codes, bool[][] Missing);

    private Block SampleBlock(SeededRandom random, int count)
    {
        var columns = _model.Columns;
        int m = columns.Length;
        var bins = new int[m][];
        var values = new double[]?[m];
        var codes = new int[]?[m];
        var missing = new bool[m][];
        var alive = new bool[count];
        Array.Fill(alive, true);
        for (int j = 0; j < m; j++)
        {
            bins[j] = new int[count];
            missing[j] = new bool[count];
            if (columns[j].Kind == EncodedKind.Discrete) codes[j] = new int[count]; else values[j] = new double[count];
        }
        foreach (int j in _model.Order)
        {
            var column = columns[j];
            var constraint = _constraints[j];
            for (int i = 0; i < count; i++)
            {
                if (!alive[i]) continue;
                if (constraint is null) DrawFree(random, column, j, i, bins, values, codes, missing);
                else if (!DrawConditioned(random, column, constraint, j, i, bins, values, codes, missing)) alive[i] = false;
            }
        }
        var accepted = Enumerable.Range(0, count).Where(i => alive[i]).ToArray();
        return new Block(accepted, values, codes, missing);
    }

    /// <summary>The same draw as unconditional sampling.</summary>
    private void DrawFree(SeededRandom random, CartColumn column, int j, int i, int[][] bins, double[]?[] values, int[]?[] codes, bool[][] missing)
    {
        if (column.Kind == EncodedKind.Discrete)
        {
            int code = random.NextWeighted(column.Tree.LeafSpan(column.Tree.LeafOf(bins, _categorical, i)));
            if (code == column.Cardinality) missing[j][i] = true; else codes[j]![i] = code;
            bins[j][i] = code;
            return;
        }
        if (column.MissingTree is { } mt && random.NextWeighted(mt.LeafSpan(mt.LeafOf(bins, _categorical, i))) == 1)
        {
            missing[j][i] = true;
            bins[j][i] = column.MissingBin;
            return;
        }
        double v = Math.Clamp(CartModel.DrawValue(random, column.Tree.LeafSpan(column.Tree.LeafOf(bins, _categorical, i)), _jitter), column.Low, column.High);
        values[j]![i] = v;
        bins[j][i] = CartColumn.BinOf(v, column.Edges);
    }

    /// <summary>A draw restricted to the allowed values, kept with probability m / W; false when the candidate is rejected.</summary>
    private bool DrawConditioned(SeededRandom random, CartColumn column, ColumnConstraint c, int j, int i,
        int[][] bins, double[]?[] values, int[]?[] codes, bool[][] missing)
    {
        int leaf = column.Tree.LeafOf(bins, _categorical, i);
        if (column.Kind == EncodedKind.Discrete)
        {
            double mass = _leafMass[j]![leaf];
            if (random.NextDouble() * _bound[j] >= mass) return false;
            var span = column.Tree.LeafSpan(leaf);
            double total = 0;
            for (int k = 0; k < span.Length; k++) if (c.AllowedCodes![k]) total += span[k] - (k > 0 ? span[k - 1] : 0);
            double u = random.NextDouble() * total;
            int code = -1;
            for (int k = 0; k < span.Length; k++)
            {
                if (!c.AllowedCodes![k]) continue;
                code = k;
                u -= span[k] - (k > 0 ? span[k - 1] : 0);
                if (u < 0) break;
            }
            if (code == column.Cardinality) missing[j][i] = true; else codes[j]![i] = code;
            bins[j][i] = code;
            return true;
        }
        double pMissing = column.MissingTree is { } mt ? MissingShare(mt.LeafSpan(mt.LeafOf(bins, _categorical, i))) : 0;
        double missingMass = c.AllowMissing ? pMissing : 0, presentMass = (1 - pMissing) * _leafMass[j]![leaf];
        double r = random.NextDouble() * _bound[j];
        if (r >= missingMass + presentMass) return false;
        if (r < missingMass)
        {
            missing[j][i] = true;
            bins[j][i] = column.MissingBin;
            return true;
        }
        double v = CartLeafRestriction.Draw(random, column.Tree.LeafSpan(leaf), _jitter, column.Low, column.High, c.Intervals);
        values[j]![i] = v;
        bins[j][i] = CartColumn.BinOf(v, column.Edges);
        return true;
    }

    private double ValueMass(CartColumn column, ColumnConstraint c, ReadOnlySpan<double> span)
    {
        if (column.Kind != EncodedKind.Discrete) return CartLeafRestriction.Mass(span, _jitter, column.Low, column.High, c.Intervals);
        double allowed = 0;
        for (int k = 0; k < span.Length; k++) if (c.AllowedCodes![k]) allowed += span[k] - (k > 0 ? span[k - 1] : 0);
        return allowed / span[^1];
    }

    private static double MissingShare(ReadOnlySpan<double> span) => (span[1] - span[0]) / span[1];

    /// <summary>The bins of a conditioned column its conditions allow (value bins meeting an allowed interval, and the missing bin).</summary>
    private static bool[] AllowedBins(CartColumn column, ColumnConstraint c)
    {
        if (column.Kind == EncodedKind.Discrete) return c.AllowedCodes!;
        var allowed = new bool[column.BinCount];
        allowed[column.MissingBin] = c.AllowMissing;
        var edges = column.Edges;
        for (int b = 0; b < column.BinCount - 1; b++)
        {
            // Bin b holds (edges[b−1], edges[b]] within the robust range.
            var bin = new Interval(b == 0 ? column.Low : Math.Max(column.Low, Math.BitIncrement(edges[b - 1])), b < edges.Length ? Math.Min(column.High, edges[b]) : column.High);
            allowed[b] = c.Intervals.Any(iv => !iv.Intersect(bin).IsEmpty);
        }
        return allowed;
    }

    /// <summary>The leaves a row can reach when every conditioned feature takes only allowed bins.</summary>
    private IEnumerable<int> Reachable(CartTree tree, bool[][] allowedBins)
    {
        var stack = new Stack<int>();
        stack.Push(0);
        while (stack.Count > 0)
        {
            int node = stack.Pop(), f = tree.Feature[node];
            if (f < 0) { yield return tree.Left[node]; continue; }
            if (allowedBins[f] is not { } allowed) { stack.Push(tree.Right[node]); stack.Push(tree.Left[node]); continue; }
            bool left = false, right = false;
            for (int b = 0; b < allowed.Length; b++)
            {
                if (!allowed[b]) continue;
                if (_categorical[f] ? tree.CategoryLeft[tree.Split[node] + b] != 0 : b <= tree.Split[node]) left = true; else right = true;
            }
            if (right) stack.Push(tree.Right[node]);
            if (left) stack.Push(tree.Left[node]);
        }
    }

    private Table Assemble(List<Block> blocks, int rows, ulong seed, SampleContext context)
    {
        var columns = _model.Columns;
        int m = columns.Length;
        var values = new double[]?[m];
        var codes = new int[]?[m];
        var missing = new bool[m][];
        for (int j = 0; j < m; j++)
        {
            missing[j] = new bool[rows];
            if (columns[j].Kind == EncodedKind.Discrete) codes[j] = new int[rows]; else values[j] = new double[rows];
        }
        int o = 0;
        foreach (var block in blocks)
            foreach (int i in block.Accepted)
            {
                if (o == rows) break;
                for (int j = 0; j < m; j++)
                {
                    missing[j][o] = block.Missing[j][i];
                    if (codes[j] is { } cj) cj[o] = block.Codes[j]![i]; else values[j]![o] = block.Values[j]![i];
                }
                o++;
            }
        var encoded = new EncodedColumn[m];
        for (int j = 0; j < m; j++)
        {
            var mask = Bitmask.FromBools(missing[j]);
            encoded[j] = columns[j].Kind == EncodedKind.Discrete
                ? EncodedColumn.Discrete(columns[j].Name, codes[j]!, columns[j].Cardinality, mask)
                : EncodedColumn.Continuous(columns[j].Name, values[j]!, mask);
        }
        var conditioned = _constraints.OfType<ColumnConstraint>().Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return _model.Encoding.Decode(new EncodedTable(encoded, rows), SeededRandom.Derive(seed, ulong.MaxValue), context.MaxThreads, conditioned);
    }

    private static TabTwinException Unreachable(int rows, string conditions, long drawn, int accepted, long budget)
    {
        double rate = drawn == 0 ? 0 : accepted / (double)drawn;
        return new TabTwinException("sampling.condition-unreachable",
            FormattableString.Invariant($"Could not sample {rows:N0} rows where {conditions}: the cart model kept {accepted:N0} of {drawn:N0} candidates (acceptance {rate:P4}), too few for the budget of {budget:N0} candidates; the conditions are possible one by one but (almost) never together under the model."),
            hint: "Loosen or drop one of the conditions.");
    }
}
