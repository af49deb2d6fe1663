using TabTwin.Tables;

namespace TabTwin.Evaluation.Quality;

/// <summary>Column values in the two forms the quality metrics compare: numbers (numerical, datetime) and category keys.</summary>
internal static class ColumnValues
{
    /// <summary>The number in each row (datetimes as seconds of wall-clock time), NaN where missing.</summary>
    public static double[] Numbers(Column column)
    {
        var result = new double[column.Length];
        switch (column)
        {
            case NumericColumn n:
                for (int i = 0; i < result.Length; i++) result[i] = n.IsMissing(i) ? double.NaN : n[i];
                break;
            case DateTimeColumn d:
                var ticks = d.Ticks;
                for (int i = 0; i < result.Length; i++) result[i] = d.IsMissing(i) ? double.NaN : ticks[i] / (double)TimeSpan.TicksPerSecond;
                break;
            case BooleanColumn b:
                for (int i = 0; i < result.Length; i++) result[i] = b.IsMissing(i) ? double.NaN : b[i] ? 1 : 0;
                break;
            default:
                throw new MetricUndefinedException($"Column '{column.Name}' holds {column.Type} values, not numbers.");
        }
        return result;
    }

    /// <summary>Present numbers only.</summary>
    public static double[] PresentNumbers(Column column) => Numbers(column).Where(v => !double.IsNaN(v)).ToArray();

    /// <summary>A category key per row; missing rows share the key <see cref="MissingKey"/>.</summary>
    public static string[] Keys(Column column)
    {
        var result = new string[column.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = column.IsMissing(i) ? MissingKey
                : column is BooleanColumn b ? (b[i] ? "true" : "false")
                : "=" + column.FormatValue(i);
        return result;
    }

    /// <summary>Cannot collide with a real value: every present key starts with '='.</summary>
    public const string MissingKey = "\0missing";

    /// <summary>
    /// Bin of each row: 10 equal-width bins over the real column's present range, outer bins open-ended
    /// (values beyond the real range fall in the first/last bin), missing rows in a bin of their own.
    /// </summary>
    public static string[] BinKeys(double[] values, double realMin, double realMax, int bins)
    {
        var inner = new double[bins - 1];
        double lo = realMin, hi = realMax;
        if (lo == hi) { lo -= 0.5; hi += 0.5; }
        for (int k = 1; k < bins; k++) inner[k - 1] = lo + (hi - lo) * k / bins;
        var result = new string[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i])) { result[i] = MissingKey; continue; }
            int bin = 0;
            while (bin < inner.Length && inner[bin] <= values[i]) bin++;
            result[i] = BinNames[bin];
        }
        return result;
    }

    private static readonly string[] BinNames = Enumerable.Range(0, 64).Select(i => "#" + i).ToArray();

    public static Dictionary<string, double> Frequencies(IReadOnlyList<string> keys)
    {
        var counts = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var k in keys) counts[k] = counts.GetValueOrDefault(k) + 1;
        foreach (var k in counts.Keys.ToList()) counts[k] /= keys.Count;
        return counts;
    }

    /// <summary>½ Σ |p − q| over the union of keys.</summary>
    public static double TotalVariation(Dictionary<string, double> p, Dictionary<string, double> q)
    {
        double sum = 0;
        foreach (var (k, v) in p) sum += Math.Abs(v - q.GetValueOrDefault(k));
        foreach (var (k, v) in q) if (!p.ContainsKey(k)) sum += v;
        return sum / 2;
    }
}
