using TabTwin.Sampling.Rebalancing;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Augmentation;

public class ClassSharesTests
{
    /// <summary>class: a ×60, b ×30, c ×10, plus 0 or more missing targets.</summary>
    private static ClassDistribution Abc(int missing = 0)
    {
        var values = Enumerable.Repeat<string?>("a", 60).Concat(Enumerable.Repeat<string?>("b", 30)).Concat(Enumerable.Repeat<string?>("c", 10))
            .Concat(Enumerable.Repeat<string?>(null, missing)).ToList();
        var table = new Table([CategoricalColumn.FromStrings("class", values)]);
        var schema = new TableSchema { Columns = [new ColumnSchema { Name = "class", Kind = ColumnKind.Categorical }] };
        return ClassDistribution.Of(table, schema, "class");
    }

    [Fact]
    public void Parses_one_or_several_classes_percentages_and_values_with_colons_or_equals_signs()
    {
        var one = ClassShares.Parse("income=>50K:0.5");
        Assert.Equal("income", one.Column);
        Assert.Equal([new ClassShare(">50K", 0.5)], one.Shares);
        var two = ClassShares.Parse(" class = a:0.2 , b:30% ");
        Assert.Equal([new ClassShare("a", 0.2), new ClassShare("b", 0.3)], two.Shares);
        Assert.Equal("12:30", ClassShares.Parse("time=12:30:0.4").Shares[0].Class);
        var named = ClassShares.Parse("a=b=x:0.5", ["a=b"]);
        Assert.Equal(("a=b", "x"), (named.Column, named.Shares[0].Class));
    }

    [Fact]
    public void Named_classes_get_their_share_and_the_others_split_the_rest_in_their_original_proportions()
    {
        var (perClass, missing) = ClassShares.Parse("class=c:0.5").Counts(Abc(), 1000);
        Assert.Equal([333, 167, 500], perClass);          // a:b keep 2:1 in the remaining half
        Assert.Equal(0, missing);
        var exact = ClassShares.Parse("class=a:0.2,b:0.3,c:0.5").Counts(Abc(), 7);
        Assert.Equal(7, exact.PerClass.Sum());
        Assert.Equal([1, 2, 4], exact.PerClass);          // 1.4, 2.1, 3.5 by largest remainder
    }

    [Fact]
    public void Rows_with_a_missing_target_are_a_group_that_keeps_its_proportion()
    {
        var (perClass, missing) = ClassShares.Parse("class=c:0.5").Counts(Abc(missing: 20), 240);
        // c gets half of 240; a, b and the 20 missing rows split the other 120 as 60 : 30 : 20 (65.5, 32.7, 21.8).
        Assert.Equal([65, 33, 120], perClass);
        Assert.Equal(22, missing);
        Assert.Equal(240, perClass.Sum() + missing);
    }

    [Fact]
    public void Booleans_accept_any_usual_spelling_of_their_classes()
    {
        var table = new Table([new BooleanColumn("fraud", [true, false, false, false], trueToken: "Y", falseToken: "N")]);
        var schema = new TableSchema { Columns = [new ColumnSchema { Name = "fraud", Kind = ColumnKind.Boolean }] };
        var d = ClassDistribution.Of(table, schema, "fraud");
        Assert.Equal(["N", "Y"], d.Classes.Select(c => c.Class));
        Assert.Equal(1, d.Resolve("true"));
        Assert.Equal(1, d.Resolve("yes"));
        Assert.Equal(0, d.Resolve("n"));
        Assert.Equal([2, 2], ClassShares.Parse("fraud=true:0.5").Counts(d, 4).PerClass);
    }

    [Theory]
    [InlineData("class=x:0.5", "rebalance.unknown-class", "The target column 'class' has no class 'x'; its classes are: a, b, c.")]
    [InlineData("class=a:1.5", "rebalance.share-range", "The share of class 'a' is 1.5; a share cannot exceed 1 (100%).")]
    [InlineData("class=a:-0.1", "rebalance.share-range", "The share of class 'a' is -0.1; a share cannot be negative.")]
    [InlineData("class=a:0.7,b:0.6", "rebalance.shares-sum", "The shares of 'class' add up to 1.3; together they cannot exceed 1.")]
    [InlineData("class=a:0.2,b:0.2,c:0.2", "rebalance.shares-sum", "The shares name every class of 'class' but add up to 0.6; they must add up to 1.")]
    [InlineData("class=a:half", "rebalance.syntax", "The share 'half' of class 'a' is not a number (write e.g. 0.5 or 50%).")]
    [InlineData("class:0.5", "rebalance.syntax", "'class:0.5' is not of the form column=class:share (e.g. income=>50K:0.5 or class=a:0.2,b:0.3).")]
    [InlineData("class=a", "rebalance.syntax", "'a' in 'class=a' is not of the form class:share (e.g. >50K:0.5).")]
    [InlineData("class=a:0.2,a:0.3", "rebalance.syntax", "Class 'a' is given a share twice.")]
    public void Bad_shares_say_what_is_wrong(string text, string code, string message)
    {
        var e = Assert.ThrowsAny<TabTwinException>(() => ClassShares.Parse(text).Counts(Abc(), 100));
        Assert.Equal(code, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_numerical_target_is_refused_with_a_hint()
    {
        var table = new Table([new NumericColumn("age", [1, 2, 3])]);
        var schema = new TableSchema { Columns = [new ColumnSchema { Name = "age", Kind = ColumnKind.Numerical }] };
        var e = Assert.Throws<SchemaException>(() => ClassDistribution.Of(table, schema, "age"));
        Assert.Equal("rebalance.target-kind", e.Code);
        Assert.Equal("The target column 'age' is numerical; rebalancing and augmentation need a categorical or boolean target (a set of classes).", e.Message);
        Assert.Contains("categorical", e.Hint);
    }
}
