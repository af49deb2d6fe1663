namespace TabTwin.Evaluation;

/// <summary>
/// Plain-language readings of the headline scores, shared by the CLI and the HTML report so both say the same.
/// Thresholds are conventions (SDMetrics-style quality bands; AUC 0.5 = indistinguishable), not guarantees.
/// </summary>
public static class EvaluationVerdicts
{
    public static string Quality(double overall) => !double.IsFinite(overall) ? "could not be computed"
        : overall >= 0.9 ? "excellent: distributions and correlations closely match"
        : overall >= 0.8 ? "good: small differences in some columns or pairs"
        : overall >= 0.7 ? "fair: noticeable differences; check the worst columns"
        : "poor: the synthetic data differs substantially";

    public static string Coverage(double meanCoverage) => !double.IsFinite(meanCoverage) ? "could not be computed"
        : meanCoverage >= 0.9 ? "the synthetic data reaches almost all real ranges and categories"
        : meanCoverage >= 0.7 ? "some real ranges or categories are missing"
        : "many real ranges or categories are missing";

    public static string Detection(double auc) => !double.IsFinite(auc) ? "could not be computed"
        : auc <= 0.6 ? "a classifier can hardly tell synthetic rows from real ones"
        : auc <= 0.75 ? "a classifier can partly tell synthetic rows from real ones"
        : "a classifier easily tells synthetic rows from real ones";

    /// <summary>DCR share: fraction of synthetic rows closer to a training row than to a holdout row (0.5 = no memorization).</summary>
    public static string Privacy(double dcrShare, double exactCopyRate) => !double.IsFinite(dcrShare) ? "could not be computed"
        : exactCopyRate > 0.01 ? "more than 1% of synthetic rows copy a training row exactly"
        : dcrShare <= 0.55 ? "no sign of memorization: synthetic rows are no closer to training rows than to unseen ones"
        : dcrShare <= 0.65 ? "slight leaning towards training rows; review before sharing"
        : "synthetic rows sit much closer to training rows than to unseen ones: possible memorization";

    public static string Utility(double ratio) => !double.IsFinite(ratio) ? "could not be computed"
        : ratio >= 0.95 ? "a model trained on synthetic data is about as good as one trained on real data"
        : ratio >= 0.8 ? "a model trained on synthetic data is somewhat weaker"
        : "a model trained on synthetic data is much weaker";

    /// <summary>Mean of the finite coverage scores (range and category), NaN when neither applies.</summary>
    public static double MeanCoverage(Coverage.CoverageResult c)
    {
        var finite = new[] { c.RangeCoverage, c.CategoryCoverage }.Where(double.IsFinite).ToArray();
        return finite.Length == 0 ? double.NaN : finite.Average();
    }
}
