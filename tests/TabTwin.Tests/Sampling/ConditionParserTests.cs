using TabTwin.Sampling;
using TabTwin.Schema;
using TabTwin.Synthesizers;

namespace TabTwin.Tests.Sampling;

public sealed class ConditionParserTests
{
    private static readonly TableSchema Schema = new()
    {
        Columns =
        [
            new ColumnSchema { Name = "country", Kind = ColumnKind.Categorical },
            new ColumnSchema { Name = "native country", Kind = ColumnKind.Categorical },
            new ColumnSchema { Name = "age", Kind = ColumnKind.Numerical },
            new ColumnSchema { Name = "capital-gain", Kind = ColumnKind.Numerical },
            new ColumnSchema { Name = "signup", Kind = ColumnKind.Datetime, Format = "yyyy-MM-dd" },
            new ColumnSchema { Name = "email", Kind = ColumnKind.Pii, Pii = PiiType.Email },
        ],
    };

    [Theory]
    [InlineData("country=DE", "country = DE")]
    [InlineData("country == DE", "country = DE")]
    [InlineData("country != DE", "country != DE")]
    [InlineData("country<>DE", "country != DE")]
    [InlineData("age>=30", "age >= 30")]
    [InlineData("age > 30", "age > 30")]
    [InlineData("age<40", "age < 40")]
    [InlineData("age <= 40.5", "age <= 40.5")]
    [InlineData("age between 30 and 40", "age in [30, 40]")]
    [InlineData("country in (DE, FR, \"United Kingdom\")", "country in (DE, FR, \"United Kingdom\")")]
    [InlineData("country not in ('DE')", "country != DE")]
    [InlineData("country is missing", "country is missing")]
    [InlineData("country IS NOT NULL", "country is not missing")]
    [InlineData("native country = \"South Korea\"", "native country = \"South Korea\"")]
    [InlineData("\"native country\"=Peru", "native country = Peru")]
    [InlineData("capital-gain>0", "capital-gain > 0")]
    [InlineData("country='it''s'", "country = it's")]
    public void Parses_operators_lists_quotes_and_names_with_spaces(string text, string expected) =>
        Assert.Equal(expected, ConditionParser.Parse(text, Schema).ToString());

    [Fact]
    public void Dates_become_wall_clock_tick_ranges()
    {
        var c = Assert.IsType<RangeCondition>(ConditionParser.Parse("signup>=2020-01-01", Schema));
        Assert.Equal(new DateTime(2020, 1, 1).Ticks, c.Min);
        Assert.True(c.MinInclusive);
        Assert.Null(c.Max);
    }

    [Fact]
    public void Several_conditions_on_one_column_intersect()
    {
        var set = ConditionParser.ParseAll(["age>=30", "age<40", "country=DE"], Schema);
        Assert.Equal(3, set.Count);
        Assert.Equal(["age", "country"], set.Columns.Order());
        Assert.Throws<TabTwinException>(() => ConditionParser.ParseAll(["age>=40", "age<30"], Schema).Validate(Schema));
    }

    [Theory]
    [InlineData("contry=DE", "condition.unknown-column", "contry")]
    [InlineData("age>=thirty", "condition.bad-value", "age")]
    [InlineData("country>=DE", "condition.wrong-kind", "country")]
    [InlineData("country in DE", "condition.parse", "country")]
    [InlineData("country=", "condition.parse", "country")]
    [InlineData("country='DE", "condition.parse", null)]
    [InlineData("email=a@b.c", "condition.wrong-kind", "email")]
    [InlineData("signup>=yesterday", "condition.bad-value", "signup")]
    [InlineData("age between 40 and 30", "condition.empty-range", "age")]
    [InlineData("", "condition.parse", null)]
    public void Errors_name_the_text_and_the_column(string text, string code, string? column)
    {
        var e = Assert.ThrowsAny<TabTwinException>(() => ConditionParser.Parse(text, Schema));
        Assert.Equal(code, e.Code);
        Assert.Equal(column, e.Column);
        if (text.Length > 0) Assert.Contains(text.Trim(), e.Message);
    }

    [Fact]
    public void Unknown_column_suggests_a_close_name()
    {
        var e = Assert.ThrowsAny<TabTwinException>(() => ConditionParser.Parse("Country=DE", new TableSchema
        {
            Columns = [new ColumnSchema { Name = "country code", Kind = ColumnKind.Categorical }],
        }));
        Assert.Equal("condition.unknown-column", e.Code);
        Assert.Contains("country code", e.Hint);
    }

    [Fact]
    public void Cells_of_a_conditions_table_are_values_or_operator_conditions()
    {
        Assert.Equal("country = DE", ConditionParser.ParseCell("country", "DE", Schema)!.ToString());
        Assert.Equal("age >= 30", ConditionParser.ParseCell("age", ">=30", Schema)!.ToString());
        Assert.Equal("country in (DE, FR)", ConditionParser.ParseCell("country", "in (DE, FR)", Schema)!.ToString());
        Assert.Equal("native country in [1, 2]", ConditionParser.ParseCell("age", "between 1 and 2", Schema)!.ToString().Replace("age", "native country"));
        Assert.Null(ConditionParser.ParseCell("country", "  ", Schema));
    }
}
