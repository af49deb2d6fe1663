using TabTwin.Evaluation.Quality;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Evaluation;

/// <summary>Every expectation here is computed by hand from the SDMetrics definitions.</summary>
public sealed class QualityMetricTests
{
    private static NumericColumn Numbers(string name, params double?[] values)
        => new(name, values.Select(v => v ?? 0).ToArray(), Bitmask.FromBools(values.Select(v => v is null).ToArray()));

    private static CategoricalColumn Categories(string name, params string?[] values) => CategoricalColumn.FromStrings(name, values);

    [Fact]
    public void KSComplement_is_one_minus_the_largest_ecdf_gap_with_missing_dropped()
    {
        // real {1,2,3,4}, synthetic {3,4,5,6}: at 2 the ECDFs are 0.5 and 0 → KS 0.5.
        Assert.Equal(0.5, KSComplement.Instance.Compute(Numbers("x", 1, 2, 3, 4, null), Numbers("x", 3, 4, 5, 6)), 12);
        // Ties step together: {1,1,2} vs {1,2,2}: at 1 the gap is 2/3 − 1/3.
        Assert.Equal(1 - 1 / 3.0, KSComplement.Instance.Compute(Numbers("x", 1, 1, 2), Numbers("x", 1, 2, 2)), 12);
        Assert.Equal(1, KSComplement.Instance.Compute(Numbers("x", 5, 1, 3), Numbers("x", 3, 5, 1)), 12);
    }

    [Fact]
    public void TVComplement_counts_missing_as_a_category()
    {
        // real a .5, b .25, missing .25; synthetic a .25, b .75 → ½(.25 + .5 + .25) = .5.
        Assert.Equal(0.5, TVComplement.Instance.Compute(Categories("c", "a", "a", "b", null), Categories("c", "a", "b", "b", "b")), 12);
        // A synthetic-only category counts fully: real a 1; synthetic a .5, z .5 → TV .5.
        Assert.Equal(0.5, TVComplement.Instance.Compute(Categories("c", "a", "a"), Categories("c", "a", "z")), 12);
    }

    [Fact]
    public void CorrelationSimilarity_compares_pearson_coefficients_on_complete_rows()
    {
        var x = Numbers("x", 1, 2, 3, 4);
        // Real y = x (ρ = 1); synthetic y uncorrelated with x (ρ = 0) → 1 − |1 − 0| / 2 = 0.5.
        Assert.Equal(0.5, CorrelationSimilarity.Instance.Compute(x, Numbers("y", 1, 2, 3, 4), x, Numbers("y", 1, -1, -1, 1)), 12);
        // The row with a missing y is dropped, leaving a perfect negative correlation: 1 − |1 − (−1)| / 2 = 0.
        Assert.Equal(0, CorrelationSimilarity.Instance.Compute(x, Numbers("y", 1, 2, 3, 4), Numbers("x", 1, 2, 3, 100), Numbers("y", 3, 2, 1, null)), 12);
        Assert.Throws<MetricUndefinedException>(() => CorrelationSimilarity.Instance.Compute(x, Numbers("y", 2, 2, 2, 2), x, x));
    }

    [Fact]
    public void ContingencySimilarity_compares_joint_frequencies()
    {
        var realA = Categories("a", "p", "p", "q", "q");
        var realB = Categories("b", "u", "v", "u", "v");
        // Synthetic joint: (p,u) .5, (q,v) .5 against the real .25 each → ½(.25+.25+.25+.25) = .5.
        Assert.Equal(0.5, ContingencySimilarity.Instance.Compute(realA, realB, Categories("a", "p", "p", "q", "q"), Categories("b", "u", "u", "v", "v")), 12);
        Assert.Equal(1, ContingencySimilarity.Instance.Compute(realA, realB, realA, realB), 12);
    }

    [Fact]
    public void ContingencySimilarity_bins_numbers_into_ten_equal_bins_of_the_real_range_with_open_outer_bins()
    {
        var realX = Numbers("x", 0, 10, 5, null);               // bins of width 1 on [0, 10]; 10 falls in the last bin
        var realC = Categories("c", "a", "a", "a", "a");
        // -3 lands in the first bin like 0, 15 in the last like 10, 5.5 in the same bin as 5, missing in its own bin.
        Assert.Equal(1, ContingencySimilarity.Instance.Compute(realX, realC, Numbers("x", -3, 15, 5.5, null), realC), 12);
        // 4.9 is in bin 4, not bin 5 with the real 5 → a quarter of the mass moves: ½(.25 + .25) = .25.
        Assert.Equal(0.75, ContingencySimilarity.Instance.Compute(realX, realC, Numbers("x", 0, 10, 4.9, null), realC), 12);
    }

    [Fact]
    public void Report_averages_shapes_and_pairs_excludes_ids_and_records_undefined_metrics()
    {
        var real = new Table([Numbers("x", 1, 2, 3, 4), Numbers("k", 7, 7, 7, 7), Categories("c", "a", "a", "b", "b"), Numbers("id", 1, 2, 3, 4)]);
        var synthetic = new Table([Numbers("x", 1, 2, 3, 5), Numbers("k", 7, 7, 7, 7), Categories("c", "a", "b", "b", "b"), Numbers("id", 9, 8, 7, 6)]);
        var schema = new TableSchema
        {
            Columns =
            [
                new ColumnSchema { Name = "x", Kind = ColumnKind.Numerical },
                new ColumnSchema { Name = "k", Kind = ColumnKind.Numerical },
                new ColumnSchema { Name = "c", Kind = ColumnKind.Categorical },
                new ColumnSchema { Name = "id", Kind = ColumnKind.Id },
            ],
        };
        var q = QualityReport.Compute(real, synthetic, schema);

        Assert.Equal(["x", "k", "c"], q.ColumnDetails.Select(c => c.Column));
        // x: KS 0.25 → 0.75; k: identical → 1; c: real a .5 b .5, synthetic a .25 b .75 → 0.75.
        Assert.Equal([0.75, 1, 0.75], q.ColumnDetails.Select(c => Math.Round(c.Score, 12)));
        Assert.Equal(2.5 / 3, q.ColumnShapes, 12);

        var xk = q.PairDetails.Single(p => p.ColumnA == "x" && p.ColumnB == "k");
        Assert.True(double.IsNaN(xk.Score));
        Assert.Contains("constant", xk.Error);
        // x~c: real bins of x on [1, 4]: 1→0, 2→3, 3→6, 4→9; synthetic 1→0, 2→3, 3→6, 5→9 (open last bin).
        // Joint real (0,a)(3,a)(6,b)(9,b); synthetic (0,a)(3,b)(6,b)(9,b) → TV .25 → .75.
        Assert.Equal(0.75, q.PairDetails.Single(p => p.ColumnA == "x" && p.ColumnB == "c").Score, 12);
        // k~c: k constant (one bin both sides) → joint equals the c frequencies → .75.
        Assert.Equal(0.75, q.PairDetails.Single(p => p.ColumnA == "k" && p.ColumnB == "c").Score, 12);
        Assert.Equal(0.75, q.ColumnPairTrends, 12);
        Assert.Equal((2.5 / 3 + 0.75) / 2, q.Overall, 12);

        // The report survives JSON, undefined scores included.
        var json = q.ToJson();
        Assert.Contains("\"NaN\"", json);
        var back = QualityResult.FromJson(json);
        Assert.Equal(q.Overall, back.Overall);
        Assert.Equal(q.ColumnDetails, back.ColumnDetails);
        Assert.True(double.IsNaN(back.PairDetails.Single(p => p.ColumnB == "k").Score));
    }

    [Fact]
    public void Normalize_maps_a_minimized_metric_so_that_one_is_best()
    {
        Assert.Equal(0.75, MetricScale.Normalize(new LowerIsBetter(), 0.5), 12);
        Assert.Equal(0.5, MetricScale.Normalize(KSComplement.Instance, 0.5), 12);
    }

    private sealed class LowerIsBetter : IMetric
    {
        public string Name => "Distance";
        public Goal Goal => Goal.Minimize;
        public double MinValue => 0;
        public double MaxValue => 2;
    }
}

public sealed class QualityReportErrorTests
{
    [Fact]
    public void A_schema_column_missing_from_the_synthetic_table_is_named()
    {
        var real = new Table([new NumericColumn("x", [1, 2])]);
        var synthetic = new Table([new NumericColumn("y", [1, 2])]);
        var schema = new TableSchema { Columns = [new ColumnSchema { Name = "x", Kind = ColumnKind.Numerical }] };
        var e = Assert.Throws<SchemaException>(() => QualityReport.Compute(real, synthetic, schema));
        Assert.Equal("quality.missing-column", e.Code);
        Assert.Equal("The synthetic table has no column 'x' named in the metadata.", e.Message);
    }

    [Fact]
    public void Id_pii_and_text_columns_are_not_evaluated()
    {
        Assert.False(QualityReport.IsEvaluated(ColumnKind.Id));
        Assert.False(QualityReport.IsEvaluated(ColumnKind.Pii));
        Assert.False(QualityReport.IsEvaluated(ColumnKind.Text));
        Assert.True(QualityReport.IsEvaluated(ColumnKind.Datetime));
    }
}
