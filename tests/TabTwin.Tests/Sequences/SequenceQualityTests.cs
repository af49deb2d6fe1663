using TabTwin.Evaluation.Sequences;
using TabTwin.Schema;
using TabTwin.Sequences;
using TabTwin.Tables;
using Xunit;
using Xunit.Abstractions;

namespace TabTwin.Tests.Sequences;

/// <summary>
/// Issue 17's targets on the two real sequential tables, measured by the sequence evaluation against entities the
/// model never saw (half the customers of cdnow; sp500's ten tickers are too few to hold any out, so it is measured
/// against its training histories).
/// </summary>
public class SequenceQualityTests(ITestOutputHelper output)
{
    private void Print(SequenceEvaluationResult r)
    {
        output.WriteLine($"shapes {r.ColumnShapes:F3}, length KS {r.LengthKs:F3}, gap KS {r.GapKs:F3}, autocorrelation error {r.AutocorrelationError:F3} (lag 1 {r.Lag1AutocorrelationError:F3}), " +
            $"transitions {r.TransitionDistance:F3}, discriminator AUC {r.Discrimination?.Auc:F3} (dynamics {r.DynamicsDiscrimination?.Auc:F3}), predictive {r.PredictiveRatio:F3}, DCR {r.EntityDcrShare?.Value:F3}, " +
            $"reproduced {r.Reproduction.ReproducedSequences} sequences / {r.Reproduction.ReproducedRuns} runs");
        foreach (var c in r.ColumnShapeDetails) output.WriteLine($"  shape {c}");
        foreach (var a in r.Autocorrelations) output.WriteLine($"  acf {a}");
        foreach (var x in r.Returns) output.WriteLine($"  returns {x}");
    }

    [Fact]
    public void Purchase_histories_meet_the_targets_on_unseen_customers()
    {
        var (table, schema) = SequenceSynthesizerTests.Purchases();
        var (train, holdout) = SequenceModel.SplitEntities(table, schema.Sequence!, 0.5, 7);
        var model = SequenceSynthesizer.Fit(train, schema, new SequenceOptions { Seed = 1 });
        var synthetic = model.Sample(SequenceLayout.Of(train, schema.Sequence!).EntityCount, seed: 2);
        var result = SequenceEvaluation.Evaluate(train, synthetic, schema, new SequenceEvaluationOptions { Seed = 3, Holdout = holdout });
        Print(result);
        // The fit checked its own histories against held-out ones (5,000 of the 11,785 customers it learned from).
        var check = model.PrivacyCheck!;
        output.WriteLine($"check: {string.Join(", ", check.Rounds.Select(r => $"{r.DcrShare.Value:F3} at {r.ProtectionLevel}"))}");
        Assert.Equal(5_000, check.RowsChecked);
        Assert.True(check.Holds);
        // Measured (seed 1/2/3): shapes 0.990, length KS 0.004, gap KS 0.009, lag-1 error 0.023, AUC 0.553, DCR 0.506;
        // real against its unseen half scores 0.987, 0.010, 0.040, 0.020, AUC 0.507. Bounds are issue 17's targets.
        Assert.True(result.ColumnShapes >= 0.95, $"column shapes {result.ColumnShapes:F3}");
        Assert.True(result.LengthKs <= 0.10, $"length KS {result.LengthKs:F3}");
        Assert.True(result.GapKs <= 0.10, $"gap KS {result.GapKs:F3}");
        Assert.True(result.Lag1AutocorrelationError <= 0.15, $"lag-1 autocorrelation error {result.Lag1AutocorrelationError:F3}");
        Assert.True(result.Discrimination!.Auc <= 0.80, $"discriminator AUC {result.Discrimination.Auc:F3}");
        Assert.True(result.EntityDcrShare!.Value <= 0.53, $"entity DCR share {result.EntityDcrShare.Value:F3}");
        Assert.Equal(0, result.Reproduction.ReproducedSequences);
        Assert.Equal(0, result.Reproduction.ReproducedRuns);
    }

    [Fact]
    public void Stock_histories_keep_returns_and_volatility_clustering()
    {
        var (table, schema) = SequenceSynthesizerTests.Stocks();
        var model = SequenceSynthesizer.Fit(table, schema, new SequenceOptions { Seed = 1 });
        var synthetic = model.Sample(10, seed: 2);
        var result = SequenceEvaluation.Evaluate(table, synthetic, schema, new SequenceEvaluationOptions { Seed = 3 });
        Print(result);
        // Prices are learned as returns: returns stay uncorrelated from one day to the next (real −0.003, synthetic −0.004 for the
        // open) while large moves still follow large moves (absolute returns' lag-1 correlation real 0.18, synthetic 0.09).
        Assert.True(result.Lag1AutocorrelationError <= 0.15, $"lag-1 autocorrelation error {result.Lag1AutocorrelationError:F3}");
        foreach (var price in result.Returns.Where(r => r.Column is "open" or "close"))
        {
            Assert.True(Math.Abs(price.SyntheticReturnLag1) < 0.1, $"{price.Column}: returns' lag-1 autocorrelation {price.SyntheticReturnLag1:F3}");
            Assert.True(price.SyntheticAbsoluteReturnLag1 > 0.03, $"{price.Column}: absolute returns' lag-1 autocorrelation {price.SyntheticAbsoluteReturnLag1:F3}");
        }
        Assert.Equal(0, result.Reproduction.ReproducedRuns);
        // Trading days: the real calendar has no weekend, and the weekday of the last event leads the gap.
        var dates = synthetic.Get<DateTimeColumn>("date");
        int weekend = Enumerable.Range(0, dates.Length).Count(i => dates.DateTimeAt(i).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.True(weekend <= synthetic.RowCount / 100, $"{weekend} of {synthetic.RowCount} dates fall on a weekend");
        // A day's high is learned as its ratio to the open, which is never below 1 in the data.
        var open = synthetic.Get<NumericColumn>("open");
        var high = synthetic.Get<NumericColumn>("high");
        Assert.All(Enumerable.Range(0, open.Length).Where(i => !open.IsMissing(i) && !high.IsMissing(i)), i => Assert.True(high[i] >= open[i] - 1e-9, $"row {i}: high {high[i]} < open {open[i]}"));
    }
}
