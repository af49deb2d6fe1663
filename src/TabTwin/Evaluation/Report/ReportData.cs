using System.Globalization;
using TabTwin.Evaluation.Quality;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Report;

/// <summary>The numbers behind the report's charts: binned shares, category shares and correlation matrices.</summary>
internal static class ReportData
{
    public const int Bins = 20, MaxCategories = 15;

    /// <summary>Shares of present values per equal-width bin over the joint range; labels are bin starts.</summary>
    public static (string[] Labels, double[] Real, double[] Synthetic) Histogram(Column real, Column synthetic, bool datetime)
    {
        double[] r = ColumnValues.PresentNumbers(real), s = ColumnValues.PresentNumbers(synthetic);
        var all = r.Concat(s).ToArray();
        if (all.Length == 0) return ([], [], []);
        double lo = all.Min(), hi = all.Max();
        if (hi <= lo) hi = lo + 1;
        double width = (hi - lo) / Bins;
        double[] Shares(double[] values)
        {
            var counts = new double[Bins];
            foreach (var v in values) counts[Math.Min(Bins - 1, (int)((v - lo) / width))]++;
            for (int i = 0; i < Bins && values.Length > 0; i++) counts[i] /= values.Length;
            return counts;
        }
        var labels = Enumerable.Range(0, Bins).Select(i => Label(lo + i * width, datetime)).ToArray();
        return (labels, Shares(r), Shares(s));
    }

    private static string Label(double value, bool datetime) => datetime
        ? new DateTime((long)Math.Clamp(value * TimeSpan.TicksPerSecond, DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : Math.Abs(value) is >= 1000 and < 1e9 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>Shares of the real column's most frequent categories (missing shown as "(missing)"), the rest pooled as "(other)".</summary>
    public static (string[] Labels, double[] Real, double[] Synthetic) Categories(Column real, Column synthetic)
    {
        Dictionary<string, int> Count(Column c)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < c.Length; i++)
            {
                var key = c.IsMissing(i) ? "(missing)" : c.FormatValue(i) ?? "(missing)";
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            return counts;
        }
        var rc = Count(real);
        var sc = Count(synthetic);
        var top = rc.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(MaxCategories).Select(kv => kv.Key).ToList();
        bool other = rc.Count > top.Count || sc.Keys.Any(k => !top.Contains(k));
        var labels = other ? [.. top, "(other)"] : top.ToArray();
        double[] Shares(Dictionary<string, int> counts, int rows)
        {
            var shares = top.Select(k => (double)counts.GetValueOrDefault(k) / Math.Max(1, rows)).ToList();
            if (other) shares.Add(1 - shares.Sum());
            return shares.ToArray();
        }
        return (labels, Shares(rc, real.Length), Shares(sc, synthetic.Length));
    }

    /// <summary>Pearson correlations over rows where both values are present (NaN when undefined).</summary>
    public static double[,] Correlations(IReadOnlyList<Column> columns)
    {
        var values = columns.Select(ColumnValues.Numbers).ToArray();
        int n = values.Length;
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
                m[i, j] = m[j, i] = i == j ? 1 : Pearson(values[i], values[j]);
        return m;
    }

    private static double Pearson(double[] a, double[] b)
    {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int k = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(a[i]) || double.IsNaN(b[i])) continue;
            k++; sa += a[i]; sb += b[i]; saa += a[i] * a[i]; sbb += b[i] * b[i]; sab += a[i] * b[i];
        }
        if (k < 2) return double.NaN;
        double cov = sab - sa * sb / k, va = saa - sa * sa / k, vb = sbb - sb * sb / k;
        return va <= 0 || vb <= 0 ? double.NaN : Math.Clamp(cov / Math.Sqrt(va * vb), -1, 1);
    }
}
