using System.Text.Json.Nodes;
using TabTwin.Evaluation.Quality;
using TabTwin.Evaluation.Utility;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Sequences;

/// <summary>
/// Settings of <see cref="SequenceEvaluation"/>. Every cap is applied by a seeded sample, so a result depends on the seed
/// and the data only (not on threads); the caps bound the time on large tables.
/// </summary>
public sealed record SequenceEvaluationOptions
{
    public ulong Seed { get; init; }
    /// <summary>Real entities the synthesizer never saw (same columns): enables the entity-level DCR share and the holdout's reproduction baseline.</summary>
    public Table? Holdout { get; init; }
    /// <summary>Autocorrelation lags 1..MaxLag.</summary>
    public int MaxLag { get; init; } = 5;
    /// <summary>Entities read per table (real, synthetic, holdout); more are sampled down. Every metric but the column shapes uses only these.</summary>
    public int MaxEntities { get; init; } = 50_000;
    /// <summary>Steps per window the discriminative score cuts long histories into (see <see cref="SequenceDiscriminationResult"/>).</summary>
    public int DiscriminatorWindow { get; init; } = 32;
    /// <summary>Units (entities or windows) per side the discriminator sees; both sides are sampled to the same size.</summary>
    public int MaxUnitsPerSide { get; init; } = 2_000;
    public int Folds { get; init; } = 5;
    /// <summary>The LightGBM settings of the discriminator and the next-step models (its seed is replaced by <see cref="Seed"/>).</summary>
    public BoostingOptions Boosting { get; init; } = new() { Iterations = 50 };
    /// <summary>Step-to-step transitions each next-step model trains on, and is tested on, at most (0 turns the predictive score off).</summary>
    public int MaxPredictionRows { get; init; } = 10_000;
    /// <summary>The run length R of <see cref="ReproductionCounts"/>.</summary>
    public int RunLength { get; init; } = 5;
    /// <summary>Entities per side of the entity-level DCR share.</summary>
    public int MaxPrivacyEntities { get; init; } = 3_000;
    /// <summary>Models and neighbour searches run at once (−1 = one per core); results do not depend on it.</summary>
    public int MaxThreads { get; init; } = -1;
}

/// <summary>
/// Sequence metrics of a synthetic long-format table against the real one (issue 17). Each metric says what it
/// measures and its ideal; NaN (with a reason where one applies) when the data cannot define it.
/// </summary>
public sealed record SequenceEvaluationResult
{
    /// <summary>Entities evaluated per side (after the <see cref="SequenceEvaluationOptions.MaxEntities"/> cap).</summary>
    public required int RealEntities { get; init; }
    public required int SyntheticEntities { get; init; }

    /// <summary>
    /// Mean over the evaluated step columns (every row) and context columns (one value per entity) of SDMetrics'
    /// KSComplement (numbers, datetimes) or TVComplement (categories), as the single-table column shapes. 1 ideal; target ≥ 0.95.
    /// </summary>
    public required double ColumnShapes { get; init; }
    public required IReadOnlyList<ColumnShapeScore> ColumnShapeDetails { get; init; }

    /// <summary>KS statistic between the real and synthetic per-entity sequence lengths. 0 ideal; target ≤ 0.10.</summary>
    public required double LengthKs { get; init; }

    /// <summary>KS statistic between the pooled gaps between consecutive order values (days for datetimes, raw for numbers). 0 ideal.</summary>
    public required double GapKs { get; init; }

    /// <summary>
    /// Share of steps (after an entity's first) whose order value repeats the step before's, real and synthetic: a
    /// synthesizer should repeat order values within an entity only as often as the real data does (0 for daily prices).
    /// </summary>
    public required double RealRepeatedOrderShare { get; init; }
    public required double SyntheticRepeatedOrderShare { get; init; }

    /// <summary>
    /// Mean over numerical step columns of each column's mean |real − synthetic| pooled within-entity autocorrelation
    /// over lags 1..k (see <see cref="AutocorrelationScore"/>). 0 ideal.
    /// </summary>
    public required double AutocorrelationError { get; init; }

    /// <summary>Mean over numerical step columns of |real − synthetic| lag-1 autocorrelation. 0 ideal; target ≤ 0.15.</summary>
    public required double Lag1AutocorrelationError { get; init; }
    public required IReadOnlyList<AutocorrelationScore> Autocorrelations { get; init; }

    /// <summary>Log-return dynamics of the positive numerical step columns (volatility clustering check).</summary>
    public required IReadOnlyList<ReturnDynamics> Returns { get; init; }

    /// <summary>Mean over categorical step columns of the lag-1 transition matrix distance (<see cref="TransitionScore"/>). 0 ideal.</summary>
    public required double TransitionDistance { get; init; }
    public required IReadOnlyList<TransitionScore> Transitions { get; init; }

    /// <summary>Per-entity (windowed) classifier test; null when skipped (<see cref="DiscriminationSkipped"/> says why). AUC 0.5 ideal; target ≤ 0.80.</summary>
    public SequenceDiscriminationResult? Discrimination { get; init; }
    public string? DiscriminationSkipped { get; init; }

    /// <summary>
    /// The same test on scale-free features (<see cref="EntityFeatures.ScaleFree"/>): whether the step-to-step dynamics give
    /// the synthetic histories away when their levels cannot. Where few entities stand for the data (ten stocks), real
    /// entities against other real ones differ in level far more than in dynamics, and this is the comparable figure.
    /// Null when skipped (as <see cref="Discrimination"/>) or without a numerical step column. 0.5 ideal.
    /// </summary>
    public SequenceDiscriminationResult? DynamicsDiscrimination { get; init; }

    /// <summary>Mean over numerical step columns of the next-step prediction ratio (<see cref="NextStepScore"/>). 1 ideal.</summary>
    public required double PredictiveRatio { get; init; }
    public required IReadOnlyList<NextStepScore> Predictive { get; init; }
    public string? PredictiveSkipped { get; init; }

    /// <summary>Synthetic histories repeating the real ones verbatim. All counts 0 ideal.</summary>
    public required ReproductionCounts Reproduction { get; init; }

    /// <summary>The holdout's own reproduction of the real histories (a baseline: real data repeats itself too); null without a holdout.</summary>
    public ReproductionCounts? HoldoutReproduction { get; init; }

    /// <summary>Entity-level DCR share against the holdout; 0.5 ideal, target ≤ 0.53; null without a holdout.</summary>
    public ProportionEstimate? EntityDcrShare { get; init; }

    /// <summary>
    /// camelCase JSON in the style of <see cref="EvaluationResult.ToJsonNode"/> (non-finite numbers as null, a skipped
    /// part as null with its reason beside it); <c>tabtwin evaluate --json</c> writes it as the <c>sequences</c> property.
    /// </summary>
    public JsonObject ToJsonNode() => new()
    {
        ["realEntities"] = RealEntities,
        ["syntheticEntities"] = SyntheticEntities,
        ["columnShapes"] = Num(ColumnShapes),
        ["columns"] = Array(ColumnShapeDetails, c => new JsonObject { ["column"] = c.Column, ["metric"] = c.Metric, ["score"] = Num(c.Score), ["error"] = c.Error }),
        ["lengthKs"] = Num(LengthKs),
        ["gapKs"] = Num(GapKs),
        ["realRepeatedOrderShare"] = Num(RealRepeatedOrderShare),
        ["syntheticRepeatedOrderShare"] = Num(SyntheticRepeatedOrderShare),
        ["autocorrelationError"] = Num(AutocorrelationError),
        ["lag1AutocorrelationError"] = Num(Lag1AutocorrelationError),
        ["autocorrelations"] = Array(Autocorrelations, a => new JsonObject
        {
            ["column"] = a.Column, ["real"] = Array(a.Real, Num), ["synthetic"] = Array(a.Synthetic, Num), ["meanAbsoluteDifference"] = Num(a.MeanAbsoluteDifference),
        }),
        ["returns"] = Array(Returns, r => new JsonObject
        {
            ["column"] = r.Column, ["realReturnLag1"] = Num(r.RealReturnLag1), ["syntheticReturnLag1"] = Num(r.SyntheticReturnLag1),
            ["realAbsoluteReturnLag1"] = Num(r.RealAbsoluteReturnLag1), ["syntheticAbsoluteReturnLag1"] = Num(r.SyntheticAbsoluteReturnLag1),
        }),
        ["transitionDistance"] = Num(TransitionDistance),
        ["transitions"] = Array(Transitions, t => new JsonObject
        {
            ["column"] = t.Column, ["distance"] = Num(t.Distance), ["realTransitions"] = t.RealTransitions, ["syntheticTransitions"] = t.SyntheticTransitions,
        }),
        ["discrimination"] = Discrimination is not { } d ? null : new JsonObject
        {
            ["auc"] = Num(d.Auc), ["foldAucs"] = Array(d.FoldAucs, Num), ["unitsPerSide"] = d.UnitsPerSide, ["windowLength"] = d.WindowLength,
        },
        ["discriminationSkipped"] = DiscriminationSkipped,
        ["dynamicsDiscrimination"] = DynamicsDiscrimination is not { } dd ? null : new JsonObject
        {
            ["auc"] = Num(dd.Auc), ["foldAucs"] = Array(dd.FoldAucs, Num), ["unitsPerSide"] = dd.UnitsPerSide, ["windowLength"] = dd.WindowLength,
        },
        ["predictiveRatio"] = Num(PredictiveRatio),
        ["predictive"] = Array(Predictive, p => new JsonObject
        {
            ["column"] = p.Column, ["realOnRealError"] = Num(p.RealOnRealError), ["syntheticOnRealError"] = Num(p.SyntheticOnRealError), ["ratio"] = Num(p.Ratio),
        }),
        ["predictiveSkipped"] = PredictiveSkipped,
        ["reproduction"] = Counts(Reproduction),
        ["holdoutReproduction"] = HoldoutReproduction is null ? null : Counts(HoldoutReproduction),
        ["entityDcrShare"] = EntityDcrShare is not { } dcr ? null : new JsonObject
        {
            ["value"] = Num(dcr.Value), ["lower"] = Num(dcr.Lower), ["upper"] = Num(dcr.Upper), ["entities"] = dcr.Trials,
        },
    };

    private static JsonObject Counts(ReproductionCounts c) => new()
    {
        ["reproducedSequences"] = c.ReproducedSequences, ["reproducedRuns"] = c.ReproducedRuns,
        ["entitiesWithReproducedRun"] = c.EntitiesWithReproducedRun, ["candidateEntities"] = c.CandidateEntities, ["runLength"] = c.RunLength,
    };

    private static JsonNode? Num(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> map) => new(items.Select(map).ToArray());
}
