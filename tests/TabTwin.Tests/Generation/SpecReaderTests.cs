using System.Text.Json;
using TabTwin.Generation.Spec;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Generation;

public class SpecReaderTests
{
    public static IEnumerable<object[]> ExampleSpecs() =>
        Directory.GetFiles(Path.Combine(TestData.RepoRoot, "examples"))
            .Where(f => f.EndsWith(".yaml") || f.EndsWith(".yml") || f.EndsWith(".json"))
            .Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(ExampleSpecs))]
    public void Every_example_spec_reads_and_validates(string file)
    {
        var spec = SpecReader.Load(Path.Combine(TestData.RepoRoot, "examples", file));
        Assert.NotEmpty(spec.Tables);
        Assert.All(spec.Tables, t => Assert.NotEmpty(t.Columns));
        var warnings = SpecValidator.Validate(spec);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Json_schema_lists_every_column_type_the_reader_knows()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.RepoRoot, "docs", "spec.schema.json")));
        var column = doc.RootElement.GetProperty("$defs").GetProperty("column").GetProperty("oneOf")[1];
        var types = column.GetProperty("properties").GetProperty("type").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToHashSet();
        foreach (var t in SpecDistributionBinder.TypeNames) Assert.Contains(t, types);
    }

    [Fact]
    public void Yaml_single_table_shorthand_binds_every_parameter()
    {
        var spec = SpecReader.FromYaml("""
            seed: 9
            rows: 100
            columns:
              age: { type: normal, mean: 40, sd: 12, min: 18, round: 0, missing: 0.1 }
              income: lognormal(mean=50000, sd=10000)
              seg: { type: categorical, values: { a: 3, b: 1 } }
              n: poisson(lambda=2.5)
              flag: boolean(0.2)
              id: { type: id, format: "C-{0000}", start: 10 }
              when: { type: date, from: 2024-01-01, to: 2024-12-31 }
            """);
        var t = Assert.Single(spec.Tables);
        Assert.Equal("data", t.Name);
        Assert.Equal(100, t.Rows);
        Assert.Equal(9UL, spec.Seed);
        var age = t.Column("age")!;
        Assert.Equal(new Distribution.Normal(40, 12), age.Distribution);
        Assert.Equal(18, age.Min);
        Assert.Equal(0, age.Round);
        Assert.Equal(0.1, age.Missing);
        var income = Assert.IsType<Distribution.LogNormal>(t.Column("income")!.Distribution);
        Assert.Equal(50000, Math.Exp(income.Mu + income.Sigma * income.Sigma / 2), 6);
        var seg = Assert.IsType<Distribution.Categorical>(t.Column("seg")!.Distribution);
        Assert.Equal(["a", "b"], seg.Values);
        Assert.Equal([3.0, 1.0], seg.Weights);
        Assert.Equal(new Distribution.Poisson(2.5), t.Column("n")!.Distribution);
        Assert.Equal(new Distribution.Boolean(0.2), t.Column("flag")!.Distribution);
        Assert.Equal(new Distribution.Id("C-{0000}", 10, 1), t.Column("id")!.Distribution);
        var when = Assert.IsType<Distribution.DateTimeRange>(t.Column("when")!.Distribution);
        Assert.Equal(new DateTime(2025, 1, 1), when.To); // a date 'to' includes that day
    }

    [Fact]
    public void Json_and_yaml_give_the_same_model()
    {
        var yaml = SpecReader.FromYaml("tables:\n  - name: t\n    rows: 5\n    columns:\n      - { name: x, type: gamma, shape: 2, scale: 3 }\n      - { name: y, type: zipf, s: 1.2, n: 10 }\n");
        var json = SpecReader.FromJson("""{"tables":[{"name":"t","rows":5,"columns":[{"name":"x","type":"gamma","shape":2,"scale":3},{"name":"y","type":"zipf","s":1.2,"n":10}]}]}""");
        Assert.Equal(yaml.Tables[0].Columns.Select(c => c.Distribution), json.Tables[0].Columns.Select(c => c.Distribution));
    }

    [Fact]
    public void Conditional_cases_and_parent_block_bind()
    {
        var spec = SpecReader.FromYaml("""
            tables:
              - name: orders
                parent: { table: customers, key: id, foreignKey: customer_id, children: poisson(3), after: { ordered_at: signup } }
                columns:
                  segment: { type: categorical, values: [gold, silver] }
                  income: { dependsOn: segment, cases: { gold: "normal(100, 10)", silver: "uniform(1, 2)" }, default: constant(0) }
            """);
        var t = spec.Tables[0];
        var c = Assert.IsType<Distribution.Conditional>(t.Column("income")!.Distribution);
        Assert.Equal("segment", c.DependsOn);
        Assert.Equal(new Distribution.Normal(100, 10), c.Cases[0].Value);
        Assert.Equal(new Distribution.Uniform(1, 2), c.Cases[1].Value);
        Assert.Equal(new Distribution.Constant(0), c.Default);
        Assert.Equal("customers", t.Parent!.Table);
        Assert.Equal("customer_id", t.Parent.ForeignKey);
        Assert.Equal(new Distribution.Poisson(3), t.Parent.Children);
        Assert.Equal(new KeyValuePair<string, string>("ordered_at", "signup"), Assert.Single(t.Parent.After));
    }

    [Fact]
    public void Spec_built_in_csharp_validates_like_a_file()
    {
        var spec = GenerationSpec.Single(new TableSpec("people", 10,
            new ColumnSpec("age", new Distribution.Normal(40, 12)) { Min = 0 },
            new ColumnSpec("email", new Distribution.Fake(FakeKind.Email))));
        Assert.Empty(SpecValidator.Validate(spec));
        var bad = spec with { Tables = [spec.Tables[0] with { Columns = [new ColumnSpec("age", new Distribution.Normal(40, -1))] }] };
        var e = Assert.Throws<SpecException>(() => SpecValidator.Validate(bad));
        Assert.Equal("spec.bad-parameter", e.Code);
        Assert.Equal("age", e.Column);
        Assert.Equal("sd", e.Field);
    }
}
