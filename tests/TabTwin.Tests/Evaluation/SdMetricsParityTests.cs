using TabTwin.Evaluation;
using TabTwin.Evaluation.Quality;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Evaluation;

/// <summary>
/// The quality report against SDMetrics 0.29: expected values are SDMetrics' own documented results (its unit and
/// integration tests for ColumnPairTrends, CorrelationSimilarity and QualityReport) or computed by hand from its code.
/// </summary>
public sealed class SdMetricsParityTests
{
    private static NumericColumn Numbers(string name, params double?[] values)
        => new(name, values.Select(v => v ?? 0).ToArray(), Bitmask.FromBools(values.Select(v => v is null).ToArray()));

    private static CategoricalColumn Categories(string name, params string?[] values) => CategoricalColumn.FromStrings(name, values);

    private static DateTimeColumn Dates(string name, params string[] isoDates)
        => new(name, isoDates.Select(d => DateTime.Parse(d, System.Globalization.CultureInfo.InvariantCulture).Ticks).ToArray(), format: "yyyy-MM-dd");

    private static ColumnSchema Kind(string name, ColumnKind kind) => new() { Name = name, Kind = kind };

    [Fact]
    public void Numbers_are_cut_as_numpy_digitize_over_histogram_edges_of_each_sides_own_range()
    {
        // SDMetrics' test of _discretize_column: [1, 2, 3, None, 5] → [1, 3, 6, 11, 11] (the maximum and missing share code 11).
        Assert.Equal([1, 3, 6, 11, 11], ColumnValues.HistogramCodes([1, 2, 3, double.NaN, 5]));
        // Its test of _get_columns_data_and_metric: synthetic [3, 1, 2] is cut over its own range → [11, 1, 6].
        Assert.Equal([11, 1, 6], ColumnValues.HistogramCodes([3, 1, 2]));
        // A constant column is cut over [v − ½, v + ½]: v sits on the 6th edge → code 6; no present value → code 11.
        Assert.Equal([6, 6, 11], ColumnValues.HistogramCodes([7, 7, double.NaN]));
        Assert.Equal([11, 11], ColumnValues.HistogramCodes([double.NaN, double.NaN]));
    }

    [Fact]
    public void Correlation_similarity_matches_SDMetrics_threshold_example_and_its_threshold_is_strict()
    {
        // SDMetrics' test_compute_breakdown_with_real_correlation_threshold: real ρ 0.498212, synthetic 0.3, score 0.9008941765855183;
        // a threshold of 0.35 keeps the pair, 0.498212 (not strictly above) and 0.75 drop it.
        var real = new Table([Numbers("col1", 1, 2, 3, 4), Numbers("col2", 0.2, -1.0895, -0.6425, 1.5365)]);
        var synthetic = new Table([Numbers("col1", 1, 2, 3, 4), Numbers("col2", 0.616536, -1.216536, -0.916536, 1.516536)]);
        var schema = new TableSchema { Columns = [Kind("col1", ColumnKind.Numerical), Kind("col2", ColumnKind.Numerical)] };

        double Trends(double threshold) => QualityReport.Compute(real, synthetic, schema, new QualityOptions { RealCorrelationThreshold = threshold }).ColumnPairTrends;
        var pair = QualityReport.Compute(real, synthetic, schema).PairDetails.Single();
        Assert.Equal(0.498212, pair.RealCorrelation!.Value, 6);
        Assert.Equal(0.3, pair.SyntheticCorrelation!.Value, 6);
        Assert.Equal(0.9008941765855183, pair.Score, 13);
        Assert.Equal(0.9008941765855183, Trends(0), 13);
        Assert.Equal(0.9008941765855183, Trends(0.35), 13);
        Assert.True(double.IsNaN(Trends(0.498212)));
        Assert.True(double.IsNaN(Trends(0.75)));
        // SDMetrics' default (0.5) drops it too: no pair is left, so the overall score is the column shapes score (nanmean).
        var q = QualityReport.Compute(real, synthetic, schema);
        Assert.Equal(0, q.PairsMeetingThreshold);
        Assert.Equal(q.ColumnShapes, q.Overall, 15);
        Assert.Equal(0.9008941765855183, q.AllPairTrends, 13);
    }

    [Fact]
    public void Report_with_thresholds_off_matches_SDMetrics_properties_example()
    {
        // SDMetrics' QualityReport test__get_properties (thresholds set to 0): Column Shapes 0.75, Column Pair Trends 0.5005754481922459.
        var real = new Table([
            Numbers("col1", 0, 1, 2, 3),
            Categories("col2", "a", "b", "c", "d"),
            new BooleanColumn("col3", [true, false, false, true]),
            Dates("col4", "2020-10-01", "2021-01-02", "2021-09-12", "2022-10-01"),
            Dates("col5", "2020-09-13", "2020-12-01", "2021-01-12", "2022-08-13"),
        ]);
        var synthetic = new Table([
            Numbers("col1", 0, 2, 2, 3),
            Categories("col2", "a", "c", "c", "b"),
            new BooleanColumn("col3", [false, false, false, true]),
            Dates("col4", "2020-11-04", "2021-02-01", "2021-08-01", "2022-12-01"),
            Dates("col5", "2020-10-13", "2020-02-04", "2021-03-11", "2022-07-23"),
        ]);
        var schema = new TableSchema
        {
            Columns = [Kind("col1", ColumnKind.Numerical), Kind("col2", ColumnKind.Categorical), Kind("col3", ColumnKind.Boolean),
                       Kind("col4", ColumnKind.Datetime), Kind("col5", ColumnKind.Datetime)],
        };
        var q = QualityReport.Compute(real, synthetic, schema, QualityOptions.AllPairs);
        Assert.Equal(0.75, q.ColumnShapes, 12);
        Assert.Equal(0.5005754481922459, q.ColumnPairTrends, 12);
        Assert.Equal(10, q.PairsMeetingThreshold);
        Assert.Equal(q.ColumnPairTrends, q.AllPairTrends, 15);
    }

    [Fact]
    public void Cramers_v_decides_which_contingency_pairs_count_and_its_threshold_is_strict()
    {
        // Real a/b fully determine each other: the 2×2 table [[2, 0], [0, 2]] has χ² = n, so V = 1 exactly.
        // The synthetic rows break the association: joint (p,u) .5, (q,u) .5 vs real (p,u) .5, (q,v) .5 → TV .5.
        var real = new Table([Categories("a", "p", "p", "q", "q"), Categories("b", "u", "u", "v", "v")]);
        var synthetic = new Table([Categories("a", "p", "p", "q", "q"), Categories("b", "u", "u", "u", "u")]);
        var schema = new TableSchema { Columns = [Kind("a", ColumnKind.Categorical), Kind("b", ColumnKind.Categorical)] };

        var pair = QualityReport.Compute(real, synthetic, schema).PairDetails.Single();
        Assert.Equal(1, pair.RealAssociation!.Value, 12);
        Assert.Equal(0.5, pair.Score, 12);
        // Independent columns would give the product of the marginals, .25 per cell: TV ½(.25 · 4) = .5.
        Assert.Equal(0.5, pair.IndependenceScore!.Value, 12);
        Assert.Equal(0.5, QualityReport.Compute(real, synthetic, schema, new QualityOptions { RealAssociationThreshold = 0.99 }).ColumnPairTrends, 12);
        Assert.True(double.IsNaN(QualityReport.Compute(real, synthetic, schema, new QualityOptions { RealAssociationThreshold = 1 }).ColumnPairTrends));

        // No association at all ([[1, 1], [1, 1]]: V = 0): the pair is scored but never counted.
        var flat = new Table([Categories("a", "p", "p", "q", "q"), Categories("b", "u", "v", "u", "v")]);
        var q = QualityReport.Compute(flat, synthetic, schema);
        Assert.Equal(0, q.PairDetails.Single().RealAssociation!.Value, 12);
        Assert.False(q.PairDetails.Single().MeetsThreshold);
        Assert.Equal(0, q.PairsMeetingThreshold);
    }

    [Fact]
    public void When_no_pair_has_a_real_trend_trends_are_undefined_overall_is_the_shapes_score_and_the_verdict_says_nothing_was_checked()
    {
        // Uncorrelated numbers (ρ = 0) and an unassociated category (V = 0): nothing to keep.
        // x cut into codes 1, 1, 11, 11 and y into 11, 1, 1, 11: every 2×2 table with c is [[1, 1], [1, 1]].
        var real = new Table([Numbers("x", 1, 1, 4, 4), Numbers("y", 1, -1, -1, 1), Categories("c", "a", "b", "a", "b")]);
        var synthetic = real;
        var schema = new TableSchema { Columns = [Kind("x", ColumnKind.Numerical), Kind("y", ColumnKind.Numerical), Kind("c", ColumnKind.Categorical)] };
        var q = QualityReport.Compute(real, synthetic, schema);

        Assert.Equal(0, q.PairsMeetingThreshold);
        Assert.True(double.IsNaN(q.ColumnPairTrends));
        Assert.Equal(1, q.ColumnShapes, 12);
        Assert.Equal(1, q.Overall, 12);
        Assert.True(double.IsFinite(q.AllPairTrends));
        Assert.True(double.IsNaN(EvaluationVerdicts.TrendKept(q)));
        Assert.StartsWith("good: distributions match; the real data has no strong pair trend", EvaluationVerdicts.Quality(q));
    }
}
