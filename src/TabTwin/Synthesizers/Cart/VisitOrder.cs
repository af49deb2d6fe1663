namespace TabTwin.Synthesizers.Cart;

/// <summary>
/// The automatic visiting order. CART synthesizes column k from columns 0..k−1, so a column should come after
/// the columns that explain it. Heuristic (cheap, deterministic): start with the discrete column of fewest
/// categories (its marginal is the easiest to sample well), then repeatedly take the unvisited column whose
/// entropy is best explained by a single visited column, i.e. the largest max over visited v of MI(u, v) / H(u),
/// measured on the same bins the trees split on. Ties go to the earlier column. Columns given as a prefix are visited
/// first, in their order, and the heuristic continues from them.
/// </summary>
internal static class VisitOrder
{
    public static int[] Choose(BinnedTable data) => Choose(data, []);

    public static int[] Choose(BinnedTable data, int[] prefix)
    {
        int m = data.Bins.Length;
        if (m == 0) return [];
        var entropy = new double[m];
        for (int j = 0; j < m; j++) entropy[j] = Entropy(data.Bins[j], data.BinCounts[j], data.RowCount);
        var mi = new double[m, m];
        for (int a = 0; a < m; a++)
            for (int b = a + 1; b < m; b++)
                mi[a, b] = mi[b, a] = MutualInformation(data, a, b, entropy);
        return Choose(entropy, mi, data.Categorical, data.BinCounts, prefix);
    }

    /// <summary>The order from each column's entropy and each pair's mutual information (a streaming fit counts them in a pass).</summary>
    public static int[] Choose(double[] entropy, double[,] mi, bool[] categorical, int[] binCounts, int[] prefix)
    {
        int m = entropy.Length;
        if (m == 0) return [];
        var visited = new List<int>(m);
        var explained = new double[m];
        foreach (int j in prefix) Visit(j);
        if (visited.Count == 0)
            Visit(Enumerable.Range(0, m).OrderBy(j => categorical[j] ? 0 : 1).ThenBy(j => binCounts[j]).First());
        while (visited.Count < m)
        {
            int best = -1;
            for (int j = 0; j < m; j++)
                if (!visited.Contains(j) && (best < 0 || explained[j] > explained[best])) best = j;
            Visit(best);
        }
        return visited.ToArray();

        void Visit(int j)
        {
            visited.Add(j);
            for (int u = 0; u < m; u++)
                explained[u] = Math.Max(explained[u], entropy[u] > 0 ? mi[u, j] / entropy[u] : 1);
        }
    }

    private static double Entropy(int[] bins, int binCount, int n)
    {
        var counts = new int[binCount];
        foreach (int b in bins) counts[b]++;
        return Entropy(counts, n);
    }

    /// <summary>The entropy of <paramref name="n"/> rows counted per cell (in cell order, so a streamed count gives the same bits).</summary>
    public static double Entropy(ReadOnlySpan<int> counts, int n)
    {
        double h = 0;
        foreach (int c in counts) if (c > 0) { double p = c / (double)n; h -= p * Math.Log(p); }
        return h;
    }

    /// <summary>MI(a, b) = H(a) + H(b) − H(a, b).</summary>
    private static double MutualInformation(BinnedTable data, int a, int b, double[] entropy)
    {
        int wb = data.BinCounts[b], n = data.RowCount;
        var joint = new int[data.BinCounts[a] * wb];
        int[] x = data.Bins[a], y = data.Bins[b];
        for (int i = 0; i < n; i++) joint[x[i] * wb + y[i]]++;
        return Math.Max(0, entropy[a] + entropy[b] - Entropy(joint, n));
    }
}
