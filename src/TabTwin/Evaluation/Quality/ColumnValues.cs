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

    /// <summary>
    /// Category codes for a real and a synthetic column on one shared scale: 0 is missing, 1.. are the distinct
    /// values in order of first appearance (real first). Categorical columns map their dictionaries, not their rows.
    /// </summary>
    public static (int[] Real, int[] Synthetic, int Count) CategoryCodes(Column real, Column synthetic)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        int[] Map(Column column)
        {
            var codes = new int[column.Length];
            if (column is CategoricalColumn categorical)
            {
                var byCode = categorical.Categories.Select(Intern).ToArray();
                var raw = categorical.Codes;
                for (int i = 0; i < codes.Length; i++) codes[i] = raw[i] < 0 ? 0 : byCode[raw[i]];
                return codes;
            }
            for (int i = 0; i < codes.Length; i++)
                codes[i] = column.IsMissing(i) ? 0 : Intern(column is BooleanColumn b ? (b[i] ? "true" : "false") : column.FormatValue(i)!);
            return codes;
        }
        int Intern(string key)
        {
            if (!index.TryGetValue(key, out int code)) index[key] = code = index.Count + 1;
            return code;
        }
        var r = Map(real);
        var s = Map(synthetic);
        return (r, s, index.Count + 1);
    }

    /// <summary>
    /// Bin of each row: equal-width bins over the real column's present range, outer bins open-ended (values beyond
    /// the real range fall in the first/last bin); missing rows get bin <paramref name="bins"/>.
    /// </summary>
    public static int[] Bins(double[] values, double realMin, double realMax, int bins)
    {
        var inner = new double[bins - 1];
        double lo = realMin, hi = realMax;
        if (lo == hi) { lo -= 0.5; hi += 0.5; }
        for (int k = 1; k < bins; k++) inner[k - 1] = lo + (hi - lo) * k / bins;
        var result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i])) { result[i] = bins; continue; }
            int bin = 0;
            while (bin < inner.Length && inner[bin] <= values[i]) bin++;
            result[i] = bin;
        }
        return result;
    }

    /// <summary>½ Σ |p − q| between the frequency distributions of two code arrays over 0..count−1.</summary>
    public static double TotalVariation(int[] real, int[] synthetic, int count)
    {
        var p = new double[count];
        var q = new double[count];
        foreach (var c in real) p[c]++;
        foreach (var c in synthetic) q[c]++;
        double sum = 0;
        for (int k = 0; k < count; k++) sum += Math.Abs(p[k] / real.Length - q[k] / synthetic.Length);
        return sum / 2;
    }
}
