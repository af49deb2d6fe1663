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
    public void TVComplement_drops_missing_values_as_SDMetrics_does()
    {
        // real a 2/3, b 1/3 (the missing row dropped); synthetic a .25, b .75 → ½(5/12 + 5/12) = 5/12.
        Assert.Equal(1 - 5 / 12.0, TVComplement.Instance.Compute(Categories("c", "a", "a", "b", null), Categories("c", "a", "b", "b", "b")), 12);
        // A synthetic-only category counts fully: real a 1; synthetic a .5, z .5 → TV .5.
        Assert.Equal(0.5, TVComplement.Instance.Compute(Categories("c", "a", "a"), Categories("c", "a", "z")), 12);
        Assert.Throws<MetricUndefinedException>(() => TVComplement.Instance.Compute(Categories("c", "a"), Categories("c", [null])));
    }

    [Fact]
    public void CorrelationSimilarity_compares_pearson_coefficients_on_complete_rows()
    {
        var x = Numbers("x", 1, 2, 3, 4);
        // Real y = x (ρ = 1); synthetic y uncorrelated with x (ρ = 0) → 1 − |1 − 0| / 2 = 0.5.
        Assert.Equal(0.5, CorrelationSimilarity.Instance.Compute(x, Numbers("y", 1, 2, 3, 4), x, Numbers("y", 1, -1, -1, 1)), 12);
        // The row with a missing y is dropped, leaving a perfect negative correlation: 1 − |1 − (−1)| / 2 = 0.
        Assert.Equal(0, CorrelationSimilarity.Instance.Compute(x, Numbers("y", 1, 2, 3, 4), Numbers("x", 1, 2, 3, 100), Numbers("y", 3, 2, 1, null)), 12);
        // A column with one distinct value on either side is an error, as SDMetrics' ConstantInputError.
        Assert.Throws<MetricUndefinedException>(() => CorrelationSimilarity.Instance.Compute(x, Numbers("y", 2, 2, 2, 2), x, x));
        Assert.Throws<MetricUndefinedException>(() => CorrelationSimilarity.Instance.Compute(x, x, x, Numbers("y", 5, 5, null, 5)));
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
    public void ContingencySimilarity_cuts_each_side_over_its_own_range_as_SDMetrics_does()
    {
        var realC = Categories("c", "a", "a", "a", "a");
        // Real [0, 10] and synthetic [−3, 15]: each side's 10 bins span its own range, so the bin codes agree.
        // −3 and 0 are both the lowest value (code 1), 15 and 10 the highest (code 11, shared with missing), 6.5 and 5 in the 6th bin.
        Assert.Equal(1, ContingencySimilarity.Instance.Compute(Numbers("x", 0, 10, 5, null), realC, Numbers("x", -3, 15, 6.5, null), realC), 12);
        // Synthetic [0, 20]: its 10 is mid-range (code 6) where the real 10 is the maximum (code 11) → a quarter of the rows move.
        Assert.Equal(0.75, ContingencySimilarity.Instance.Compute(Numbers("x", 0, 10, 5, 10), realC, Numbers("x", 0, 20, 10, 10), realC), 12);
    }

    [Fact]
    public void Report_averages_shapes_and_pairs_with_a_real_trend_excludes_ids_and_records_undefined_metrics()
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
        Assert.Null(xk.MeetsThreshold);
        Assert.Contains("constant", xk.Error);
        // x~c: real x on [1, 4] (edges every 0.3) codes 1, 4, 7, 11; synthetic x on [1, 5] (edges every 0.4) codes 1, 3, 6, 11.
        // Joint real (1,a)(4,a)(7,b)(11,b); synthetic (1,a)(3,b)(6,b)(11,b) → TV .5 → .5. Real Cramér's V: each code one row → 1.
        var xc = q.PairDetails.Single(p => p.ColumnA == "x" && p.ColumnB == "c");
        Assert.Equal(0.5, xc.Score, 12);
        Assert.Equal(1, xc.RealAssociation!.Value, 12);
        Assert.True(xc.MeetsThreshold);
        // k~c: k constant (one code both sides) → scored from the c frequencies (.75) but no real association: not counted.
        var kc = q.PairDetails.Single(p => p.ColumnA == "k" && p.ColumnB == "c");
        Assert.Equal(0.75, kc.Score, 12);
        Assert.Null(kc.RealAssociation);
        Assert.False(kc.MeetsThreshold);
        Assert.Equal(0.5, q.ColumnPairTrends, 12);
        Assert.Equal(1, q.PairsMeetingThreshold);
        Assert.Equal((0.5 + 0.75) / 2, q.AllPairTrends, 12);
        Assert.Equal((2.5 / 3 + 0.5) / 2, q.Overall, 12);

        // The report survives JSON, undefined scores included.
        var json = q.ToJson();
        Assert.Contains("\"NaN\"", json);
        var back = QualityResult.FromJson(json);
        Assert.Equal(q.Overall, back.Overall);
        Assert.Equal(q.AllPairTrends, back.AllPairTrends);
        Assert.Equal(q.PairsMeetingThreshold, back.PairsMeetingThreshold);
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
