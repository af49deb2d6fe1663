using TabTwin.Generation;
using TabTwin.Generation.Describe;
using TabTwin.Generation.Spec;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Generation;

/// <summary>
/// describe runs on every real file: nine of them (titanic, covertype, chinook Track, …) once failed with
/// "categorical is not a numeric distribution" because a number column described by labels (a 0/1 flag, a code
/// column) was offered to the association step as a numeric parent. It reads every file of the optional large data
/// (../shared/datasets), so it is a LargeData test, skipped with the reason when that folder is absent.
/// </summary>
public sealed class DescribeEveryDatasetTests
{
    /// <summary>Rows described per file: enough for every column's real shape, few enough to keep the test cheap.</summary>
    private const int RowsPerFile = 5_000;

    /// <summary>Every CSV of the large data; without it one entry, whose test then skips saying why.</summary>
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        if (TestData.LargeDataFolder is not { } root) { data.Add(Path.Combine("adult", "adult.csv")); return data; }
        foreach (var file in Directory.GetFiles(root, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(root, file));
        return data;
    }

    [SkippableTheory, Trait("Category", TestData.LargeData)]
    [MemberData(nameof(Files))]
    public void Describe_makes_a_valid_spec_for_every_real_file(string file)
    {
        var parts = file.Split(Path.DirectorySeparatorChar);
        var table = TableReader.Read(TestData.LargeDataset(parts[0], parts[1])).Head(RowsPerFile);
        var schema = SchemaDetector.Detect(table);
        var spec = SpecDescriber.Describe(table, schema, new DescribeOptions { TableName = "t", Seed = 1 });
        var back = SpecReader.FromYaml(SpecYamlWriter.ToYaml(spec, []));
        Assert.Equal(spec.Tables[0].Columns.Select(c => c.Name), back.Tables[0].Columns.Select(c => c.Name));
        // The spec is usable, not just written: a few rows generate with every described column.
        var generated = DataGenerator.Generate(back, options: new GenerateOptions { Rows = 200, Seed = 1 });
        Assert.Equal(200, generated.RowCount);
        Assert.Equal(spec.Tables[0].Columns.Select(c => c.Name), generated.ColumnNames);
    }

    [SkippableFact, Trait("Category", TestData.LargeData)]
    public void Every_shared_dataset_file_is_covered()
    {
        TestData.LargeDataset("adult", "adult.csv");
        Assert.Equal(57, Files().Count);
    }
}
