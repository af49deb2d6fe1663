using System.Globalization;

namespace TabTwin.IO;

/// <summary>
/// Recognises the textual shape of single field values: numbers, boolean tokens and date/time
/// formats. Shapes are strict on purpose: anything whose text would not survive a round trip
/// through a typed column (leading zeros, a leading '+', integers beyond ±2^53) is not a number.
/// </summary>
internal static class ValueShapes
{
    /// <summary>2^53: the largest integer magnitude a double holds exactly.</summary>
    public const long MaxExactInteger = 9_007_199_254_740_992L;

    /// <summary>
    /// True when <paramref name="s"/> is an invariant-culture number TabTwin can hold without losing it:
    /// optional '-', digits without a leading zero (except "0" itself), optional '.' + digits,
    /// optional exponent. <paramref name="isInteger"/> = written without fraction or exponent;
    /// <paramref name="decimals"/> = digits after the point that the value really uses (exponent applied).
    /// </summary>
    public static bool IsNumber(ReadOnlySpan<char> s, out bool isInteger, out int decimals)
    {
        isInteger = false;
        decimals = 0;
        int i = 0, n = s.Length;
        if (n == 0) return false;
        if (s[0] == '-') i++;
        int intStart = i;
        while (i < n && char.IsAsciiDigit(s[i])) i++;
        int intDigits = i - intStart;
        if (intDigits == 0) return false;
        if (intDigits > 1 && s[intStart] == '0') return false; // "00123" is an identifier, not a number
        int fracDigits = 0;
        bool hasFraction = false, hasExponent = false;
        int exponent = 0;
        if (i < n && s[i] == '.')
        {
            hasFraction = true;
            i++;
            int fs = i;
            while (i < n && char.IsAsciiDigit(s[i])) i++;
            fracDigits = i - fs;
            if (fracDigits == 0) return false;
        }
        if (i < n && (s[i] == 'e' || s[i] == 'E'))
        {
            hasExponent = true;
            i++;
            int sign = 1;
            if (i < n && (s[i] == '+' || s[i] == '-')) { sign = s[i] == '-' ? -1 : 1; i++; }
            int es = i;
            while (i < n && char.IsAsciiDigit(s[i])) i++;
            if (i == es || i - es > 4) return false;
            exponent = sign * int.Parse(s[es..i], CultureInfo.InvariantCulture);
        }
        if (i != n) return false;

        if (!hasFraction && !hasExponent)
        {
            isInteger = true;
            if (intDigits < 16) return true;
            // Beyond 2^53 a double would silently change the digits: keep such values as text.
            return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long big)
                && big >= -MaxExactInteger && big <= MaxExactInteger;
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v)) return false;
        decimals = Math.Clamp(fracDigits - exponent, 0, 15);
        return true;
    }

    public static double ParseNumber(ReadOnlySpan<char> s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Recognised boolean spellings, as (true, false) pairs; matched case-insensitively. 0/1 is deliberately absent (stays numeric).</summary>
    public static readonly (string True, string False)[] BooleanPairs = [("true", "false"), ("yes", "no"), ("y", "n"), ("t", "f")];

    /// <summary>Finds which boolean pair and side a token belongs to; false when it is no boolean token.</summary>
    public static bool TryBoolean(ReadOnlySpan<char> s, out int pair, out bool value)
    {
        for (pair = 0; pair < BooleanPairs.Length; pair++)
        {
            if (s.Equals(BooleanPairs[pair].True, StringComparison.OrdinalIgnoreCase)) { value = true; return true; }
            if (s.Equals(BooleanPairs[pair].False, StringComparison.OrdinalIgnoreCase)) { value = false; return true; }
        }
        pair = -1;
        value = false;
        return false;
    }

    /// <summary>The counterpart token written in the same letter case as <paramref name="seen"/> (e.g. "YES" → "NO").</summary>
    public static string MatchCase(string canonical, string seen)
    {
        if (seen.Length > 0 && seen.All(char.IsUpper)) return canonical.ToUpperInvariant();
        if (seen.Length > 0 && char.IsUpper(seen[0])) return char.ToUpperInvariant(canonical[0]) + canonical[1..];
        return canonical;
    }

    /// <summary>Fraction pattern in candidate formats: parses 0–7 digits; narrowed to a fixed width when every value has the same.</summary>
    public const string VariableFraction = ".FFFFFFF";

    /// <summary>
    /// Candidate .NET formats, most specific first (the first survivor wins, so month-first beats
    /// day-first when both fit, and fixed-width beats variable-width).
    /// </summary>
    public static readonly DateCandidate[] DateCandidates =
    [
        new("yyyy-MM-dd"),
        new("yyyy-MM-ddTHH:mm:ss"),
        new("yyyy-MM-ddTHH:mm"),
        new("yyyy-MM-ddTHH:mm:ss" + VariableFraction),
        new("yyyy-MM-ddTHH:mm:ss'Z'"),
        new("yyyy-MM-ddTHH:mm:ss" + VariableFraction + "'Z'"),
        new("yyyy-MM-ddTHH:mm:sszzz", true),
        new("yyyy-MM-ddTHH:mm:ss" + VariableFraction + "zzz", true),
        new("yyyy-MM-dd HH:mm:ss"),
        new("yyyy-MM-dd HH:mm"),
        new("yyyy-MM-dd HH:mm:ss" + VariableFraction),
        new("yyyy-MM-dd HH:mm:sszzz", true),
        new("yyyy-MM-dd HH:mm:ss" + VariableFraction + "zzz", true),
        new("yyyy/MM/dd"),
        new("yyyy/MM/dd HH:mm:ss"),
        new("yyyy/MM/dd HH:mm"),
        new("MM/dd/yyyy"),
        new("dd/MM/yyyy"),
        new("MM/dd/yyyy HH:mm:ss"),
        new("dd/MM/yyyy HH:mm:ss"),
        new("MM/dd/yyyy HH:mm"),
        new("dd/MM/yyyy HH:mm"),
        new("M/d/yyyy"),
        new("d/M/yyyy"),
        new("M/d/yyyy H:mm"),
        new("M/d/yyyy H:mm:ss"),
        new("dd.MM.yyyy"),
        new("dd.MM.yyyy HH:mm:ss"),
        new("dd.MM.yyyy HH:mm"),
        new("d.M.yyyy"),
        new("dd-MM-yyyy"),
        new("dd-MMM-yyyy"),
        new("yyyyMMdd", NeedsDateName: true),
        new("yyMMdd", NeedsDateName: true),
        // Compact dates with a time part are not numbers, so they need no date-like name (berka's card.issued: 931107 00:00:00).
        new("yyyyMMdd HH:mm:ss"),
        new("yyMMdd HH:mm:ss"),
        new("yyyyMMdd HH:mm"),
        new("yyMMdd HH:mm"),
    ];

    /// <summary>
    /// Whether a value parsed with <paramref name="format"/> is a plausible date: compact forms (digits without
    /// separators, which other numbers can happen to fit) must fall in the years 1800–2200.
    /// </summary>
    public static bool IsPlausible(string format, long ticks) =>
        !format.StartsWith("yy", StringComparison.Ordinal) || format.Length < 6 || format[2] is '-' or '/' || format[4] is '-' or '/'
        || new DateTime(ticks).Year is >= 1800 and <= 2200;

    /// <summary>Column names that allow the ambiguous compact forms yyyyMMdd and yyMMdd (otherwise such values are integers).</summary>
    public static bool NameHintsDate(string name)
    {
        var n = name.ToLowerInvariant();
        return n.Contains("date") || n.Contains("day") || n.Contains("time") || n == "dt" || n.EndsWith("_dt") || n.StartsWith("dt_")
            || n.Contains("datum") || n.Contains("period");
    }

    /// <summary>A cheap pre-filter: every candidate format starts with a digit and is 6–40 characters long.</summary>
    public static bool MayBeDate(ReadOnlySpan<char> s) => s.Length is >= 6 and <= 40 && char.IsAsciiDigit(s[0]);

    /// <summary>Parses with one candidate format into wall-clock ticks (+ offset minutes for zzz formats).</summary>
    public static bool TryParseDate(ReadOnlySpan<char> s, string format, bool hasOffset, out long ticks, out short offsetMinutes)
    {
        offsetMinutes = 0;
        if (hasOffset)
        {
            // ISO 8601 writes UTC as 'Z'; a column mixing 'Z' with +02:00 / -05:00 is one offset column ('Z' = +00:00).
            if (DateTimeOffset.TryParseExact(s, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dto)
                || (s.Length > 1 && s[^1] is 'Z' or 'z' && format.EndsWith("zzz", StringComparison.Ordinal)
                    && DateTimeOffset.TryParseExact(string.Concat(s[..^1], "+00:00"), format, CultureInfo.InvariantCulture, DateTimeStyles.None, out dto)))
            {
                ticks = dto.DateTime.Ticks;
                offsetMinutes = (short)dto.Offset.TotalMinutes;
                return true;
            }
        }
        else if (FixedDateFormat.For(format) is { } fixedFormat)
        {
            return fixedFormat.TryParse(s, out ticks);
        }
        else if (DateTime.TryParseExact(s, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt))
        {
            ticks = dt.Ticks;
            return true;
        }
        ticks = 0;
        return false;
    }

    /// <summary>Digits after the last '.' of a date/time value (0 when there is none).</summary>
    public static int FractionDigits(ReadOnlySpan<char> s)
    {
        int dot = s.LastIndexOf('.');
        if (dot < 0) return 0;
        int i = dot + 1;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        return i - dot - 1;
    }
}

/// <summary>One candidate date/time format: its .NET pattern, whether it carries a UTC offset, and whether it needs a date-like column name.</summary>
internal sealed record DateCandidate(string Format, bool HasOffset = false, bool NeedsDateName = false);
