using TabTwin.Evaluation.Quality;

namespace TabTwin.Evaluation;

/// <summary>
/// Plain-language readings of the headline scores, shared by the CLI and the HTML report so both say the same.
/// Thresholds are conventions (SDMetrics-style quality bands; AUC 0.5 = indistinguishable), not guarantees.
/// </summary>
public static class EvaluationVerdicts
{
    /// <summary>The reading of an overall quality score alone (no pair details); prefer <see cref="Quality(QualityResult)"/>.</summary>
    public static string Quality(double overall) => !double.IsFinite(overall) ? "could not be computed"
        : overall >= 0.9 ? "excellent: distributions and correlations closely match"
        : overall >= 0.8 ? "good: small differences in some columns or pairs"
        : overall >= 0.7 ? "fair: noticeable differences; check the worst columns"
        : "poor: the synthetic data differs substantially";

    /// <summary>Share of the real pair trends a synthesizer must keep, beyond what independent columns give, for "excellent".</summary>
    public const double ExcellentTrendKept = 0.6;

    /// <summary>Below this share of real trend kept the verdict is at most "fair": the pairs look like independent columns.</summary>
    public const double LostTrendKept = 0.15;

    /// <summary>A pair that meets the thresholds and scores below this is named in the verdict.</summary>
    public const double FarOffPairScore = 0.8;

    /// <summary>
    /// The quality verdict, calibrated so that a per-column baseline never reads "excellent": the overall score sets
    /// the band, then the real data's pair trends cap it. "Excellent" needs overall ≥ 0.9, at least one real trend
    /// checked, and on average at least <see cref="ExcellentTrendKept"/> of the way from independent columns to the
    /// real association (<see cref="TrendKept"/>); keeping under <see cref="LostTrendKept"/> caps it at "fair".
    /// The worst pair is named when it scores below <see cref="FarOffPairScore"/>.
    /// </summary>
    public static string Quality(QualityResult quality)
    {
        ArgumentNullException.ThrowIfNull(quality);
        double overall = quality.Overall;
        if (!double.IsFinite(overall)) return "could not be computed";
        double kept = TrendKept(quality);
        int band = overall >= 0.9 ? 3 : overall >= 0.8 ? 2 : overall >= 0.7 ? 1 : 0;
        string verdict;
        if (band == 3 && double.IsFinite(kept) && kept >= ExcellentTrendKept)
            verdict = "excellent: distributions and the real data's pair trends closely match";
        else if (band >= 2 && !double.IsFinite(kept))
            verdict = "good: distributions match; the real data has no strong pair trend, so none was checked";
        else if (band >= 1 && kept < LostTrendKept)
            verdict = "fair: columns match one by one, but the real data's pair trends are lost, as with independent columns";
        else verdict = Math.Min(band, 2) switch
        {
            2 => "good: small differences in some columns or pairs",
            1 => "fair: noticeable differences; check the worst columns and pairs",
            _ => "poor: the synthetic data differs substantially",
        };
        return quality.WorstTrendPair is { } worst && worst.Score < FarOffPairScore ? $"{verdict}; worst pair {DescribePair(worst)}" : verdict;
    }

    /// <summary>
    /// Mean over the pairs that meet the thresholds of (score − independence score) / (1 − independence score), each
    /// clamped to [−1, 1]: 0 is what independent columns keep of the real associations, 1 all of it, below 0 worse than
    /// independent columns. NaN when no pair meets the thresholds.
    /// </summary>
    public static double TrendKept(QualityResult quality)
    {
        ArgumentNullException.ThrowIfNull(quality);
        double sum = 0;
        int n = 0;
        foreach (var p in quality.PairDetails)
        {
            if (p.MeetsThreshold != true || !double.IsFinite(p.Score) || p.IndependenceScore is not { } independent || independent >= 1) continue;
            // Clamped to [−1, 1]: on a weak association (independence score near 1) one poor pair would otherwise swamp the mean.
            sum += Math.Clamp((p.Score - independent) / (1 - independent), -1, 1);
            n++;
        }
        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>"a × b scores 0.23 (real Cramér's V 0.98)" — the pair, its score and the real trend it should keep.</summary>
    public static string DescribePair(ColumnPairScore pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        string F(double v) => v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        string trend = pair.RealCorrelation is { } r ? $"real correlation {F(r)}, synthetic {F(pair.SyntheticCorrelation ?? double.NaN)}"
            : pair.RealAssociation is { } v ? $"real Cramér's V {F(v)}" : "real trend undefined";
        return $"{pair.ColumnA} × {pair.ColumnB} scores {F(pair.Score)} ({trend})";
    }

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
