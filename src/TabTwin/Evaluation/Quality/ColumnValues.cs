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
            // An empty column read back from a file has no values to give it a type (a synthetic planes.speed, 99 % empty in the
            // real data, came back all empty and was read as text): it holds no numbers, only missing ones.
            case var empty when Enumerable.Range(0, empty.Length).All(empty.IsMissing):
                Array.Fill(result, double.NaN);
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
    /// The numbers Column Pair Trends works on: as <see cref="Numbers"/>, except datetimes, which are nanoseconds since
    /// 1970-01-01 (pandas' <c>to_numeric</c> of a datetime), so bin edges round exactly as SDMetrics' do.
    /// </summary>
    public static double[] PairNumbers(Column column)
    {
        if (column is not DateTimeColumn d) return Numbers(column);
        var result = new double[d.Length];
        var ticks = d.Ticks;
        for (int i = 0; i < result.Length; i++) result[i] = d.IsMissing(i) ? double.NaN : (ticks[i] - DateTime.UnixEpoch.Ticks) * 100.0;
        return result;
    }

    /// <summary>Whether the present values hold exactly one distinct value (pandas' <c>nunique() == 1</c>).</summary>
    public static bool IsConstant(double[] values)
    {
        double first = double.NaN;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;
            if (double.IsNaN(first)) first = v;
            else if (v != first) return false;
        }
        return !double.IsNaN(first);
    }

    /// <summary>Number of distinct codes <see cref="HistogramCodes"/> can return (0–11).</summary>
    public const int HistogramCodeCount = HistogramBins + 2;
    private const int HistogramBins = 10;

    /// <summary>
    /// SDMetrics' discretization of a continuous column for Column Pair Trends: <c>np.digitize</c> against
    /// <c>np.histogram_bin_edges</c> (10 equal-width bins) of the column's own present values — each side is cut
    /// over its own range. Codes: 1–10 for the bins, 11 for the maximum and for missing values (both sort at or past
    /// the last edge); a column without present values is cut over [0, 1], a constant one over [v − ½, v + ½].
    /// </summary>
    public static int[] HistogramCodes(double[] values)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in values) if (!double.IsNaN(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        if (double.IsPositiveInfinity(lo)) { lo = 0; hi = 1; }
        else if (lo == hi) { lo -= 0.5; hi += 0.5; }
        // numpy's linspace: edge k = k · ((hi − lo) / 10) + lo, the last edge set to hi exactly.
        var edges = new double[HistogramBins + 1];
        double step = (hi - lo) / HistogramBins;
        for (int k = 0; k < HistogramBins; k++) edges[k] = k * step + lo;
        edges[HistogramBins] = hi;
        var codes = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (double.IsNaN(v)) { codes[i] = edges.Length; continue; }
            // digitize (right = false): the number of edges ≤ v.
            int lower = 0, upper = edges.Length;
            while (lower < upper)
            {
                int mid = (lower + upper) >> 1;
                if (edges[mid] <= v) lower = mid + 1; else upper = mid;
            }
            codes[i] = lower;
        }
        return codes;
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
