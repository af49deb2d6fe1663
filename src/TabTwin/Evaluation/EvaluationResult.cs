using System.Text.Json;
using System.Text.Json.Nodes;
using TabTwin.Evaluation.Coverage;
using TabTwin.Evaluation.Detection;
using TabTwin.Evaluation.Privacy;
using TabTwin.Evaluation.Quality;
using TabTwin.Evaluation.Utility;

namespace TabTwin.Evaluation;

/// <summary>One evaluated part's timing, or why it was skipped.</summary>
public sealed record EvaluationPartRun(string Part, bool Ran, double Seconds, string? SkippedReason = null);

/// <summary>How the evaluation was run: tool version, seed, row counts and per-part timings.</summary>
public sealed record EvaluationRunInfo(
    string TabTwinVersion, ulong Seed, DateTimeOffset StartedUtc, double TotalSeconds,
    int RealRows, int SyntheticRows, int? HoldoutRows, string? Target, IReadOnlyList<EvaluationPartRun> Parts);

/// <summary>Everything <see cref="EvaluationReport.Compute"/> measured; parts that were skipped are null.</summary>
public sealed record EvaluationResult(
    QualityResult Quality,
    CoverageResult Coverage,
    DetectionResult? Detection,
    PrivacyResult? Privacy,
    UtilityResult? Utility,
    EvaluationRunInfo Run)
{
    /// <summary>Version of the JSON layout written by <see cref="ToJson"/>; bumped on any breaking change.</summary>
    public const int SchemaVersion = 1;

    /// <summary>
    /// Stable camelCase JSON (schema documented in README): non-finite numbers are written as null so every
    /// JSON parser can read the file; skipped parts are null with their reason in <c>run.parts</c>.
    /// </summary>
    public string ToJson() => ToJsonNode().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    public JsonObject ToJsonNode() => new()
    {
        ["schemaVersion"] = SchemaVersion,
        ["quality"] = new JsonObject
        {
            ["definition"] = $"SDMetrics {QualityResult.SdMetricsVersion} QualityReport",
            ["overall"] = Num(Quality.Overall),
            ["columnShapes"] = Num(Quality.ColumnShapes),
            ["columnPairTrends"] = Num(Quality.ColumnPairTrends),
            ["allPairTrends"] = Num(Quality.AllPairTrends),
            ["pairsMeetingThreshold"] = Quality.PairsMeetingThreshold,
            ["realCorrelationThreshold"] = Quality.RealCorrelationThreshold,
            ["realAssociationThreshold"] = Quality.RealAssociationThreshold,
            ["trendKept"] = Num(EvaluationVerdicts.TrendKept(Quality)),
            ["verdict"] = EvaluationVerdicts.Quality(Quality),
            ["columns"] = Array(Quality.ColumnDetails, c => new JsonObject
            {
                ["column"] = c.Column, ["metric"] = c.Metric, ["score"] = Num(c.Score), ["error"] = c.Error,
            }),
            ["pairs"] = Array(Quality.PairDetails, p => new JsonObject
            {
                ["columnA"] = p.ColumnA, ["columnB"] = p.ColumnB, ["metric"] = p.Metric, ["score"] = Num(p.Score),
                ["realCorrelation"] = Num(p.RealCorrelation), ["syntheticCorrelation"] = Num(p.SyntheticCorrelation),
                ["realAssociation"] = Num(p.RealAssociation), ["meetsThreshold"] = p.MeetsThreshold, ["independenceScore"] = Num(p.IndependenceScore), ["error"] = p.Error,
            }),
        },
        ["coverage"] = new JsonObject
        {
            ["rangeCoverage"] = Num(Coverage.RangeCoverage),
            ["categoryCoverage"] = Num(Coverage.CategoryCoverage),
            ["rareCategoryPresence"] = Num(Coverage.RareCategoryPresence),
            ["columns"] = Array(Coverage.Columns, c => new JsonObject
            {
                ["column"] = c.Column, ["metric"] = c.Metric, ["score"] = Num(c.Score), ["rarePresence"] = Num(c.RarePresence), ["error"] = c.Error,
            }),
        },
        ["detection"] = Detection is null ? null : new JsonObject
        {
            ["auc"] = Num(Detection.Auc), ["score"] = Num(Detection.Score), ["rowsPerSide"] = Detection.RowsPerSide,
            ["foldAucs"] = Array(Detection.FoldAucs, a => Num(a)),
        },
        ["privacy"] = Privacy is null ? null : new JsonObject
        {
            ["dcrShare"] = Num(Privacy.DcrShare.Value), ["dcrShareLower"] = Num(Privacy.DcrShare.Lower), ["dcrShareUpper"] = Num(Privacy.DcrShare.Upper),
            ["nndr"] = Num(Privacy.Nndr), ["holdoutNndr"] = Num(Privacy.HoldoutNndr),
            ["exactCopyRate"] = Num(Privacy.ExactCopyRate), ["holdoutExactCopyRate"] = Num(Privacy.HoldoutExactCopyRate),
            ["membershipInferenceAuc"] = Num(Privacy.MembershipInferenceAuc),
            ["syntheticRowsScored"] = Privacy.SyntheticRowsScored, ["referenceRows"] = Privacy.ReferenceRows,
        },
        ["utility"] = Utility is null ? null : new JsonObject
        {
            ["target"] = Utility.Target, ["task"] = Utility.Task.ToString(), ["ratio"] = Num(Utility.Ratio),
            ["synthetic"] = Scores(Utility.Synthetic), ["real"] = Scores(Utility.Real),
        },
        ["run"] = new JsonObject
        {
            ["tabTwinVersion"] = Run.TabTwinVersion, ["seed"] = Run.Seed, ["startedUtc"] = Run.StartedUtc.ToString("O"),
            ["totalSeconds"] = Num(Run.TotalSeconds), ["realRows"] = Run.RealRows, ["syntheticRows"] = Run.SyntheticRows,
            ["holdoutRows"] = Run.HoldoutRows, ["target"] = Run.Target,
            ["parts"] = Array(Run.Parts, p => new JsonObject
            {
                ["part"] = p.Part, ["ran"] = p.Ran, ["seconds"] = Num(p.Seconds), ["skippedReason"] = p.SkippedReason,
            }),
        },
    };

    private static JsonObject Scores(ModelScores s) => new()
    {
        ["auc"] = Num(s.Auc), ["macroF1"] = Num(s.MacroF1), ["r2"] = Num(s.R2), ["trainRows"] = s.TrainRows, ["testRows"] = s.TestRows,
    };

    private static JsonNode? Num(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> map) => new(items.Select(map).ToArray());
}
