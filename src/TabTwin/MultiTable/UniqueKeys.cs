using TabTwin.Randomness;
using TabTwin.Tables;

namespace TabTwin.MultiTable;

/// <summary>
/// Keeps a key made of data columns unique without dropping rows (lahman's Teams is keyed by (yearID, teamID): the
/// model draws both per row, and about a third of the drawn pairs repeat). A row whose key repeats an earlier row's
/// gets the nearest free key, changing one of its modelled columns as little as possible: a number or date moves by
/// one step of its column (1 for whole numbers, else the smallest gap between its values) outwards, within the
/// column's sampled range (the team plays the year before or after); a category becomes another of the column's
/// categories, the most frequent first. When no single column can move to a free key (a nearly full key space:
/// weather's 3 airports × every hour of the year), several columns move at once by random steps within a growing
/// radius, then to random values of their ranges (seeded). Columns that are not modelled (foreign keys assigned from parents) stay as they are. A row for
/// which no free key is found keeps its key, and the caller drops it.
/// </summary>
internal static class UniqueKeys
{
    private const int MaxSteps = 10_000;
    private const int RandomTries = 2048, TriesPerRadius = 32;

    /// <summary>
    /// The key columns <paramref name="parts"/> with repeats repaired where possible; only parts whose
    /// <paramref name="adjustable"/> flag is set are changed (the array holds the same column where nothing changed).
    /// </summary>
    public static Column[] Repair(Column[] parts, bool[] adjustable, ulong seed = 0)
    {
        var random = new SeededRandom(seed);
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
            if (FreeKey(codes, domains, i, seen) is { } single) codes[single.Part][i] = single.Value;
            else if (RandomFreeKey(codes, domains, i, seen, random) is { } moved) for (int p = 0; p < m; p++) codes[p][i] = moved[p];
            else continue;
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

    /// <summary>Several parts moved at once: each adjustable part by a random step of at most the radius, which grows with the tries.</summary>
    private static double[]? RandomFreeKey(double[][] codes, Domain?[] domains, int i, HashSet<string> seen, SeededRandom random)
    {
        int m = codes.Length;
        var candidate = new double[m];
        for (int t = 0; t < RandomTries; t++)
        {
            // First nearby (a radius growing with the tries), then anywhere in the parts' ranges (a key space nearly full).
            int radius = t < RandomTries / 2 ? 1 + t / TriesPerRadius : int.MaxValue;
            for (int k = 0; k < m; k++)
                candidate[k] = domains[k] is { } domain && !double.IsNaN(codes[k][i]) ? domain.Random(codes[k][i], radius, random) : codes[k][i];
            if (!seen.Contains(Text(candidate))) return candidate;
        }
        return null;
    }

    /// <summary>Row <paramref name="i"/>'s key with part <paramref name="replaced"/> set to <paramref name="value"/> (−1: none); null when a part is missing.</summary>
    private static string? Key(double[][] codes, int i, int replaced, double value)
    {
        var parts = new double[codes.Length];
        for (int k = 0; k < codes.Length; k++) parts[k] = k == replaced ? value : codes[k][i];
        return parts.Any(double.IsNaN) ? null : Text(parts);
    }

    private static string Text(double[] parts) =>
        string.Join('\u001F', parts.Select(c => c.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

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
            if (current + d * step <= high) yield return Math.Round(current + d * step, 10);
            if (current - d * step >= low) yield return Math.Round(current - d * step, 10);
        }

        /// <summary>A value at most <paramref name="radius"/> steps away (a category among the radius + 1 most frequent), within the range.</summary>
        public double Random(double current, int radius, SeededRandom random)
        {
            if (byFrequency is not null) return byFrequency[random.NextInt((int)Math.Min(byFrequency.Length, radius + 1L))];
            double steps = Math.Floor((high - low) / step);
            if (radius >= steps && steps < int.MaxValue) return Math.Round(low + random.NextInt((int)steps + 1) * step, 10);
            double value = Math.Round(current + (random.NextInt(2 * radius + 1) - radius) * step, 10);
            return Math.Clamp(value, low, high);
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
                // Values as the column prints them (a drawn 1990.3 in a whole-number column is 1990), so repeats are found as written.
                int places = num.IsInteger ? 0 : num.DecimalPlaces is > 0 and <= 15 ? num.DecimalPlaces : -1;
                for (int i = 0; i < n; i++) codes[i] = num.IsMissing(i) ? double.NaN : places >= 0 ? Math.Round(num[i], places) : num[i];
                return (codes, adjustable ? NumberDomain(codes, places >= 0 ? Math.Pow(10, -places) : 0) : null);
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
                // Other values (a category the model writes as text, e.g. teamID) as codes of their texts, moved like categories.
                var ids = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int i = 0; i < n; i++) codes[i] = column.FormatValue(i) is { } s ? (ids.TryGetValue(s, out int c) ? c : ids[s] = ids.Count) : double.NaN;
                if (!adjustable || column is not TextColumn || ids.Count < 2) return (codes, null);
                var counts = new int[ids.Count];
                foreach (double c in codes) if (!double.IsNaN(c)) counts[(int)c]++;
                return (codes, new Domain(0, 0, 0, [.. Enumerable.Range(0, counts.Length).OrderByDescending(c => counts[c]).ThenBy(c => c)]));
        }
    }

    /// <summary>Steps of the smallest gap between distinct values, at least <paramref name="unit"/> (the printed precision), within the values' range.</summary>
    private static Domain? NumberDomain(double[] values, double unit)
    {
        var distinct = values.Where(v => !double.IsNaN(v)).Distinct().Order().ToArray();
        if (distinct.Length < 2) return null;
        double step = double.PositiveInfinity;
        for (int k = 1; k < distinct.Length; k++) step = Math.Min(step, distinct[k] - distinct[k - 1]);
        step = Math.Max(step, unit);
        return step > 0 && double.IsFinite(step) ? new Domain(distinct[0], distinct[^1], step, null) : null;
    }

    private static Column Decode(Column column, double[] codes) => column switch
    {
        NumericColumn num => new NumericColumn(num.Name, codes.Select(c => double.IsNaN(c) ? 0 : c).ToArray(), num.Missing, num.IsInteger, num.DecimalPlaces),
        DateTimeColumn dt => new DateTimeColumn(dt.Name, codes.Select(c => double.IsNaN(c) ? 0 : (long)c).ToArray(), dt.Missing, dt.Format),
        CategoricalColumn cat => new CategoricalColumn(cat.Name, codes.Select(c => double.IsNaN(c) ? -1 : (int)c).ToArray(), [.. cat.Categories]),
        TextColumn text => new TextColumn(text.Name, TextsOf(text, codes)),
        _ => column,
    };

    /// <summary>Codes back to texts: code c is the c-th distinct text in row order (as <see cref="Encode"/> numbered them).</summary>
    private static string?[] TextsOf(TextColumn column, double[] codes)
    {
        var texts = new List<string>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < column.Length; i++) if (column.FormatValue(i) is { } s && known.Add(s)) texts.Add(s);
        return [.. codes.Select(c => double.IsNaN(c) ? null : texts[(int)c])];
    }
}
