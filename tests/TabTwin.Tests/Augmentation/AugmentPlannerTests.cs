using TabTwin.Augmentation;
using TabTwin.Sampling.Rebalancing;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Augmentation;

public class AugmentPlannerTests
{
    private static ClassDistribution Counts(params (string Class, int Count)[] classes)
    {
        var values = classes.SelectMany(c => Enumerable.Repeat<string?>(c.Class, c.Count)).ToList();
        var table = new Table([CategoricalColumn.FromStrings("y", values)]);
        return ClassDistribution.Of(table, new TableSchema { Columns = [new ColumnSchema { Name = "y", Kind = ColumnKind.Categorical }] }, "y");
    }

    [Fact]
    public void Binary_minority_is_raised_to_the_wanted_share()
    {
        var plan = AugmentPlanner.Plan(Counts(("no", 900), ("yes", 100)), 0.3);
        // (100 + a) / (1000 + a) = 0.3  →  a = 200 / 0.7 = 285.7
        Assert.Equal([0, 286], plan.Added);
        Assert.Equal(0.3, plan.FinalShare(1), 3);
    }

    [Fact]
    public void Every_class_below_the_share_is_raised_including_one_pushed_below_by_the_others_growth()
    {
        // c (5%) is clearly below 0.25; b (26%) starts above it but falls below once c is raised.
        var plan = AugmentPlanner.Plan(Counts(("a", 690), ("b", 260), ("c", 50)), 0.25);
        Assert.True(plan.Added[1] > 0 && plan.Added[2] > 0, string.Join(",", plan.Added));
        Assert.Equal(0, plan.Added[0]);
        Assert.InRange(plan.FinalShare(1), 0.249, 0.251);
        Assert.InRange(plan.FinalShare(2), 0.249, 0.251);
        Assert.True(plan.FinalShare(0) >= 0.25);
    }

    [Fact]
    public void A_share_already_reached_adds_nothing()
    {
        Assert.Equal(0, AugmentPlanner.Plan(Counts(("no", 600), ("yes", 400)), 0.3).TotalAdded);
    }

    [Theory]
    [InlineData(0.6, "augment.share-too-high", "The target column 'y' has 2 classes, so no share above 1/2 = 0.5 can be reached by every class; 0.6 was asked.")]
    [InlineData(0, "augment.share-range", "The wanted share 0 must lie strictly between 0 and 1 (e.g. 0.3).")]
    [InlineData(1.2, "augment.share-range", "The wanted share 1.2 must lie strictly between 0 and 1 (e.g. 0.3).")]
    public void Impossible_shares_are_refused(double to, string code, string message)
    {
        var e = Assert.Throws<TabTwinException>(() => AugmentPlanner.Plan(Counts(("no", 900), ("yes", 100)), to));
        Assert.Equal(code, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_single_class_has_nothing_to_raise()
    {
        var e = Assert.Throws<TabTwinException>(() => AugmentPlanner.Plan(Counts(("no", 10)), 0.3));
        Assert.Equal("augment.single-class", e.Code);
        Assert.Equal("The target column 'y' has only one class ('no'); there is no rarer class to raise.", e.Message);
    }
}
