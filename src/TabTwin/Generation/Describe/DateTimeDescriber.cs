using TabTwin.Generation.Spec;
using TabTwin.Tables;
using static TabTwin.Generation.Describe.DescribeQuantiles;

namespace TabTwin.Generation.Describe;

/// <summary>
/// A datetime column as a spec range between the clip quantiles, with seasonality: month and weekday densities
/// (counts divided by how many such days the range covers) and hour-of-day counts. Weights summarising fewer than
/// k rows are zeroed, so no lone record's timing shows.
/// </summary>
internal static class DateTimeDescriber
{
    public static ColumnSpec Describe(DateTimeColumn column, DescribeOptions options, ICollection<string> notes)
    {
        var present = new List<long>(column.Length);
        for (int r = 0; r < column.Length; r++) if (!column.Missing[r]) present.Add(column.Ticks[r]);
        double missing = column.Length == 0 ? 0 : Math.Round((double)column.MissingCount / column.Length, 4);
        bool dateOnly = column.IsDateOnly;
        if (column.HasOffset) notes.Add($"{column.Name}: UTC offsets are not described; values are generated as local times.");
        if (present.Count < options.MinimumCount)
        {
            notes.Add($"{column.Name}: only {present.Count} values, fewer than {options.MinimumCount}; written as always missing.");
            var today = new DateTime(2000, 1, 1);
            return new ColumnSpec(column.Name, new Distribution.DateTimeRange(today, today.AddDays(1), DateOnly: dateOnly)) { Missing = 1, Format = column.Format };
        }
        var sorted = present.Select(t => (double)t).ToArray();
        Array.Sort(sorted);
        var (trimmed, lowTicks, highTicks) = Trim(sorted, options.ClipQuantile);
        var from = new DateTime((long)lowTicks);
        var to = new DateTime((long)highTicks);
        from = dateOnly ? from.Date : new DateTime(from.Ticks - from.Ticks % TimeSpan.TicksPerSecond);
        to = dateOnly ? to.Date.AddDays(1) : new DateTime(to.Ticks - to.Ticks % TimeSpan.TicksPerSecond).AddSeconds(1);
        if (to <= from) to = from.AddDays(1);

        var values = trimmed.Select(t => new DateTime((long)t)).ToArray();
        double spanDays = (to - from).TotalDays;
        var months = spanDays >= 60 ? Densities(values.Select(v => v.Month - 1), 12, CoveredDays(from, to, d => d.Month - 1, 12), options.MinimumCount) : null;
        var weekdays = spanDays >= 14 ? Densities(values.Select(v => ((int)v.DayOfWeek + 6) % 7), 7, CoveredDays(from, to, d => ((int)d.DayOfWeek + 6) % 7, 7), options.MinimumCount) : null;
        bool hasTime = !dateOnly && values.Any(v => v.TimeOfDay != TimeSpan.Zero);
        var hours = hasTime ? Densities(values.Select(v => v.Hour), 24, Enumerable.Repeat(1.0, 24).ToArray(), options.MinimumCount) : null;
        TimeSpan? resolution = dateOnly ? TimeSpan.FromDays(1)
            : values.All(v => v.Ticks % TimeSpan.TicksPerHour == 0) ? TimeSpan.FromHours(1)
            : values.All(v => v.Ticks % TimeSpan.TicksPerMinute == 0) ? TimeSpan.FromMinutes(1)
            : values.All(v => v.Ticks % TimeSpan.TicksPerSecond == 0) ? TimeSpan.FromSeconds(1) : null;
        return new ColumnSpec(column.Name, new Distribution.DateTimeRange(from, to, hours, weekdays, months, dateOnly, resolution))
        {
            Missing = missing, Format = column.Format,
        };
    }

    /// <summary>Counts per slot divided by the slot's exposure, scaled so the largest is 1; null when flat or too thin.</summary>
    private static double[]? Densities(IEnumerable<int> slots, int size, double[] exposure, int minimumCount)
    {
        var counts = new double[size];
        foreach (var s in slots) counts[s]++;
        var density = new double[size];
        for (int i = 0; i < size; i++) density[i] = counts[i] >= minimumCount && exposure[i] > 0 ? counts[i] / exposure[i] : 0;
        double max = density.Max();
        if (max <= 0) return null;
        var weights = density.Select(d => Math.Round(d / max, 4)).ToArray();
        return weights.All(w => w > 0.97) ? null : weights; // flat within noise: leave it out
    }

    /// <summary>How many days of each slot (month, weekday) lie in [from, to).</summary>
    private static double[] CoveredDays(DateTime from, DateTime to, Func<DateTime, int> slot, int size)
    {
        var days = new double[size];
        for (var d = from.Date; d < to; d = d.AddDays(1)) days[slot(d)]++;
        return days;
    }
}
