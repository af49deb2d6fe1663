using TabTwin.Generation;
using TabTwin.Generation.Spec;
using TabTwin.Tables;

namespace TabTwin.Tests.Generation;

public class CSharpModelTests
{
    [Fact]
    public void Readme_csharp_example_generates_what_it_says()
    {
        var spec = GenerationSpec.Single(new TableSpec("people", 20_000,
            new ColumnSpec("id", new Distribution.Id("P-{00000000}")),
            new ColumnSpec("name", new Distribution.Fake(FakeKind.FullName, Locale: "fr")),
            new ColumnSpec("age", new Distribution.Normal(40, 12)) { Min = 18, Round = 0 },
            new ColumnSpec("visits", new Distribution.Poisson(3)))
            { Correlations = new CorrelationSpec { Pairs = [new("age", "visits", 0.3)] } }, seed: 1);
        Table table = DataGenerator.Generate(spec);
        Assert.Equal(20_000, table.RowCount);
        Assert.Equal("P-00000001", table["id"].FormatValue(0));
        Assert.True(GenerationTestKit.Numbers(table, "age").Min() >= 18);
        double rho = GenerationTestKit.Spearman(GenerationTestKit.Numbers(table, "age"), GenerationTestKit.Numbers(table, "visits"));
        Assert.InRange(rho, 0.22, 0.32); // Poisson(3) ties weaken the rank correlation a little below 0.3
        var shard = DataGenerator.Generate(spec, options: new GenerateOptions { Shard = new Shard(1, 1) });
        Assert.Equal(table.FormatRow(19_999), shard.FormatRow(19_999));
    }
}
