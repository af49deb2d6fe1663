using TabTwin.Tables;

namespace TabTwin.Tests.Augmentation;

public class TableConcatTests
{
    [Fact]
    public void Categorical_dictionaries_merge_by_value_keeping_the_first_tables_codes()
    {
        var a = new Table([new CategoricalColumn("c", [0, 1, -1], ["x", "y"])]);
        var b = new Table([new CategoricalColumn("c", [0, 1, 0], ["y", "z"])]);
        var c = (CategoricalColumn)Table.Concat(a, b)["c"];
        Assert.Equal(["x", "y", "z"], c.Categories);
        Assert.Equal([0, 1, -1, 1, 2, 1], c.Codes.ToArray());
        Assert.Equal(1, c.MissingCount);
    }

    [Fact]
    public void Booleans_keep_the_first_spelling_and_datetimes_their_format_and_offsets()
    {
        var a = new Table([
            new BooleanColumn("b", [true, false], trueToken: "yes", falseToken: "no"),
            new DateTimeColumn("d", [new DateTime(2020, 1, 2).Ticks, 0], Bitmask.FromBools([false, true]), "yyyy-MM-ddTHH:mmzzz", [60, 0]),
        ]);
        var b = new Table([
            new BooleanColumn("b", [true], trueToken: "true", falseToken: "false"),
            new DateTimeColumn("d", [new DateTime(2021, 5, 6, 7, 8, 0).Ticks], null, "yyyy-MM-dd HH:mm", null),
        ]);
        var t = Table.Concat(a, b);
        Assert.Equal(["yes", "no", "yes"], Enumerable.Range(0, 3).Select(i => t["b"].FormatValue(i)!).ToArray());
        var d = (DateTimeColumn)t["d"];
        Assert.Equal("yyyy-MM-ddTHH:mmzzz", d.Format);
        Assert.Equal("2020-01-02T00:00+01:00", d.FormatValue(0));
        Assert.Null(d.FormatValue(1));
        Assert.Equal("2021-05-06T07:08+00:00", d.FormatValue(2));
    }

    [Fact]
    public void Numbers_stay_integer_only_when_every_part_is_and_keep_the_most_decimals()
    {
        var ints = new Table([new NumericColumn("n", [1, 2])]);
        var decimals = new Table([new NumericColumn("n", [1.25, 3.5])]);
        var both = (NumericColumn)Table.Concat(ints, ints)["n"];
        Assert.True(both.IsInteger);
        var mixed = (NumericColumn)Table.Concat(ints, decimals)["n"];
        Assert.False(mixed.IsInteger);
        Assert.Equal(2, mixed.DecimalPlaces);
        Assert.Equal([1, 2, 1.25, 3.5], mixed.Values.ToArray());
    }

    [Fact]
    public void Columns_are_matched_by_name_in_the_first_tables_order_and_text_mixes_with_categories()
    {
        var a = new Table([new NumericColumn("n", [1]), new CategoricalColumn("s", [0], ["p"])]);
        var b = new Table([new TextColumn("s", ["q", null]), new NumericColumn("n", [2, 3])]);
        var t = Table.Concat(a, b);
        Assert.Equal(["n", "s"], t.ColumnNames);
        Assert.IsType<CategoricalColumn>(t["s"]);
        Assert.Equal(new string?[] { "1", "p" }, t.FormatRow(0));
        Assert.Equal(new string?[] { "3", null }, t.FormatRow(2));
    }

    [Fact]
    public void Different_columns_or_types_are_named_in_the_error()
    {
        var a = new Table([new NumericColumn("n", [1]), new NumericColumn("m", [1])]);
        var missing = Assert.Throws<SchemaException>(() => Table.Concat(a, new Table([new NumericColumn("n", [1]), new NumericColumn("k", [1])])));
        Assert.Equal("table.concat-columns", missing.Code);
        Assert.Equal("Table 2 of 2 cannot be appended: it lacks column(s) 'm' and it has extra column(s) 'k'.", missing.Message);
        var type = Assert.Throws<SchemaException>(() => Table.Concat(a, new Table([new NumericColumn("n", [1]), new TextColumn("m", ["x"])])));
        Assert.Equal("table.concat-type", type.Code);
        Assert.Equal("Column 'm' holds Numeric values in table 1 but Text values in table 2; they cannot be appended.", type.Message);
    }
}
