using TabTwin.Generation.Spec;

namespace TabTwin.Generation.Sampling;

/// <summary>
/// Instants in [From, To) with density ∝ hour weight × weekday weight × month weight, drawn by inverse CDF:
/// u picks a day from the cumulative day weights, the rest of u picks the hour within that day, the rest the moment
/// within the hour. Monotone in u, so a copula can correlate datetimes like any other marginal. Values are floored
/// to the resolution (whole days for dates).
/// </summary>
internal sealed class DateTimeSampler
{
    private readonly DateTime _from, _to;
    private readonly double[] _hour, _weekday, _month;
    private readonly bool _dateOnly;
    private readonly long _resolutionTicks;
    private readonly long _firstDayTicks;
    private readonly double[] _dayCumulative; // cumulative weight at the end of each day
    private readonly double _total;

    public DateTimeSampler(Distribution.DateTimeRange d)
    {
        _from = d.From;
        _to = d.To;
        _dateOnly = d.DateOnly;
        _hour = d.DateOnly ? Flat(24) : d.HourWeights?.ToArray() ?? Flat(24);
        _weekday = d.WeekdayWeights?.ToArray() ?? Flat(7);
        _month = d.MonthWeights?.ToArray() ?? Flat(12);
        _resolutionTicks = (d.Resolution ?? (d.DateOnly ? TimeSpan.FromDays(1) : TimeSpan.FromSeconds(1))).Ticks;
        _firstDayTicks = _from.Date.Ticks;
        int days = (int)Math.Ceiling((_to.Ticks - _firstDayTicks) / (double)TimeSpan.TicksPerDay);
        _dayCumulative = new double[days];
        double sum = 0;
        Span<double> hours = stackalloc double[24];
        for (int day = 0; day < days; day++)
        {
            sum += HourWeights(day, hours);
            _dayCumulative[day] = sum;
        }
        _total = sum;
        if (!(_total > 0))
            throw new SpecException("spec.bad-parameter", $"no moment between {_from:yyyy-MM-dd HH:mm} and {_to:yyyy-MM-dd HH:mm} has a positive seasonality weight.", field: "seasonality");
    }

    /// <summary>The default output format: dates, whole seconds or full precision.</summary>
    public string DefaultFormat => _dateOnly || _resolutionTicks % TimeSpan.TicksPerDay == 0 ? "yyyy-MM-dd"
        : _resolutionTicks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-ddTHH:mm:ss" : Tables.DateTimeColumn.IsoFormat;

    private static double[] Flat(int n) => Enumerable.Repeat(1.0, n).ToArray();

    /// <summary>Weight of each hour of day <paramref name="day"/> (the part inside [From, To)); returns their sum.</summary>
    private double HourWeights(int day, Span<double> hours)
    {
        long dayStart = _firstDayTicks + day * TimeSpan.TicksPerDay;
        var date = new DateTime(dayStart);
        double dayWeight = _weekday[((int)date.DayOfWeek + 6) % 7] * _month[date.Month - 1];
        double sum = 0;
        for (int h = 0; h < 24; h++)
        {
            long start = dayStart + h * TimeSpan.TicksPerHour, end = start + TimeSpan.TicksPerHour;
            long overlap = Math.Min(end, _to.Ticks) - Math.Max(start, _from.Ticks);
            hours[h] = overlap <= 0 ? 0 : dayWeight * _hour[h] * overlap / (double)TimeSpan.TicksPerHour;
            sum += hours[h];
        }
        return sum;
    }

    public long Ticks(double u)
    {
        double target = u * _total;
        int lo = 0, hi = _dayCumulative.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (_dayCumulative[mid] > target) hi = mid; else lo = mid + 1;
        }
        int day = lo;
        double before = day == 0 ? 0 : _dayCumulative[day - 1];
        Span<double> hours = stackalloc double[24];
        double dayWeight = HourWeights(day, hours);
        double rest = Math.Clamp(target - before, 0, dayWeight);
        int hour = 0;
        while (hour < 23 && (rest > hours[hour] || hours[hour] == 0)) { rest -= hours[hour]; hour++; }
        while (hours[hour] == 0 && hour > 0) hour--; // numerical edge: fall back to the last hour with weight
        double fraction = hours[hour] > 0 ? Math.Clamp(rest / hours[hour], 0, 1) : 0;
        long hourStart = _firstDayTicks + day * TimeSpan.TicksPerDay + hour * TimeSpan.TicksPerHour;
        long start = Math.Max(hourStart, _from.Ticks), end = Math.Min(hourStart + TimeSpan.TicksPerHour, _to.Ticks);
        long ticks = start + (long)(fraction * (end - start));
        ticks = Math.Min(ticks, _to.Ticks - 1);
        ticks -= ticks % _resolutionTicks;
        return Math.Max(ticks, _from.Ticks - _from.Ticks % _resolutionTicks);
    }
}
