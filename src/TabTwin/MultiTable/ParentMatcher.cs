using TabTwin.Randomness;
using TabTwin.Tables;

namespace TabTwin.MultiTable;

/// <summary>
/// Assigns a child's other parents (references): every synthetic child row carries synthetic values of that parent's
/// columns (drawn with the child, so they keep the real association — a long flight gets the coordinates of a far
/// airport); it is matched to the synthetic parent row nearest on those columns. Each parent row has a capacity, its
/// own sampled number of children for this key, so the children-per-parent shape holds too: rows are visited in a
/// seeded random order and take the nearest parent with capacity left (the nearest of 1,024 random candidates with
/// capacity when there are more than 2,048 parents). Distance per column: numbers and dates |a − b| / the parent
/// column's standard deviation, capped at 4; other values 0 when equal, 1 otherwise; missing against present 1.
/// </summary>
internal static class ParentMatcher
{
    private const int FullScanParents = 2048;
    private const int Candidates = 1024;

    /// <summary>
    /// The parent row of each row of <paramref name="child"/> (−1 = none): <paramref name="joined"/> are the child's columns
    /// holding the parent's values, matched with the parent's <paramref name="from"/>; <paramref name="capacity"/> is each
    /// parent row's sampled count (null = no limit: always the nearest); <paramref name="present"/> says which child rows get a parent at all
    /// (null = all); with <paramref name="distinct"/>, rows of one <paramref name="group"/> (their primary parent) never take
    /// one parent twice. Seeded by <paramref name="seed"/>. With <paramref name="allowed"/>, only those parent rows are taken
    /// (a group that finds none left takes the nearest allowed one again; the caller's unique-key repair moves its key).
    /// With <paramref name="acyclic"/> the child and parent tables are one (a self-reference): a row never takes itself or
    /// a row below it, so the result is a forest (a row that finds no such parent keeps −1).
    /// </summary>
    public static int[] Match(Table child, string[] joined, Table parent, string[] from, double[]? capacity, bool[]? present,
        int[]? group, bool distinct, ulong seed, bool[]? allowed = null, bool acyclic = false)
    {
        int n = child.RowCount, p = parent.RowCount, f = joined.Length;
        var result = new int[n];
        Array.Fill(result, -1);
        if (p == 0 || n == 0) return result;
        var (parentFeatures, childFeatures, numeric) = Features(child, joined, parent, from);
        var random = new SeededRandom(seed);
        var order = Enumerable.Range(0, n).Where(i => present is null || present[i]).ToArray();
        random.Shuffle<int>(order);
        var caps = Capacities(capacity, p, order.Length);
        var available = Enumerable.Range(0, p).Where(j => caps[j] > 0 && (allowed is null || allowed[j])).ToArray();
        var position = new int[p];
        Array.Fill(position, -1);
        for (int k = 0; k < available.Length; k++) position[available[k]] = k;
        int availableCount = available.Length;
        var used = distinct && group is not null ? new HashSet<long>() : null;
        // Self-reference: up[r] leads towards the root of r's tree; i (not yet assigned, so a root) may take j unless j is below i.
        var up = acyclic ? Enumerable.Range(0, n).ToArray() : null;
        bool Cycle(int i, int j) => up is not null && Root(up, j) == i;
        IEnumerable<int> Allowed() => Enumerable.Range(0, p).Where(j => allowed is null || allowed[j]);
        int Nearest(int i, IEnumerable<int> candidates, bool respectGroup)
        {
            int nearest = -1;
            double nearestDistance = double.PositiveInfinity;
            foreach (int j in candidates)
            {
                double d = Distance(childFeatures, i, parentFeatures, j, f, numeric, nearestDistance);
                if (d < nearestDistance && !(respectGroup && Taken(used, group, i, j)) && !Cycle(i, j)) { nearestDistance = d; nearest = j; }
            }
            return nearest;
        }

        foreach (int i in order)
        {
            int best = -1;
            double bestDistance = double.PositiveInfinity;
            if (availableCount > 0)
            {
                bool full = availableCount <= FullScanParents;
                int tries = full ? availableCount : Candidates;
                for (int t = 0; t < tries; t++)
                {
                    int j = available[full ? t : random.NextInt(availableCount)];
                    double d = Distance(childFeatures, i, parentFeatures, j, f, numeric, bestDistance);
                    if (d < bestDistance && !Taken(used, group, i, j) && !Cycle(i, j)) { bestDistance = d; best = j; }
                }
            }
            // Fallbacks, each a full scan: hubs keep their capacities even if this group has the parent (the caller's key repair
            // moves the repeat); then every parent is full (or taken by this group): the nearest one regardless of capacity;
            // then every allowed parent is taken by this group: the nearest allowed one again.
            if (best < 0 && allowed is not null) best = Nearest(i, available.Take(availableCount), respectGroup: false);
            if (best < 0) best = Nearest(i, Allowed(), respectGroup: true);
            if (best < 0 && allowed is not null) best = Nearest(i, Allowed(), respectGroup: false);
            if (best < 0) continue;
            result[i] = best;
            if (up is not null) up[i] = best;
            if (group is not null && group[i] >= 0) used?.Add(((long)group[i] << 32) | (uint)best);
            if (position[best] >= 0 && --caps[best] == 0)
            {
                int k = position[best], last = available[--availableCount];
                available[k] = last;
                position[last] = k;
                position[best] = -1;
            }
        }
        return result;
    }

    private static int Root(int[] up, int r)
    {
        while (up[r] != r) r = up[r] = up[up[r]];
        return r;
    }


    private static bool Taken(HashSet<long>? used, int[]? group, int i, int j) => used is not null && used.Contains(((long)group![i] << 32) | (uint)j);

    private static double Distance(double[] child, int i, double[] parent, int j, int f, bool[] numeric, double stopAbove)
    {
        double d = 0;
        int ci = i * f, pj = j * f;
        for (int k = 0; k < f && d < stopAbove; k++)
        {
            double a = child[ci + k], b = parent[pj + k];
            if (double.IsNaN(a) || double.IsNaN(b)) d += double.IsNaN(a) && double.IsNaN(b) ? 0 : 1;
            else if (numeric[k]) d += Math.Min(Math.Abs(a - b), 4);
            else d += a == b ? 0 : 1;
        }
        return d;
    }

    /// <summary>Integer capacities proportional to the sampled counts, summing to <paramref name="total"/> (largest remainders).</summary>
    private static int[] Capacities(double[]? counts, int parents, int total)
    {
        if (counts is null) return Enumerable.Repeat(int.MaxValue, parents).ToArray();   // no capacity: always the nearest parent
        var weights = new double[parents];
        double sum = 0;
        for (int j = 0; j < parents; j++) sum += weights[j] = counts is null ? 1 : Math.Max(0, double.IsFinite(counts[j]) ? counts[j] : 0);
        if (sum <= 0) { Array.Fill(weights, 1); sum = parents; }
        var caps = new int[parents];
        var remainders = new double[parents];
        int given = 0;
        for (int j = 0; j < parents; j++)
        {
            double exact = weights[j] * total / sum;
            caps[j] = (int)Math.Floor(exact);
            remainders[j] = exact - caps[j];
            given += caps[j];
        }
        foreach (int j in Enumerable.Range(0, parents).OrderByDescending(j => remainders[j]).ThenBy(j => j).Take(Math.Max(0, total - given))) caps[j]++;
        return caps;
    }

    /// <summary>Row-major features (NaN = missing): numbers and dates scaled by the parent column's spread, other values as codes of the parent's values.</summary>
    private static (double[] Parent, double[] Child, bool[] Numeric) Features(Table child, string[] joined, Table parent, string[] from)
    {
        int f = joined.Length, n = child.RowCount, p = parent.RowCount;
        var pf = new double[p * f];
        var cf = new double[n * f];
        var numeric = new bool[f];
        for (int k = 0; k < f; k++)
        {
            var pc = parent[from[k]];
            var cc = child[joined[k]];
            if (AsNumbers(pc) is { } pv && AsNumbers(cc) is { } cv)
            {
                numeric[k] = true;
                double scale = Spread(pv);
                for (int j = 0; j < p; j++) pf[j * f + k] = pv[j] / scale;
                for (int i = 0; i < n; i++) cf[i * f + k] = cv[i] / scale;
                continue;
            }
            var codes = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int j = 0; j < p; j++)
                pf[j * f + k] = pc.FormatValue(j) is { } s ? (codes.TryGetValue(s, out int c) ? c : codes[s] = codes.Count) : double.NaN;
            for (int i = 0; i < n; i++)
                cf[i * f + k] = cc.FormatValue(i) is { } s ? (codes.TryGetValue(s, out int c) ? c : -1) : double.NaN;
        }
        return (pf, cf, numeric);
    }

    private static double[]? AsNumbers(Column column)
    {
        var values = new double[column.Length];
        switch (column)
        {
            case NumericColumn num: for (int i = 0; i < values.Length; i++) values[i] = num.IsMissing(i) ? double.NaN : num[i]; break;
            case DateTimeColumn dt: for (int i = 0; i < values.Length; i++) values[i] = dt.IsMissing(i) ? double.NaN : dt.Ticks[i]; break;
            default: return null;
        }
        return values;
    }

    private static double Spread(double[] values)
    {
        double sum = 0, sq = 0;
        int count = 0;
        foreach (double v in values) if (!double.IsNaN(v)) { sum += v; sq += v * v; count++; }
        if (count < 2) return 1;
        double mean = sum / count, variance = Math.Max(0, sq / count - mean * mean);
        return variance > 0 ? Math.Sqrt(variance) : 1;
    }
}
