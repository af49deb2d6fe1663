using TabTwin.Expressions;
using TabTwin.Tables;

namespace TabTwin.Tests.Expressions;

public class ExpressionErrorTests
{
    private static readonly Table Sample = new([
        new NumericColumn("price", [1.0]), new NumericColumn("quantity", [2.0]),
        CategoricalColumn.FromStrings("city", ["Paris"]), new DateTimeColumn("admit", [new DateTime(2020, 1, 1).Ticks]),
    ]);

    private static ExpressionException Fails(string text) =>
        Assert.Throws<ExpressionException>(() => Expression.Parse(text).Bind(Sample));

    [Fact]
    public void Syntax_error_shows_position_and_caret()
    {
        var e = Fails("price * (quantity + 1");
        Assert.Equal("expr.syntax", e.Code);
        Assert.Equal(21, e.Position);
        var lines = e.Message.Split(Environment.NewLine);
        Assert.Equal("Expected ')' but found the end of the expression (at position 22):", lines[0]);
        Assert.Equal("  price * (quantity + 1", lines[1]);
        Assert.Equal("  " + new string(' ', 21) + "^", lines[2]);
    }

    [Theory]
    [InlineData("price & quantity", 6, "Unexpected character '&' (did you mean '&&'?)")]
    [InlineData("a < b < c", 6, "Comparisons cannot be chained")]
    [InlineData("'open", 0, "Unterminated string: missing closing '")]
    [InlineData("price +", 7, "The expression ends too early: expected a value")]
    [InlineData("2x + 1", 0, "Malformed number '2x'")]
    [InlineData("price quantity", 6, "Unexpected 'quantity' after a complete expression")]
    [InlineData("", 0, "The expression is empty")]
    [InlineData("x in 1, 2", 5, "Expected '(' after 'in' but found '1'")]
    public void Syntax_errors_name_the_problem(string text, int position, string message)
    {
        var e = Assert.Throws<ExpressionException>(() => Expression.Parse(text));
        Assert.Equal("expr.syntax", e.Code);
        Assert.Equal(position, e.Position);
        Assert.StartsWith(message + " (at position", e.Message);
    }

    [Fact]
    public void Unknown_column_lists_columns_and_suggests()
    {
        var e = Fails("prce * quantity");
        Assert.Equal("expr.unknown-column", e.Code);
        Assert.Equal("prce", e.Column);
        Assert.StartsWith("Unknown column 'prce'; the columns are: price, quantity, city, admit", e.Message);
        Assert.Equal("Did you mean price?", e.Hint);
    }

    [Fact]
    public void A_dashed_column_name_without_brackets_is_named_with_the_fix()
    {
        var table = new Table([new NumericColumn("hours-per-week", [40.0]), new NumericColumn("age", [30.0])]);
        var e = Assert.Throws<ExpressionException>(() => Expression.Parse("age < 70 && hours-per-week <= 80").Bind(table));
        Assert.Equal("expr.unknown-column", e.Code);
        Assert.Equal("hours", e.Column);
        Assert.Contains("'hours-per-week' must be written [hours-per-week]", e.Message);
        Assert.Equal("Write [hours-per-week].", e.Hint);
    }

    [Theory]
    [InlineData("city * 2", "Operator '*' cannot combine string and number", 5)]
    [InlineData("admit + 1", "Operator '+' cannot combine datetime and number", 6)]
    [InlineData("price > 'a'", "Operator '>' cannot combine number and string", 6)]
    [InlineData("price == null", "Operator '==' cannot combine number and null", 6)]
    [InlineData("!price", "Operator '!' needs a boolean, not a number", 0)]
    [InlineData("year(price)", "Function year(number) is not defined; expected year(datetime)", 0)]
    [InlineData("if(price, 1, 2)", "The condition of if() must be a boolean, not a number", 3)]
    [InlineData("price in (1, 'x')", "'in' list item 2 is a string but the value is a number", 13)]
    public void Type_errors_name_operator_and_types(string text, string message, int position)
    {
        var e = Fails(text);
        Assert.Equal("expr.type", e.Code);
        Assert.StartsWith(message + " (at position", e.Message);
        Assert.Equal(position, e.Position);
    }

    [Fact]
    public void Bad_date_literal_and_unknown_function()
    {
        Assert.Equal("expr.value", Fails("admit > date('2020-13-01')").Code);
        var e = Fails("sine(price)");
        Assert.Equal("expr.unknown-function", e.Code);
        Assert.Contains("sqrt", e.Message);
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        var deep = new string('(', 5000) + "1" + new string(')', 5000);
        Assert.Equal("expr.syntax", Assert.Throws<ExpressionException>(() => Expression.Parse(deep)).Code);
        var negations = string.Concat(Enumerable.Repeat("-(", 300)) + "1" + new string(')', 300);
        Assert.Equal("expr.syntax", Assert.Throws<ExpressionException>(() => Expression.Parse(negations)).Code);
    }
}
