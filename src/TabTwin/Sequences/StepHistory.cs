using TabTwin.Tables;

namespace TabTwin.Sequences;

/// <summary>Names of the columns the sequence's inner models add to the real ones (<c>@</c> never starts a real column the models see).</summary>
internal static class StepFeatures
{
    public const string Length = "@length", Start = "@start", Gap = "@gap";
    public const string Step = "@step", Left = "@left", Elapsed = "@elapsed", LastGap = "@lastgap", Weekday = "@weekday", Month = "@month";
    public static string Lag(string column) => "@lag." + column;
    public static string Learned(string column) => "@ret." + column;
    public static string Volatility(string column) => "@vol." + column;
    public static string Mean(string column) => "@mean." + column;

    /// <summary>Order values as numbers: days (with fractions) for dates, the value itself for numbers.</summary>
    public static double OrderUnits(Column order, int row) => order is DateTimeColumn d ? d.Ticks[row] / (double)TimeSpan.TicksPerDay : ((NumericColumn)order)[row];
}

/// <summary>
/// Where every entity stands in its history: the step it is at, its length, its start and last order value, its last gap
/// and each numeric step column's <see cref="NumericTrack"/>. The fit pushes real steps through it and the sampler drawn
/// ones, and both read the history features from <see cref="Features"/>, so a feature means the same in both.
/// </summary>
internal sealed class StepHistory
{
    private readonly SequencePlan _plan;
    private readonly double[] _start, _previous, _lastGap;
    private readonly int[] _step, _length;

    public StepHistory(SequencePlan plan, int entities)
    {
        _plan = plan;
        _start = new double[entities]; _previous = new double[entities]; _lastGap = new double[entities];
        _step = new int[entities]; _length = new int[entities];
        Array.Fill(_lastGap, double.NaN);
        Tracks = plan.Dynamics.Select(d => new NumericTrack(d, entities)).ToArray();
    }

    public NumericTrack[] Tracks { get; }
    public int StepOf(int entity) => _step[entity];
    public int LengthOf(int entity) => _length[entity];
    public double PreviousOrder(int entity) => _previous[entity];

    /// <summary>Starts an entity's history: its total length and the order value of its first step.</summary>
    public void Begin(int entity, int length, double start)
    {
        _length[entity] = length; _start[entity] = start; _previous[entity] = start; _step[entity] = 0;
    }

    /// <summary>Records the order value of the entity's next step (the first step is recorded by <see cref="Begin"/>).</summary>
    public void Advance(int entity, double order)
    {
        _lastGap[entity] = order - _previous[entity];
        _previous[entity] = order;
    }

    /// <summary>Moves the entity's step counter past the step just pushed to every track.</summary>
    public void Next(int entity) => _step[entity]++;

    /// <summary>
    /// The history features (every leading column of the step model but the context and categorical lags) of
    /// <paramref name="entities"/> before their next step: name, values (NaN = missing) and whether they are whole numbers.
    /// </summary>
    public List<(string Name, double[] Values, bool Integer)> Features(IReadOnlyList<int> entities)
    {
        int n = entities.Count;
        var columns = new List<(string, double[], bool)>
        {
            (StepFeatures.Step, Values(n, i => _step[entities[i]]), true),
            (StepFeatures.Left, Values(n, i => _length[entities[i]] - _step[entities[i]]), true),
            (StepFeatures.Elapsed, Values(n, i => _previous[entities[i]] - _start[entities[i]]), false),
            (StepFeatures.LastGap, Values(n, i => _lastGap[entities[i]]), false),
        };
        if (_plan.OrderIsDate)
        {
            columns.Add((StepFeatures.Weekday, Values(n, i => (double)(int)Day(_previous[entities[i]]).DayOfWeek), true));
            columns.Add((StepFeatures.Month, Values(n, i => Day(_previous[entities[i]]).Month), true));
        }
        foreach (var track in Tracks)
        {
            var name = track.Dynamics.Column;
            columns.Add((StepFeatures.Lag(name), Values(n, i => track.Level(entities[i])), false));
            columns.Add((StepFeatures.Mean(name), Values(n, i => track.Mean(entities[i])), false));
            if (track.Dynamics.Transform == StepTransform.Level) continue;
            columns.Add((StepFeatures.Learned(name), Values(n, i => track.Learned(entities[i])), false));
            columns.Add((StepFeatures.Volatility(name), Values(n, i => track.Volatility(entities[i])), false));
        }
        return columns;
    }

    /// <summary>A numeric column of values where NaN marks a missing value (whole numbers or a number of decimals when given).</summary>
    public static NumericColumn Column(string name, double[] values, bool integer = false, int? decimals = null)
    {
        var missing = new bool[values.Length];
        bool any = false;
        for (int i = 0; i < values.Length; i++)
            if (double.IsNaN(values[i])) { missing[i] = true; values[i] = 0; any = true; }
        return new NumericColumn(name, values, any ? Bitmask.FromBools(missing) : null, isInteger: integer, decimalPlaces: decimals);
    }

    private static double[] Values(int n, Func<int, double> value)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = value(i);
        return values;
    }

    private static DateTime Day(double days) =>
        new((long)Math.Clamp(Math.Round(days * TimeSpan.TicksPerDay), DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks));
}
