using TabTwin.Encoding;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Augmentation;

/// <summary>
/// Builds the columns of new rows that are derived from real rows (SMOTE, noise) in the real column's own storage
/// type and presentation. Values that are not interpolated come from a chosen real row (<see cref="Column.Take"/>);
/// id columns get fresh keys no real row uses and personal data fresh fake values, so a new row never repeats a real
/// key or copies a real person's details.
/// </summary>
internal static class NewRowColumns
{
    /// <summary>What happens to a column in a derived row.</summary>
    public enum Role { Number, Date, Copy, FreshKey, Fake }

    public static Role RoleOf(ColumnSchema schema, Column column) => schema.Kind switch
    {
        ColumnKind.Numerical when column is NumericColumn => Role.Number,
        ColumnKind.Datetime when column is DateTimeColumn => Role.Date,
        ColumnKind.Id => Role.FreshKey,
        ColumnKind.Pii => Role.Fake,
        _ => Role.Copy,
    };

    /// <summary>A numeric column for new rows: <paramref name="values"/> (NaN = missing) rounded like the real column.</summary>
    public static NumericColumn Numbers(NumericColumn real, double[] values)
    {
        var missing = new Bitmask.Builder(values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i])) { missing.Set(i); values[i] = 0; }
            else values[i] = RoundLike(real, values[i]);
        }
        return new NumericColumn(real.Name, values, missing.Build(), real.IsInteger, real.DecimalPlaces);
    }

    /// <summary>The value written the way the real column writes numbers (whole for integers, its decimal places otherwise).</summary>
    public static double RoundLike(NumericColumn real, double v) =>
        real.IsInteger ? Math.Round(v, MidpointRounding.AwayFromZero)
        : real.DecimalPlaces is > 0 and < 15 ? Math.Round(v, real.DecimalPlaces, MidpointRounding.AwayFromZero) : v;

    /// <summary>A datetime column for new rows: ticks (null = missing) and the real row whose UTC offset each row keeps.</summary>
    public static DateTimeColumn Dates(DateTimeColumn real, long?[] ticks, int[] offsetRows)
    {
        var values = new long[ticks.Length];
        var missing = new Bitmask.Builder(ticks.Length);
        short[]? offsets = real.HasOffset ? new short[ticks.Length] : null;
        for (int i = 0; i < ticks.Length; i++)
        {
            if (ticks[i] is { } t) values[i] = t; else missing.Set(i);
            if (offsets is not null) offsets[i] = real.OffsetMinutes[offsetRows[i]];
        }
        return new DateTimeColumn(real.Name, values, missing.Build(), real.Format, offsets);
    }

    /// <summary>
    /// The finest step the column's format shows, in ticks (a day for dates, a second for HH:mm:ss, …), so new values
    /// are written without a precision the source never had.
    /// </summary>
    public static long DateStep(DateTimeColumn column)
    {
        if (column.IsDateOnly) return TimeSpan.TicksPerDay;
        var f = column.Format;
        if (f.Contains('f') || f.Contains('F') || f.Contains('o') || f.Contains('O')) return 1;
        if (f.Contains('s')) return TimeSpan.TicksPerSecond;
        if (f.Contains('m')) return TimeSpan.TicksPerMinute;
        return TimeSpan.TicksPerHour;
    }

    /// <summary><paramref name="ticks"/> rounded to a multiple of <paramref name="step"/>, kept inside [lo, hi].</summary>
    /// <remarks>Integer arithmetic throughout: ticks (~6·10¹⁷) are beyond a double's exact integers.</remarks>
    public static long RoundTicks(long ticks, long step, long lo, long hi)
    {
        long rounded = step == 1 ? ticks : (ticks + step / 2) / step * step;   // ticks are never negative
        return Math.Clamp(rounded, lo, hi);
    }

    /// <summary>The smallest and largest present ticks of a datetime column (0, 0 when none).</summary>
    public static (long Min, long Max) TickRange(DateTimeColumn column)
    {
        long min = long.MaxValue, max = long.MinValue;
        for (int i = 0; i < column.Length; i++)
            if (!column.IsMissing(i)) { min = Math.Min(min, column.Ticks[i]); max = Math.Max(max, column.Ticks[i]); }
        return min > max ? (0, 0) : (min, max);
    }

    /// <summary>
    /// <paramref name="count"/> keys no real row uses: numeric keys continue after the largest real key (by the
    /// smallest positive gap between keys, at least 1); other keys are drawn in the learned format, skipping real ones.
    /// </summary>
    public static Column FreshKeys(Column real, int count, ulong seed)
    {
        if (real is NumericColumn n)
        {
            var present = Enumerable.Range(0, n.Length).Where(i => !n.IsMissing(i)).Select(i => n[i]).ToArray();
            double max = present.Length == 0 ? 0 : present.Max();
            double step = n.IsInteger ? 1 : Math.Pow(10, -n.DecimalPlaces);
            var keys = new double[count];
            for (int i = 0; i < count; i++) keys[i] = max + step * (i + 1);
            return new NumericColumn(n.Name, keys, null, n.IsInteger, n.DecimalPlaces);
        }
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < real.Length; i++) if (real.FormatValue(i) is { } s) used.Add(s);
        try
        {
            // Draw as many keys again as there are real ones, so even a sequence starting at the first real key reaches past them.
            var drawn = IdFormat.Learn(real).Generate(real.Name, count + used.Count, seed);
            var fresh = new List<string?>(count);
            for (int i = 0; i < drawn.Length && fresh.Count < count; i++)
                if (drawn.FormatValue(i) is { } key && !used.Contains(key)) fresh.Add(key);
            if (fresh.Count == count) return new TextColumn(real.Name, fresh.ToArray());
        }
        catch (TabTwinException)
        {
            // The format has too few distinct keys left: fall through to empty keys rather than repeat real ones.
        }
        return new TextColumn(real.Name, new string?[count]);
    }

    /// <summary>Fresh fake personal data of the column's type (never a real value).</summary>
    public static Column Fake(ColumnSchema schema, string locale, int count, ulong seed) =>
        PiiFaker.Generate(schema.Name, schema.Pii ?? PiiType.PersonName, locale, count, seed);

    /// <summary>Mean and standard deviation, minimum and maximum of the present numbers (datetimes as ticks).</summary>
    public static (double Std, double Min, double Max) Spread(Column column)
    {
        double sum = 0, sq = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        int n = 0;
        for (int i = 0; i < column.Length; i++)
        {
            if (column.IsMissing(i)) continue;
            double v = Value(column, i);
            sum += v; n++;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (n == 0) return (0, 0, 0);
        double mean = sum / n;
        for (int i = 0; i < column.Length; i++)
            if (!column.IsMissing(i)) { double d = Value(column, i) - mean; sq += d * d; }
        return (n > 1 ? Math.Sqrt(sq / (n - 1)) : 0, min, max);
    }

    /// <summary>A numeric or datetime value as a double (ticks for datetimes); callers check missing first.</summary>
    public static double Value(Column column, int row) => column switch
    {
        NumericColumn n => n[row],
        DateTimeColumn d => d.Ticks[row],
        _ => throw new ArgumentException($"Column '{column.Name}' is {column.Type}, not numeric or datetime."),
    };
}
