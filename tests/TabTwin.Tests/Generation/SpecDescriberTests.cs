using TabTwin.Generation.Describe;
using TabTwin.Generation.Spec;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Generation;

/// <summary>describe: a real table becomes a spec that re-reads, holds no record and no rare category.</summary>
public sealed class SpecDescriberTests
{
    private static readonly Lazy<(Table Table, TableSchema Schema)> Adult = new(() =>
    {
        var table = TableReader.Read(TestData.Dataset("adult", "adult.csv"));
        return (table, SchemaDetector.Detect(table));
    });

    [Fact]
    public void Adult_spec_writes_and_reads_back_equal()
    {
        var (table, schema) = Adult.Value;
        var result = SpecDescriber.DescribeWithNotes(table, schema, new DescribeOptions { TableName = "adult", Seed = 5 });
        var yaml = SpecYamlWriter.ToYaml(result.Spec, ["described from adult.csv"]);
        var back = SpecReader.FromYaml(yaml);
        SpecValidator.Validate(back);
        var json = SpecReader.FromJson(SpecYamlWriter.ToJson(result.Spec));
        Assert.Equal(result.Spec.Tables[0].Columns.Count, back.Tables[0].Columns.Count);
    }
}
