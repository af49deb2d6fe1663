using TabTwin.Generation.Sampling;
using TabTwin.Generation.Spec;
using TabTwin.Tables;

namespace TabTwin.Generation.Describe;

/// <summary>
/// Keeps the strongest associations a spec can express, as <c>dependsOn</c>/<c>cases</c> conditional columns arranged
/// in a forest (every column has at most one parent, so there are no cycles):
/// <list type="bullet">
/// <item>Categorical columns: a maximum spanning forest on Cramér's V (Chow–Liu style; only edges with V ≥ the
/// threshold), rooted where the fewest cases are needed; each child gets per-parent-category weights.</item>
/// <item>Numbers: the categorical column with the largest rank η (≥ the threshold) becomes the parent and each case a
/// self-bounded marginal (histogram, beta, uniform or constant) — but only when conditioning keeps the number's rank
/// correlations: generation correlates the within-case percentile, so a correlation carried by the category itself
/// (e.g. a number the category fixes) would be lost.</item>
/// </list>
/// The same privacy rules as the marginals hold: a parent category gets a case only with ≥ <see cref="DescribeOptions.CaseRows"/>
/// rows (at most <see cref="DescribeOptions.MaximumCases"/> cases; the rest share the default), a cell of a case is
/// published only with ≥ k rows (the rest pooled into "(other)" or dropped), and case weights are counts rounded to
/// multiples of k so that subtracting them from the column's weights cannot recover a small cell exactly.
/// </summary>
internal static class AssociationDescriber
{
    /// <summary>A case is left out when its weights are within this total-variation distance of the default (nothing to say).</summary>
    private const double SameAsDefault = 0.02;
    /// <summary>Largest change a number's conditioning may make to a rank correlation it has with another column.</summary>
    private const double CorrelationTolerance = 0.075;
    /// <summary>Integer columns with at most this many distinct values can also be a parent (cases keyed by the number, e.g. education-num → education).</summary>
    private const int MaximumNumberLevels = 30;
    private const double FaithfulNumber = 0.05;

    /// <summary>A column coded by its published labels (−1 = missing or not published); a number node is a parent only.</summary>
    private sealed record Node(int Index, string Name, string[] Labels, int[] Codes, int[] Cases, bool IsNumber = false);

    /// <summary>
    /// Replaces associated columns in <paramref name="columns"/> with conditional ones; returns, per numeric
    /// conditional column, the group (case) of every row, from which the correlation step takes within-case percentiles.
    /// </summary>
    public static Dictionary<string, int[]> Describe(Table table, List<ColumnSpec> columns, ISet<string> categoricalNames,
        DescribeOptions options, List<string> notes)
    {
        var groups = new Dictionary<string, int[]>(StringComparer.Ordinal);
        if (options.Associations == AssociationHandling.None) return groups;
        var nodes = columns.Select((c, i) => (c, i))
            .Where(x => categoricalNames.Contains(x.c.Name) && x.c.Missing < 1 && x.c.Distribution is Distribution.Categorical { Values.Count: >= 2 })
            .Select(x => CodeNode(table[x.c.Name], x.i, ((Distribution.Categorical)x.c.Distribution).Values.ToArray(), options))
            .ToList();
        var numbers = columns.Select((c, i) => (c, i))
            .Where(x => x.c.Missing < 1 && table[x.c.Name] is NumericColumn { IsInteger: true } && NumericMarginal.Supports(x.c.Distribution))
            .Select(x => NumberNode((NumericColumn)table[x.c.Name], x.c, x.i, options))
            .OfType<Node>().ToList();
        if (nodes.Count == 0) return groups;

        var parents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (parent, child, v) in CategoricalForest([.. nodes, .. numbers], options))
        {
            if (CategoricalChild(table[child.Name], columns[child.Index], parent, child, options) is not { } spec) continue;
            columns[child.Index] = spec;
            parents.Add(parent.Name);
            notes.Add($"{child.Name}: depends on {parent.Name} (Cramér's V {v:0.00}); {((Distribution.Conditional)spec.Distribution).Cases.Count} cases.");
        }
        // A number that is some category's parent stays a plain marginal (conditioning it as well could close a cycle).
        NumericChildren(table, columns, nodes, parents, options, notes, groups);
        return groups;
    }

    /// <summary>
    /// An integer column with few distinct values as a potential parent: its values with ≥ k rows are the labels. Only
    /// when its described marginal makes those values in their real proportions (total variation ≤ 0.05): the cases
    /// follow the generated number, so a number generated unlike the real one would skew its children.
    /// </summary>
    private static Node? NumberNode(NumericColumn column, ColumnSpec spec, int index, DescribeOptions options)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        int present = 0;
        for (int r = 0; r < column.Length; r++)
        {
            if (column.FormatValue(r) is not { } v) continue;
            counts[v] = counts.GetValueOrDefault(v) + 1;
            values[v] = column[r];
            present++;
            if (counts.Count > MaximumNumberLevels) return null;
        }
        var labels = counts.Where(kv => kv.Value >= options.MinimumCount).Select(kv => kv.Key).ToArray();
        if (labels.Length < 2) return null;
        NumericMarginal marginal;
        try { marginal = NumericMarginal.Create(spec.Distribution, spec.Min, spec.Max); }
        catch (SpecException) { return null; }
        double distance = 0, generatedOutside = 1, realOutside = 1;
        foreach (var label in labels)
        {
            double v = values[label], real = (double)counts[label] / present;
            double generated = marginal.IsDiscrete ? marginal.Cdf(v) - marginal.Cdf(v - 1) : marginal.Cdf(v + 0.5) - marginal.Cdf(v - 0.5);
            distance += Math.Abs(real - generated);
            realOutside -= real;
            generatedOutside -= generated;
        }
        distance = (distance + Math.Abs(realOutside - generatedOutside)) / 2;
        return distance > FaithfulNumber ? null : CodeNode(column, index, labels, options) with { IsNumber = true };
    }

    private static Node CodeNode(Column column, int index, string[] labels, DescribeOptions options)
    {
        var lookup = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        int other = lookup.GetValueOrDefault(options.OtherLabel, -1);
        var codes = new int[column.Length];
        var counts = new int[labels.Length];
        for (int r = 0; r < codes.Length; r++)
        {
            codes[r] = column.FormatValue(r) is { } v ? lookup.GetValueOrDefault(v, other) : -1;
            if (codes[r] >= 0) counts[codes[r]]++;
        }
        // Parent categories frequent enough for a case of their own, most frequent first.
        var cases = Enumerable.Range(0, labels.Length).Where(i => counts[i] >= options.CaseRows)
            .OrderByDescending(i => counts[i]).ThenBy(i => i).Take(options.MaximumCases).ToArray();
        return new Node(index, column.Name, labels, codes, cases);
    }

    /// <summary>Directed edges (parent, child, V) of the maximum spanning forest on Cramér's V, each tree rooted where it needs the fewest cases.</summary>
    private static List<(Node Parent, Node Child, double V)> CategoricalForest(List<Node> nodes, DescribeOptions options)
    {
        var edges = new List<(int A, int B, double V)>();
        for (int a = 0; a < nodes.Count; a++)
            for (int b = a + 1; b < nodes.Count; b++)
            {
                if ((nodes[a].Cases.Length == 0 && nodes[b].Cases.Length == 0) || (nodes[a].IsNumber && nodes[b].IsNumber)) continue;
                double v = AssociationMeasures.CramersV(nodes[a].Codes, nodes[a].Labels.Length, nodes[b].Codes, nodes[b].Labels.Length, options.CaseRows);
                if (v >= options.AssociationThreshold) edges.Add((a, b, v));
            }
        // Kruskal: strongest edges first, skipping any that would close a cycle.
        var root = Enumerable.Range(0, nodes.Count).ToArray();
        int Find(int i) => root[i] == i ? i : root[i] = Find(root[i]);
        var hasNumber = nodes.Select(n => n.IsNumber).ToArray();
        var tree = new List<(int A, int B, double V)>();
        foreach (var e in edges.OrderByDescending(e => e.V).ThenBy(e => e.A).ThenBy(e => e.B))
        {
            int ra = Find(e.A), rb = Find(e.B);
            // A number can only be a parent, so a tree holds at most one (its root).
            if (ra == rb || (hasNumber[ra] && hasNumber[rb])) continue;
            root[ra] = rb;
            hasNumber[rb] |= hasNumber[ra];
            tree.Add(e);
        }
        var result = new List<(Node, Node, double)>();
        foreach (var component in tree.SelectMany(e => new[] { e.A, e.B }).Distinct().GroupBy(Find))
        {
            var members = component.OrderBy(i => i).ToList();
            var links = tree.Where(e => Find(e.A) == component.Key).ToList();
            var roots = members.Any(i => nodes[i].IsNumber) ? members.Where(i => nodes[i].IsNumber) : members;
            var best = roots.Select(r => Orient(r, links, nodes)).Where(o => o is not null).MinBy(o => o!.Sum(x => nodes[x.Parent].Cases.Length));
            foreach (var (p, c, v) in best ?? []) result.Add((nodes[p], nodes[c], v));
        }
        return result;
    }

    /// <summary>The tree's edges directed away from <paramref name="root"/> (parents before children), or null when a parent would have no case.</summary>
    private static List<(int Parent, int Child, double V)>? Orient(int root, List<(int A, int B, double V)> links, List<Node> nodes)
    {
        var directed = new List<(int, int, double)>();
        var queue = new Queue<int>([root]);
        var seen = new HashSet<int> { root };
        while (queue.Count > 0)
        {
            int p = queue.Dequeue();
            foreach (var (a, b, v) in links.Where(e => e.A == p || e.B == p))
            {
                int c = a == p ? b : a;
                if (!seen.Add(c)) continue;
                if (nodes[p].Cases.Length == 0) return null;
                directed.Add((p, c, v));
                queue.Enqueue(c);
            }
        }
        return directed;
    }

    private static ColumnSpec? CategoricalChild(Column column, ColumnSpec spec, Node parent, Node child, DescribeOptions options)
    {
        var global = (Distribution.Categorical)spec.Distribution;
        var cases = new List<KeyValuePair<string, Distribution>>();
        var inCase = new bool[column.Length];
        foreach (int p in parent.Cases)
        {
            var rows = Enumerable.Range(0, column.Length).Where(r => parent.Codes[r] == p && child.Codes[r] >= 0).ToList();
            if (rows.Count < options.CaseRows || Weights(rows, child, options) is not { } weights) continue;
            if (TotalVariation(weights, global) < SameAsDefault) continue;
            cases.Add(new(parent.Labels[p], weights));
            foreach (int r in rows) inCase[r] = true;
        }
        if (cases.Count == 0) return null;
        var residual = Enumerable.Range(0, column.Length).Where(r => !inCase[r] && child.Codes[r] >= 0).ToList();
        // The default serves the rows whose parent has no case: their own weights (under the same cell rule), so the
        // column's marginal is kept; the column's overall weights only when none of their cells reaches k.
        var fallback = Weights(residual, child, options) ?? global;
        return spec with { Distribution = new Distribution.Conditional(parent.Name, cases, fallback) };
    }

    /// <summary>The child's published labels among <paramref name="rows"/>: cells of ≥ k rows, the rest pooled into the column's "(other)" or dropped, counts rounded to multiples of k.</summary>
    private static Distribution.Categorical? Weights(List<int> rows, Node child, DescribeOptions options)
    {
        var counts = new int[child.Labels.Length];
        foreach (int r in rows) counts[child.Codes[r]]++;
        double threshold = Math.Max(options.MinimumCount, options.MinimumShare * rows.Count);
        int other = Array.IndexOf(child.Labels, options.OtherLabel), pooled = 0;
        var values = new List<string>();
        var weights = new List<double>();
        for (int i = 0; i < counts.Length; i++)
        {
            if (i == other) { pooled += counts[i]; continue; }
            if (counts[i] < threshold) { pooled += counts[i]; continue; }
            values.Add(child.Labels[i]);
            weights.Add(Coarse(counts[i], options.MinimumCount));
        }
        // Pooled cells join the column's own "(other)" when it has one; a new "(other)" label would distort the marginal, so they are dropped instead.
        if (other >= 0 && pooled >= options.MinimumCount)
        {
            values.Add(options.OtherLabel);
            weights.Add(Coarse(pooled, options.MinimumCount));
        }
        return values.Count == 0 ? null : new Distribution.Categorical(values, weights);
    }

    private static double Coarse(int count, int k) => Math.Max(k, Math.Round((double)count / k, MidpointRounding.AwayFromZero) * k);

    private static double TotalVariation(Distribution.Categorical a, Distribution.Categorical b)
    {
        double sa = a.Weights.Sum(), sb = b.Weights.Sum(), distance = 0;
        foreach (var label in a.Values.Union(b.Values))
        {
            int ia = IndexOf(a.Values, label), ib = IndexOf(b.Values, label);
            distance += Math.Abs((ia < 0 ? 0 : a.Weights[ia] / sa) - (ib < 0 ? 0 : b.Weights[ib] / sb));
        }
        return distance / 2;
    }

    private static int IndexOf(IReadOnlyList<string> values, string label)
    {
        for (int i = 0; i < values.Count; i++) if (values[i] == label) return i;
        return -1;
    }

    /// <summary>Numbers explained by a category (largest rank η ≥ threshold) become conditional on it, when their rank correlations survive.</summary>
    private static void NumericChildren(Table table, List<ColumnSpec> columns, List<Node> nodes, ISet<string> parents, DescribeOptions options,
        List<string> notes, Dictionary<string, int[]> groups)
    {
        var numbers = columns.Select((c, i) => (c, i))
            .Where(x => x.c.Missing < 1 && !parents.Contains(x.c.Name) && table[x.c.Name] is NumericColumn && x.c.Distribution is not (Distribution.Constant or Distribution.Conditional)
                && x.c.Distribution.UsesUniform && SpecValidator.ValueKindOf(x.c.Distribution) == "number")
            .ToList();
        var ranked = columns.Where(c => c.Missing < 1 && c.Distribution.UsesUniform && c.Distribution is not Distribution.Categorical)
            .Select(c => (c.Name, Values: RankCorrelation.AsNumbers(table[c.Name]), table[c.Name].Missing))
            .Where(c => c.Values is not null).ToList();
        foreach (var (spec, index) in numbers)
        {
            var column = (NumericColumn)table[spec.Name];
            var values = column.Values.ToArray();
            var candidates = nodes.Where(n => n.Cases.Length > 0)
                .Select(n => (Node: n, Eta: AssociationMeasures.RankEta(n.Codes, n.Labels.Length, values, column.Missing, options.CaseRows)))
                .Where(x => x.Eta >= options.AssociationThreshold)
                .OrderByDescending(x => x.Eta).ThenBy(x => x.Node.Index);
            foreach (var (parent, eta) in candidates)
            {
                var group = CaseGroups(parent, column, options);
                if (group.Count(g => g >= 0 && g < parent.Cases.Length) == 0) continue;
                if (!KeepsCorrelations(column, values, group, eta, ranked, options)) continue;
                var conditional = NumericConditional(column, group, parent, options);
                columns[index] = new ColumnSpec(spec.Name, conditional) { Missing = spec.Missing, Round = spec.Round };
                groups[spec.Name] = group;
                notes.Add($"{spec.Name}: described per {parent.Name} (rank η {eta:0.00}); {conditional.Cases.Count} cases.");
                break;
            }
        }
    }

    /// <summary>
    /// The fewest values a number's case needs: enough that the clip quantiles leave k rows beyond each published
    /// bound (k / clip, 1,000 by default), so a case is clipped like the whole column and its tails are not cut further.
    /// </summary>
    private static int NumberCaseRows(DescribeOptions options) =>
        options.ClipQuantile > 0 ? Math.Max(options.CaseRows, (int)Math.Ceiling(options.MinimumCount / options.ClipQuantile)) : options.CaseRows;

    /// <summary>Each row's case: the index of its parent category among the cases, or Cases.Length (the default) otherwise.</summary>
    private static int[] CaseGroups(Node parent, NumericColumn column, DescribeOptions options)
    {
        var caseOf = Enumerable.Repeat(parent.Cases.Length, parent.Labels.Length).ToArray();
        for (int k = 0; k < parent.Cases.Length; k++) caseOf[parent.Cases[k]] = k;
        var group = new int[column.Length];
        var sizes = new int[parent.Cases.Length + 1];
        for (int r = 0; r < group.Length; r++)
        {
            group[r] = parent.Codes[r] < 0 ? parent.Cases.Length : caseOf[parent.Codes[r]];
            if (!column.Missing[r]) sizes[group[r]]++;
        }
        // A case whose present values are too few (the parent was counted with the number missing) joins the default.
        for (int r = 0; r < group.Length; r++) if (sizes[group[r]] < NumberCaseRows(options)) group[r] = parent.Cases.Length;
        return group;
    }

    /// <summary>
    /// Whether generating the number per case keeps its rank correlations: the copula correlates within-case
    /// percentiles, and mixing the cases dilutes that by about √(1 − η²), so that must stay close to the real ρ.
    /// </summary>
    private static bool KeepsCorrelations(NumericColumn column, double[] values, int[] group, double eta,
        List<(string Name, double[]? Values, Bitmask Missing)> ranked, DescribeOptions options)
    {
        if (!options.Correlations) return true;
        var within = AssociationMeasures.PercentileWithinGroup(values, column.Missing, group);
        foreach (var other in ranked.Where(o => o.Name != column.Name))
        {
            double overall = RankCorrelation.Spearman(values, column.Missing, other.Values!, other.Missing, options.MinimumCount);
            double conditional = RankCorrelation.Spearman(within, column.Missing, other.Values!, other.Missing, options.MinimumCount);
            if (Math.Abs(overall - conditional * Math.Sqrt(1 - eta * eta)) > CorrelationTolerance) return false;
        }
        return true;
    }

    private static Distribution.Conditional NumericConditional(NumericColumn column, int[] group, Node parent, DescribeOptions options)
    {
        var sink = new List<string>();
        Distribution Part(IEnumerable<int> rows)
        {
            var values = rows.Where(r => !column.Missing[r]).Select(r => column[r]).ToArray();
            var part = new NumericColumn(column.Name, values, null, column.IsInteger, column.DecimalPlaces);
            // The clip keeps at least k rows beyond each published bound, however small the case.
            var clipped = options with { ClipQuantile = Math.Min(0.49, Math.Max(options.ClipQuantile, (double)options.MinimumCount / values.Length)) };
            return NumericDescriber.Describe(part, clipped, sink, selfBounded: true).Distribution;
        }
        var cases = new List<KeyValuePair<string, Distribution>>();
        for (int k = 0; k < parent.Cases.Length; k++)
            if (group.Contains(k)) cases.Add(new(parent.Labels[parent.Cases[k]], Part(Enumerable.Range(0, group.Length).Where(r => group[r] == k))));
        var residual = Enumerable.Range(0, group.Length).Where(r => group[r] == parent.Cases.Length && !column.Missing[r]).ToList();
        var fallback = Part(residual.Count >= NumberCaseRows(options) ? residual : Enumerable.Range(0, group.Length));
        return new Distribution.Conditional(parent.Name, cases, fallback);
    }
}
