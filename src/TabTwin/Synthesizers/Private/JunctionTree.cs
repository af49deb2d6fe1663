namespace TabTwin.Synthesizers.Private;

/// <summary>
/// The junction tree of a graphical model whose factors are the measured cliques (Private-PGM's structure, McKenna et
/// al. 2019): the graph joining every pair of variables that share a measured clique is triangulated by greedy
/// elimination (each step removes the variable whose neighbourhood makes the smallest table), the elimination cliques
/// that are maximal become the tree's nodes, and a maximum spanning tree over separator sizes joins them (running
/// intersection holds for a chordal graph). A forest is joined with empty separators, so every variable is covered.
/// Node 0 is the root; <see cref="Order"/> lists nodes parents-first.
/// </summary>
internal sealed class JunctionTree
{
    public JunctionTree(IReadOnlyList<int> domainSizes, IEnumerable<Clique> measured)
    {
        ArgumentNullException.ThrowIfNull(domainSizes);
        ArgumentNullException.ThrowIfNull(measured);
        DomainSizes = domainSizes;
        Nodes = [.. MaximalFamilies(domainSizes, measured).Select(f => new Clique(f, domainSizes))];

        // Maximum spanning tree (Prim from node 0) on separator sizes; ties broken by node index.
        int n = Nodes.Count;
        Parent = new int[n];
        Array.Fill(Parent, -1);
        var inTree = new bool[n];
        var order = new List<int> { 0 };
        inTree[0] = true;
        while (order.Count < n)
        {
            int bestChild = -1, bestParent = -1, bestWeight = -1;
            foreach (int p in order)
                for (int c = 0; c < n; c++)
                {
                    if (inTree[c]) continue;
                    int weight = Nodes[p].Variables.Count(Nodes[c].Contains);
                    if (weight > bestWeight) { bestWeight = weight; bestChild = c; bestParent = p; }
                }
            Parent[bestChild] = bestParent;
            inTree[bestChild] = true;
            order.Add(bestChild);
        }
        Order = [.. order];
        Separators = new Clique[n];
        ToSeparator = new int[n][];
        for (int c = 0; c < n; c++)
        {
            var shared = Parent[c] < 0 ? [] : Nodes[c].Variables.Where(Nodes[Parent[c]].Contains).ToArray();
            Separators[c] = new Clique(shared, domainSizes);
            ToSeparator[c] = Nodes[c].MapTo(Separators[c]);
        }
        ParentToSeparator = new int[n][];
        for (int c = 0; c < n; c++) ParentToSeparator[c] = Parent[c] < 0 ? [] : Nodes[Parent[c]].MapTo(Separators[c]);
    }

    public IReadOnlyList<int> DomainSizes { get; }
    /// <summary>The maximal cliques.</summary>
    public IReadOnlyList<Clique> Nodes { get; }
    /// <summary>Parent of each node (−1 for the root).</summary>
    public int[] Parent { get; }
    /// <summary>Nodes, every parent before its children.</summary>
    public int[] Order { get; }
    /// <summary>The separator between a node and its parent (empty for the root or a joined forest).</summary>
    public Clique[] Separators { get; }
    /// <summary>Map from a node's cells to its separator's cells.</summary>
    public int[][] ToSeparator { get; }
    /// <summary>Map from a node's parent's cells to the node's separator's cells.</summary>
    public int[][] ParentToSeparator { get; }

    /// <summary>Total cells over all nodes: the memory and time one belief-propagation pass costs.</summary>
    public long TotalCells => Nodes.Sum(c => (long)c.Cells);

    /// <summary>The node that contains every variable of <paramref name="clique"/>, smallest first; −1 when none does.</summary>
    public int NodeContaining(Clique clique)
    {
        int best = -1;
        for (int i = 0; i < Nodes.Count; i++)
            if (Nodes[i].ContainsAll(clique) && (best < 0 || Nodes[i].Cells < Nodes[best].Cells)) best = i;
        return best;
    }

    /// <summary>
    /// The tree's nodes as variable lists: the graph joining every pair of variables that share a measured clique,
    /// triangulated by greedy elimination, keeping the elimination cliques no other one contains. No tables are built,
    /// so a size check (<see cref="CellsWith"/>) costs no memory even for a model that would be too large.
    /// </summary>
    private static List<int[]> MaximalFamilies(IReadOnlyList<int> domainSizes, IEnumerable<Clique> measured)
    {
        int d = domainSizes.Count;
        var neighbours = Enumerable.Range(0, d).Select(_ => new HashSet<int>()).ToArray();
        foreach (var c in measured)
            foreach (int a in c.Variables)
                foreach (int b in c.Variables)
                    if (a != b) neighbours[a].Add(b);

        // Greedy elimination by the size of the table each elimination creates (ties: lowest variable, for a fixed tree).
        var eliminated = new bool[d];
        var eliminationCliques = new List<int[]>();
        for (int step = 0; step < d; step++)
        {
            int best = -1;
            long bestCost = long.MaxValue;
            for (int v = 0; v < d; v++)
            {
                if (eliminated[v]) continue;
                long cost = Clique.CellCount(neighbours[v].Append(v), domainSizes);
                if (cost < bestCost) { bestCost = cost; best = v; }
            }
            var family = neighbours[best].Append(best).ToArray();
            eliminationCliques.Add(family);
            foreach (int a in neighbours[best])
                foreach (int b in neighbours[best])
                    if (a != b) neighbours[a].Add(b);
            foreach (int a in neighbours[best]) neighbours[a].Remove(best);
            neighbours[best].Clear();
            eliminated[best] = true;
        }
        // A node is an elimination clique no other one contains (of equal ones, the first is kept).
        var families = eliminationCliques.Select(f => f.Order().ToArray()).ToList();
        var maximal = new List<int[]>();
        for (int i = 0; i < families.Count; i++)
        {
            bool dominated = false;
            for (int j = 0; j < families.Count && !dominated; j++)
                dominated = j != i && (families[j].Length > families[i].Length || j < i) && families[i].All(families[j].Contains);
            if (!dominated) maximal.Add(families[i]);
        }
        return maximal;
    }

    /// <summary>Total cells of the junction tree of <paramref name="measured"/> (AIM's model-size limit), without building it.</summary>
    public static long CellsWith(IReadOnlyList<int> domainSizes, IEnumerable<Clique> measured) =>
        MaximalFamilies(domainSizes, measured).Sum(f => Clique.CellCount(f, domainSizes));
}
