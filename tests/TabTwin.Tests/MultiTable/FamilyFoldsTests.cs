using TabTwin.Evaluation;
using TabTwin.MultiTable;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema.Relational;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using Xunit.Abstractions;

namespace TabTwin.Tests.MultiTable;

/// <summary>
/// The privacy check inside the multi-table fit holds out whole families on chinook: an invoice and all its lines, a
/// customer and all their invoices, an album and its tracks are on one side of the check's split, never on both.
/// </summary>
public sealed class FamilyFoldsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("InvoiceLine.InvoiceId -> Invoice.InvoiceId")]
    [InlineData("Invoice.CustomerId -> Customer.CustomerId")]
    [InlineData("Track.AlbumId -> Album.AlbumId")]
    [InlineData("Album.ArtistId -> Artist.ArtistId")]
    public void Every_fold_keeps_a_parent_and_its_children_on_one_side(string key)
    {
        var data = RelationalSamples.Chinook();
        var fk = ForeignKey.Parse(key);
        var folds = new FamilyFolds(data, seed: 3);
        var parentOf = RelationalSamples.KeyTexts(data[fk.ChildTable], fk.ChildColumns);
        var parentKeys = RelationalSamples.KeyTexts(data[fk.ParentTable], fk.ParentColumns);
        for (int fold = 0; fold < 5; fold++)
        {
            var (train, holdout) = folds.Rows(fk.ChildTable, fold);
            var (parentTrain, parentHoldout) = folds.Rows(fk.ParentTable, fold);
            Assert.Empty(train.Intersect(holdout));
            Assert.InRange(holdout.Length / (double)data[fk.ChildTable].RowCount, 0.1, 0.3);

            var trainFamilies = train.Select(r => parentOf[r]).ToHashSet();
            var heldFamilies = holdout.Select(r => parentOf[r]).ToHashSet();
            Assert.Empty(trainFamilies.Intersect(heldFamilies));
            // ... and the children's side is their parent's side in the parent table's own check.
            Assert.Subset(parentTrain.Select(r => parentKeys[r]).ToHashSet(), trainFamilies);
            Assert.Subset(parentHoldout.Select(r => parentKeys[r]).ToHashSet(), heldFamilies);
        }
        // The assertion can fail: the row-by-row split the check used before puts siblings on both sides.
        var child = data[fk.ChildTable];
        var (rowTrain, rowHoldout) = HoldoutSplit.Split(child, FamilyFolds.TrainFraction, 3);
        var straddling = RelationalSamples.KeyTexts(rowTrain, fk.ChildColumns).Intersect(RelationalSamples.KeyTexts(rowHoldout, fk.ChildColumns)).Count();
        output.WriteLine($"{fk}: a row-by-row split puts {straddling} families on both sides; the family split none");
        Assert.True(straddling > 0);
    }

    [Fact]
    public void With_families_held_out_the_check_measures_the_tables_own_columns_not_its_parents()
    {
        // InvoiceLine's training table joins its invoice's columns: siblings share them, so over those columns a synthetic
        // line drawn beside a training invoice is always nearer the training rows. Over its own columns the share is fair.
        var data = RelationalSamples.Chinook();
        var training = PlanBuilder.Build(data, new MultiTableOptions()).Single(t => t.Plan.Table == "InvoiceLine");
        Assert.Contains(training.Data.ColumnNames, c => c.StartsWith('@'));
        var folds = new FamilyFolds(data, 3);
        var cart = new CartSynthesizer(new CartOptions { LeadingColumns = training.Leading });
        double FirstShare(Func<string, bool> measured) => PrivacyCheck.Run(cart, training.Data, training.Schema, new FitContext(3), ConstraintSet.Empty,
            new PrivacyCheckOptions { MaxRounds = 1 }, new FamilySplit(f => folds.Rows("InvoiceLine", f), measured))!.Rounds[0].DcrShare.Value;
        double own = FirstShare(c => !c.StartsWith('@')), all = FirstShare(_ => true);
        output.WriteLine($"InvoiceLine DCR share over its own columns {own:F3}, with its invoice's joined columns {all:F3}");
        Assert.True(own < 0.53, $"own columns: {own:F3}");
        Assert.True(all > own + 0.05, $"joined columns {all:F3} vs own {own:F3}: the bias the own-column rule removes is not there");
    }

    [Fact]
    public void The_same_seed_gives_the_same_folds()
    {
        var data = RelationalSamples.Chinook();
        Assert.Equal(new FamilyFolds(data, 7).Rows("InvoiceLine", 2).Holdout, new FamilyFolds(data, 7).Rows("InvoiceLine", 2).Holdout);
        Assert.NotEqual(new FamilyFolds(data, 7).Rows("InvoiceLine", 1).Holdout, new FamilyFolds(data, 7).Rows("InvoiceLine", 2).Holdout);
    }
}
