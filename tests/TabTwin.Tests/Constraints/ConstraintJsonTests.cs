using TabTwin.Sampling.Constraints;
using TabTwin.Tables;

namespace TabTwin.Tests.Constraints;

public class ConstraintJsonTests
{
    private static readonly Table Sample = new([
        new NumericColumn("a", [1, 2]), new NumericColumn("b", [3, 4]),
        CategoricalColumn.FromStrings("city", ["Paris", "Rome"]), new DateTimeColumn("when", [0, 0]),
    ]);

    private static TabTwinException ParseFails(string constraintsJson) =>
        Assert.ThrowsAny<TabTwinException>(() => ConstraintSet.FromMetadataJson($$"""{"columns": [], "constraints": {{constraintsJson}}}""", "m.json"));

    [Theory]
    [InlineData("""[{"type": "inequality", "low": "a"}]""", "constraints.json", "Constraint #1 (inequality) lacks the required field 'high'.")]
    [InlineData("""[{"type": "range", "column": "a", "min": "x1"}]""", "constraints.json", "Constraint #1 (range): field 'min' must be an ISO date such as \"2020-01-31\", not \"x1\".")]
    [InlineData("""[{"type": "unique", "columns": ["a"]}, {"type": "between", "column": "a"}]""", "constraints.unknown-type", "Constraint #2 has unknown type 'between'; the types are: inequality, range, positive, negative, formula, fixed-combinations, one-hot, date-parts, unique, expression.")]
    [InlineData("""[{"type": "positive", "column": "a", "strict": "yes"}]""", "constraints.json", "Constraint #1 (positive): field 'strict' must be true or false, not \"yes\".")]
    [InlineData("""[{"type": "one-hot", "columns": ["a"]}]""", "constraints.json", "Constraint #1 (one-hot): A one-hot group needs at least two columns.")]
    [InlineData("""[{"type": "formula", "column": "a", "expr": "a + 1"}]""", "constraints.formula-cycle", "Constraint #1 (formula): The formula for 'a' reads 'a' itself: a + 1.")]
    [InlineData("""{"type": "unique"}""", "constraints.json", "\"constraints\" must be an array of objects, not Object.")]
    public void Malformed_rules_name_index_type_and_field(string json, string code, string message)
    {
        var e = ParseFails(json);
        Assert.Equal(code, e.Code);
        Assert.Equal(message, e.Message);
        Assert.Equal("m.json", e.File);
    }

    [Fact]
    public void Expression_syntax_errors_keep_the_caret()
    {
        var e = ParseFails("""[{"type": "expression", "expr": "a >"}]""");
        Assert.Equal("expr.syntax", e.Code);
        Assert.StartsWith("Constraint #1 (expression): field 'expr': The expression ends too early", e.Message);
        Assert.EndsWith("  a >" + Environment.NewLine + "     ^", e.Message);
    }

    [Theory]
    [InlineData("""[{"type": "unique", "columns": ["a"]}, {"type": "inequality", "low": "a", "high": "c"}]""", "constraints.unknown-column",
        "Constraint #2 (inequality a <= c): field 'high' names column 'c', which the table does not have (it has: a, b, city, when).")]
    [InlineData("""[{"type": "inequality", "low": "a", "high": "when"}]""", "constraints.column-kind",
        "Constraint #1 (inequality a <= when): 'a' holds Numeric values but 'when' holds DateTime values; an inequality compares two numeric or two datetime columns.")]
    [InlineData("""[{"type": "positive", "column": "city"}]""", "constraints.column-kind",
        "Constraint #1 (range city >= 0): field 'column' names column 'city', which holds Categorical values; expected numbers.")]
    [InlineData("""[{"type": "expression", "expr": "a + b"}]""", "constraints.not-a-condition",
        "Constraint #1 (expression a + b): field 'expr' gives number values, not true/false: a + b.")]
    [InlineData("""[{"type": "range", "column": "a", "min": 5, "max": 1}]""", "constraints.infeasible", "Constraint #1 (range a >= 5 && a <= 1) admits no value.")]
    public void Rules_that_do_not_fit_the_table_name_index_and_field(string json, string code, string message)
    {
        var set = ConstraintSet.FromMetadataJson($$"""{"constraints": {{json}}}""");
        var e = Assert.ThrowsAny<TabTwinException>(() => set.Validate(Sample));
        Assert.Equal(code, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Json_round_trips_every_type()
    {
        const string json = """
            [{"type":"inequality","low":"a","high":"b","strict":true},{"type":"range","column":"a","min":0,"max":9,"strictMax":true},
             {"type":"range","column":"when","min":"2020-01-01"},{"type":"formula","column":"b","expr":"a*2+1","tolerance":0.5},
             {"type":"fixed-combinations","columns":["a","city"],"allowed":[[1,"Paris"],[2,null]]},{"type":"one-hot","columns":["a","b"]},
             {"type":"unique","columns":["city"]},{"type":"expression","expr":"a < b","name":"order"}]
            """;
        var set = ConstraintSet.FromMetadataJson($$"""{"constraints": {{json}}}""");
        var again = ConstraintSet.FromMetadataJson($$"""{"constraints": {{set.ToJson()}}}""");
        Assert.Equal(set.Select(c => c.ToString()), again.Select(c => c.ToString()));
        Assert.Equal(set.ToJson(), again.ToJson());
        Assert.Equal("formula: b = a * 2 + 1", set[3].ToString());
        Assert.Equal("range: when >= 2020-01-01", set[2].ToString());
    }
}
