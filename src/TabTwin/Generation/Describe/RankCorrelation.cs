using TabTwin.Tables;

namespace TabTwin.Generation.Describe;

/// <summary>Spearman rank correlation over the rows where both columns are present (average ranks for ties).</summary>
internal static class RankCorrelation
{
    /// <summary>The values of a numeric, datetime or boolean column as doubles (null when the column is none of these).</summary>
    public static double[]? AsNumbers(Column column) => column switch
    {
        NumericColumn n => n.Values.ToArray(),
        DateTimeColumn d => d.Ticks.ToArray().Select(t => (double)t).ToArray(),
        BooleanColumn b => b.Values.ToArray().Select(v => v ? 1.0 : 0.0).ToArray(),
        _ => null,
    };

    /// <summary>ρ between two columns, or 0 when fewer than <paramref name="minimumRows"/> rows have both values or one is constant.</summary>
    public static double Spearman(double[] a, Bitmask missingA, double[] b, Bitmask missingB, int minimumRows)
    {
        var rows = Enumerable.Range(0, a.Length).Where(r => !missingA[r] && !missingB[r]).ToArray();
        if (rows.Length < Math.Max(3, minimumRows)) return 0;
        var ra = Ranks(rows.Select(r => a[r]).ToArray());
        var rb = Ranks(rows.Select(r => b[r]).ToArray());
        double meanA = ra.Average(), meanB = rb.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < ra.Length; i++)
        {
            double da = ra[i] - meanA, db = rb[i] - meanB;
            sab += da * db; saa += da * da; sbb += db * db;
        }
        return saa > 0 && sbb > 0 ? sab / Math.Sqrt(saa * sbb) : 0;
    }

    /// <summary>1-based ranks, ties averaged.</summary>
    public static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).ToArray();
        Array.Sort(values.ToArray(), order);
        var ranks = new double[values.Length];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]]) j++;
            double average = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) ranks[order[k]] = average;
            i = j + 1;
        }
        return ranks;
    }
}
