using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Encoding;

/// <summary>
/// A datetime column: encoded as wall-clock seconds since 1970-01-01 (offsets are not part of the instant the
/// model sees); decoded with the source's format, resolution (whole days for date-only formats), range and
/// the observed distribution of UTC offsets.
/// </summary>
internal sealed record DatetimeEncoderState : ColumnEncoderState
{
    private static readonly long EpochTicks = new DateTime(1970, 1, 1).Ticks;
    private static readonly long[] Resolutions =
        [TimeSpan.TicksPerDay, TimeSpan.TicksPerHour, TimeSpan.TicksPerMinute, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMillisecond, 1];

    public required string Format { get; init; }
    /// <summary>Observed range as wall-clock ticks (exact, unlike the encoded seconds).</summary>
    public required long MinTicks { get; init; }
    public required long MaxTicks { get; init; }
    /// <summary>Every decoded value is a multiple of this many ticks (a day for date-only formats).</summary>
    public required long ResolutionTicks { get; init; }
    /// <summary>Distinct UTC offsets seen (minutes), or null when the source had none.</summary>
    public short[]? OffsetMinutes { get; init; }
    /// <summary>How often each offset in <see cref="OffsetMinutes"/> was seen.</summary>
    public int[]? OffsetCounts { get; init; }

    public override EncodedKind EncodedKind => EncodedKind.Continuous;

    internal override string? Problem() =>
        base.Problem() ?? (Format is null ? "it has no format"
        : !(MinTicks <= MaxTicks) || MinTicks < DateTime.MinValue.Ticks || MaxTicks > DateTime.MaxValue.Ticks ? "its range is not a valid date range"
        : !Resolutions.Contains(ResolutionTicks) ? $"its resolution {ResolutionTicks} ticks is not one TabTwin writes"
        : (OffsetMinutes is null) != (OffsetCounts is null) || (OffsetMinutes is not null && (OffsetMinutes.Length != OffsetCounts!.Length
            || OffsetCounts.Any(c => c < 0) || (OffsetCounts.Length > 0 && OffsetCounts.All(c => c == 0)) || OffsetMinutes.Any(m => Math.Abs(m) > 14 * 60)))
            ? "its UTC offsets and their counts do not match" : null);

    internal static double ToSeconds(long ticks) => (ticks - EpochTicks) / (double)TimeSpan.TicksPerSecond;

    /// <param name="column">The source column.</param>
    /// <param name="format">The output format: the schema's when it names one, else the column's own.</param>
    /// <param name="tailRows">The learned range runs from the tailRows-th smallest to the tailRows-th largest value (1 = exact min and max).</param>
    internal static DatetimeEncoderState Fit(DateTimeColumn column, string? format = null, int tailRows = 1)
    {
        format ??= column.Format;
        CheckFormat(column.Name, format);
        // Same rule as DateTimeColumn.IsDateOnly, applied to the output format.
        bool dateOnly = new DateTimeColumn(column.Name, [], null, format).IsDateOnly;
        long min = long.MaxValue, max = long.MinValue;
        var offsetCounts = new SortedDictionary<short, int>();
        int resolutionIndex = 0;
        for (int i = 0; i < column.Length; i++)
        {
            if (column.IsMissing(i)) continue;
            long t = column.Ticks[i];
            min = Math.Min(min, t);
            max = Math.Max(max, t);
            if (column.HasOffset) offsetCounts[column.OffsetMinutes[i]] = offsetCounts.GetValueOrDefault(column.OffsetMinutes[i]) + 1;
            // The coarsest resolution that divides every value (days, hours, ..., ticks).
            while (t % Resolutions[resolutionIndex] != 0) resolutionIndex++;
        }
        if (tailRows > 1 && min <= max)
        {
            var present = Enumerable.Range(0, column.Length).Where(i => !column.IsMissing(i)).Select(i => column.Ticks[i]).Order().ToArray();
            int low = TailRange.LowIndex(present.Length, tailRows);
            (min, max) = (present[low], present[present.Length - 1 - low]);
        }
        long resolution = Resolutions[resolutionIndex];
        if (dateOnly) resolution = Math.Max(resolution, TimeSpan.TicksPerDay);
        return new DatetimeEncoderState
        {
            Name = column.Name, Storage = StorageSpec.Of(column) with { DateFormat = format }, Format = format,
            MinTicks = min, MaxTicks = max, ResolutionTicks = resolution,
            OffsetMinutes = column.HasOffset ? offsetCounts.Keys.ToArray() : null,
            OffsetCounts = column.HasOffset ? offsetCounts.Values.ToArray() : null,
        };
    }

    private static void CheckFormat(string column, string format)
    {
        try { _ = new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.FromHours(1)).ToString(format, System.Globalization.CultureInfo.InvariantCulture); }
        catch (FormatException)
        {
            throw new SchemaException("schema.datetime-format", $"Column '{column}': '{format}' is not a valid .NET date/time format.", column: column,
                hint: "Use a custom format such as yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss, or leave 'format' empty to keep the source's.");
        }
    }

    internal override EncodedColumn Encode(Column column)
    {
        if (column is not DateTimeColumn d) throw EncodingErrors.StorageChanged(Name, ColumnType.DateTime, column.Type);
        var values = new double[d.Length];
        for (int i = 0; i < values.Length; i++) values[i] = d.IsMissing(i) ? 0 : ToSeconds(d.Ticks[i]);
        return EncodedColumn.Continuous(Name, values, d.Missing);
    }

    internal override Column Decode(EncodedColumn? encoded, int rowCount, EncodingOptions options, ulong seed)
    {
        var seconds = encoded!.Values!;
        var ticks = new long[rowCount];
        short[]? offsets = OffsetMinutes is { Length: > 0 } ? new short[rowCount] : null;
        double[]? cumulative = offsets is null ? null : Cumulative(OffsetCounts!);
        var random = new SeededRandom(seed);
        for (int i = 0; i < rowCount; i++)
        {
            if (encoded.Missing[i]) continue;
            ticks[i] = RestoreTicks(seconds[i], options.ClipToObservedRange);
            if (offsets is not null) offsets[i] = OffsetMinutes![random.NextWeighted(cumulative)];
        }
        return new DateTimeColumn(Name, ticks, encoded.Missing, Format, offsets);
    }

    internal long RestoreTicks(double seconds, bool clip)
    {
        if (double.IsNaN(seconds)) throw EncodingErrors.NotANumber(Name);
        // Stay inside DateTime's range whatever the model produced, then snap to the source resolution.
        // Work relative to 1970 so the double keeps tick-level precision (absolute ticks would lose ~7 bits).
        double relative = Math.Clamp(seconds * TimeSpan.TicksPerSecond, DateTime.MinValue.Ticks - EpochTicks, DateTime.MaxValue.Ticks - EpochTicks);
        long t = Math.Clamp(EpochTicks + (long)Math.Round(relative), 0, DateTime.MaxValue.Ticks);
        t = (long)Math.Round(t / (double)ResolutionTicks, MidpointRounding.AwayFromZero) * ResolutionTicks;
        // Clip to the observed range at the output resolution: with a date-only format override that is the days of
        // the first and last value (min/max are already on the grid when the resolution was learned from the data).
        if (clip) t = Math.Clamp(t, MinTicks / ResolutionTicks * ResolutionTicks, MaxTicks / ResolutionTicks * ResolutionTicks);
        return Math.Clamp(t, 0, DateTime.MaxValue.Ticks / ResolutionTicks * ResolutionTicks);
    }

    private static double[] Cumulative(int[] counts)
    {
        var c = new double[counts.Length];
        double sum = 0;
        for (int i = 0; i < counts.Length; i++) c[i] = sum += counts[i];
        return c;
    }
}
