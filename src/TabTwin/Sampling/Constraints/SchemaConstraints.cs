using System.Text.Json;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>
/// The one place that decides how the constraints a schema declares (<see cref="TableSchema.Constraints"/>, the
/// metadata's "constraints" array) reach fitting and sampling: whoever fits with a schema gets its rules honoured,
/// whether the schema came from a metadata file, from code, or from the CLI.
/// </summary>
public static class SchemaConstraints
{
    /// <summary>The constraints <paramref name="schema"/> declares (empty when none); errors name the constraint's index and field.</summary>
    public static ConstraintSet Of(TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.Constraints is { } array ? ConstraintJson.ReadArray(array) : ConstraintSet.Empty;
    }

    /// <summary>
    /// <paramref name="schema"/> declaring <paramref name="constraints"/> instead of its own, as metadata would declare them.
    /// Rules that cannot be written as JSON (C# lambdas) cannot travel with a schema: wrap with <see cref="ConstrainedSynthesizer"/> instead.
    /// </summary>
    public static TableSchema With(TableSchema schema, ConstraintSet constraints)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(constraints);
        if (constraints.IsEmpty) return Without(schema);
        if (constraints.FirstOrDefault(c => !c.IsSerializable) is { } code)
            throw new ArgumentException($"Constraint '{code}' is code, not data, so it cannot be declared in a schema; pass it to a ConstrainedSynthesizer.", nameof(constraints));
        using var doc = JsonDocument.Parse(constraints.ToJson(indented: false));
        return schema with { Constraints = doc.RootElement.Clone() };
    }

    /// <summary><paramref name="schema"/> without constraints: what a synthesizer sees once the rules are handled around it.</summary>
    public static TableSchema Without(TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.Constraints is null ? schema : schema with { Constraints = null };
    }

    /// <summary>
    /// Fits <paramref name="synthesizer"/> honouring the schema's constraints: a plain fit when it declares none, else the
    /// synthesizer wrapped in a <see cref="ConstrainedSynthesizer"/> (a constrained synthesizer adds the schema's rules to its own).
    /// The report is null for a plain fit.
    /// </summary>
    public static (ISynthesizerModel Model, ConstrainedFitReport? Report) Fit(ISynthesizer synthesizer, Table table, TableSchema schema, FitContext context) =>
        Fit(synthesizer, table, schema, context, Of(schema));

    /// <summary>
    /// Fits honouring <paramref name="rules"/> in place of the schema's own (e.g. the structures detected when the schema
    /// declares none, see <see cref="StructureDetector.ForFit(Table, TableSchema)"/>); a constrained synthesizer adds them to its own.
    /// </summary>
    public static (ISynthesizerModel Model, ConstrainedFitReport? Report) Fit(ISynthesizer synthesizer, Table table, TableSchema schema, FitContext context,
        ConstraintSet rules)
    {
        ArgumentNullException.ThrowIfNull(synthesizer);
        ArgumentNullException.ThrowIfNull(rules);
        var bare = Without(schema);
        if (synthesizer is ConstrainedSynthesizer constrained)
            return rules.IsEmpty ? constrained.FitWithReport(table, bare, context)
                : new ConstrainedSynthesizer(constrained.Inner, new ConstraintSet(constrained.Constraints.Concat(rules)), constrained.Options).FitWithReport(table, bare, context);
        if (rules.IsEmpty) return (synthesizer.Fit(table, bare, context), null);
        return new ConstrainedSynthesizer(synthesizer, rules).FitWithReport(table, bare, context);
    }

    /// <summary>A fitted (e.g. loaded) model that also honours the constraints <paramref name="schema"/> declares when sampling.</summary>
    public static ISynthesizerModel Enforce(ISynthesizerModel model, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(model);
        var rules = Of(schema);
        return rules.IsEmpty ? model : ConstrainedModel.Enforce(model, rules);
    }
}
