using TabTwin.Encoding;
using TabTwin.Randomness;
using TabTwin.Sampling;
using TabTwin.Schema;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;

namespace TabTwin.Sequences;

/// <summary>
/// A fitted sequence model (see <see cref="SequenceSynthesizer"/>). Immutable; every method is thread-safe and
/// deterministic: the same seed gives identical output on any thread count. Output is long format, the columns of the
/// training table in their order, each new entity's steps together and in order.
/// </summary>
public sealed class SequenceModel
{
    private const ulong EntitySalt = 0x5e21, IdSalt = 0x5e22, StepSalt = 0x5e23;

    internal SequenceModel(TableSchema schema, SequencePlan plan, ISynthesizerModel entityModel, ISynthesizerModel? stepModel, PrivacyCheckResult? privacyCheck)
    {
        Schema = schema; Plan = plan; EntityModel = entityModel; StepModel = stepModel; PrivacyCheck = privacyCheck;
    }

    /// <summary>
    /// What the fit's entity-level privacy check did (levels tried, the entity DCR share at each, the level chosen); null when
    /// it did not run (switched off, or too few entities to hold some out). Not saved with the model.
    /// </summary>
    public PrivacyCheckResult? PrivacyCheck { get; }

    /// <summary>The metadata of the long table, with its <see cref="TableSchema.Sequence"/>.</summary>
    public TableSchema Schema { get; }
    internal SequencePlan Plan { get; }
    internal ISynthesizerModel EntityModel { get; }
    internal ISynthesizerModel? StepModel { get; }

    /// <summary>The context columns (learned once per entity).</summary>
    public IReadOnlyList<string> Context => Plan.Context;
    /// <summary>How each numeric step column is learned from one step to the next.</summary>
    public IReadOnlyList<ColumnDynamics> Dynamics => Plan.Dynamics;

    /// <summary><paramref name="entities"/> new entities with their whole histories.</summary>
    public Table Sample(int entities, ulong seed = 0, SampleContext? context = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(entities);
        context ??= new SampleContext();
        var drawn = EntityModel.Sample(entities, SeededRandom.Derive(seed, EntitySalt), context with { Progress = null });
        return FromEntities(drawn, seed, context);
    }

    /// <summary>
    /// One new entity per row of <paramref name="contexts"/>, its history drawn given that row's context columns (other
    /// columns of <paramref name="contexts"/> are ignored). A context category the model never learned (absent or rare in
    /// the training data) is drawn as if unknown.
    /// </summary>
    public Table SampleFor(Table contexts, ulong seed = 0, SampleContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        context ??= new SampleContext();
        if (Plan.Context.Length == 0)
            throw new SchemaException("sequence.no-context", "This sequence model learned no context columns (none was constant within every entity), so there is nothing to condition on.",
                hint: "Sample a number of entities instead, or declare \"context\" columns in the metadata's \"sequence\" and fit again.");
        var given = Plan.Context.Select(c => contexts.TryGetColumn(c, out var col) ? col : throw new SchemaException("sequence.context-missing",
            $"The contexts table has no column '{c}'; the model's context columns are: {string.Join(", ", Plan.Context)}.", column: c,
            hint: "Give one row per new entity with every context column.")).ToList();
        var drawn = GivenDraw.Draw(EntityModel, given, contexts.RowCount, SeededRandom.Derive(seed, EntitySalt), context with { Progress = null });
        return FromEntities(drawn, seed, context);
    }

    /// <summary>
    /// <paramref name="steps"/> more steps for every entity of <paramref name="history"/> (real histories in long format, the
    /// training table's columns), drawn given each whole history: a scenario generator. Returns only the new steps, under
    /// the entities' own ids and contexts.
    /// </summary>
    public Table Continue(Table history, int steps, ulong seed = 0, SampleContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        context ??= new SampleContext();
        foreach (var c in Plan.Columns)
            if (!history.Contains(c))
                throw new SchemaException("sequence.history-columns", $"The history has no column '{c}'; it needs every column the model was fitted on: {string.Join(", ", Plan.Columns)}.", column: c);
        var spec = Schema.Sequence! with { Context = Plan.Context };
        var layout = SequenceLayout.Of(history, spec);
        int n = layout.EntityCount;
        var sampler = new SequenceSampler(Plan, StepModel, new Table(Plan.Context.Select(c => history[c].Take(layout.FirstRows()))), n);
        var order = history[Plan.Order];
        var numeric = Plan.Dynamics.Select(d => (NumericColumn)history[d.Column]).ToArray();
        var categorical = Plan.CategoricalLags.Select(c => history[c]).ToArray();
        for (int e = 0; e < n; e++)
        {
            var rows = layout.StepsOf(e);
            sampler.Begin(e, rows.Length + steps, StepFeatures.OrderUnits(order, rows[0]));
            for (int k = 0; k < rows.Length; k++)
            {
                int r = rows[k];
                sampler.Known(e, StepFeatures.OrderUnits(order, r), k == 0,
                    [.. numeric.Select(c => c.IsMissing(r) ? double.NaN : c[r])], [.. categorical.Select(c => c.FormatValue(r))]);
            }
        }
        sampler.Run(SeededRandom.Derive(seed, StepSalt), context);
        var ids = history[Plan.Entity].Take(layout.FirstRows());
        return Assemble(sampler, ids, sampler.ContextTable, null, null, n);
    }

    private Table FromEntities(Table drawn, ulong seed, SampleContext context)
    {
        int n = drawn.RowCount;
        var lengths = drawn.Get<NumericColumn>(StepFeatures.Length);
        var start = drawn[StepFeatures.Start];
        var sampler = new SequenceSampler(Plan, StepModel, new Table(Plan.Context.Select(c => drawn[c])), n);
        var categorical = Plan.CategoricalLags.Select(c => drawn.TryGetColumn(c, out var col) ? col : null).ToArray();
        var firstLevels = FirstLevels(drawn);
        for (int e = 0; e < n; e++)
        {
            int length = lengths.IsMissing(e) ? 1 : (int)Math.Clamp(Math.Round(lengths[e]), 1, Math.Max(1, Plan.MaxLength));
            double at = start.IsMissing(e) ? double.NaN : StepFeatures.OrderUnits(start, e);
            sampler.Begin(e, length, at);
            sampler.Known(e, at, true, [.. firstLevels.Select(levels => levels[e])], [.. categorical.Select(c => c?.FormatValue(e))]);
        }
        sampler.Run(SeededRandom.Derive(seed, StepSalt), context);
        var ids = IdFormat.Parse(Plan.EntityIds).Generate(Plan.Entity, n, SeededRandom.Derive(seed, IdSalt));
        if (Plan.EntityCategorical && ids is not CategoricalColumn)
            ids = CategoricalColumn.FromStrings(Plan.Entity, [.. Enumerable.Range(0, n).Select(ids.FormatValue)]);
        return Assemble(sampler, ids, sampler.ContextTable, drawn, firstLevels, n);
    }

    /// <summary>The first step's numeric levels per column (NaN = missing): ratios to an anchor turned back into levels, rounded as the real column.</summary>
    private double[][] FirstLevels(Table drawn)
    {
        int n = drawn.RowCount;
        var levels = new double[Plan.Dynamics.Length][];
        var anchors = SequenceTraining.AnchorIndex(Plan);
        for (int d = 0; d < levels.Length; d++)
        {
            // A column the entity model left out (no real first step has a value) is missing at every first step.
            var column = drawn.TryGetColumn(Plan.Dynamics[d].Column, out var c) ? (NumericColumn)c : null;
            levels[d] = new double[n];
            for (int e = 0; e < n; e++)
            {
                double value = column is null || column.IsMissing(e) ? double.NaN : column[e];
                if (anchors[d] >= 0) value = Plan.Dynamics[d].Inverse(value, double.NaN, levels[anchors[d]][e]);
                levels[d][e] = SequenceSampler.Round(Plan.NumericShapes[d], value);
            }
        }
        return levels;
    }

    /// <summary>The long output: the first steps (when drawn) and every round's steps, each entity's rows together and in order.</summary>
    private Table Assemble(SequenceSampler sampler, Column ids, Table contexts, Table? first, double[][]? firstLevels, int n)
    {
        bool includeFirst = first is not null;
        var (entities, orders, levels, rounds) = sampler.Drawn();
        int firstCount = includeFirst ? n : 0, total = firstCount + entities.Length;
        // Row positions: entity-major, steps in order (rounds are in step order for each entity).
        var rowEntity = new int[total];
        var counts = new int[n];
        for (int e = 0; e < firstCount; e++) { rowEntity[e] = e; counts[e]++; }
        for (int i = 0; i < entities.Length; i++) { rowEntity[firstCount + i] = entities[i]; counts[entities[i]]++; }
        var offsets = new int[n + 1];
        for (int e = 0; e < n; e++) offsets[e + 1] = offsets[e] + counts[e];
        var next = (int[])offsets.Clone();
        var position = new int[total]; // drawn row → output row
        for (int i = 0; i < total; i++) position[i] = next[rowEntity[i]]++;
        var source = new int[total];    // output row → drawn row
        for (int i = 0; i < total; i++) source[position[i]] = i;

        var orderValues = new double[total];
        for (int e = 0; e < firstCount; e++) orderValues[e] = StepFeatures.OrderUnits(first![StepFeatures.Start], e);
        Array.Copy(orders, 0, orderValues, firstCount, orders.Length);
        var outputEntity = source.Select(i => rowEntity[i]).ToArray();
        var columns = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            [Plan.Entity] = ids.Take(outputEntity).WithName(Plan.Entity),
            [Plan.Order] = OrderColumn([.. source.Select(i => orderValues[i])]),
        };
        foreach (var c in Plan.Context) columns[c] = contexts[c].Take(outputEntity);
        for (int d = 0; d < Plan.Dynamics.Length; d++)
        {
            var values = new double[total];
            var name = Plan.Dynamics[d].Column;
            for (int i = 0; i < total; i++)
            {
                int s = source[i];
                values[i] = s < firstCount ? firstLevels![d][s] : levels[d][s - firstCount];
            }
            var shape = Plan.NumericShapes[d];
            columns[name] = StepHistory.Column(name, values, shape.Integer, shape.Integer ? null : shape.Decimals);
        }
        foreach (var c in Plan.Steps.Where(c => !columns.ContainsKey(c)).ToArray())
        {
            // The first steps (when drawn) and every round, in drawn order; a part whose model left the column out is all missing.
            var parts = new List<(Column? Column, int Rows)>();
            if (includeFirst) parts.Add((first!.TryGetColumn(c, out var f) ? f : null, n));
            parts.AddRange(rounds.Select(r => (r.Others.TryGetColumn(c, out var col) ? col : null, r.Rows)));
            var like = parts.Select(p => p.Column).FirstOrDefault(p => p is not null) ?? new TextColumn(c, []);
            var pieces = parts.Where(p => p.Rows > 0).Select(p => new Table([p.Column ?? ColumnTake.AllMissing(like, p.Rows, c)])).ToArray();
            columns[c] = (pieces.Length == 0 ? like : Table.Concat(pieces)[c]).Take(source);
        }
        return new Table(Plan.Columns.Select(c => columns[c]));
    }

    private Column OrderColumn(double[] units)
    {
        if (!Plan.OrderIsDate) return StepHistory.Column(Plan.Order, units, Plan.WholeGaps);
        var ticks = new long[units.Length];
        var missing = new bool[units.Length];
        for (int i = 0; i < units.Length; i++)
        {
            if (double.IsNaN(units[i])) { missing[i] = true; continue; }
            double days = Plan.WholeGaps ? Math.Round(units[i]) : units[i];
            ticks[i] = (long)Math.Clamp(Math.Round(days * TimeSpan.TicksPerDay), DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
        }
        return new DateTimeColumn(Plan.Order, ticks, missing.Any(m => m) ? Bitmask.FromBools(missing) : null, Plan.OrderFormat ?? DateTimeColumn.IsoFormat);
    }

    /// <summary>Saves the model as one model file (zip, manifest with every entry's SHA-256, no type names; written atomically). It holds what the model learned: protect it like the data.</summary>
    public void Save(string path) => SequenceFormat.Save(this, path);

    /// <summary>Whether the model file at <paramref name="path"/> holds a sequence model (its manifest says so; nothing else is read).</summary>
    public static bool IsSequenceModel(string path) => Models.ModelFile.ReadManifest(path).Synthesizer == SequenceFormat.Kind;

    /// <summary>
    /// Splits <paramref name="table"/>'s entities (whole histories, never single steps) into a training part of
    /// <paramref name="trainShare"/> of them and a holdout of the rest, by a seeded shuffle; both keep the input's row order.
    /// The holdout is what privacy and utility are measured against: histories the model never saw.
    /// </summary>
    public static (Table Train, Table Holdout) SplitEntities(Table table, SequenceSpec spec, double trainShare, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!(trainShare is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(trainShare), $"The training share must be in (0, 1) (got {trainShare}).");
        var layout = SequenceLayout.Of(table, spec);
        var order = Enumerable.Range(0, layout.EntityCount).ToArray();
        new SeededRandom(seed).Shuffle<int>(order);
        int train = (int)Math.Round(trainShare * order.Length);
        var inTrain = new bool[layout.EntityCount];
        foreach (int e in order[..train]) inTrain[e] = true;
        var trainRows = new List<int>();
        var holdoutRows = new List<int>();
        for (int e = 0; e < layout.EntityCount; e++) (inTrain[e] ? trainRows : holdoutRows).AddRange(layout.StepsOf(e).ToArray());
        trainRows.Sort();
        holdoutRows.Sort();
        return (table.Take([.. trainRows]), table.Take([.. holdoutRows]));
    }

    /// <summary>Loads a sequence model file; damage, tampering or another kind of model file is a <c>ModelFileException</c>.</summary>
    public static SequenceModel Load(string path) => SequenceFormat.Load(path);
}
