using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Private;

/// <summary>
/// MST's domain compression (McKenna, Miklau, Sheldon 2021), decided from a column's noisy one-way counts only, so it
/// is post-processing. Labels: each value whose noisy count clears 3σ keeps a code; the others share one. Number bins
/// (ordered): neighbouring bins are merged until each group holds a 1/<see cref="NumberGroups"/> share of the rows, so a
/// pair of number columns is a table of at most ~32×32 cells whatever the binning. A group is decoded to one of its
/// original codes in proportion to their clipped noisy counts (uniformly when none is positive).
/// </summary>
internal sealed class DomainCompression
{
    public const int NumberGroups = 32;
    /// <summary>Rows per seeded stream when groups are expanded to codes.</summary>
    private const int BlockRows = 2048;
    /// <summary>Most codes a label column keeps after compression (the rest share one).</summary>
    public const int MaxLabelGroups = 64;

    private DomainCompression(int[] fineToGroup, double[][] cumulative, int[][] members)
    {
        FineToGroup = fineToGroup;
        Cumulative = cumulative;
        Members = members;
    }

    /// <summary>Group of each original code.</summary>
    public int[] FineToGroup { get; }
    /// <summary>Per group, cumulative decoding weights over <see cref="Members"/>.</summary>
    public double[][] Cumulative { get; }
    /// <summary>Per group, its original codes.</summary>
    public int[][] Members { get; }
    public int Size => Members.Length;

    /// <summary>Compression of a column from its noisy one-way counts (σ = the noise's standard deviation).</summary>
    public static DomainCompression Build(double[] noisy, double sigma, bool ordered, int missingCode)
    {
        var weights = noisy.Select(c => Math.Max(0, c)).ToArray();
        var groups = new List<List<int>>();
        if (ordered)
        {
            // The missing code is not a bin: it is kept apart (its own group when it clears 3σ, else with the thinnest).
            double total = weights.Where((_, k) => k != missingCode).Sum();
            double target = Math.Max(3 * sigma, total / NumberGroups);
            var current = new List<int>();
            double mass = 0;
            for (int k = 0; k < noisy.Length; k++)
            {
                if (k == missingCode) continue;
                current.Add(k);
                mass += weights[k];
                if (mass >= target) { groups.Add(current); current = []; mass = 0; }
            }
            if (current.Count > 0)
            {
                if (groups.Count > 0) groups[^1].AddRange(current); else groups.Add(current);
            }
            if (noisy[missingCode] >= 3 * sigma) groups.Add([missingCode]);
            else groups[^1].Add(missingCode);
        }
        else
        {
            // At most MaxLabelGroups − 1 values keep a code of their own (the most frequent, by noisy count), so a pair
            // table stays small enough for the estimator whatever the column's cardinality.
            var kept = Enumerable.Range(0, noisy.Length).Where(k => noisy[k] >= 3 * sigma)
                .OrderByDescending(k => noisy[k]).ThenBy(k => k).Take(MaxLabelGroups - 1).Order().ToList();
            foreach (int k in kept) groups.Add([k]);
            var rare = Enumerable.Range(0, noisy.Length).Except(kept).ToList();
            if (rare.Count > 0) groups.Add(rare);
        }
        var fineToGroup = new int[noisy.Length];
        var members = groups.Select(g => g.Order().ToArray()).ToArray();
        var cumulative = new double[members.Length][];
        for (int g = 0; g < members.Length; g++)
        {
            foreach (int k in members[g]) fineToGroup[k] = g;
            // A group of thin values is decoded uniformly: their noisy counts are mostly noise. In a group with a value
            // that clears 3σ, the values below it get none of the group's rows (a column without missing values would
            // otherwise get a few from the noise on its "missing" count).
            bool thin = members[g].All(k => noisy[k] < 3 * sigma);
            var w = members[g].Select(k => thin ? 1 : noisy[k] >= 3 * sigma ? weights[k] : 0).ToArray();
            if (!(w.Sum() > 0)) Array.Fill(w, 1);
            double sum = 0;
            cumulative[g] = [.. w.Select(x => sum += x)];
        }
        return new DomainCompression(fineToGroup, cumulative, members);
    }

    /// <summary>
    /// No compression: every code its own group (AIM's, as private-pgm's AIM: the graphical model estimates thin codes from
    /// their noisy counts and the pairs measured, where a shared group would decode them uniformly).
    /// </summary>
    public static DomainCompression Identity(int size) =>
        new([.. Enumerable.Range(0, size)], [.. Enumerable.Range(0, size).Select(_ => new[] { 1.0 })], [.. Enumerable.Range(0, size).Select(k => new[] { k })]);

    /// <summary>Rebuilds a compression from stored groups and weights (model files), checking they form a partition.</summary>
    public static DomainCompression? TryRestore(int fineSize, int[][] members, double[][] cumulative)
    {
        if (members.Length == 0 || members.Length != cumulative.Length) return null;
        var fineToGroup = Enumerable.Repeat(-1, fineSize).ToArray();
        for (int g = 0; g < members.Length; g++)
        {
            if (members[g].Length == 0 || members[g].Length != cumulative[g].Length || !(cumulative[g][^1] > 0)) return null;
            foreach (int k in members[g])
            {
                if ((uint)k >= (uint)fineSize || fineToGroup[k] >= 0) return null;
                fineToGroup[k] = g;
            }
        }
        return fineToGroup.All(g => g >= 0) ? new DomainCompression(fineToGroup, cumulative, members) : null;
    }

    /// <summary>Compressed codes of a column's original codes.</summary>
    public int[] Compress(int[] codes) => [.. codes.Select(c => FineToGroup[c])];

    /// <summary>Original codes for sampled groups, drawn from the stream (seed, block) per block of rows.</summary>
    public int[] Expand(int[] groups, ulong seed)
    {
        var codes = new int[groups.Length];
        for (int start = 0, block = 0; start < groups.Length; start += BlockRows, block++)
        {
            var random = SeededRandom.For(seed, (ulong)block);
            int end = Math.Min(groups.Length, start + BlockRows);
            for (int i = start; i < end; i++)
            {
                var m = Members[groups[i]];
                codes[i] = m.Length == 1 ? m[0] : m[random.NextWeighted(Cumulative[groups[i]])];
            }
        }
        return codes;
    }
}
