using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Private;

/// <summary>
/// A discrete graphical model over a junction tree: one table of log-potentials per node, the distribution being
/// ∝ exp(Σ_nodes θ_node). Belief propagation (sum-product, in log space) turns the potentials into the calibrated
/// marginal of every node, scaled to <see cref="Total"/> rows. Immutable once built; sampling is thread-safe.
/// </summary>
internal sealed class GraphicalModel
{
    public GraphicalModel(JunctionTree tree, double[][] potentials, double total)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(potentials);
        if (potentials.Length != tree.Nodes.Count) throw new ArgumentException("One potential table per node is needed.");
        for (int i = 0; i < potentials.Length; i++)
            if (potentials[i].Length != tree.Nodes[i].Cells) throw new ArgumentException($"Potential {i} has the wrong size.");
        Tree = tree;
        Potentials = potentials;
        Total = total;
        Marginals = Calibrate(tree, potentials, total);
    }

    public JunctionTree Tree { get; }
    /// <summary>Log-potentials θ per node (not to be changed: the estimator builds a new model for each step).</summary>
    public double[][] Potentials { get; }
    /// <summary>The number of rows the marginals are scaled to.</summary>
    public double Total { get; }
    /// <summary>The calibrated marginal of every node, in expected counts (each sums to <see cref="Total"/>).</summary>
    public double[][] Marginals { get; }

    /// <summary>A model with every potential zero: the uniform distribution.</summary>
    public static GraphicalModel Uniform(JunctionTree tree, double total) =>
        new(tree, [.. tree.Nodes.Select(c => new double[c.Cells])], total);

    /// <summary>The marginal of <paramref name="clique"/> (which must lie inside one node), in expected counts.</summary>
    public double[] Project(Clique clique)
    {
        int node = Tree.NodeContaining(clique);
        if (node < 0) throw new InvalidOperationException($"No junction-tree node contains {clique}.");
        return Clique.Marginalize(Marginals[node], Tree.Nodes[node].MapTo(clique), clique.Cells);
    }

    /// <summary>
    /// The marginal of any one or two variables, even two in different nodes: along the tree path from a node holding
    /// the first to one holding the second, the path's joint is μ_start · Π μ_node / μ_separator (a path of a junction
    /// tree is one), so the first variable is carried node to node with the separators summed out on the way.
    /// </summary>
    public double[] ProjectAny(Clique clique)
    {
        if (Tree.NodeContaining(clique) >= 0) return Project(clique);
        if (clique.Variables.Length != 2) throw new InvalidOperationException($"Only pairs can be projected across nodes ({clique}).");
        var sizes = Tree.DomainSizes;
        int a = clique.Variables[0], b = clique.Variables[1];
        int start = Tree.NodeContaining(new Clique([a], sizes)), end = Tree.NodeContaining(new Clique([b], sizes));
        var path = Path(start, end);
        // carried: a table over {a} ∪ (separator towards the next node), in expected counts.
        var current = Tree.Nodes[path[0]];
        var next = new Clique([a, .. SharedWith(path[0], path[1])], sizes);
        var carried = Clique.Marginalize(Marginals[path[0]], current.MapTo(next), next.Cells);
        var carriedClique = next;
        for (int k = 1; k < path.Count; k++)
        {
            var node = Tree.Nodes[path[k]];
            var separator = new Clique(SharedWith(path[k - 1], path[k]), sizes);
            var nodeToSeparator = node.MapTo(separator);
            var separatorMass = Clique.Marginalize(Marginals[path[k]], nodeToSeparator, separator.Cells);
            var union = new Clique([a, .. node.Variables], sizes);
            var toCarried = union.MapTo(carriedClique);
            var toNode = union.MapTo(node);
            var keep = k == path.Count - 1 ? clique : new Clique([a, .. SharedWith(path[k], path[k + 1])], sizes);
            var toKeep = union.MapTo(keep);
            var result = new double[keep.Cells];
            var nodeToSeparatorCell = nodeToSeparator;
            for (int u = 0; u < union.Cells; u++)
            {
                int n = toNode[u];
                double mass = separatorMass[nodeToSeparatorCell[n]];
                if (mass > 0) result[toKeep[u]] += carried[toCarried[u]] * Marginals[path[k]][n] / mass;
            }
            carried = result;
            carriedClique = keep;
        }
        return carried;
    }

    private int[] SharedWith(int node, int other) => [.. Tree.Nodes[node].Variables.Where(Tree.Nodes[other].Contains)];

    /// <summary>Nodes on the tree path from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    private List<int> Path(int from, int to)
    {
        var up = new List<int>();
        for (int x = from; x >= 0; x = Tree.Parent[x]) up.Add(x);
        var down = new List<int>();
        int meet = to;
        while (!up.Contains(meet)) { down.Add(meet); meet = Tree.Parent[meet]; }
        var path = up.Take(up.IndexOf(meet) + 1).ToList();
        down.Reverse();
        path.AddRange(down);
        return path;
    }

    private static double[][] Calibrate(JunctionTree tree, double[][] potentials, double total)
    {
        int n = tree.Nodes.Count;
        var beliefs = potentials.Select(p => (double[])p.Clone()).ToArray();
        var upward = new double[n][];
        // Upward (leaves to root): each node sends its separator's log-sum-exp to its parent.
        for (int k = n - 1; k >= 1; k--)
        {
            int c = tree.Order[k], p = tree.Parent[c];
            upward[c] = LogSumExp(beliefs[c], tree.ToSeparator[c], tree.Separators[c].Cells);
            AddAlong(beliefs[p], tree.ParentToSeparator[c], upward[c], 1);
        }
        // Downward (root to leaves): a child receives its parent's belief without its own upward message.
        for (int k = 1; k < n; k++)
        {
            int c = tree.Order[k], p = tree.Parent[c];
            var fromParent = LogSumExp(beliefs[p], tree.ParentToSeparator[c], tree.Separators[c].Cells);
            for (int s = 0; s < fromParent.Length; s++) fromParent[s] -= upward[c][s];
            AddAlong(beliefs[c], tree.ToSeparator[c], fromParent, 1);
        }
        var marginals = new double[n][];
        for (int c = 0; c < n; c++)
        {
            var b = beliefs[c];
            double max = b.Max(), sum = 0;
            var m = new double[b.Length];
            for (int i = 0; i < b.Length; i++) sum += m[i] = Math.Exp(b[i] - max);
            double scale = total / sum;
            for (int i = 0; i < m.Length; i++) m[i] *= scale;
            marginals[c] = m;
        }
        return marginals;
    }

    /// <summary>log Σ exp over the cells mapping to each target cell.</summary>
    internal static double[] LogSumExp(double[] table, int[] map, int targetCells)
    {
        var max = new double[targetCells];
        Array.Fill(max, double.NegativeInfinity);
        for (int i = 0; i < table.Length; i++) if (table[i] > max[map[i]]) max[map[i]] = table[i];
        var sum = new double[targetCells];
        for (int i = 0; i < table.Length; i++) sum[map[i]] += Math.Exp(table[i] - max[map[i]]);
        for (int s = 0; s < targetCells; s++) sum[s] = max[s] + Math.Log(sum[s]);
        return sum;
    }

    /// <summary>table[i] += factor·values[map[i]]: broadcasts a table over a subset into a node's table.</summary>
    internal static void AddAlong(double[] table, int[] map, double[] values, double factor)
    {
        for (int i = 0; i < table.Length; i++) table[i] += factor * values[map[i]];
    }

    /// <summary>
    /// <paramref name="rows"/> rows of codes (column-major), drawn node by node in the tree's order: the root's variables
    /// from its marginal, each child's new variables from its marginal given the separator's values. Draws are
    /// systematic (Private-PGM's way, one uniform offset per group): the rows that share a separator value are split
    /// over the new values in proportion to their conditional probabilities, as exactly as whole rows allow, instead of
    /// independently — independent draws would add multinomial noise (a 2-way TVD of ~0.06 on Adult's 40k rows) on top
    /// of the model's. Rows are then shuffled. One pass in a fixed order, on one thread: the same seed gives the same rows.
    /// </summary>
    public int[][] Sample(int rows, ulong seed, CancellationToken cancel = default)
    {
        int d = Tree.DomainSizes.Count;
        var columns = new int[d][];
        for (int v = 0; v < d; v++) columns[v] = new int[rows];
        var random = new SeededRandom(seed);
        foreach (int node in Tree.Order)
        {
            cancel.ThrowIfCancellationRequested();
            var conditional = BuildConditional(node);
            // Rows grouped by their separator cell, in row order within a group; each group shuffled before the split so
            // which rows get which value does not follow the order earlier nodes wrote them in.
            var groups = new Dictionary<int, List<int>>();
            for (int i = 0; i < rows; i++)
            {
                int s = conditional.Separator.CellOf(columns, i);
                if (!groups.TryGetValue(s, out var list)) groups[s] = list = [];
                list.Add(i);
            }
            foreach (var s in groups.Keys.Order())
            {
                var members = groups[s].ToArray();
                random.Shuffle<int>(members);
                conditional.Split(columns, s, members, random.NextDouble());
            }
        }
        // A final shuffle of whole rows: the output order carries nothing.
        var order = Enumerable.Range(0, rows).ToArray();
        random.Shuffle<int>(order);
        for (int v = 0; v < d; v++)
        {
            var shuffled = new int[rows];
            for (int i = 0; i < rows; i++) shuffled[i] = columns[v][order[i]];
            columns[v] = shuffled;
        }
        return columns;
    }

    private NodeConditional BuildConditional(int node)
    {
        var clique = Tree.Nodes[node];
        var separator = Tree.Separators[node];
        var fresh = clique.Variables.Where(v => !separator.Contains(v)).ToArray();
        var freshClique = new Clique(fresh, Tree.DomainSizes);
        var toFresh = clique.MapTo(freshClique);
        var toSeparator = Tree.ToSeparator[node];
        // cumulative[s·F + f] = Σ_{f' ≤ f} P(fresh = f' | separator = s): one cumulative row per separator cell.
        int f = freshClique.Cells;
        var cumulative = new double[separator.Cells * f];
        var marginal = Marginals[node];
        for (int cell = 0; cell < marginal.Length; cell++)
            cumulative[toSeparator[cell] * f + toFresh[cell]] += Math.Max(0, marginal[cell]);
        for (int s = 0; s < separator.Cells; s++)
        {
            double sum = 0;
            for (int k = 0; k < f; k++) cumulative[s * f + k] = sum += cumulative[s * f + k];
            if (!(sum > 0)) for (int k = 0; k < f; k++) cumulative[s * f + k] = k + 1;  // unseen context: uniform
        }
        return new NodeConditional(separator, freshClique, cumulative);
    }

    private sealed class NodeConditional(Clique separator, Clique fresh, double[] cumulative)
    {
        public Clique Separator => separator;

        /// <summary>
        /// Systematic sampling of the new variables for the rows of one separator cell: row k takes the value whose
        /// cumulative probability first exceeds (offset + k) / m, so each value gets its expected count ± 1.
        /// </summary>
        public void Split(int[][] columns, int separatorCell, int[] members, double offset)
        {
            int f = fresh.Cells, m = members.Length;
            var slice = cumulative.AsSpan(separatorCell * f, f);
            double total = slice[^1];
            int cell = 0;
            for (int k = 0; k < m; k++)
            {
                double target = (offset + k) / m * total;
                while (cell < f - 1 && slice[cell] <= target) cell++;
                for (int v = 0; v < fresh.Variables.Length; v++)
                    columns[fresh.Variables[v]][members[k]] = cell / fresh.Strides[v] % fresh.Sizes[v];
            }
        }
    }
}
