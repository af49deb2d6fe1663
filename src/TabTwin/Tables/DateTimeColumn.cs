using System.Globalization;

namespace TabTwin.Tables;

/// <summary>
/// Dates and times stored as clock ticks (<see cref="DateTime.Ticks"/> of the wall-clock value as written)
/// plus, when the source carried one, a per-row UTC offset in minutes. <see cref="Format"/> is the .NET
/// custom format the source used (e.g. <c>yyyy-MM-dd</c>, <c>yyyy-MM-ddTHH:mm:sszzz</c>) so output is
/// written back in the same shape and with the same offsets.
/// </summary>
public sealed class DateTimeColumn : Column
{
    private readonly long[] _ticks;
    private readonly short[]? _offsetMinutes;

    public DateTimeColumn(string name, long[] ticks, Bitmask? missing = null, string format = IsoFormat, short[]? offsetMinutes = null)
        : base(name, ticks.Length, missing ?? Bitmask.Empty(ticks.Length))
    {
        if (offsetMinutes is not null && offsetMinutes.Length != ticks.Length)
            throw new ArgumentException($"Column '{name}': {offsetMinutes.Length} offsets for {ticks.Length} rows.");
        for (int i = 0; i < ticks.Length; i++)
            if (!Missing[i] && (ticks[i] < DateTime.MinValue.Ticks || ticks[i] > DateTime.MaxValue.Ticks))
                throw new ArgumentException($"Column '{name}' row {i + 1}: ticks {ticks[i]} are outside the DateTime range.");
        _ticks = ticks;
        _offsetMinutes = offsetMinutes;
        Format = format;
    }

    /// <summary>Round-trip ISO 8601 without offset, used when nothing else is known.</summary>
    public const string IsoFormat = "yyyy-MM-ddTHH:mm:ss.FFFFFFF";

    public override ColumnType Type => ColumnType.DateTime;
    /// <summary>Wall-clock ticks as written (not converted to UTC).</summary>
    public ReadOnlySpan<long> Ticks => _ticks;
    /// <summary>Per-row UTC offsets in minutes, or empty when the source had none.</summary>
    public ReadOnlySpan<short> OffsetMinutes => _offsetMinutes;
    public bool HasOffset => _offsetMinutes is not null;
    public string Format { get; }
    /// <summary>True when the format holds no time-of-day part.</summary>
    public bool IsDateOnly => !Format.Contains('H') && !Format.Contains('h') && !Format.Contains('m') && !Format.Contains('s');

    public DateTime DateTimeAt(int row) => new(_ticks[row], DateTimeKind.Unspecified);

    public override object? GetValue(int row)
    {
        if (Missing[row]) return null;
        return _offsetMinutes is null
            ? DateTimeAt(row)
            : new DateTimeOffset(_ticks[row], TimeSpan.FromMinutes(_offsetMinutes[row]));
    }

    public override string? FormatValue(int row)
    {
        if (Missing[row]) return null;
        return _offsetMinutes is null
            ? DateTimeAt(row).ToString(Format, CultureInfo.InvariantCulture)
            : new DateTimeOffset(_ticks[row], TimeSpan.FromMinutes(_offsetMinutes[row])).ToString(Format, CultureInfo.InvariantCulture);
    }

    public override Column Take(ReadOnlySpan<int> rows)
    {
        var t = new long[rows.Length];
        short[]? o = _offsetMinutes is null ? null : new short[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            t[i] = _ticks[rows[i]];
            if (o is not null) o[i] = _offsetMinutes![rows[i]];
        }
        return new DateTimeColumn(Name, t, Missing.Take(rows), Format, o);
    }

    public override Column WithName(string name) => new DateTimeColumn(name, _ticks, Missing, Format, _offsetMinutes);
}
