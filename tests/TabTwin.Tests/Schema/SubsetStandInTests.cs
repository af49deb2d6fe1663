using TabTwin.Schema;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Schema;

/// <summary>
/// Some tables in the repository's test data are only their dataset's first rows (TestData/README.md lists them) and
/// the detection tests read them in place of the full tables. When the full tables are beside the repository
/// (../shared/datasets, optional large data) this checks that each subset gets the same kinds as its full table.
/// </summary>
public class SubsetStandInTests
{
    [SkippableTheory, Trait("Category", TestData.LargeData)]
    [InlineData("airbnb_nyc_2019", "AB_NYC_2019.csv")]
    [InlineData("lahman_baseball", "People.csv")]
    [InlineData("credit_default_taiwan", "credit_default_taiwan.csv")]
    [InlineData("online_shoppers", "online_shoppers_intention.csv")]
    [InlineData("california_housing", "california_housing.csv")]
    public void First_rows_in_the_repository_get_the_same_kinds_as_the_full_table(string dataset, string file)
    {
        var full = SchemaDetector.Detect(TabTwin.IO.TableReader.Read(TestData.LargeDataset(dataset, file)));
        var subset = CsvTestTables.Load(dataset, file);
        Assert.Equal(full.Columns.Select(c => (c.Name, c.KindLabel)), SchemaDetector.Detect(subset).Columns.Select(c => (c.Name, c.KindLabel)));
    }
}
