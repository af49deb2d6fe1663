using TabTwin.Evaluation;
using TabTwin.Evaluation.Privacy;
using TabTwin.IO;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;
using TabTwin.Tests.Cli;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Synthesis;

/// <summary>
/// The fit's privacy self-check (issue 14): on a table where the default protection leaves synthetic rows nearer to the
/// training rows than to unseen ones, the check raises the protection level until the bound holds, says so, and the
/// final model carries the level; the same seed gives the same level and bytes; it can be switched off.
/// </summary>
public class PrivacyCheckTests
{
    private static Table HallOfFame() => TableReader.Read(TestData.Dataset("lahman_baseball", "HallOfFame.csv"));

    [Fact]
    public void The_check_tightens_protection_where_the_defaults_leak_and_the_bound_then_holds()
    {
        var table = HallOfFame();
        var (model, check) = SyntheticData.Fit(table, SchemaDetector.Detect(table), seed: 0);

        Assert.NotNull(check);
        Assert.False(check.Rounds[0].Holds, $"the defaults already held: {check.Describe()}");
        Assert.True(check.Holds, check.Describe());
        Assert.True(check.ChosenLevel > 1, check.Describe());
        var last = check.Rounds[^1];
        Assert.True(last.DcrShare.Value <= 0.53 && last.DcrShare.Lower <= 0.5, check.Describe());
        Assert.Equal(check.ChosenLevel, Cart(model).Options.ProtectionLevel);
    }

    /// <summary>
    /// A margin asks the check for more: its levels are measured on the same seeded splits, so it never stops below the
    /// level the check without a margin chose, and where it holds, its estimate clears the stricter bound. Whether the model
    /// then holds the bound on rows no split ever saw is a noisier question, not asserted here: on HallOfFame the DCR share
    /// on one held-out fifth moved between 0.502 and 0.547 across levels 1–5.06 and three splits without a trend
    /// (2026-12-08, issue 14's open item).
    /// </summary>
    [Fact]
    public void A_margin_makes_the_check_stricter()
    {
        var (train, _) = HoldoutSplit.Split(HallOfFame(), 0.8, seed: 0);
        var schema = SchemaDetector.Detect(train);
        var plain = PrivacyCheck.Run(new CartSynthesizer(), train, schema, new FitContext(0), ConstraintSet.Empty)!;
        var strict = PrivacyCheck.Run(new CartSynthesizer(), train, schema, new FitContext(0), ConstraintSet.Empty, new PrivacyCheckOptions { Margin = 0.02 })!;
        Assert.Equal(0.51, strict.MaxDcrShare, 9);
        Assert.True(strict.ChosenLevel > 1, strict.Describe());
        Assert.True(strict.ChosenLevel >= plain.ChosenLevel, $"{strict.Describe()} / without a margin: {plain.Describe()}");
        for (int r = 0; r < Math.Min(plain.Rounds.Count, strict.Rounds.Count); r++)
            Assert.Equal(plain.Rounds[r].DcrShare.Value, strict.Rounds[r].DcrShare.Value); // the same splits and fits, level by level
        var chosen = strict.Rounds.Single(r => r.ProtectionLevel == strict.ChosenLevel);
        Assert.True(!strict.Holds || chosen.DcrShare.Value <= 0.51, strict.Describe());
    }

    [Fact]
    public void The_same_seed_gives_the_same_level_and_the_same_rows()
    {
        var table = TableReader.Read(TestData.Dataset("chinook", "Invoice.csv"));
        var schema = SchemaDetector.Detect(table);
        var (a, checkA) = SyntheticData.Fit(table, schema, seed: 3);
        var (b, checkB) = SyntheticData.Fit(table, schema, seed: 3);
        Assert.NotNull(checkA);
        Assert.Equal(checkA.Describe(), checkB!.Describe());
        Assert.Equal(Rows(a.Sample(300, 3)), Rows(b.Sample(300, 3)));
    }

    [Fact]
    public void Switched_off_the_fit_is_the_plain_default_fit()
    {
        var table = HallOfFame();
        var schema = SchemaDetector.Detect(table);
        var (model, check) = SyntheticData.Fit(table, schema, seed: 0, PrivacyCheckOptions.Off);
        Assert.Null(check);
        Assert.Equal(1, Cart(model).Options.ProtectionLevel);
        var plain = SchemaConstraints.Fit(new CartSynthesizer(), table, schema, new FitContext(0), StructureDetector.ForFit(table, schema)).Model;
        Assert.Equal(Rows(plain.Sample(200, 0)), Rows(model.Sample(200, 0)));
    }

    [Fact]
    public void Synthesizers_without_tunable_protection_or_with_privacy_off_are_not_checked()
    {
        var table = HallOfFame();
        var schema = SchemaDetector.Detect(table);
        var off = new CartSynthesizer(new CartOptions { Privacy = CartPrivacy.Off });
        Assert.Null(PrivacyCheck.Run(off, table, schema, new FitContext(0), ConstraintSet.Empty));
        Assert.Null(PrivacyCheck.Run(new TabTwin.Synthesizers.Independent.IndependentSynthesizer(), table, schema, new FitContext(0), ConstraintSet.Empty));
    }

    [Fact]
    public void The_cli_says_what_the_check_did_and_can_skip_it()
    {
        var dir = TestData.NewTempDir();
        var input = TestData.Dataset("lahman_baseball", "HallOfFame.csv");
        var run = CliRunner.Run("run", input, "-o", Path.Combine(dir, "a.csv"));
        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.ErrorLines, l => l.Contains("privacy check", StringComparison.Ordinal));
        Assert.Contains("fitted at protection", line, StringComparison.Ordinal);

        var skipped = CliRunner.Run("run", input, "-o", Path.Combine(dir, "b.csv"), "--no-privacy-check");
        Assert.Equal(0, skipped.ExitCode);
        Assert.DoesNotContain("privacy check", skipped.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The CART model inside (the short API wraps it when it keeps structures detected in the data).</summary>
    private static CartModel Cart(ISynthesizerModel model) => Assert.IsType<CartModel>(model is ConstrainedModel c ? c.Inner : model);

    private static string Rows(Table t) =>
        string.Join("\n", Enumerable.Range(0, t.RowCount).Select(i => string.Join(",", t.Columns.Select(c => c.FormatValue(i)))));
}
