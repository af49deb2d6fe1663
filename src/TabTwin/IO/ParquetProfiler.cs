using ParquetSharp;
using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// Decides, over a whole Parquet file in batches (bounded memory), what <see cref="ParquetTableReader.Read"/> decides
/// from a column's values: string columns (not marked categorical/text by TabTwin) are profiled as CSV columns are,
/// without missing tokens; integer columns are checked for values beyond 2^53 (then profiled again as their digits);
/// foreign floating-point columns get their integer-ness and decimals, foreign timestamps their format. Only the columns
/// that need it are read.
/// </summary>
internal static class ParquetProfiler
{
    public delegate IEnumerable<Array?[]> BatchReader(ParquetFileReader file, int[] chosen, int chunkRows);

    public static ParquetColumnPlan?[] Plan(ParquetFileReader file, string[] names, ColumnDescriptor[] descriptors, ParquetColumnMeta?[] meta,
        Type[] types, bool[] isCompanion, int[] offsetOf, string path, int chunkRows, BatchReader batches)
    {
        int count = names.Length;
        var noTokens = new MissingTokens([]);
        var text = new ColumnProfile?[count];
        var integers = new bool[count];
        var numbers = new bool[count];
        var stamps = new bool[count];
        for (int c = 0; c < count; c++)
        {
            if (isCompanion[c]) continue;
            var t = types[c];
            if (t == typeof(string)) text[c] = meta[c]?.Type is "categorical" or "text" ? null : new ColumnProfile(names[c]);
            integers[c] = t == typeof(long?) || t == typeof(ulong?);
            numbers[c] = meta[c] is null && (t == typeof(double?) || t == typeof(float?));
            stamps[c] = meta[c]?.Format is null && (t == typeof(DateTime?) || t == typeof(DateTimeNanos?));
        }
        var chosen = Enumerable.Range(0, count).Where(c => text[c] is not null || integers[c] || numbers[c] || stamps[c]).ToList();
        foreach (int c in chosen.ToArray()) if (stamps[c] && offsetOf[c] >= 0) chosen.Add(offsetOf[c]);
        chosen = chosen.Distinct().ToList();

        var plans = new ParquetColumnPlan?[count];
        var beyond = new bool[count];
        var isInteger = Enumerable.Repeat(true, count).ToArray();
        var decimals = new int[count];
        var fraction = new bool[count];
        var scratch = new UnusableNumbers();
        if (chosen.Count > 0)
            foreach (var batch in batches(file, chosen.ToArray(), chunkRows))
                foreach (int c in chosen)
                {
                    var values = batch[c]!;
                    if (text[c] is { } profile) ColumnInference.Observe(profile, (string?[])values, noTokens);
                    else if (integers[c])
                        beyond[c] |= values is long?[] l ? l.Any(ParquetTableReader.Beyond) : ((ulong?[])values).Any(v => v > ValueShapes.MaxExactInteger);
                    else if (numbers[c] || stamps[c])
                    {
                        var offsets = offsetOf[c] >= 0 ? batch[offsetOf[c]] as int?[] : null;
                        var column = ParquetTableReader.Convert(names[c], values, descriptors[c], meta[c], offsets, path, scratch);
                        if (column is NumericColumn n)
                        {
                            isInteger[c] &= n.IsInteger;
                            decimals[c] = Math.Max(decimals[c], n.DecimalPlaces);
                        }
                        else if (column is DateTimeColumn d) fraction[c] |= d.Format.EndsWith(".FFFFFFF", StringComparison.Ordinal);
                    }
                }

        // Integers beyond a double's 53 bits are read as their digits: profile those columns again, as text.
        var wide = Enumerable.Range(0, count).Where(c => beyond[c]).ToArray();
        foreach (int c in wide) text[c] = new ColumnProfile(names[c]);
        if (wide.Length > 0)
            foreach (var batch in batches(file, wide, chunkRows))
                foreach (int c in wide)
                    ColumnInference.Observe(text[c]!, batch[c] is long?[] l ? ParquetTableReader.IntegerTexts(l) : ParquetTableReader.IntegerTexts((ulong?[])batch[c]!), noTokens);

        for (int c = 0; c < count; c++)
        {
            if (text[c] is { } profile) plans[c] = new ParquetColumnPlan { Text = profile.Decide() };
            else if (numbers[c]) plans[c] = new ParquetColumnPlan { IsInteger = isInteger[c], DecimalPlaces = isInteger[c] ? 0 : decimals[c] };
            else if (stamps[c]) plans[c] = new ParquetColumnPlan { DateFormat = fraction[c] ? "yyyy-MM-dd HH:mm:ss.FFFFFFF" : "yyyy-MM-dd HH:mm:ss" };
        }
        return plans;
    }
}
