using TabTwin.Encoding;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sequences;

/// <summary>
/// Turns a long table into the two tables the sequence model learns:
/// <list type="bullet">
/// <item>the entity table, one row per entity: its context, its first step, its length (<c>@length</c>) and start
/// (<c>@start</c>), learned with the context leading (so histories can be drawn for given contexts);</item>
/// <item>the step table, one row per later step: the history features (step index, steps left, time since start, last
/// gap, weekday and month of the last event, each column's last level, last return and recent volatility, each
/// categorical column's last value) leading, then the gap to the previous event (<c>@gap</c>) and the step's columns
/// (numeric ones as their <see cref="ColumnDynamics"/> transform).</item>
/// </list>
/// </summary>
internal static class SequenceTraining
{
    public sealed record Tables(Table Entities, TableSchema EntitySchema, Table Steps, TableSchema StepSchema);

    public static SequencePlan Plan(Table table, TableSchema schema, SequenceLayout layout)
    {
        var spec = layout.Spec;
        var order = table[spec.Order];
        var dynamics = ColumnDynamics.Learn(table, layout, schema).ToArray();
        var numeric = dynamics.Select(d => d.Column).ToHashSet(StringComparer.Ordinal);
        var categoricalLags = layout.StepColumns.Where(c => !numeric.Contains(c) && schema[c].Kind is ColumnKind.Categorical or ColumnKind.Boolean).ToArray();
        var firstRows = layout.FirstRows();
        var keys = SequenceLayout.OrderKeys(order);
        bool ties = false;
        for (int e = 0; e < layout.EntityCount && !ties; e++)
        {
            var steps = layout.StepsOf(e);
            for (int k = 1; k < steps.Length && !ties; k++) ties = keys[steps[k]] == keys[steps[k - 1]];
        }
        var context = layout.Context.ToArray();
        var features = new List<string> { StepFeatures.Step, StepFeatures.Left, StepFeatures.Elapsed, StepFeatures.LastGap };
        if (order is DateTimeColumn) features.AddRange([StepFeatures.Weekday, StepFeatures.Month]);
        foreach (var d in dynamics)
        {
            features.AddRange([StepFeatures.Lag(d.Column), StepFeatures.Mean(d.Column)]);
            if (d.Transform != StepTransform.Level) features.AddRange([StepFeatures.Learned(d.Column), StepFeatures.Volatility(d.Column)]);
        }
        features.AddRange(categoricalLags.Select(StepFeatures.Lag));
        return new SequencePlan
        {
            Entity = spec.Entity, Order = spec.Order, Columns = [.. table.ColumnNames], Context = context, Steps = [.. layout.StepColumns],
            Dynamics = dynamics, CategoricalLags = categoricalLags,
            NumericShapes = [.. dynamics.Select(d => (NumericColumn)table[d.Column]).Select(c => new NumericShape(c.Name, c.IsInteger, c.DecimalPlaces))],
            OrderIsDate = order is DateTimeColumn, OrderFormat = (order as DateTimeColumn)?.Format,
            WholeGaps = order is DateTimeColumn d0 ? d0.IsDateOnly : ((NumericColumn)order).IsInteger,
            Ties = ties,
            EntityIds = IdFormat.Learn(table[spec.Entity].Take(firstRows)).Pattern, EntityCategorical = table[spec.Entity] is CategoricalColumn,
            EntitySchema = schema[spec.Entity], OrderSchema = schema[spec.Order],
            Entities = layout.EntityCount, MaxLength = Enumerable.Range(0, layout.EntityCount).Max(layout.LengthOf),
            EntityLeading = context, StepLeading = [.. context, .. features],
        };
    }

    public static Tables Build(Table table, TableSchema schema, SequenceLayout layout, SequencePlan plan)
    {
        int entities = layout.EntityCount;
        var order = table[plan.Order];
        var firstRows = layout.FirstRows();

        // The entity table: context and first step as they are (a column that moves with an anchor as its ratio to it, so
        // a first day's high, low and close agree with its open), then length and start.
        var entityColumns = plan.Context.Select(c => table[c].Take(firstRows)).Concat(plan.Steps.Select(c => FirstStep(table, plan, c, firstRows))).ToList();
        entityColumns.Add(new NumericColumn(StepFeatures.Length, [.. Enumerable.Range(0, entities).Select(e => (double)layout.LengthOf(e))], isInteger: true));
        entityColumns.Add(order.Take(firstRows).WithName(StepFeatures.Start));
        var entitySchema = new TableSchema
        {
            Locale = schema.Locale,
            Columns = [.. plan.Context.Select(c => schema[c]), .. plan.Steps.Select(c => RatioOf(plan, c) is { } d
                    ? new ColumnSchema { Name = c, Kind = ColumnKind.Numerical, Reason = $"first step's ratio to '{d.Anchor}'" } : schema[c]),
                new ColumnSchema { Name = StepFeatures.Length, Kind = ColumnKind.Numerical, Reason = "steps in the entity's history" },
                plan.OrderSchema with { Name = StepFeatures.Start, Reason = "order value of the entity's first step" }],
        };

        // The step table: every step after the first, step by step across entities as the sampler draws them, with the
        // history features computed by the same StepHistory.
        var history = new StepHistory(plan, entities);
        var stepRows = new List<int>();       // the real row of each step-table row
        var previousRows = new List<int>();   // the real row of the step before it
        var gaps = new List<double>();
        var learned = plan.Dynamics.Select(_ => new List<double>()).ToArray();
        var levels = plan.Dynamics.Select(d => (NumericColumn)table[d.Column]).ToArray();
        var anchorIndex = AnchorIndex(plan);
        List<(string Name, List<double> Values, bool Integer)>? features = null;
        for (int e = 0; e < entities; e++)
        {
            history.Begin(e, layout.LengthOf(e), StepFeatures.OrderUnits(order, firstRows[e]));
            Push(history, e, firstRows[e], levels, anchorIndex, null);
        }
        var active = Enumerable.Range(0, entities).Where(e => layout.LengthOf(e) > 1).ToList();
        for (int t = 1; active.Count > 0; t++)
        {
            var batch = history.Features(active);
            features ??= [.. batch.Select(f => (f.Name, new List<double>(), f.Integer))];
            for (int f = 0; f < batch.Count; f++) features[f].Values.AddRange(batch[f].Values);
            foreach (int e in active)
            {
                var steps = layout.StepsOf(e);
                stepRows.Add(steps[t]);
                previousRows.Add(steps[t - 1]);
                double at = StepFeatures.OrderUnits(order, steps[t]);
                gaps.Add(at - history.PreviousOrder(e));
                history.Advance(e, at);
                Push(history, e, steps[t], levels, anchorIndex, learned);
            }
            active.RemoveAll(e => layout.LengthOf(e) <= t + 1);
        }
        var stepColumns = new List<Column>();
        var stepSchema = new List<ColumnSchema>();
        var stepIndex = stepRows.ToArray();
        foreach (var c in plan.Context) { stepColumns.Add(table[c].Take(stepIndex)); stepSchema.Add(schema[c]); }
        foreach (var (name, values, integer) in features ?? [])
        {
            stepColumns.Add(StepHistory.Column(name, [.. values], integer));
            stepSchema.Add(new ColumnSchema { Name = name, Kind = ColumnKind.Numerical, Reason = "history feature" });
        }
        var previous = previousRows.ToArray();
        foreach (var c in plan.CategoricalLags)
        {
            var source = table[c];
            stepColumns.Add(CategoricalColumn.FromStrings(StepFeatures.Lag(c), [.. previous.Select(source.FormatValue)]));
            stepSchema.Add(new ColumnSchema { Name = StepFeatures.Lag(c), Kind = ColumnKind.Categorical, Reason = "previous step's value" });
        }
        stepColumns.Add(new NumericColumn(StepFeatures.Gap, [.. gaps], isInteger: plan.WholeGaps));
        stepSchema.Add(new ColumnSchema { Name = StepFeatures.Gap, Kind = ColumnKind.Numerical, Reason = "time since the previous step" });
        foreach (var c in plan.Steps)
        {
            int d = Array.FindIndex(plan.Dynamics, x => x.Column == c);
            if (d >= 0 && plan.Dynamics[d].Transform != StepTransform.Level)
            {
                stepColumns.Add(StepHistory.Column(c, [.. learned[d]]));
                stepSchema.Add(new ColumnSchema { Name = c, Kind = ColumnKind.Numerical, Reason = $"{plan.Dynamics[d].Transform} of '{c}'" });
            }
            else { stepColumns.Add(table[c].Take(stepIndex)); stepSchema.Add(schema[c]); }
        }
        var (entityTable, entityColumnsSchema) = WithoutEmpty(entityColumns, entitySchema.Columns);
        var (stepTable, stepColumnsSchema) = WithoutEmpty(stepColumns, stepSchema);
        return new Tables(entityTable, entitySchema with { Columns = entityColumnsSchema }, stepTable, new TableSchema { Locale = schema.Locale, Columns = stepColumnsSchema });
    }

    /// <summary>
    /// The columns that hold at least one value: a column empty in one inner table (berka's k_symbol on every account's first
    /// transaction) says only that it is missing there, which the sampler writes back; the encoding would refuse it.
    /// </summary>
    private static (Table Table, IReadOnlyList<ColumnSchema> Schema) WithoutEmpty(IReadOnlyList<Column> columns, IReadOnlyList<ColumnSchema> schema)
    {
        var keep = columns.Select(c => c.Length == 0 || c.MissingCount < c.Length).ToArray();
        return (new Table(columns.Where((_, i) => keep[i])), [.. schema.Where((_, i) => keep[i])]);
    }

    /// <summary>Pushes a real step's numeric values into the tracks (anchors before the columns relative to them), recording learned values.</summary>
    private static void Push(StepHistory history, int entity, int row, NumericColumn[] levels, int[] anchorIndex, List<double>[]? learned)
    {
        var tracks = history.Tracks;
        for (int d = 0; d < tracks.Length; d++)
        {
            double level = levels[d].IsMissing(row) ? double.NaN : levels[d][row];
            double anchor = anchorIndex[d] < 0 || levels[anchorIndex[d]].IsMissing(row) ? double.NaN : levels[anchorIndex[d]][row];
            double value = tracks[d].LearnedOf(entity, level, anchor);
            learned?[d].Add(value);
            tracks[d].Push(entity, level, value);
        }
        history.Next(entity);
    }

    /// <summary>The column's dynamics when it is learned as a ratio to an anchor (null otherwise).</summary>
    public static ColumnDynamics? RatioOf(SequencePlan plan, string column) =>
        plan.Dynamics.FirstOrDefault(d => d.Column == column && d.Transform == StepTransform.RatioToAnchor);

    private static Column FirstStep(Table table, SequencePlan plan, string column, int[] firstRows)
    {
        if (RatioOf(plan, column) is not { } d) return table[column].Take(firstRows);
        var value = (NumericColumn)table[column];
        var anchor = (NumericColumn)table[d.Anchor!];
        var ratios = new double[firstRows.Length];
        for (int i = 0; i < ratios.Length; i++)
        {
            int r = firstRows[i];
            ratios[i] = value.IsMissing(r) || anchor.IsMissing(r) ? double.NaN : d.Forward(value[r], double.NaN, anchor[r]);
            if (!double.IsFinite(ratios[i])) ratios[i] = double.NaN;
        }
        return StepHistory.Column(column, ratios);
    }

    /// <summary>For each dynamics entry, the index of its anchor's entry (−1 when it has none).</summary>
    public static int[] AnchorIndex(SequencePlan plan) =>
        [.. plan.Dynamics.Select(d => d.Anchor is null ? -1 : Array.FindIndex(plan.Dynamics, a => a.Column == d.Anchor))];
}
