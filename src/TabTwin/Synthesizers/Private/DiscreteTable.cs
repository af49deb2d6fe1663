namespace TabTwin.Synthesizers.Private;

/// <summary>
/// A table as the DP synthesizers see it: every column a code in 0..Sizes[j]−1. The domain (names, sizes, and what
/// each code means) is public: it comes from the metadata or from DP releases already charged to the accountant, so a
/// learner over this table only pays for what it measures itself. Column-major, because every learner reads marginals.
/// </summary>
internal sealed class DiscreteTable
{
    public DiscreteTable(IReadOnlyList<string> names, int[] sizes, int[][] columns)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(columns);
        if (names.Count != sizes.Length || sizes.Length != columns.Length)
            throw new ArgumentException("Names, sizes and columns must have one entry per column.");
        int rows = columns.Length == 0 ? 0 : columns[0].Length;
        for (int j = 0; j < columns.Length; j++)
        {
            if (sizes[j] < 1) throw new ArgumentException($"Column '{names[j]}' has an empty domain.");
            if (columns[j].Length != rows) throw new ArgumentException("Every column must have the same number of rows.");
            foreach (int code in columns[j])
                if ((uint)code >= (uint)sizes[j]) throw new ArgumentException($"Column '{names[j]}' has code {code} outside 0..{sizes[j] - 1}.");
        }
        Names = names;
        Sizes = sizes;
        Columns = columns;
        RowCount = rows;
    }

    public IReadOnlyList<string> Names { get; }
    /// <summary>Domain size of each column.</summary>
    public int[] Sizes { get; }
    /// <summary>Codes, column by column: <c>Columns[j][i]</c> is row i's code in column j.</summary>
    public int[][] Columns { get; }
    public int RowCount { get; }
    public int ColumnCount => Sizes.Length;
}
