using TabTwin.Evaluation;
using TabTwin.Evaluation.Privacy;
using TabTwin.Tables;
using TabTwin.Tests.GaussianCopula;

namespace TabTwin.Tests.Evaluation;

/// <summary>The privacy metrics on real data (Adult, 2,000-row samples of the seed-0 train/holdout split).</summary>
public sealed class AdultPrivacyTests
{
    private static Table Rows(Table table, int start, int count) => table.Take(Enumerable.Range(start, count).ToArray());

    [Fact]
    public void Copied_training_rows_are_flagged_and_unseen_real_rows_are_not()
    {
        var training = Rows(AdultData.Train, 0, 2000);
        var holdout = Rows(AdultData.Holdout, 0, 2000);

        var copied = PrivacyReport.Compute(training, holdout, training, AdultData.Schema);
        Assert.True(copied.DcrShare.Value > 0.97, $"DCR share of a copy {copied.DcrShare.Value}");
        Assert.True(copied.MembershipInferenceAuc > 0.9, $"MIA AUC of a copy {copied.MembershipInferenceAuc}");
        Assert.Equal(1, copied.ExactCopyRate, 12);
        Assert.Equal(15, copied.Columns.Count);

        // Real rows the training sample never held behave like a perfect generator: no nearer to training than to holdout.
        var unseen = Rows(AdultData.Holdout, 2000, 2000);
        var fresh = PrivacyReport.Compute(training, holdout, unseen, AdultData.Schema);
        Assert.InRange(fresh.DcrShare.Value, 0.45, 0.55);
        Assert.True(fresh.DcrShare.Lower < 0.5 && fresh.DcrShare.Upper > 0.5, $"CI [{fresh.DcrShare.Lower}, {fresh.DcrShare.Upper}]");
        Assert.InRange(fresh.MembershipInferenceAuc, 0.45, 0.55);
        // Adult holds a few duplicate records, so unseen rows copy training rows about as often as the holdout does.
        Assert.InRange(fresh.ExactCopyRate, 0, 0.01);
        Assert.InRange(fresh.Nndr, fresh.HoldoutNndr - 0.05, fresh.HoldoutNndr + 0.05);
    }
}
