using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.IO;

public class AdultCsvTests
{
    private static readonly Lazy<Table> Adult = new(() => TableReader.Read(TestData.Dataset("adult", "adult.csv")));

    [Fact]
    public void Adult_has_all_rows_and_the_right_types()
    {
        var t = Adult.Value;
        Assert.Equal(32_561, t.RowCount);
        Assert.Equal(15, t.ColumnCount);
        var age = t.Get<NumericColumn>("age");
        Assert.True(age.IsInteger);
        Assert.Equal(0, age.MissingCount);
        Assert.Equal(39, age[0]);
        var workclass = t.Get<CategoricalColumn>("workclass");
        Assert.Equal(1_836, workclass.MissingCount);
        Assert.Equal("State-gov", workclass[0]);
        Assert.True(t.Get<NumericColumn>("fnlwgt").IsInteger);
        Assert.IsType<CategoricalColumn>(t["income"]);
        Assert.IsType<CategoricalColumn>(t["native-country"]);
        Assert.Equal(583, t["native-country"].MissingCount);
        Assert.Equal(1_843, t["occupation"].MissingCount);
    }

    [Fact]
    public void Adult_survives_a_csv_round_trip_unchanged()
    {
        var source = TestData.Dataset("adult", "adult.csv");
        var path = Path.Combine(TestData.NewTempDir(), "adult.csv");
        TableWriter.Write(Adult.Value, path);
        Assert.Equal(File.ReadAllText(source), File.ReadAllText(path));
    }
}
