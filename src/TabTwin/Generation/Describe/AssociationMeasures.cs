namespace TabTwin.Generation.Describe;

/// <summary>
/// Strength of association between a categorical column (as codes of its published labels, −1 = none) and another
/// column: Cramér's V against a second categorical, the rank correlation ratio η against a number. Both lie in [0, 1]
/// and are computed over the rows where both sides are present.
/// </summary>
internal static class AssociationMeasures
{
    /// <summary>Cramér's V = √(χ² / (n·(min(r, c) − 1))); 0 when fewer than <paramref name="minimumRows"/> rows pair up or a side is constant.</summary>
    public static double CramersV(int[] a, int labelsA, int[] b, int labelsB, int minimumRows)
    {
        var cells = new double[labelsA, labelsB];
        var rowTotals = new double[labelsA];
        var columnTotals = new double[labelsB];
        double n = 0;
        for (int r = 0; r < a.Length; r++)
        {
            if (a[r] < 0 || b[r] < 0) continue;
            cells[a[r], b[r]]++;
            rowTotals[a[r]]++;
            columnTotals[b[r]]++;
            n++;
        }
        int rows = rowTotals.Count(t => t > 0), columns = columnTotals.Count(t => t > 0);
        if (n < Math.Max(2, minimumRows) || rows < 2 || columns < 2) return 0;
        double chi2 = 0;
        for (int i = 0; i < labelsA; i++)
        {
            if (rowTotals[i] == 0) continue;
            for (int j = 0; j < labelsB; j++)
            {
                if (columnTotals[j] == 0) continue;
                double expected = rowTotals[i] * columnTotals[j] / n;
                double d = cells[i, j] - expected;
                chi2 += d * d / expected;
            }
        }
        return Math.Sqrt(Math.Min(1, chi2 / (n * (Math.Min(rows, columns) - 1))));
    }

    /// <summary>
    /// The correlation ratio η of the number's ranks by group: √(between-group / total sum of squares) — how much of the
    /// number's ordering the category explains (0 = none, 1 = the category fixes it). 0 when too few rows pair up.
    /// </summary>
    public static double RankEta(int[] groups, int groupCount, double[] values, TabTwin.Tables.Bitmask missing, int minimumRows)
    {
        var rows = Enumerable.Range(0, values.Length).Where(r => groups[r] >= 0 && !missing[r]).ToArray();
        if (rows.Length < Math.Max(3, minimumRows)) return 0;
        var ranks = RankCorrelation.Ranks(rows.Select(r => values[r]).ToArray());
        double mean = ranks.Average(), total = 0;
        var sums = new double[groupCount];
        var counts = new double[groupCount];
        for (int i = 0; i < rows.Length; i++)
        {
            sums[groups[rows[i]]] += ranks[i];
            counts[groups[rows[i]]]++;
            total += (ranks[i] - mean) * (ranks[i] - mean);
        }
        if (total <= 0) return 0;
        double between = 0;
        for (int g = 0; g < groupCount; g++)
            if (counts[g] > 0) between += counts[g] * Math.Pow(sums[g] / counts[g] - mean, 2);
        return Math.Sqrt(Math.Min(1, between / total));
    }

    /// <summary>
    /// Each present value's percentile within its group (mid-rank / group size; NaN where missing): the uniform a
    /// conditional column draws its value from, so the copula correlates what generation actually uses.
    /// </summary>
    public static double[] PercentileWithinGroup(double[] values, TabTwin.Tables.Bitmask missing, int[] groups)
    {
        var result = new double[values.Length];
        Array.Fill(result, double.NaN);
        foreach (var group in Enumerable.Range(0, values.Length).Where(r => !missing[r]).GroupBy(r => groups[r]))
        {
            var rows = group.ToArray();
            var ranks = RankCorrelation.Ranks(rows.Select(r => values[r]).ToArray());
            for (int i = 0; i < rows.Length; i++) result[rows[i]] = (ranks[i] - 0.5) / rows.Length;
        }
        return result;
    }
}
