using TabTwin.Randomness;
using TabTwin.Sampling;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;

namespace TabTwin.Sequences;

/// <summary>
/// Draws histories step by step. Every entity starts from a row with its context, ids and first steps (drawn from the
/// entity model, or read from real histories to continue); then, round after round, every entity not yet at its length
/// draws its next step from the step model given its context and history features, all entities of a round in one
/// draw. Round r draws from its own stream derived from (seed, r), and within a round CART draws in fixed blocks, so the
/// output is identical for any thread count.
/// </summary>
internal sealed class SequenceSampler
{
    private const ulong StepSalt = 0x5e11;

    private readonly SequencePlan _plan;
    private readonly ISynthesizerModel? _stepModel;
    private readonly StepHistory _history;
    private readonly Table _contexts;           // one row per entity: its context columns
    private readonly string?[][] _lastCategory;  // per categorical lag column, per entity: its last value
    private readonly int[] _anchorIndex;
    private readonly bool[] _isNumeric;
    private readonly int _entities;

    // What the rounds drew: per round, the entities, their order values, numeric levels and the other step columns.
    private readonly List<int[]> _roundEntities = [];
    private readonly List<double[]> _roundOrders = [];
    private readonly List<double[][]> _roundLevels = [];
    private readonly List<Table> _roundOthers = [];  // the non-numeric step columns the step model drew (those it models)
    private readonly List<int> _roundRows = [];

    public SequenceSampler(SequencePlan plan, ISynthesizerModel? stepModel, Table contexts, int entities)
    {
        _plan = plan; _stepModel = stepModel; _contexts = contexts; _entities = entities;
        _history = new StepHistory(plan, entities);
        _lastCategory = [.. plan.CategoricalLags.Select(_ => new string?[entities])];
        _anchorIndex = SequenceTraining.AnchorIndex(plan);
        var numeric = plan.Dynamics.Select(d => d.Column).ToHashSet(StringComparer.Ordinal);
        _isNumeric = [.. plan.Steps.Select(numeric.Contains)];
    }

    /// <summary>Each entity's context columns, one row per entity.</summary>
    public Table ContextTable => _contexts;

    /// <summary>Starts entity <paramref name="entity"/>'s history with a known step (its first, or the next of a real history being continued).</summary>
    public void Begin(int entity, int length, double start) => _history.Begin(entity, length, start);

    /// <summary>
    /// Records a known step of an entity (a real step, or the drawn first step): its order value (ignored for the first),
    /// its numeric levels (in <see cref="SequencePlan.Dynamics"/> order, NaN = missing) and its categorical values.
    /// </summary>
    public void Known(int entity, double order, bool first, double[] levels, string?[] categories)
    {
        if (!first) _history.Advance(entity, order);
        Push(entity, levels);
        for (int k = 0; k < categories.Length; k++) _lastCategory[k][entity] = categories[k];
    }

    /// <summary>Draws rounds until every entity has reached its length.</summary>
    public void Run(ulong seed, SampleContext context)
    {
        var active = Enumerable.Range(0, _entities).Where(e => _history.StepOf(e) < _history.LengthOf(e)).ToList();
        if (active.Count > 0 && _stepModel is null)
            throw new InvalidOperationException("The sequence model has no step model (every training history had one step), so it cannot draw further steps.");
        var inner = context with { Progress = null };
        for (ulong round = 0; active.Count > 0; round++)
        {
            context.Cancel.ThrowIfCancellationRequested();
            var drawn = GivenDraw.Draw(_stepModel!, Given(active), active.Count, SeededRandom.Derive(seed, StepSalt, round), inner);
            Record(active, drawn);
            active.RemoveAll(e => _history.StepOf(e) >= _history.LengthOf(e));
            context.Progress?.Report(new StepProgress("steps", 1 - active.Count / (double)_entities));
        }
    }

    private List<Column> Given(List<int> active)
    {
        var given = new List<Column>();
        var rows = active.ToArray();
        foreach (var c in _plan.Context) given.Add(_contexts[c].Take(rows));
        foreach (var (name, values, integer) in _history.Features(active)) given.Add(StepHistory.Column(name, values, integer));
        for (int k = 0; k < _plan.CategoricalLags.Length; k++)
            given.Add(CategoricalColumn.FromStrings(StepFeatures.Lag(_plan.CategoricalLags[k]), [.. active.Select(e => _lastCategory[k][e])]));
        return given;
    }

    private void Record(List<int> active, Table drawn)
    {
        int n = active.Count;
        var gaps = drawn.Get<NumericColumn>(StepFeatures.Gap);
        var orders = new double[n];
        var levels = new double[_plan.Dynamics.Length][];
        for (int d = 0; d < levels.Length; d++) levels[d] = new double[n];
        // A column the step model left out (no present value after a first step) is missing at every later step.
        var learned = _plan.Dynamics.Select(d => drawn.TryGetColumn(d.Column, out var c) ? c as NumericColumn : null).ToArray();
        var categories = _plan.CategoricalLags.Select(c => drawn.TryGetColumn(c, out var col) ? col : null).ToArray();
        for (int i = 0; i < n; i++)
        {
            int e = active[i];
            double gap = gaps.IsMissing(i) ? 0 : gaps[i];
            if (_plan.WholeGaps) gap = Math.Round(gap);
            if (gap < 0 || (!_plan.Ties && gap <= 0)) gap = _plan.Ties ? 0 : _plan.WholeGaps ? 1 : SmallestGap;
            orders[i] = _history.PreviousOrder(e) + gap;
            _history.Advance(e, orders[i]);
            var stepLevels = new double[levels.Length];
            for (int d = 0; d < levels.Length; d++)
            {
                var track = _history.Tracks[d];
                double value = learned[d] is { } col && !col.IsMissing(i) ? col[i] : double.NaN;
                double anchor = _anchorIndex[d] < 0 ? double.NaN : stepLevels[_anchorIndex[d]];
                stepLevels[d] = Round(d, track.LevelOf(e, value, anchor));
                levels[d][i] = stepLevels[d];
            }
            Push(e, stepLevels);
            for (int k = 0; k < categories.Length; k++) _lastCategory[k][e] = categories[k]?.FormatValue(i);
        }
        _roundEntities.Add([.. active]);
        _roundOrders.Add(orders);
        _roundLevels.Add(levels);
        _roundOthers.Add(new Table(_plan.Steps.Where((c, k) => !_isNumeric[k] && drawn.Contains(c)).Select(c => drawn[c])));
        _roundRows.Add(n);
    }

    /// <summary>A positive gap for draws that came out as zero in data without ties: a minute of a datetime, else a millionth of a unit.</summary>
    private double SmallestGap => _plan.OrderIsDate ? 1.0 / (24 * 60) : 1e-6;

    private void Push(int entity, double[] levels)
    {
        var tracks = _history.Tracks;
        for (int d = 0; d < tracks.Length; d++)
        {
            double anchor = _anchorIndex[d] < 0 ? double.NaN : levels[_anchorIndex[d]];
            tracks[d].Push(entity, levels[d], tracks[d].LearnedOf(entity, levels[d], anchor));
        }
        _history.Next(entity);
    }

    private double Round(int d, double level) => Round(_plan.NumericShapes[d], level);

    /// <summary>A level rounded as the real column is written: whole numbers, or its number of decimals.</summary>
    public static double Round(NumericShape shape, double level)
    {
        if (double.IsNaN(level)) return level;
        return shape.Integer ? Math.Round(level) : shape.Decimals is > 0 and <= 12 ? Math.Round(level, shape.Decimals) : level;
    }

    /// <summary>The drawn steps, round after round: entity, order value, numeric levels, and per round the other step columns drawn and its row count.</summary>
    public (int[] Entities, double[] Orders, double[][] Levels, IReadOnlyList<(Table Others, int Rows)> Rounds) Drawn()
    {
        var entities = _roundEntities.SelectMany(r => r).ToArray();
        var orders = _roundOrders.SelectMany(r => r).ToArray();
        var levels = new double[_plan.Dynamics.Length][];
        for (int d = 0; d < levels.Length; d++) levels[d] = [.. _roundLevels.SelectMany(r => r[d])];
        return (entities, orders, levels, [.. _roundOthers.Zip(_roundRows)]);
    }
}
