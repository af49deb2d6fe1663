using TabTwin.Evaluation.Quality;
using TabTwin.Tables;
using TabTwin.Tests.GaussianCopula;
using Xunit.Abstractions;

namespace TabTwin.Tests.Cart;

/// <summary>Quality and privacy of the default CART model on UCI Adult (80/20 split, seed 0; fit on train, sample as many rows).</summary>
public sealed class CartAdultTests(CartAdultFixture adult, ITestOutputHelper output) : IClassFixture<CartAdultFixture>
{
    [Fact]
    public void Adult_column_shapes_and_pair_trends_reach_the_targets()
    {
        var train = AdultData.Train;
        var quality = QualityReport.Compute(train, adult.Synthetic, AdultData.Schema);
        output.WriteLine($"fit {adult.FitTime.TotalMilliseconds:0} ms, fit + sample {adult.TotalTime.TotalMilliseconds:0} ms (this build, 2 threads)");
        output.WriteLine($"visit order: {string.Join(", ", adult.Model.VisitOrder)}");
        output.WriteLine($"column shapes {quality.ColumnShapes:0.0000}, pair trends {quality.ColumnPairTrends:0.0000}, overall {quality.Overall:0.0000}");
        foreach (var c in quality.ColumnDetails.OrderBy(c => c.Score).Take(5)) output.WriteLine($"weakest column: {c.Column} {c.Metric} {c.Score:0.0000}");
        foreach (var p in quality.PairDetails.OrderBy(p => p.Score).Take(5)) output.WriteLine($"weakest pair: {p.ColumnA} ~ {p.ColumnB} {p.Metric} {p.Score:0.0000}");

        Assert.Equal(train.RowCount, adult.Synthetic.RowCount);
        Assert.True(quality.ColumnShapes >= 0.98, $"column shapes {quality.ColumnShapes:0.0000} < 0.98");
        Assert.True(quality.ColumnPairTrends >= 0.97, $"pair trends {quality.ColumnPairTrends:0.0000} < 0.97");
        Assert.True(quality.Overall >= 0.98, $"overall {quality.Overall:0.0000} < 0.98");
        Assert.All(quality.ColumnDetails, c => Assert.True(c.Score >= 0.97, $"{c.Column}: {c.Metric} {c.Score:0.0000}"));
    }

    [Fact]
    public void Continuous_values_are_not_copied_verbatim_from_the_leaves()
    {
        // fnlwgt has ~21k distinct values in train; a synthesizer that copied leaf values would match ~100 %.
        // Integer rounding alone makes some synthetic values collide with training ones, so the bound is loose.
        var real = CartAdultFixture.Values(AdultData.Train, "fnlwgt");
        var synthetic = (NumericColumn)adult.Synthetic["fnlwgt"];
        int copied = 0;
        for (int i = 0; i < synthetic.Length; i++) if (real.Contains(synthetic[i])) copied++;
        double share = copied / (double)synthetic.Length;
        output.WriteLine($"fnlwgt values equal to some training value: {share:P1}");
        Assert.True(share < 0.25, $"{share:P1} of synthetic fnlwgt values equal a training value");
    }

    [Fact]
    public void Synthetic_rows_are_not_copies_of_training_rows()
    {
        static string Key(TabTwin.Tables.Table t, int row) => string.Join("|", t.FormatRow(row));
        var real = Enumerable.Range(0, AdultData.Train.RowCount).Select(i => Key(AdultData.Train, i)).ToHashSet();
        int copies = Enumerable.Range(0, adult.Synthetic.RowCount).Count(i => real.Contains(Key(adult.Synthetic, i)));
        output.WriteLine($"synthetic rows identical to a training row: {copies}");
        Assert.True(copies <= adult.Synthetic.RowCount / 1000, $"{copies} synthetic rows are exact copies of training rows");
    }

    [Fact]
    public void Categories_seen_fewer_than_five_times_never_appear()
    {
        int checkedRare = 0;
        foreach (var column in AdultData.Schema.Columns.Where(c => !AdultData.NumericalColumns.Contains(c.Name)).Select(c => c.Name))
        {
            var real = CartAdultFixture.Counts(AdultData.Train, column);
            var synthetic = CartAdultFixture.Counts(adult.Synthetic, column);
            foreach (var (value, count) in real.Where(kv => kv.Value < 5))
            {
                checkedRare++;
                Assert.False(synthetic.ContainsKey(value), $"{column}: rare category '{value}' (seen {count}×) was emitted");
            }
            Assert.All(synthetic.Keys, v => Assert.True(real.GetValueOrDefault(v) >= 5, $"{column}: '{v}' is not a frequent training category"));
        }
        Assert.True(checkedRare > 0, "Adult's train split should contain at least one rare category (e.g. native-country Holand-Netherlands)");
    }

    [Fact]
    public void Every_leaf_holds_at_least_k_training_rows()
    {
        int k = Math.Max(5, (int)Math.Ceiling(AdultData.Train.RowCount * 0.001));
        Assert.True(adult.Model.SmallestLeaf >= k, $"smallest leaf {adult.Model.SmallestLeaf} < k = {k}");
        Assert.True(adult.Model.LeafCounts.Values.Sum() > 100, "the trees should have grown (otherwise this test proves nothing)");
    }

    [Fact]
    public void Extremes_stay_within_the_fifth_smallest_and_largest_training_values()
    {
        foreach (var column in new[] { "age", "fnlwgt", "hours-per-week", "capital-loss" })
        {
            var real = (NumericColumn)AdultData.Train[column];
            var sorted = Enumerable.Range(0, real.Length).Where(i => !real.IsMissing(i)).Select(i => real[i]).Order().ToArray();
            double low = sorted[4], high = sorted[^5]; // EncodingOptions.MinTailRows = 5: the 4 most extreme rows on each side are never reproduced
            var synthetic = CartAdultFixture.Values(adult.Synthetic, column);
            Assert.InRange(synthetic.Min(), low, high);
            Assert.InRange(synthetic.Max(), low, high);
        }
        // fnlwgt's largest training values are unique outliers: clipping must keep them out.
        Assert.True(CartAdultFixture.Values(adult.Synthetic, "fnlwgt").Max() < CartAdultFixture.Values(AdultData.Train, "fnlwgt").Max());
    }
}
