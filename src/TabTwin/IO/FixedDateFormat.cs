using System.Collections.Concurrent;
using System.Globalization;

namespace TabTwin.IO;

/// <summary>
/// A fast exact parser for fixed-width numeric date formats (yyyy, yy, MM, dd, HH, mm, ss, f…f and literal separators,
/// e.g. "yyyy-MM-dd HH:mm:ss" or "dd/MM/yyyy"). DateTime.TryParseExact is general but slow; type inference parses
/// every value of a date column twice, so the common formats take this path. Formats it cannot express
/// (variable widths, month names, offsets, optional fractions) return null from <see cref="For"/> and use .NET.
/// </summary>
internal sealed class FixedDateFormat
{
    private enum Part : byte { Literal, Year, TwoDigitYear, Month, Day, Hour, Minute, Second, Fraction }

    private readonly (Part Part, int Width, char Literal)[] _parts;
    private readonly int _length;
    private static readonly ConcurrentDictionary<string, FixedDateFormat?> Cache = new(StringComparer.Ordinal);

    private FixedDateFormat((Part, int, char)[] parts)
    {
        _parts = parts;
        _length = parts.Sum(p => p.Item2);
    }

    /// <summary>The compiled parser for <paramref name="format"/>, or null when the format is not fixed-width numeric.</summary>
    public static FixedDateFormat? For(string format) => Cache.GetOrAdd(format, Compile);

    private static FixedDateFormat? Compile(string format)
    {
        var parts = new List<(Part, int, char)>();
        for (int i = 0; i < format.Length;)
        {
            char ch = format[i];
            int run = 1;
            while (i + run < format.Length && format[i + run] == ch) run++;
            switch (ch)
            {
                case 'y' when run == 4: parts.Add((Part.Year, 4, '\0')); break;
                case 'y' when run == 2: parts.Add((Part.TwoDigitYear, 2, '\0')); break;
                case 'M' when run == 2: parts.Add((Part.Month, 2, '\0')); break;
                case 'd' when run == 2: parts.Add((Part.Day, 2, '\0')); break;
                case 'H' when run == 2: parts.Add((Part.Hour, 2, '\0')); break;
                case 'm' when run == 2: parts.Add((Part.Minute, 2, '\0')); break;
                case 's' when run == 2: parts.Add((Part.Second, 2, '\0')); break;
                case 'f' when run <= 7: parts.Add((Part.Fraction, run, '\0')); break;
                case '\'':
                    int close = format.IndexOf('\'', i + 1);
                    if (close < 0) return null;
                    foreach (var lit in format.AsSpan(i + 1, close - i - 1)) parts.Add((Part.Literal, 1, lit));
                    i = close + 1;
                    continue;
                case '-' or '/' or '.' or ':' or ' ' or 'T':
                    for (int k = 0; k < run; k++) parts.Add((Part.Literal, 1, ch));
                    break;
                default: return null;
            }
            i += run;
        }
        return new FixedDateFormat(parts.ToArray());
    }

    /// <summary>Parses exactly (same acceptance as DateTime.TryParseExact for these formats) into ticks.</summary>
    public bool TryParse(ReadOnlySpan<char> s, out long ticks)
    {
        ticks = 0;
        if (s.Length != _length) return false;
        int year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        int at = 0;
        foreach (var (part, width, literal) in _parts)
        {
            if (part == Part.Literal)
            {
                if (s[at] != literal) return false;
                at++;
                continue;
            }
            int value = 0;
            for (int k = 0; k < width; k++)
            {
                int digit = s[at + k] - '0';
                if ((uint)digit > 9) return false;
                value = value * 10 + digit;
            }
            at += width;
            switch (part)
            {
                case Part.Year: year = value; break;
                // As DateTime.TryParseExact reads "yy": the invariant calendar's window (1950–2049).
                case Part.TwoDigitYear: year = CultureInfo.InvariantCulture.Calendar.ToFourDigitYear(value); break;
                case Part.Month: month = value; break;
                case Part.Day: day = value; break;
                case Part.Hour: hour = value; break;
                case Part.Minute: minute = value; break;
                case Part.Second: second = value; break;
                case Part.Fraction:
                    long scaled = value;
                    for (int k = width; k < 7; k++) scaled *= 10;
                    fractionTicks = scaled;
                    break;
            }
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        ticks = new DateTime(year, month, day, hour, minute, second).Ticks + fractionTicks;
        return true;
    }
}
