using TabTwin.Sampling.Rebalancing;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Cart;
using TabTwin.Tests.GaussianCopula;

namespace TabTwin.Tests.Augmentation;

public class RebalanceAdultTests(CartAdultFixture fixture) : IClassFixture<CartAdultFixture>
{
    private static Dictionary<string, int> Counts(Table t, string column) =>
        Enumerable.Range(0, t.RowCount).GroupBy(i => t[column].FormatValue(i) ?? "(missing)").ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public void Income_rebalanced_to_half_has_exactly_half_of_each_class_in_shuffled_order()
    {
        var table = Rebalancer.Sample(fixture.Model, AdultData.Train, "income=>50K:0.5", 3000, seed: 9, new SampleContext { MaxThreads = 2 });
        Assert.Equal(3000, table.RowCount);
        Assert.Equal(AdultData.Train.ColumnNames, table.ColumnNames);
        var counts = Counts(table, "income");
        Assert.Equal(1500, counts[">50K"]);
        Assert.Equal(1500, counts["<=50K"]);
        // Classes are interleaved, not in two blocks.
        Assert.Equal(2, Enumerable.Range(0, 100).Select(i => table["income"].FormatValue(i)).Distinct().Count());
        // The rich rows still look rich: their mean education-num is above the poor rows'.
        double Mean(string cls) => Enumerable.Range(0, table.RowCount).Where(i => table["income"].FormatValue(i) == cls)
            .Average(i => ((NumericColumn)table["education-num"])[i]);
        Assert.True(Mean(">50K") > Mean("<=50K") + 1, $"{Mean(">50K"):0.00} vs {Mean("<=50K"):0.00}");
    }

    [Fact]
    public void Several_classes_get_exact_counts_and_the_rest_keep_their_proportions()
    {
        var shares = ClassShares.Parse("race=Black:0.3,Asian-Pac-Islander:0.2");
        var original = ClassDistribution.Of(AdultData.Train, AdultData.Schema, "race");
        var table = Rebalancer.Sample(fixture.Model, original, shares, 2000, seed: 2, new SampleContext { MaxThreads = 2 });
        var counts = Counts(table, "race");
        Assert.Equal(600, counts["Black"]);
        Assert.Equal(400, counts["Asian-Pac-Islander"]);
        var expected = shares.Counts(original, 2000).PerClass;
        for (int c = 0; c < original.Classes.Count; c++)
            Assert.Equal(expected[c], counts.GetValueOrDefault(original.Classes[c].Class!));
        // White, Amer-Indian-Eskimo and Other share the remaining half as in the data, where White is 95% of those three.
        Assert.InRange(counts["White"], 940, 990);
    }

    [Fact]
    public void Same_seed_same_rows_on_one_or_two_threads()
    {
        string[] Rows(Table t) => Enumerable.Range(0, t.RowCount).Select(i => string.Join("|", t.FormatRow(i))).ToArray();
        var one = Rebalancer.Sample(fixture.Model, AdultData.Train, "income=>50K:0.4", 500, 4, new SampleContext { MaxThreads = 1 });
        var two = Rebalancer.Sample(fixture.Model, AdultData.Train, "income=>50K:0.4", 500, 4, new SampleContext { MaxThreads = 2 });
        Assert.Equal(Rows(one), Rows(two));
    }

    [Fact]
    public void Unknown_classes_and_numerical_targets_are_refused_clearly()
    {
        var unknown = Assert.Throws<TabTwinException>(() => Rebalancer.Sample(fixture.Model, AdultData.Train, "income=rich:0.5", 100, 0));
        Assert.Equal("rebalance.unknown-class", unknown.Code);
        Assert.Equal("The target column 'income' has no class 'rich'; its classes are: <=50K, >50K.", unknown.Message);
        var numeric = Assert.Throws<SchemaException>(() => Rebalancer.Sample(fixture.Model, AdultData.Train, "age=40:0.5", 100, 0));
        Assert.Equal("rebalance.target-kind", numeric.Code);
        var column = Assert.Throws<SchemaException>(() => Rebalancer.Sample(fixture.Model, AdultData.Train, "salary=high:0.5", 100, 0));
        Assert.Equal("table.unknown-column", column.Code);
    }
}
