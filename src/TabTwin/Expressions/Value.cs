namespace TabTwin.Expressions;

/// <summary>
/// One scalar during evaluation. The static type is known from binding, so a value only carries its payload:
/// numbers and booleans (0/1) in <see cref="Number"/>, datetimes and durations as ticks in <see cref="Ticks"/>,
/// strings in <see cref="Text"/>. <c>default</c> is the missing value.
/// </summary>
internal readonly struct Value
{
    private Value(double number, long ticks, string? text)
    {
        Present = true;
        Number = number;
        Ticks = ticks;
        Text = text;
    }

    public readonly bool Present;
    public readonly double Number;
    public readonly long Ticks;
    public readonly string? Text;

    public bool IsMissing => !Present;
    public bool IsTrue => Number != 0;

    public static readonly Value Missing = default;
    public static readonly Value True = new(1, 0, null);
    public static readonly Value False = new(0, 0, null);

    /// <summary>NaN (0/0, sqrt(-1), log(-1)) becomes missing so it never silently passes a comparison.</summary>
    public static Value Num(double d) => double.IsNaN(d) ? default : new Value(d, 0, null);
    public static Value Bool(bool b) => b ? True : False;
    public static Value Str(string? s) => s is null ? default : new Value(0, 0, s);

    /// <summary>A datetime; ticks outside the DateTime range are missing.</summary>
    public static Value Time(long ticks) =>
        ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks ? default : new Value(0, ticks, null);

    /// <summary>A duration from (possibly fractional or overflowing) ticks; out of range is missing.</summary>
    public static Value Span(double ticks) =>
        double.IsNaN(ticks) || Math.Abs(ticks) > TimeSpan.MaxValue.Ticks ? default : new Value(0, (long)Math.Round(ticks), null);
}

/// <summary>A compiled expression node: the value for one row of the table it was compiled against.</summary>
internal delegate Value Eval(int row);
