using System.Text.Json.Serialization;
using TabTwin.Randomness;
using TabTwin.Tables;

namespace TabTwin.MultiTable;

/// <summary>
/// The real distribution of one children-per-row count column of a parent table (children per parent row for one foreign
/// key), as distinct counts and how many parent rows had each. Stored in the plan so sampled counts can be put back on it.
/// </summary>
internal sealed record CountShape
{
    /// <summary>The parent's count column (<see cref="TablePlan.CountColumn"/>).</summary>
    [JsonPropertyName("column")] public required string Column { get; init; }
    /// <summary>Distinct children-per-row counts, ascending.</summary>
    [JsonPropertyName("values")] public required int[] Values { get; init; }
    /// <summary>Parent rows holding each count of <see cref="Values"/>.</summary>
    [JsonPropertyName("rows")] public required int[] Rows { get; init; }

    public static CountShape Of(string column, double[] counts)
    {
        var groups = counts.Select(c => (int)c).GroupBy(c => c).OrderBy(g => g.Key).ToArray();
        return new CountShape { Column = column, Values = [.. groups.Select(g => g.Key)], Rows = [.. groups.Select(g => g.Count())] };
    }
}

/// <summary>
/// Puts sampled children-per-row counts back on the real distribution of counts, keeping their order. The parent's
/// model draws each row's count given the row's other columns (so which rows get many children is learned), but a
/// count drawn per row by a privacy-protected tree on a small or skewed table (5 media types holding 7 to 3,034
/// tracks, 77 districts with one holding 554 accounts) misses the shape of the counts that cardinality is measured on.
/// Rows are ranked by their drawn count (ties in a seeded random order) and the row at rank r gets the real count
/// at quantile (r + ½) / rows: the children-per-parent shape is the real one at any scale, the association with the
/// parent's columns the model's. This is SDV's HMA idea of modelling the count, with the count's marginal kept exact.
/// </summary>
internal static class ChildCounts
{
    public static NumericColumn Reshape(Column drawn, CountShape shape, ulong seed)
    {
        int n = drawn.Length;
        var values = new double[n];
        if (n == 0 || shape.Values.Length == 0) return new NumericColumn(drawn.Name, values, isInteger: true);
        var keys = new double[n];
        for (int i = 0; i < n; i++) keys[i] = drawn is NumericColumn num && !num.IsMissing(i) && double.IsFinite(num[i]) ? num[i] : 0;
        // Ties (many rows drawn 0 or 1) are broken in a seeded random order, not by row position.
        var shuffled = Enumerable.Range(0, n).ToArray();
        new SeededRandom(seed).Shuffle<int>(shuffled);
        var tie = new int[n];
        for (int k = 0; k < n; k++) tie[shuffled[k]] = k;
        var order = Enumerable.Range(0, n).OrderBy(i => keys[i]).ThenBy(i => tie[i]).ToArray();
        long total = shape.Rows.Sum(r => (long)r);
        int v = 0;
        long below = 0;   // real rows with a count below Values[v]
        for (int r = 0; r < n; r++)
        {
            double position = (r + 0.5) / n * total;
            while (v < shape.Values.Length - 1 && below + shape.Rows[v] <= position) below += shape.Rows[v++];
            values[order[r]] = shape.Values[v];
        }
        return new NumericColumn(drawn.Name, values, isInteger: true);
    }
}
