using TabTwin.Bundles;
using TabTwin.Encoding;
using TabTwin.Models;
using TabTwin.Registry;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;

namespace TabTwin.Sequences;

/// <summary>
/// One model file for a sequence model, in the format of single-table model files (zip, manifest with every entry's
/// SHA-256, no type names): entries <c>sequence</c> (the <see cref="SequencePlan"/>) and <c>sequence-schema</c>, the
/// entity model under the prefix <c>e.</c> and the step model under <c>s.</c>, each read back by its registry name only.
/// </summary>
internal static class SequenceFormat
{
    public const string Kind = "sequence";
    private const string PlanEntry = "sequence", SchemaEntry = "sequence-schema", EntityModelEntry = "sequence-entity-model";
    private const int MaxColumns = 10_000, MaxLength = 100_000_000;

    private sealed record EntityModelName(string Synthesizer, bool HasSteps, string? StepSynthesizer = null);

    public static void Save(SequenceModel model, string path)
    {
        var bundle = new ModelBundleWriter();
        bundle.WriteJson(PlanEntry, model.Plan);
        bundle.WriteJson(SchemaEntry, model.Schema);
        bundle.WriteJson(EntityModelEntry, new EntityModelName(model.EntityModel.SynthesizerName, model.StepModel is not null, model.StepModel?.SynthesizerName));
        var entity = new ModelBundleWriter();
        model.EntityModel.Write(entity);
        bundle.AddPrefixed("e.", entity);
        if (model.StepModel is { } step)
        {
            var inner = new ModelBundleWriter();
            step.Write(inner);
            bundle.AddPrefixed("s.", inner);
        }
        ModelFile.SaveBundle(Kind, model.Schema, bundle, path);
    }

    public static SequenceModel Load(string path) => ModelFile.LoadBundle(path, Kind, bundle =>
    {
        var plan = bundle.ReadJson<SequencePlan>(PlanEntry);
        var schema = bundle.ReadJson<TableSchema>(SchemaEntry);
        var names = bundle.ReadJson<EntityModelName>(EntityModelEntry);
        if (Problem(plan, schema, names) is { } problem)
            throw new ModelFileException("model.bad-entry", $"The sequence entry of the model file is damaged: {problem}.", bundle.File);
        var entity = (SynthesizerRegistry.TryGet(names.Synthesizer, out var entry) ? entry : throw new ModelFileException("model.unknown-synthesizer",
            $"The entity model was fitted with synthesizer '{TabTwinException.Clip(names.Synthesizer)}', which this TabTwin does not know.", bundle.File)).Read(bundle.WithPrefix("e."));
        ISynthesizerModel? step = null;
        if (names.HasSteps)
        {
            string name = names.StepSynthesizer ?? CartSynthesizer.RegistryName;
            step = (SynthesizerRegistry.TryGet(name, out var stepEntry) ? stepEntry : throw new ModelFileException("model.unknown-synthesizer",
                $"The step model was fitted with synthesizer '{TabTwinException.Clip(name)}', which this TabTwin does not know.", bundle.File)).Read(bundle.WithPrefix("s."));
        }
        return new SequenceModel(schema, plan, entity, step, null);
    });

    /// <summary>What is wrong with a read plan (null when it is consistent): every name known, every anchor earlier, sizes bounded.</summary>
    private static string? Problem(SequencePlan? plan, TableSchema? schema, EntityModelName? names)
    {
        if (plan is null || schema is null || names is null || schema.Sequence is null) return "an entry is empty";
        if (plan.Columns is null || plan.Context is null || plan.Steps is null || plan.Dynamics is null || plan.CategoricalLags is null
            || plan.NumericShapes is null || plan.EntityLeading is null || plan.StepLeading is null || plan.EntitySchema is null || plan.OrderSchema is null
            || plan.EntityIds is null || plan.Entity is null || plan.Order is null || names.Synthesizer is null) return "a field is missing";
        if (plan.Columns.Length > MaxColumns || plan.StepLeading.Length > 4 * MaxColumns) return "too many columns";
        if (plan.MaxLength is < 1 or > MaxLength || plan.Entities < 0) return "the history length is out of range";
        var columns = plan.Columns.ToHashSet(StringComparer.Ordinal);
        if (columns.Count != plan.Columns.Length || !columns.Contains(plan.Entity) || !columns.Contains(plan.Order)) return "the columns are inconsistent";
        if (plan.Context.Concat(plan.Steps).Concat(plan.CategoricalLags).Any(c => c is null || !columns.Contains(c))) return "a context or step column is unknown";
        if (plan.NumericShapes.Length != plan.Dynamics.Length) return "the numeric shapes do not match the columns";
        for (int d = 0; d < plan.Dynamics.Length; d++)
        {
            var dyn = plan.Dynamics[d];
            if (dyn is null || !plan.Steps.Contains(dyn.Column) || !Enum.IsDefined(dyn.Transform) || plan.NumericShapes[d]?.Column != dyn.Column) return "a column's transform is invalid";
            if (dyn.Transform == StepTransform.RatioToAnchor != dyn.Anchor is not null) return "a ratio names no anchor";
            if (dyn.Anchor is { } a && Array.FindIndex(plan.Dynamics, x => x?.Column == a) is var at && (at < 0 || at >= d)) return "an anchor is not an earlier column";
        }
        try { IdFormat.Parse(plan.EntityIds); }
        catch (TabTwinException) { return "the entity id format is invalid"; }
        return null;
    }
}
