using TabTwin.Generation;
using TabTwin.Generation.Spec;

namespace TabTwin.Tests.Generation;

/// <summary>Every spec error code, with the table, column, field and line in the exception and the message.</summary>
public class SpecErrorTests
{
    private static SpecException Fails(string yaml)
    {
        var e = Assert.Throws<SpecException>(() => DataGenerator.Check(SpecReader.FromYaml(yaml, "s.yaml")));
        Assert.Equal("s.yaml", e.File);
        return e;
    }

    [Theory]
    [InlineData("columns:\n  age: { type: normall, mean: 1, sd: 2 }", "spec.unknown-distribution", "age", "type", 2, "did you mean 'normal'")]
    [InlineData("columns:\n  age:\n    type: normal\n    mean: 1\n    sd: -2", "spec.bad-parameter", "age", "sd", 5, "greater than 0")]
    [InlineData("columns:\n  age: { type: normal, mean: 1 }", "spec.missing-field", "age", "sd", 2, "required")]
    [InlineData("columns:\n  age: { type: normal, mean: x, sd: 1 }", "spec.bad-parameter", "age", "mean", 2, "must be a number")]
    [InlineData("columns:\n  age: { type: normal, mean: 1, sd: 1, colour: red }", "spec.unknown-field", "age", "colour", 2, "unknown field")]
    [InlineData("columns:\n  p: { type: boolean, p: 1.5 }", "spec.bad-parameter", "p", "p", 2, "probability")]
    [InlineData("columns:\n  c: { type: categorical, values: [a, b], weights: [1] }", "spec.bad-parameter", "c", "weights", 2, "one weight per value")]
    [InlineData("columns:\n  a: { formula: \"b + 1\" }\n  b: { formula: \"a * 2\" }", "spec.cycle", "a", null, 2, "a → b → a")]
    [InlineData("columns:\n  a: { formula: \"a + 1\" }", "spec.cycle", "a", "formula", 2, "depends on itself")]
    [InlineData("columns:\n  a: { formula: \"zz + 1\" }", "spec.unknown-column", "a", "formula", 2, "'zz'")]
    [InlineData("columns:\n  a: { formula: \"1 +* 2\" }", "spec.formula", "a", "formula", 2, "1 +* 2")]
    [InlineData("columns:\n  i: { dependsOn: seg, cases: { x: \"normal(0, 1)\" } }", "spec.unknown-column", "i", "dependsOn", 2, "'seg'")]
    [InlineData("columns:\n  d: { type: datetime, from: 2024-01-01, to: 2023-01-01 }", "spec.bad-parameter", "d", "to", 2, "after 'from'")]
    [InlineData("columns:\n  k: { type: id, format: \"K-{q:2}\" }", "spec.bad-parameter", "k", "format", 2, "not a placeholder")]
    [InlineData("columns:\n  e: { type: email, locale: xx }", "spec.locale", "e", "locale", 2, "unknown locale 'xx'")]
    [InlineData("columns:\n  a: normal(0, 1)\n  a: normal(0, 1)", "spec.duplicate-key", null, null, 3, "appears twice")]
    public void Errors_name_column_field_and_line(string yaml, string code, string? column, string? field, int line, string text)
    {
        var e = Fails(yaml);
        Assert.Equal(code, e.Code);
        Assert.Equal(column, e.Column);
        if (field is not null) Assert.Equal(field, e.Field);
        Assert.Equal(line, e.Line);
        Assert.Contains(text, e.Message);
        if (column is not null) Assert.Contains($"column '{column}'", e.Message);
        if (field is not null && code != "spec.duplicate-key") Assert.Contains($"field '{field}'", e.Message);
        Assert.Contains($"line {line}", e.Message);
    }

    [Fact]
    public void Correlation_errors_name_the_table_and_field()
    {
        var e = Fails("tables:\n  - name: t\n    columns:\n      a: normal(0, 1)\n      u: uuid\n    correlations: { pairs: [[a, u, 0.5]] }");
        Assert.Equal("spec.correlation-column", e.Code);
        Assert.Equal("t", e.Table);
        Assert.Equal("correlations", e.Field);
        Assert.Contains("column 'u'", e.Message);
        var m = Fails("columns:\n  a: normal(0, 1)\n  b: normal(0, 1)\ncorrelations: { columns: [a, b], matrix: [[1, 2], [2, 1]] }");
        Assert.Equal("spec.correlation-invalid", m.Code);
        Assert.Contains("[-1, 1]", m.Message);
    }

    [Fact]
    public void Syntax_errors_give_the_line()
    {
        var e = Assert.Throws<SpecException>(() => SpecReader.FromYaml("columns:\n  a: b: c\n", "bad.yaml"));
        Assert.Equal("spec.syntax", e.Code);
        Assert.Equal(2, e.Line);
        var j = Assert.Throws<SpecException>(() => SpecReader.FromJson("{\n \"columns\": {\n  \"a\": { \"type\": \"normal\" \n }", "bad.json"));
        Assert.Equal("spec.syntax", j.Code);
        Assert.Equal(4, j.Line);
        var v = Assert.Throws<SpecException>(() => SpecReader.FromYaml("version: 2\ncolumns:\n  a: uuid"));
        Assert.Equal("spec.version", v.Code);
        var json = Assert.Throws<SpecException>(() => SpecReader.FromJson("{\"columns\": {\"a\": {\"type\": \"normal\", \"mean\": 1, \"sd\": 0}}}", "x.json"));
        Assert.Equal("sd", json.Field);
        Assert.Equal(1, json.Line);
    }
}
