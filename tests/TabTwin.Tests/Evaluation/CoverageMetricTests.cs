using TabTwin.Evaluation.Coverage;
using TabTwin.Evaluation.Quality;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Evaluation;

/// <summary>Coverage expectations computed by hand.</summary>
public sealed class CoverageMetricTests
{
    private static NumericColumn Numbers(string name, params double?[] values)
        => new(name, values.Select(v => v ?? 0).ToArray(), Bitmask.FromBools(values.Select(v => v is null).ToArray()));

    private static CategoricalColumn Categories(string name, params string?[] values) => CategoricalColumn.FromStrings(name, values);

    [Fact]
    public void RangeCoverage_is_the_covered_share_of_the_real_range()
    {
        // Real [0, 10]; synthetic [5, 20] covers [5, 10] → .5. Missing ignored.
        Assert.Equal(0.5, RangeCoverage.Instance.Compute(Numbers("x", 0, 10, null), Numbers("x", 5, 20, null)), 12);
        Assert.Equal(1, RangeCoverage.Instance.Compute(Numbers("x", 0, 10), Numbers("x", -1, 11)), 12);
        Assert.Equal(0, RangeCoverage.Instance.Compute(Numbers("x", 0, 10), Numbers("x", 11, 12)), 12);
        Assert.Equal(1, RangeCoverage.Instance.Compute(Numbers("x", 3, 3), Numbers("x", 2, 4)), 12);
        Assert.Equal(0, RangeCoverage.Instance.Compute(Numbers("x", 3, 3), Numbers("x", 4, 5)), 12);
        Assert.Throws<MetricUndefinedException>(() => RangeCoverage.Instance.Compute(Numbers("x", null, null), Numbers("x", 1)));
    }

    [Fact]
    public void CategoryCoverage_and_rare_presence_count_real_categories_seen_in_synthetic()
    {
        // Real: a ×18, b ×1, c ×1 (b and c are 5% each: not rare at 5%, rare at 10%), missing ignored.
        var real = Categories("c", [.. Enumerable.Repeat("a", 18), "b", "c", null]);
        var synthetic = Categories("c", "a", "b", "z", null);
        Assert.Equal(2 / 3.0, CategoryCoverage.Instance.Compute(real, synthetic), 12);
        Assert.Equal(0.5, new RareCategoryPresence(0.1).Compute(real, synthetic), 12);
        Assert.Throws<MetricUndefinedException>(() => RareCategoryPresence.Instance.Compute(real, synthetic));
    }

    [Fact]
    public void Report_averages_numbers_and_categories_separately()
    {
        // Real x spans [0, 10] (31 rows), c is a ×30 and b ×1 (rare); synthetic x spans [0, 5], c only a.
        var real = new Table([Numbers("x", [.. Enumerable.Range(0, 31).Select(i => (double?)(i % 11))]),
            Categories("c", [.. Enumerable.Repeat("a", 30), "b"]), Categories("id", [.. Enumerable.Range(0, 31).Select(i => $"r{i}")])]);
        var synthetic = new Table([Numbers("x", 0, 5), Categories("c", "a", "a"), Categories("id", "s0", "s1")]);
        var schema = new TableSchema
        {
            Columns =
            [
                new ColumnSchema { Name = "x", Kind = ColumnKind.Numerical },
                new ColumnSchema { Name = "c", Kind = ColumnKind.Categorical },
                new ColumnSchema { Name = "id", Kind = ColumnKind.Id },
            ],
        };
        var result = CoverageReport.Compute(real, synthetic, schema);
        Assert.Equal(0.5, result.RangeCoverage, 12);
        Assert.Equal(0.5, result.CategoryCoverage, 12);
        Assert.Equal(0, result.RareCategoryPresence, 12);
        Assert.Equal(["x", "c"], result.Columns.Select(c => c.Column));
    }
}
