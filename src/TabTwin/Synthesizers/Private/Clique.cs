namespace TabTwin.Synthesizers.Private;

/// <summary>
/// A set of variables (sorted ascending) with their domain sizes, and the row-major layout of a table over them:
/// cell = Σ code[v]·stride[v], the last variable varying fastest. Marginals, potentials and measurements are all
/// dense tables over a clique.
/// </summary>
internal sealed class Clique : IEquatable<Clique>
{
    public Clique(int[] variables, IReadOnlyList<int> domainSizes)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(domainSizes);
        Variables = [.. variables.Distinct().Order()];
        Sizes = [.. Variables.Select(v => domainSizes[v])];
        Strides = new int[Variables.Length];
        long cells = 1;
        for (int k = Variables.Length - 1; k >= 0; k--)
        {
            Strides[k] = (int)cells;
            cells *= Sizes[k];
            if (cells > int.MaxValue) throw new ArgumentException($"A clique over {Variables.Length} variables is too large ({cells:N0}+ cells).");
        }
        Cells = (int)cells;
    }

    public int[] Variables { get; }
    public int[] Sizes { get; }
    public int[] Strides { get; }
    public int Cells { get; }

    public bool Contains(int variable) => Array.BinarySearch(Variables, variable) >= 0;
    public bool ContainsAll(Clique other) => other.Variables.All(Contains);

    /// <summary>Cells of this clique by a wider size count (for budget checks without building the table).</summary>
    public static long CellCount(IEnumerable<int> variables, IReadOnlyList<int> domainSizes) =>
        variables.Distinct().Aggregate(1L, (product, v) => product > int.MaxValue ? product : product * domainSizes[v]);

    /// <summary>The cell of row <paramref name="row"/> given every column's codes.</summary>
    public int CellOf(int[][] columns, int row)
    {
        int cell = 0;
        for (int k = 0; k < Variables.Length; k++) cell += columns[Variables[k]][row] * Strides[k];
        return cell;
    }

    /// <summary>Counts of each cell over the rows of <paramref name="columns"/> (the exact marginal, before any noise).</summary>
    public double[] Count(int[][] columns, int rows)
    {
        var counts = new double[Cells];
        for (int i = 0; i < rows; i++) counts[CellOf(columns, i)]++;
        return counts;
    }

    /// <summary>
    /// For every cell of this clique, the cell of <paramref name="subset"/> it falls into (subset ⊆ this).
    /// Summing a table along the map marginalises it; reading along the map broadcasts the subset's table.
    /// </summary>
    public int[] MapTo(Clique subset)
    {
        if (!ContainsAll(subset)) throw new ArgumentException("The subset is not contained in this clique.");
        var subStride = new int[Variables.Length];
        for (int k = 0; k < Variables.Length; k++)
        {
            int at = Array.BinarySearch(subset.Variables, Variables[k]);
            subStride[k] = at >= 0 ? subset.Strides[at] : 0;
        }
        var map = new int[Cells];
        var counter = new int[Variables.Length];
        int target = 0;
        for (int cell = 0; cell < Cells; cell++)
        {
            map[cell] = target;
            // Odometer increment, last variable fastest, keeping the subset cell in step.
            for (int k = Variables.Length - 1; k >= 0; k--)
            {
                counter[k]++;
                target += subStride[k];
                if (counter[k] < Sizes[k]) break;
                target -= subStride[k] * Sizes[k];
                counter[k] = 0;
            }
        }
        return map;
    }

    /// <summary>Sums <paramref name="table"/> (over this clique) into the cells of the subset the map points at.</summary>
    public static double[] Marginalize(ReadOnlySpan<double> table, int[] map, int subsetCells)
    {
        var result = new double[subsetCells];
        for (int cell = 0; cell < table.Length; cell++) result[map[cell]] += table[cell];
        return result;
    }

    public bool Equals(Clique? other) => other is not null && Variables.AsSpan().SequenceEqual(other.Variables);
    public override bool Equals(object? obj) => Equals(obj as Clique);
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int v in Variables) hash.Add(v);
        return hash.ToHashCode();
    }

    public override string ToString() => $"({string.Join(",", Variables)})";
}
