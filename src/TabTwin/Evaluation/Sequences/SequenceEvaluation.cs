using TabTwin.Evaluation.Quality;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Sequences;

/// <summary>
/// Scores a synthetic sequence table (long format: one row per step of an entity's history) against the real one:
/// column shapes over all steps, sequence lengths, gaps, autocorrelations, returns, categorical transitions, a
/// discriminative and a predictive score, and entity-level privacy. See <see cref="SequenceEvaluationResult"/> for each
/// definition. Deterministic for a seed: every sample is seeded and every model single-threaded.
/// </summary>
public static class SequenceEvaluation
{
    /// <summary>
    /// Only the entity-level DCR share of <see cref="Evaluate"/> (synthetic entities nearer to the training entities than to
    /// the held-out ones; 0.5 ideal): what the sequence synthesizer's fit checks itself with, without the other metrics' cost.
    /// </summary>
    public static ProportionEstimate EntityDcrShare(Table training, Table holdout, Table synthetic, TableSchema schema, ulong seed = 0, int maxEntities = 3_000)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(holdout);
        ArgumentNullException.ThrowIfNull(synthetic);
        ArgumentNullException.ThrowIfNull(schema);
        var spec = schema.Sequence ?? throw new SchemaException("sequence.none", "The metadata declares no sequence (entity and order columns) to evaluate.");
        var columns = SequenceColumns.Of(SequenceLayout.Of(training, spec), schema);
        var codes = new CategoryCodes();
        var real = SequenceData.Of(training, columns, codes, maxEntities, seed, 1);
        var drawn = SequenceData.Of(synthetic, columns, codes, maxEntities, seed, 2);
        var held = SequenceData.Of(holdout, columns, codes, maxEntities, seed, 3);
        return SequencePrivacy.EntityDcrShare(EntityFeatures.Fit(real, columns, codes), real, held, drawn, maxEntities, seed, -1);
    }

    /// <summary>Evaluates with the sequence declared in <paramref name="schema"/> (<see cref="TableSchema.Sequence"/> must be set).</summary>
    public static SequenceEvaluationResult Evaluate(Table real, Table synthetic, TableSchema schema, SequenceEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(synthetic);
        ArgumentNullException.ThrowIfNull(schema);
        var spec = schema.Sequence ?? throw new SchemaException("sequence.none", "The metadata declares no sequence (entity and order columns) to evaluate.",
            hint: "Add \"sequence\": { \"entity\": \"<id column>\", \"order\": \"<date or number column>\" } to the metadata.");
        options ??= new SequenceEvaluationOptions();
        if (options.MaxLag < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxLag must be at least 1.");
        if (options.Folds < 2) throw new ArgumentOutOfRangeException(nameof(options), "The discriminative score needs at least 2 folds.");
        if (options.RunLength < 1) throw new ArgumentOutOfRangeException(nameof(options), "RunLength must be at least 1.");
        if (options.DiscriminatorWindow < 2) throw new ArgumentOutOfRangeException(nameof(options), "DiscriminatorWindow must be at least 2 steps.");

        var realLayout = SequenceLayout.Of(real, spec);
        var columns = SequenceColumns.Of(realLayout, schema);
        RequireColumns(synthetic, "synthetic", columns);
        if (options.Holdout is { } h) RequireColumns(h, "holdout", columns);
        var codes = new CategoryCodes();
        var realData = SequenceData.Of(real, columns, codes, options.MaxEntities, options.Seed, 1);
        var syntheticData = SequenceData.Of(synthetic, columns, codes, options.MaxEntities, options.Seed, 2);

        var shapes = ColumnShapeDetails(real, synthetic, realData, syntheticData, realLayout, schema);
        var autocorrelations = SequenceDynamics.Autocorrelations(realData, syntheticData, columns.Numeric, options.MaxLag);
        var transitions = columns.Categorical.Select((c, j) =>
            SequenceDynamics.TransitionDistance(c, realData.Codes[j], syntheticData.Codes[j], codes.CountOf(c))).ToList();
        var features = EntityFeatures.Fit(realData, columns, codes);
        var discrimination = SequenceDiscrimination.Compute(features, realData, syntheticData, options, out var discriminationSkipped);
        var dynamics = columns.Numeric.Length == 0 ? null
            : SequenceDiscrimination.Compute(EntityFeatures.Fit(realData, columns, codes, scaleFree: true), realData, syntheticData, options, out _);
        var predictive = NextStepPrediction.Compute(realData, syntheticData, columns, options, out var predictiveSkipped);
        var stepColumns = realLayout.StepColumns;

        ReproductionCounts? holdoutReproduction = null;
        ProportionEstimate? dcr = null;
        if (options.Holdout is { } holdout)
        {
            var holdoutData = SequenceData.Of(holdout, columns, codes, options.MaxEntities, options.Seed, 3);
            holdoutReproduction = SequencePrivacy.Reproduction(realData, holdoutData, stepColumns, options.RunLength);
            dcr = SequencePrivacy.EntityDcrShare(features, realData, holdoutData, syntheticData, options.MaxPrivacyEntities, options.Seed, options.MaxThreads);
        }

        return new SequenceEvaluationResult
        {
            RealEntities = realData.Count,
            SyntheticEntities = syntheticData.Count,
            ColumnShapes = QualityKinds.MeanIgnoringNaN(shapes.Select(s => s.Score)),
            ColumnShapeDetails = shapes,
            LengthKs = SequenceDynamics.LengthKs(realData, syntheticData),
            GapKs = SequenceDynamics.GapKs(realData, syntheticData),
            RealRepeatedOrderShare = SequenceDynamics.RepeatedOrderShare(realData),
            SyntheticRepeatedOrderShare = SequenceDynamics.RepeatedOrderShare(syntheticData),
            AutocorrelationError = QualityKinds.MeanIgnoringNaN(autocorrelations.Select(a => a.MeanAbsoluteDifference)),
            Lag1AutocorrelationError = QualityKinds.MeanIgnoringNaN(autocorrelations.Select(a => Math.Abs(a.RealLag1 - a.SyntheticLag1))),
            Autocorrelations = autocorrelations,
            Returns = SequenceDynamics.Returns(realData, syntheticData, columns.Numeric),
            TransitionDistance = QualityKinds.MeanIgnoringNaN(transitions.Select(t => t.Distance)),
            Transitions = transitions,
            Discrimination = discrimination,
            DiscriminationSkipped = discriminationSkipped,
            DynamicsDiscrimination = dynamics,
            PredictiveRatio = QualityKinds.MeanIgnoringNaN(predictive.Select(p => p.Ratio)),
            Predictive = predictive,
            PredictiveSkipped = predictiveSkipped,
            Reproduction = SequencePrivacy.Reproduction(realData, syntheticData, stepColumns, options.RunLength),
            HoldoutReproduction = holdoutReproduction,
            EntityDcrShare = dcr,
        };
    }

    private static void RequireColumns(Table table, string role, SequenceColumns columns)
    {
        foreach (var name in new[] { columns.Spec.Entity, columns.Spec.Order }.Concat(columns.Numeric).Concat(columns.Categorical).Concat(columns.Context).Concat(columns.ContextNumeric))
            if (!table.Contains(name))
                throw new SchemaException("sequence.missing-column", $"The {role} table has no column '{TabTwinException.Clip(name)}', which the real sequence table has.",
                    column: name, hint: $"Evaluate a {role} table with the real table's columns.");
    }

    /// <summary>Step columns over every row of both tables; context columns over one row per kept entity (a context value belongs to the entity, not to each step).</summary>
    private static List<ColumnShapeScore> ColumnShapeDetails(Table real, Table synthetic, SequenceData realData, SequenceData syntheticData,
        SequenceLayout realLayout, TableSchema schema)
    {
        ColumnSchema? Evaluated(string name) => schema.Find(name) is { } c && QualityReport.IsEvaluated(c.Kind) && synthetic.Contains(name) ? c : null;
        var steps = realLayout.StepColumns.Select(Evaluated).OfType<ColumnSchema>().ToList();
        var context = realLayout.Context.Select(Evaluated).OfType<ColumnSchema>().ToList();
        var shapes = ColumnShapes.Instance.Details(real, synthetic, steps).ToList();
        if (context.Count > 0)
        {
            static Table FirstSteps(SequenceData d) => d.Table.Take(d.Entities.Select(e => d.Layout.StepsOf(e)[0]).ToArray());
            shapes.AddRange(ColumnShapes.Instance.Details(FirstSteps(realData), FirstSteps(syntheticData), context));
        }
        return shapes;
    }
}
