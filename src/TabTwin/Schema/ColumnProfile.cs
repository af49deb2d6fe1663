using TabTwin.Tables;

namespace TabTwin.Schema;

/// <summary>
/// Facts about one column that the detection rules read: counts over the full column (present, distinct) and
/// an evenly spaced sample of at most <c>sampleSize</c> present values as text for the (slower) pattern checks.
/// </summary>
internal sealed class ColumnProfile
{
    private ColumnProfile(Column column) { Column = column; }

    public Column Column { get; }
    public int Rows => Column.Length;
    public int Present => Column.Length - Column.MissingCount;
    public int Missing => Column.MissingCount;
    public int Distinct { get; private set; }
    /// <summary>Evenly spaced present values as text (all of them when there are few).</summary>
    public string[] Sample { get; private set; } = [];
    public bool AllDistinct => Present > 0 && Distinct == Present;

    // Numeric facts (NumericColumn only).
    public bool IsInteger { get; private set; }
    public double Min { get; private set; }
    public double Max { get; private set; }
    /// <summary>Sorted distinct values are start, start+step, … with one step (≥ 2 values).</summary>
    public bool EvenlySpaced { get; private set; }
    public double Step { get; private set; }
    public bool OnlyZeroOne { get; private set; }

    public static ColumnProfile Build(Column column, int sampleSize)
    {
        var p = new ColumnProfile(column);
        p.Sample = TakeSample(column, sampleSize);
        switch (column)
        {
            case NumericColumn n: p.ProfileNumbers(n); break;
            case CategoricalColumn c: p.Distinct = c.CountPerCategory().Count(k => k > 0); break;
            case BooleanColumn b: p.Distinct = CountDistinctBooleans(b); break;
            case DateTimeColumn d: p.Distinct = CountDistinct(d.Ticks, d.Missing); break;
            default: p.Distinct = CountDistinctStrings(column); break;
        }
        return p;
    }

    public double Share(Func<string, bool> test)
    {
        if (Sample.Length == 0) return 0;
        int hits = 0;
        foreach (var s in Sample) if (test(s)) hits++;
        return (double)hits / Sample.Length;
    }

    public double AverageLength => Sample.Length == 0 ? 0 : Sample.Average(s => s.Length);

    private void ProfileNumbers(NumericColumn n)
    {
        var values = new double[Present];
        int k = 0;
        var v = n.Values;
        for (int i = 0; i < v.Length; i++) if (!n.Missing[i]) values[k++] = v[i];
        IsInteger = n.IsInteger;
        if (values.Length == 0) return;
        Array.Sort(values);
        Min = values[0];
        Max = values[^1];
        int distinct = 1;
        double firstStep = double.NaN;
        bool even = true;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] == values[i - 1]) continue;
            double step = values[i] - values[i - 1];
            if (double.IsNaN(firstStep)) firstStep = step;
            else if (Math.Abs(step - firstStep) > 1e-9 * Math.Max(1, Math.Abs(firstStep))) even = false;
            distinct++;
        }
        Distinct = distinct;
        EvenlySpaced = distinct >= 2 && even;
        Step = double.IsNaN(firstStep) ? 0 : firstStep;
        OnlyZeroOne = Min == 0 && Max == 1 && distinct == 2;
    }

    private static string[] TakeSample(Column column, int sampleSize)
    {
        int present = column.Length - column.MissingCount;
        int take = Math.Min(present, sampleSize);
        var sample = new string[take];
        int seen = 0, n = 0;
        for (int row = 0; row < column.Length && n < take; row++)
        {
            if (column.Missing[row]) continue;
            // Keep the present value whose rank crosses the next multiple of present/take: evenly spaced, deterministic.
            if ((long)seen * take / present != ((long)seen + 1) * take / present || present == take)
                sample[n++] = column.FormatValue(row) ?? "";
            seen++;
        }
        return n == take ? sample : sample[..n];
    }

    private static int CountDistinctStrings(Column column)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < column.Length; i++)
            if (column.FormatValue(i) is { } s) set.Add(s);
        return set.Count;
    }

    private static int CountDistinct(ReadOnlySpan<long> values, Bitmask missing)
    {
        var set = new HashSet<long>();
        for (int i = 0; i < values.Length; i++) if (!missing[i]) set.Add(values[i]);
        return set.Count;
    }

    private static int CountDistinctBooleans(BooleanColumn b)
    {
        bool t = false, f = false;
        for (int i = 0; i < b.Length; i++) if (!b.Missing[i]) { if (b[i]) t = true; else f = true; }
        return (t ? 1 : 0) + (f ? 1 : 0);
    }
}
