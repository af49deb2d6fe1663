using System.Globalization;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.Conditioning;

/// <summary>
/// How condition values (invariant text) compare with column values: numbers and dates by value, booleans by
/// meaning (the column's own spelling or true/false, yes/no, 1/0 ...), everything else as exact text.
/// </summary>
internal static class ConditionValues
{
    private static readonly string[] TrueWords = ["true", "t", "yes", "y", "1", "on"];
    private static readonly string[] FalseWords = ["false", "f", "no", "n", "0", "off"];

    /// <summary>Formats tried for datetime values after the column's own format (date, date and time, with offsets).</summary>
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM", "yyyy",
    ];

    public static bool Equal(Column column, int row, string? value)
    {
        if (value is null) return column.IsMissing(row);
        if (column.IsMissing(row)) return false;
        switch (column)
        {
            case NumericColumn n when TryParseNumber(value, out double x):
                return n[row] == x;
            case DateTimeColumn d when TryParseTicks(value, d.Format, out long t):
                return d.Ticks[row] == t;
            case BooleanColumn b when TryParseBool(value, b.TrueToken, b.FalseToken, out bool v):
                return b[row] == v;
            default:
                return string.Equals(column.FormatValue(row), value, StringComparison.Ordinal);
        }
    }

    /// <summary>The value as a number for range tests: numbers as they are, datetimes as wall-clock ticks; null when missing or not numeric.</summary>
    public static double? NumberAt(Column column, int row)
    {
        if (column.IsMissing(row)) return null;
        return column switch
        {
            NumericColumn n => n[row],
            DateTimeColumn d => d.Ticks[row],
            _ => null,
        };
    }

    public static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Wall-clock ticks of <paramref name="text"/>: the column's format first, then ISO shapes; an offset is ignored (wall clock is compared).</summary>
    public static bool TryParseTicks(string text, string? format, out long ticks)
    {
        text = text.Trim();
        var styles = DateTimeStyles.AllowWhiteSpaces;
        if (format is not null && DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, styles | DateTimeStyles.AssumeUniversal, out var o))
        { ticks = o.DateTime.Ticks; return true; }
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, styles, out var d)) { ticks = d.Ticks; return true; }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles | DateTimeStyles.AssumeUniversal, out o)) { ticks = o.DateTime.Ticks; return true; }
        ticks = 0;
        return false;
    }

    /// <summary>True/false from the column's own tokens or a common spelling (case-insensitive).</summary>
    public static bool TryParseBool(string text, string? trueToken, string? falseToken, out bool value)
    {
        if (trueToken is not null && string.Equals(text, trueToken, StringComparison.Ordinal)) { value = true; return true; }
        if (falseToken is not null && string.Equals(text, falseToken, StringComparison.Ordinal)) { value = false; return true; }
        var t = text.Trim();
        if (trueToken is not null && string.Equals(t, trueToken.Trim(), StringComparison.OrdinalIgnoreCase)) { value = true; return true; }
        if (falseToken is not null && string.Equals(t, falseToken.Trim(), StringComparison.OrdinalIgnoreCase)) { value = false; return true; }
        if (TrueWords.Contains(t, StringComparer.OrdinalIgnoreCase)) { value = true; return true; }
        if (FalseWords.Contains(t, StringComparer.OrdinalIgnoreCase)) { value = false; return true; }
        value = false;
        return false;
    }

    /// <summary>Ticks shown as a date (and time when it has one), for messages.</summary>
    public static string FormatTicks(double ticks, string? format)
    {
        if (!double.IsFinite(ticks) || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
            return ticks.ToString("R", CultureInfo.InvariantCulture);
        var d = new DateTime((long)ticks);
        try { return d.ToString(format ?? (d.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-ddTHH:mm:ss.FFFFFFF"), CultureInfo.InvariantCulture); }
        catch (FormatException) { return d.ToString("o", CultureInfo.InvariantCulture); }
    }
}
