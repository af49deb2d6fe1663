using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// How many numbers of one column were read as missing because no model can use them: infinities, NaN, and magnitudes
/// beyond ±<see cref="MissingTokens.MaxMagnitude"/> (whose squares overflow). Every reader (delimited text, Parquet,
/// databases, .NET objects) drops them the same way and says so once per column through its warning channel, so such a
/// value never reaches a model or an output and never disappears without a word.
/// </summary>
internal sealed class UnusableNumbers
{
    public long Infinite, NotANumber, Huge;

    public long Total => Infinite + NotANumber + Huge;

    public static bool IsUnusable(double v) => !double.IsFinite(v) || Math.Abs(v) > MissingTokens.MaxMagnitude;

    public void Count(FieldClass kind)
    {
        switch (kind)
        {
            case FieldClass.Infinite: Infinite++; break;
            case FieldClass.NotANumber: NotANumber++; break;
            case FieldClass.Huge: Huge++; break;
        }
    }

    public void Add(UnusableNumbers other)
    {
        Infinite += other.Infinite;
        NotANumber += other.NotANumber;
        Huge += other.Huge;
    }

    public void Count(double v)
    {
        if (double.IsNaN(v)) NotANumber++;
        else if (double.IsInfinity(v)) Infinite++;
        else if (Math.Abs(v) > MissingTokens.MaxMagnitude) Huge++;
    }

    /// <summary>Says, once, how many values of <paramref name="column"/> were dropped; nothing when none were.</summary>
    public void Report(Action<string>? warning, string? source, string column)
    {
        if (warning is null || Total == 0) return;
        var kinds = new List<string>();
        if (Infinite > 0) kinds.Add($"{Infinite:N0} infinite");
        if (NotANumber > 0) kinds.Add($"{NotANumber:N0} NaN");
        if (Huge > 0) kinds.Add($"{Huge:N0} beyond ±1e150");
        warning($"{(source is null ? "" : $"'{source}': ")}column '{column}': {Total:N0} value{(Total == 1 ? "" : "s")} read as missing " +
                $"({string.Join(", ", kinds)}): no model can use such numbers.");
    }

    /// <summary>The values with every unusable one set to 0 and marked missing, and how many there were of each kind.</summary>
    public static (double[] Values, Bitmask Missing, UnusableNumbers Counts) Filter(ReadOnlySpan<double> values, Bitmask missing)
    {
        var counts = new UnusableNumbers();
        for (int i = 0; i < values.Length; i++)
            if (!missing[i] && IsUnusable(values[i])) counts.Count(values[i]);
        if (counts.Total == 0) return (values.ToArray(), missing, counts);
        var mask = new Bitmask.Builder(values.Length);
        var kept = values.ToArray();
        for (int i = 0; i < kept.Length; i++)
        {
            bool drop = !missing[i] && IsUnusable(kept[i]);
            mask.Set(i, missing[i] || drop);
            if (drop) kept[i] = 0;
        }
        return (kept, mask.Build(), counts);
    }

    /// <summary>
    /// The table with every unusable number of its numeric columns marked missing (the same instance when there is none),
    /// each such column reported once.
    /// </summary>
    public static Table Drop(Table table, string? source, Action<string>? warning)
    {
        Column[]? replaced = null;
        for (int c = 0; c < table.ColumnCount; c++)
        {
            if (table.Columns[c] is not NumericColumn numeric) continue;
            var (kept, mask, counts) = Filter(numeric.Values, numeric.Missing);
            if (counts.Total == 0) continue;
            replaced ??= [.. table.Columns];
            replaced[c] = new NumericColumn(numeric.Name, kept, mask, numeric.IsInteger, numeric.DecimalPlaces);
            counts.Report(warning, source, numeric.Name);
        }
        return replaced is null ? table : new Table(replaced);
    }
}
