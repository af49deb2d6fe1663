using TabTwin.Randomness;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;

namespace TabTwin.Sequences;

/// <summary>
/// Learns entities with their histories from a long table (one row per step; see <see cref="SequenceSpec"/>), ML.NET
/// shape: <see cref="Fit"/> returns an immutable <see cref="SequenceModel"/>. Two models, both the default CART with its
/// privacy rules: one row per entity (context, first step, length, start; with the fit's privacy check), and one row per
/// later step drawn given the entity's context and its history so far (step index, steps left, time since start, last gap,
/// weekday and month, each column's last value, last return and recent volatility), autoregressively. Persistent positive
/// series (prices) are learned as returns, columns that move with them (a day's high with its open) as ratios, so levels
/// stay consistent over thousands of steps (see <see cref="ColumnDynamics"/>).
/// </summary>
public static class SequenceSynthesizer
{
    private const ulong EntitySalt = 0x5e01, StepSalt = 0x5e02;

    /// <summary>
    /// Fits <paramref name="table"/> (long format) under <paramref name="schema"/>, whose <see cref="TableSchema.Sequence"/>
    /// names the entity and order columns. Deterministic for <see cref="SequenceOptions.Seed"/> on any thread count.
    /// </summary>
    public static SequenceModel Fit(Table table, TableSchema schema, SequenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        options ??= new SequenceOptions();
        options.Check();
        var spec = schema.Sequence ?? throw new SchemaException("sequence.not-declared",
            "The metadata declares no sequence, so there is no entity whose history to learn.",
            hint: "Add \"sequence\": { \"entity\": \"<id column>\", \"order\": \"<date column>\" } to the metadata (tabtwin inspect proposes one).");
        schema.Validate(table);
        var layout = SequenceLayout.Of(table, spec);
        var stepRules = StepConstraints(SchemaConstraints.Of(schema), layout, options.Warning);
        schema = SchemaConstraints.Without(schema);
        var cart = new CartSynthesizer();
        if (layout.EntityCount < cart.MinimumRows)
            throw new SchemaException("table.too-small",
                $"The table holds {layout.EntityCount} {(layout.EntityCount == 1 ? "entity" : "entities")} ('{spec.Entity}'); the sequence synthesizer needs at least {cart.MinimumRows}, " +
                "because a model of fewer histories reproduces real ones.", column: spec.Entity,
                hint: "Add entities, or check that the sequence's entity column is the one naming whose history a row belongs to.");
        var plan = SequenceTraining.Plan(table, schema, layout);
        foreach (var d in plan.Dynamics.Where(d => d.Transform != StepTransform.Level))
            options.Warning?.Invoke($"column '{d.Column}' changes little from step to step: it is learned as {Describe(d)}.");
        RefuseRulesOnTransformed(stepRules, plan);
        var check = SequencePrivacyCheck.Run(table, schema with { Constraints = null }, layout, options,
            (train, level) => FitAt(train, schema, SequenceLayout.Of(train, spec), stepRules, level, options with { Warning = null, Progress = null }, innerCheck: false));
        if (check is not null) options.Warning?.Invoke(SequencePrivacyCheck.Describe(check));
        var model = FitAt(table, schema, layout, stepRules, check?.ChosenLevel ?? 1, options, innerCheck: true, plan);
        return new SequenceModel(model.Schema, model.Plan, model.EntityModel, model.StepModel, check);
    }

    /// <summary>
    /// Fits both inner models at protection <paramref name="level"/> (CART's leaves and tails scaled by it); with
    /// <paramref name="innerCheck"/> the entity model also runs the row-level privacy check from that level.
    /// </summary>
    private static SequenceModel FitAt(Table table, TableSchema schema, SequenceLayout layout, ConstraintSet stepRules, double level, SequenceOptions options,
        bool innerCheck, SequencePlan? known = null)
    {
        var spec = layout.Spec;
        var plan = known ?? SequenceTraining.Plan(table, schema, layout);
        var tables = SequenceTraining.Build(table, schema, layout, plan);

        options.Progress?.Report(new StepProgress("fit entities", 0));
        var entityCart = new CartSynthesizer(new CartOptions { LeadingColumns = plan.EntityLeading.Length > 0 ? plan.EntityLeading : null, ProtectionLevel = level });
        // Structures (one-hot groups, sums, copies) are looked for among the first-step columns only: the context leads, so
        // histories can be drawn for given contexts, and must reach the trees as it is.
        // Declared rules on step columns hold for the first step too; without any, the structures detected there.
        var ownColumns = new Table(tables.Entities.Columns.Where(c => !plan.Context.Contains(c.Name) && !c.Name.StartsWith('@')));
        var rules = stepRules.Count > 0 ? Within(stepRules, tables.Entities)
            : StructureDetector.ForFit(ownColumns, tables.EntitySchema with { Columns = [.. tables.EntitySchema.Columns.Where(c => ownColumns.Contains(c.Name))] });
        var entityContext = new FitContext(SeededRandom.Derive(options.Seed, EntitySalt), null, options.Cancel) { MaxThreads = options.MaxThreads, Warning = options.Warning };
        var (entityModel, _, check) = PrivacyCheck.Fit(entityCart, tables.Entities, tables.EntitySchema, entityContext, rules,
            innerCheck ? options.PrivacyCheck : PrivacyCheckOptions.Off);
        if (check is not null) options.Warning?.Invoke($"entities: {check.Describe()}");

        options.Progress?.Report(new StepProgress("fit steps", 0.5));
        ISynthesizerModel? stepModel = null;
        if (tables.Steps.RowCount > 0)
        {
            var stepCart = new CartSynthesizer(new CartOptions { LeadingColumns = plan.StepLeading, ProtectionLevel = level });
            if (tables.Steps.RowCount < stepCart.MinimumRows)
                throw new SchemaException("table.too-small",
                    $"Only {tables.Steps.RowCount} steps follow a first step; the sequence synthesizer needs at least {stepCart.MinimumRows} to learn how histories go on.",
                    column: spec.Order, hint: "Add longer histories, or learn the table as independent rows (no \"sequence\" in the metadata).");
            var stepContext = new FitContext(SeededRandom.Derive(options.Seed, StepSalt), null, options.Cancel) { MaxThreads = options.MaxThreads, Warning = options.Warning };
            stepModel = stepRules.Count == 0 ? stepCart.Fit(tables.Steps, tables.StepSchema, stepContext)
                : SchemaConstraints.Fit(stepCart, tables.Steps, tables.StepSchema, stepContext, Within(stepRules, tables.Steps)).Model;
        }
        options.Progress?.Report(new StepProgress("fit", 1));
        return new SequenceModel(schema, plan, entityModel, stepModel, null);
    }

    private static void RefuseRulesOnTransformed(ConstraintSet stepRules, SequencePlan plan)
    {
        var transformed = plan.Dynamics.Where(d => d.Transform != StepTransform.Level).ToDictionary(d => d.Column, StringComparer.Ordinal);
        if (stepRules.FirstOrDefault(c => c.Columns.Any(transformed.ContainsKey)) is not { } rule) return;
        var d = transformed[rule.Columns.First(transformed.ContainsKey)];
        throw new SchemaException("sequence.constraint",
            $"Constraint {TabTwinException.Clip(rule.Describe())} involves '{d.Column}', which changes little from step to step and is learned as {Describe(d)}; the rule cannot be applied to that.",
            column: d.Column, hint: "Remove the constraint from the metadata; the learned ratios and returns keep such a column's relations to its neighbours.");
    }

    /// <summary>
    /// The metadata's constraints, sorted by what they touch: among the entity and context columns they hold by construction (a
    /// history's context is drawn once; inspect finds such "fixed combinations" as CustomerId → BillingCountry); among the step
    /// columns learned as they are (not numbers learned as returns or ratios) they are applied to every step; the order column
    /// or a mix of context and steps cannot be applied step by step and are refused, naming the constraint.
    /// </summary>
    private static ConstraintSet StepConstraints(ConstraintSet declared, SequenceLayout layout, Action<string>? warning)
    {
        var steps = new List<Constraint>();
        var perEntity = layout.Context.Append(layout.Spec.Entity).ToHashSet(StringComparer.Ordinal);
        foreach (var c in declared)
        {
            if (c.Columns.All(perEntity.Contains)) { warning?.Invoke($"constraint {c.Describe()} holds by construction: the context is drawn once per history."); continue; }
            if (c.Columns.All(layout.StepColumns.Contains)) { steps.Add(c); continue; }
            string odd = c.Columns.First(n => !layout.StepColumns.Contains(n));
            string role = odd == layout.Spec.Order ? "the sequence's order column" : odd == layout.Spec.Entity ? "the sequence's entity column" : "a context column";
            throw new SchemaException("sequence.constraint",
                $"Constraint {TabTwinException.Clip(c.Describe())} involves '{odd}', {role}, together with columns that change from step to step; the sequence synthesizer cannot apply it step by step.",
                column: odd, hint: "Remove the constraint from the metadata (or the column from the sequence's context).");
        }
        return new ConstraintSet(steps);
    }

    /// <summary>The rules whose columns the inner table has (a column empty on every first step is not in the entity table: nothing to constrain there).</summary>
    private static ConstraintSet Within(ConstraintSet rules, Table table) => new(rules.Where(c => c.Columns.All(table.Contains)));

    private static string Describe(ColumnDynamics d) => d.Transform switch
    {
        StepTransform.LogReturn => "returns (log of each step over the last)",
        StepTransform.Difference => "changes from the last step",
        StepTransform.RatioToAnchor => $"its ratio to '{d.Anchor}' at the same step",
        _ => "levels",
    };
}
