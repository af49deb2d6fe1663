using TabTwin.Tables;

namespace TabTwin.MultiTable;

/// <summary>
/// Keeps a key made of data columns unique without dropping rows (lahman's Teams is keyed by (yearID, teamID): the
/// model draws both per row, and about a third of the drawn pairs repeat). A row whose key repeats an earlier row's
/// gets the nearest free key, changing one of its modelled columns as little as possible: a number or date moves by
/// one step of its column (1 for whole numbers, else the smallest gap between its values) outwards, within the
/// column's sampled range (the team plays the year before or after); a category becomes another of the column's
/// categories, the most frequent first. Columns that are not modelled (foreign keys assigned from parents) stay as
/// they are. A row for which no free key exists keeps its key, and the caller drops it.
/// </summary>
internal static class UniqueKeys
{
    private const int MaxSteps = 10_000;

    /// <summary>
    /// The key columns <paramref name="parts"/> with repeats repaired where possible; only parts whose
    /// <paramref name="adjustable"/> flag is set are changed (the array holds the same column where nothing changed).
    /// </summary>
    public static Column[] Repair(Column[] parts, bool[] adjustable)
    {
        int n = parts.Length == 0 ? 0 : parts[0].Length, m = parts.Length;
        var codes = new double[m][];
        var domains = new Domain?[m];
        for (int k = 0; k < m; k++) (codes[k], domains[k]) = Encode(parts[k], adjustable[k]);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var repeats = new List<int>();
        for (int i = 0; i < n; i++)
            if (Key(codes, i, -1, 0) is { } key && !seen.Add(key)) repeats.Add(i);
        if (repeats.Count == 0 || domains.All(d => d is null)) return parts;

        bool changed = false;
        foreach (int i in repeats)
        {
            var found = FreeKey(codes, domains, i, seen);
            if (found is not var (k, value)) continue;
            codes[k][i] = value;
            seen.Add(Key(codes, i, -1, 0)!);
            changed = true;
        }
        if (!changed) return parts;
        return [.. parts.Select((p, k) => domains[k] is null ? p : Decode(p, codes[k]))];
    }

    /// <summary>The smallest change of one adjustable part that makes row <paramref name="i"/>'s key unused: step d of every part, d = 1, 2, ….</summary>
    private static (int Part, double Value)? FreeKey(double[][] codes, Domain?[] domains, int i, HashSet<string> seen)
    {
        for (int d = 1; d <= MaxSteps; d++)
        {
            bool any = false;
            for (int k = 0; k < domains.Length; k++)
            {
                if (domains[k] is not { } domain || double.IsNaN(codes[k][i])) continue;
                foreach (double value in domain.Step(codes[k][i], d))
                {
                    any = true;
                    if (!seen.Contains(Key(codes, i, k, value)!)) return (k, value);
                }
                any |= domain.HasStep(codes[k][i], d + 1);
            }
            if (!any) return null;
        }
        return null;
    }

    private static string? Key(double[][] codes, int i, int replaced, double value)
    {
        var texts = new string[codes.Length];
        for (int k = 0; k < codes.Length; k++)
        {
            double c = k == replaced ? value : codes[k][i];
            if (double.IsNaN(c)) return null;
            texts[k] = c.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }
        return string.Join('\u001F', texts);
    }

    /// <summary>The values one part can move to: numbers and dates by steps within [Low, High], categories by frequency rank.</summary>
    private sealed class Domain(double low, double high, double step, int[]? byFrequency)
    {
        public IEnumerable<double> Step(double current, int d)
        {
            if (byFrequency is not null)
            {
                // The d-th most frequent category other than the current one.
                int seen = 0;
                foreach (int c in byFrequency)
                    if (c != current && ++seen == d) { yield return c; yield break; }
                yield break;
            }
            if (current + d * step <= high) yield return current + d * step;
            if (current - d * step >= low) yield return current - d * step;
        }

        public bool HasStep(double current, int d) => byFrequency is not null ? d < byFrequency.Length : current + d * step <= high || current - d * step >= low;
    }

    private static (double[] Codes, Domain? Domain) Encode(Column column, bool adjustable)
    {
        int n = column.Length;
        var codes = new double[n];
        switch (column)
        {
            case NumericColumn num:
                for (int i = 0; i < n; i++) codes[i] = num.IsMissing(i) ? double.NaN : num[i];
                return (codes, adjustable ? NumberDomain(codes, num.IsInteger ? 1 : 0) : null);
            case DateTimeColumn dt when !dt.HasOffset:
                for (int i = 0; i < n; i++) codes[i] = dt.IsMissing(i) ? double.NaN : dt.Ticks[i];
                return (codes, adjustable ? NumberDomain(codes, 0) : null);
            case CategoricalColumn cat:
                for (int i = 0; i < n; i++) codes[i] = cat.Codes[i] < 0 ? double.NaN : cat.Codes[i];
                if (!adjustable) return (codes, null);
                var frequency = new int[cat.Categories.Count];
                foreach (int c in cat.Codes) if (c >= 0) frequency[c]++;
                return (codes, new Domain(0, 0, 0, [.. Enumerable.Range(0, frequency.Length).OrderByDescending(c => frequency[c]).ThenBy(c => c)]));
            default:
                var ids = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int i = 0; i < n; i++) codes[i] = column.FormatValue(i) is { } s ? (ids.TryGetValue(s, out int c) ? c : ids[s] = ids.Count) : double.NaN;
                return (codes, null);
        }
    }

    /// <summary>Steps of <paramref name="step"/> (0 = the smallest gap between distinct values) within the values' range.</summary>
    private static Domain? NumberDomain(double[] values, double step)
    {
        var distinct = values.Where(v => !double.IsNaN(v)).Distinct().Order().ToArray();
        if (distinct.Length < 2) return null;
        if (step <= 0)
        {
            step = double.PositiveInfinity;
            for (int k = 1; k < distinct.Length; k++) step = Math.Min(step, distinct[k] - distinct[k - 1]);
        }
        return step > 0 && double.IsFinite(step) ? new Domain(distinct[0], distinct[^1], step, null) : null;
    }

    private static Column Decode(Column column, double[] codes) => column switch
    {
        NumericColumn num => new NumericColumn(num.Name, codes.Select(c => double.IsNaN(c) ? 0 : c).ToArray(), num.Missing, num.IsInteger, num.DecimalPlaces),
        DateTimeColumn dt => new DateTimeColumn(dt.Name, codes.Select(c => double.IsNaN(c) ? 0 : (long)c).ToArray(), dt.Missing, dt.Format),
        CategoricalColumn cat => new CategoricalColumn(cat.Name, codes.Select(c => double.IsNaN(c) ? -1 : (int)c).ToArray(), [.. cat.Categories]),
        _ => column,
    };
}
