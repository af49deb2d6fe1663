namespace TabTwin.Sequences;

/// <summary>
/// The history of one numeric step column for every entity, as the step model sees it: the last present level (carried
/// forward over missing steps), the last learned value (return, change or ratio) and the mean absolute learned value over
/// the last <see cref="Window"/> steps (recent volatility, so calm and turbulent stretches cluster as in real prices).
/// Fitting and sampling push steps through the same code, so the features mean the same in both.
/// </summary>
internal sealed class NumericTrack
{
    /// <summary>Steps behind the recent-volatility feature: a trading week, long enough to smooth one jump, short enough to follow a regime.</summary>
    public const int Window = 5;

    private readonly double[] _level, _learned, _sum;
    private readonly int[] _count;
    private readonly double[] _recent; // entity-major ring of the last Window |learned| values (NaN = none yet)
    private readonly int[] _next;

    public NumericTrack(ColumnDynamics dynamics, int entities)
    {
        Dynamics = dynamics;
        _level = new double[entities]; _learned = new double[entities]; _sum = new double[entities]; _count = new int[entities];
        _recent = new double[entities * Window]; _next = new int[entities];
        Array.Fill(_level, double.NaN); Array.Fill(_learned, double.NaN); Array.Fill(_recent, double.NaN);
    }

    public ColumnDynamics Dynamics { get; }

    /// <summary>The last present level of <paramref name="entity"/> (NaN before any).</summary>
    public double Level(int entity) => _level[entity];
    /// <summary>The last learned value of <paramref name="entity"/> (NaN when the last step had none).</summary>
    public double Learned(int entity) => _learned[entity];

    /// <summary>
    /// Mean of the entity's present levels so far (NaN before any): its own level, so a step can be drawn around what this
    /// entity usually does (a heavy buyer's usual basket) rather than only around its last step, which would make every
    /// history drift like a random walk.
    /// </summary>
    public double Mean(int entity) => _count[entity] == 0 ? double.NaN : _sum[entity] / _count[entity];

    /// <summary>Mean |learned value| over the last <see cref="Window"/> steps that had one (NaN when none did).</summary>
    public double Volatility(int entity)
    {
        double sum = 0; int n = 0;
        for (int k = 0; k < Window; k++) { double v = _recent[entity * Window + k]; if (!double.IsNaN(v)) { sum += v; n++; } }
        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>The learned value of a real step (NaN when the level, or what it is relative to, is missing).</summary>
    public double LearnedOf(int entity, double level, double anchorLevel)
    {
        if (double.IsNaN(level)) return double.NaN;
        double learned = Dynamics.Forward(level, _level[entity], anchorLevel);
        return double.IsFinite(learned) ? learned : double.NaN;
    }

    /// <summary>The level of a drawn learned value (NaN when it, or what it is relative to, is missing).</summary>
    public double LevelOf(int entity, double learned, double anchorLevel)
    {
        if (double.IsNaN(learned)) return double.NaN;
        double level = Dynamics.Inverse(learned, _level[entity], anchorLevel);
        return double.IsFinite(level) ? level : double.NaN;
    }

    /// <summary>Records a step: its level (NaN = missing, the last level is kept) and its learned value.</summary>
    public void Push(int entity, double level, double learned)
    {
        if (!double.IsNaN(level)) { _level[entity] = level; _sum[entity] += level; _count[entity]++; }
        _learned[entity] = learned;
        _recent[entity * Window + _next[entity]] = double.IsNaN(learned) ? double.NaN : Math.Abs(learned);
        _next[entity] = (_next[entity] + 1) % Window;
    }
}
