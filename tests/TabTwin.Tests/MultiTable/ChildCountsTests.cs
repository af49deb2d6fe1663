using TabTwin.MultiTable;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.MultiTable;

/// <summary>Sampled children-per-row counts are put back on the real distribution of counts, keeping their order.</summary>
public sealed class ChildCountsTests
{
    [Fact]
    public void Chinook_media_types_get_their_real_track_counts_in_the_order_the_model_drew()
    {
        // Real tracks per media type (5 rows): 7, 11, 214, 237, 3,034. A model draw on 5 rows repeats and smooths them.
        var real = TestData.Chinook();
        var perMediaType = real["Track"].Columns.First(c => c.Name == "MediaTypeId");
        var counts = Enumerable.Range(0, perMediaType.Length).GroupBy(perMediaType.FormatValue).Select(g => (double)g.Count()).ToArray();
        var shape = CountShape.Of("@n10", counts);
        Assert.Equal([7, 11, 214, 237, 3034], shape.Values);

        var drawn = new NumericColumn("@n10", [1624, 114, 1624, 127, 115], isInteger: true);
        var reshaped = ChildCounts.Reshape(drawn, shape, seed: 1);

        var values = Enumerable.Range(0, 5).Select(i => (int)reshaped[i]).ToArray();
        Assert.Equal([7, 11, 214, 237, 3034], values.Order());
        Assert.Equal(7, values[1]);     // the smallest draw gets the smallest real count
        Assert.Equal(11, values[4]);
        Assert.Equal(214, values[3]);
        Assert.Contains(values[0], new[] { 237, 3034 });   // the two tied largest draws share the two largest counts
    }

    [Fact]
    public void At_another_scale_the_counts_follow_the_real_quantiles()
    {
        var shape = CountShape.Of("@n0", [0, 0, 0, 0, 1, 1, 2, 2, 5, 9]);
        var drawn = new NumericColumn("@n0", Enumerable.Range(0, 20).Select(i => (double)(i % 7)).ToArray(), isInteger: true);

        var reshaped = ChildCounts.Reshape(drawn, shape, seed: 2);

        var values = Enumerable.Range(0, 20).Select(i => (int)reshaped[i]).Order().ToArray();
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 5, 5, 9, 9], values);
    }
}
