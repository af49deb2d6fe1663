using System.Globalization;
using System.Numerics;
using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// Turns the values of one database result column into a typed column. Native types map directly
/// (integers → integer numeric, floating/decimal → numeric, boolean → boolean, date/timestamp → datetime,
/// timestamptz/DateTimeOffset → datetime with offsets); text goes through <see cref="ColumnInference"/> exactly
/// like CSV (so a TEXT column of dates becomes datetime). Mixed value types (SQLite's dynamic typing) are read as
/// their invariant text and inferred. Anything else raises "db.unsupported-type" naming the column and type.
/// </summary>
internal static class DbColumnConverter
{
    public static Column Convert(string name, string dbType, DbColumnBuffer buffer, ReadOptions options, string source)
    {
        // Fast paths for the unboxed kinds; everything else goes through the general object path below.
        switch (buffer.ValueKind)
        {
            case DbColumnBuffer.Kind.Integer:
                var longs = buffer.Longs();
                if (longs.All(v => v >= -ValueShapes.MaxExactInteger && v <= ValueShapes.MaxExactInteger))
                    return new NumericColumn(name, longs.Select(v => (double)v).ToArray(), buffer.Nulls(), isInteger: true, decimalPlaces: 0);
                break;
            case DbColumnBuffer.Kind.Double:
                // A floating-point column is not an integer column even when today's values happen to be whole.
                return new NumericColumn(name, buffer.Doubles(), buffer.Nulls(), isInteger: false);
            case DbColumnBuffer.Kind.String:
                return ColumnInference.Infer(name, buffer.Strings(), options);
            case DbColumnBuffer.Kind.Boolean:
                return new BooleanColumn(name, buffer.Booleans(), buffer.Nulls());
            case DbColumnBuffer.Kind.DateTime:
                return DateTimes(name, dbType, buffer.Ticks(), buffer.Nulls(), buffer.SawUtc, dateOnlyValues: false);
        }
        return Convert(name, dbType, buffer.Objects(), options, source);
    }

    public static Column Convert(string name, string dbType, List<object?> values, ReadOptions options, string source)
    {
        var present = values.Where(v => v is not null).ToList();
        if (present.Count == 0) return new TextColumn(name, new string?[values.Count]);
        var types = present.Select(v => v!.GetType()).Distinct().ToList();

        if (types.All(IsIntegral)) return Integers(name, values, options);
        if (types.All(t => IsIntegral(t) || t == typeof(double) || t == typeof(float) || t == typeof(decimal)))
            return Numbers(name, values);
        if (types.All(t => t == typeof(bool)))
            return new BooleanColumn(name, values.Select(v => v is true).ToArray(), MaskOf(values));
        if (types.All(t => t == typeof(DateTime) || t == typeof(DateOnly)))
            return DateTimes(name, dbType, values);
        if (types.All(t => t == typeof(DateTimeOffset)))
            return Offsets(name, values);
        if (types.All(t => t == typeof(string) || t == typeof(Guid) || t == typeof(BigInteger) || IsIntegral(t)
                || t == typeof(double) || t == typeof(float) || t == typeof(decimal)))
            return ColumnInference.Infer(name, values.Select(AsText).ToArray(), options);

        var bad = types.First(t => t != typeof(string) && !IsIntegral(t) && t != typeof(double) && t != typeof(float) && t != typeof(decimal));
        throw new DataSourceException("db.unsupported-type",
            $"{source}: column '{name}' has database type '{dbType}' (read as {bad.Name}), which TabTwin cannot use.",
            column: name, file: source, hint: "Cast it to text, a number or a timestamp in a query (ReadOptions.Query), or leave the column out.");
    }

    internal static bool IsIntegral(Type t) => t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(byte)
        || t == typeof(sbyte) || t == typeof(ushort) || t == typeof(uint) || t == typeof(ulong);

    internal static string? AsText(object? v) => v switch
    {
        null => null,
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString(),
    };

    private static Column Integers(string name, List<object?> values, ReadOptions options)
    {
        var data = new double[values.Count];
        for (int i = 0; i < data.Length; i++)
        {
            if (values[i] is null) continue;
            var big = System.Convert.ToDecimal(values[i], CultureInfo.InvariantCulture);
            // Beyond 2^53 a double changes the digits: keep the column as text instead.
            if (Math.Abs(big) > ValueShapes.MaxExactInteger)
                return ColumnInference.Infer(name, values.Select(AsText).ToArray(), options with { MissingTokens = [] });
            data[i] = (double)big;
        }
        return new NumericColumn(name, data, MaskOf(values), isInteger: true, decimalPlaces: 0);
    }

    private static Column Numbers(string name, List<object?> values)
    {
        var data = new double[values.Count];
        int decimals = 0;
        bool exactDecimals = true;
        for (int i = 0; i < data.Length; i++)
        {
            switch (values[i])
            {
                case null: break;
                case decimal m: data[i] = (double)m; decimals = Math.Max(decimals, m.Scale); break;
                case float f: data[i] = double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture); exactDecimals = false; break;
                case double d: data[i] = d; exactDecimals = false; break;
                default: data[i] = System.Convert.ToDouble(values[i], CultureInfo.InvariantCulture); break;
            }
        }
        // A floating-point column is not an integer column even when today's values happen to be whole.
        return exactDecimals
            ? new NumericColumn(name, data, MaskOf(values), decimals == 0, Math.Min(decimals, 15))
            : new NumericColumn(name, data, MaskOf(values), isInteger: false);
    }

    private static Column DateTimes(string name, string dbType, List<object?> values)
    {
        var ticks = new long[values.Count];
        bool utc = false;
        for (int i = 0; i < ticks.Length; i++)
        {
            switch (values[i])
            {
                case DateTime dt: ticks[i] = dt.Ticks; utc |= dt.Kind == DateTimeKind.Utc; break;
                case DateOnly d: ticks[i] = d.ToDateTime(TimeOnly.MinValue).Ticks; break;
            }
        }
        return DateTimes(name, dbType, ticks, MaskOf(values), utc, values.All(v => v is null or DateOnly));
    }

    private static Column DateTimes(string name, string dbType, long[] ticks, Bitmask mask, bool utc, bool dateOnlyValues)
    {
        string type = dbType.ToLowerInvariant();
        bool timeZoned = utc || type.Contains("with time zone") || type.Contains("timestamptz");
        if (timeZoned)
            return new DateTimeColumn(name, ticks, mask, "yyyy-MM-dd HH:mm:ss" + FractionFor(ticks, mask) + "zzz", new short[ticks.Length]);
        if (dateOnlyValues || type == "date") return new DateTimeColumn(name, ticks, mask, "yyyy-MM-dd");
        return new DateTimeColumn(name, ticks, mask, "yyyy-MM-dd HH:mm:ss" + FractionFor(ticks, mask));
    }

    private static Column Offsets(string name, List<object?> values)
    {
        var ticks = new long[values.Count];
        var offsets = new short[values.Count];
        for (int i = 0; i < ticks.Length; i++)
            if (values[i] is DateTimeOffset dto) { ticks[i] = dto.DateTime.Ticks; offsets[i] = (short)dto.Offset.TotalMinutes; }
        var mask = MaskOf(values);
        return new DateTimeColumn(name, ticks, mask, "yyyy-MM-dd HH:mm:ss" + FractionFor(ticks, mask) + "zzz", offsets);
    }

    internal static string FractionFor(long[] ticks, Bitmask mask)
    {
        for (int i = 0; i < ticks.Length; i++)
            if (!mask[i] && ticks[i] % TimeSpan.TicksPerSecond != 0) return ValueShapes.VariableFraction;
        return "";
    }

    private static Bitmask MaskOf(List<object?> values)
    {
        var b = new Bitmask.Builder(values.Count);
        for (int i = 0; i < values.Count; i++) b.Set(i, values[i] is null);
        return b.Build();
    }
}
