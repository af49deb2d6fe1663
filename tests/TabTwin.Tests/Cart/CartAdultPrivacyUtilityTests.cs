using TabTwin.Evaluation.Privacy;
using TabTwin.Evaluation.Utility;
using TabTwin.Tests.GaussianCopula;
using Xunit.Abstractions;

namespace TabTwin.Tests.Cart;

/// <summary>
/// The privacy and utility targets of the default CART model on Adult (80/20 split, seed 0), measured with the
/// project's own evaluation: DCR share on 2,000 synthetic rows ≤ 0.53, exact copies of training rows no more
/// frequent than the holdout's own, and LightGBM trained on synthetic reaching ≥ 0.97 of the real-trained AUC.
/// </summary>
public sealed class CartAdultPrivacyUtilityTests(CartAdultFixture adult, ITestOutputHelper output) : IClassFixture<CartAdultFixture>
{
    [Fact]
    public void Distance_to_closest_record_and_exact_copies_meet_the_targets()
    {
        var privacy = PrivacyReport.Compute(AdultData.Train, AdultData.Holdout, adult.Synthetic, AdultData.Schema,
            new PrivacyOptions { Seed = 0, MaxQueryRows = 2_000 });
        output.WriteLine($"DCR share {privacy.DcrShare.Value:0.000} [{privacy.DcrShare.Lower:0.000}, {privacy.DcrShare.Upper:0.000}], " +
                         $"exact copies {privacy.ExactCopyRate:0.0000} (holdout {privacy.HoldoutExactCopyRate:0.0000}), MIA AUC {privacy.MembershipInferenceAuc:0.000}");
        Assert.True(privacy.DcrShare.Value <= 0.53, $"DCR share {privacy.DcrShare.Value:0.000} > 0.53");
        Assert.True(privacy.ExactCopyRate <= privacy.HoldoutExactCopyRate,
            $"synthetic rows copy training rows at {privacy.ExactCopyRate:0.0000}, holdout rows at {privacy.HoldoutExactCopyRate:0.0000}");
    }

    [Fact]
    public void Model_trained_on_synthetic_rows_reaches_97_percent_of_the_real_auc()
    {
        var utility = TstrUtility.Compute(AdultData.Train, AdultData.Holdout, adult.Synthetic, AdultData.Schema, "income");
        output.WriteLine($"AUC synthetic-trained {utility.Synthetic.Auc:0.0000}, real-trained {utility.Real.Auc:0.0000}, ratio {utility.Ratio:0.0000}");
        Assert.Equal(UtilityTask.BinaryClassification, utility.Task);
        Assert.True(utility.Ratio >= 0.97, $"TSTR AUC ratio {utility.Ratio:0.0000} < 0.97");
    }
}
