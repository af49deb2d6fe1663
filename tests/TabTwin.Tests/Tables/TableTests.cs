using TabTwin.Tables;

namespace TabTwin.Tests.Tables;

public class TableTests
{
    [Fact]
    public void Bitmask_counts_and_takes_rows()
    {
        var m = Bitmask.FromBools([true, false, false, true, true]);
        Assert.Equal(3, m.Count);
        var t = m.Take([1, 3, 3]);
        Assert.Equal([false, true, true], t.ToBools());
    }

    [Fact]
    public void Numeric_column_remembers_integerness_and_decimals()
    {
        var ints = new NumericColumn("a", [1, 2, 3]);
        Assert.True(ints.IsInteger);
        Assert.Equal("2", ints.FormatValue(1));
        var prices = new NumericColumn("p", [1.5, 2.25, 3]);
        Assert.False(prices.IsInteger);
        Assert.Equal(2, prices.DecimalPlaces);
        Assert.Equal("2.25", prices.FormatValue(1));
    }

    [Fact]
    public void Categorical_column_from_strings_keeps_missing_and_dictionary()
    {
        var c = CategoricalColumn.FromStrings("c", ["x", null, "y", "x"]);
        Assert.Equal(2, c.Cardinality);
        Assert.True(c.IsMissing(1));
        Assert.Equal([2, 1], c.CountPerCategory());
        Assert.Equal("x", ((CategoricalColumn)c.Take([3]))[0]);
    }

    [Fact]
    public void DateTime_column_formats_with_offset()
    {
        var ticks = new DateTime(2024, 3, 1, 12, 30, 0).Ticks;
        var c = new DateTimeColumn("d", [ticks], null, "yyyy-MM-ddTHH:mm:sszzz", [60]);
        Assert.Equal("2024-03-01T12:30:00+01:00", c.FormatValue(0));
    }

    [Fact]
    public void Table_rejects_duplicate_names_and_ragged_columns()
    {
        var a = new NumericColumn("a", [1, 2]);
        Assert.Throws<ArgumentException>(() => new Table([a, a]));
        Assert.Throws<ArgumentException>(() => new Table([a, new NumericColumn("b", [1])]));
        var t = new Table([a]);
        var e = Assert.Throws<SchemaException>(() => t["zz"]);
        Assert.Contains("zz", e.Message);
        Assert.Contains("a", e.Message);
    }
}
