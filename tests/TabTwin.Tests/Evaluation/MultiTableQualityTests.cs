using TabTwin.Evaluation.MultiTable;
using TabTwin.Evaluation.Quality;
using TabTwin.Schema;
using TabTwin.Schema.Relational;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Evaluation;

/// <summary>
/// The multi-table quality report against SDMetrics' multi-table QualityReport: its documented integration example,
/// real chinook tables, and tiny hand-made databases whose scores are worked out by hand in the comments.
/// </summary>
public sealed class MultiTableQualityTests
{
    private static NumericColumn Numbers(string name, params double?[] values)
        => new(name, values.Select(v => v ?? 0).ToArray(), Bitmask.FromBools(values.Select(v => v is null).ToArray()));

    private static Table Keys(string name, params double?[] values) => new([Numbers(name, values)]);

    private static DateTimeColumn Dates(string name, params string[] isoDates)
        => new(name, isoDates.Select(d => DateTime.Parse(d, System.Globalization.CultureInfo.InvariantCulture).Ticks).ToArray(), format: "yyyy-MM-dd");

    private static ColumnSchema Kind(string name, ColumnKind kind) => new() { Name = name, Kind = kind };

    /// <summary>A parent table "p" (key "id") and a child table "c" (foreign key "pid").</summary>
    private static RelationalData ParentChild(Table parent, Table child) => new(
        new DatabaseMetadata(["p", "c"], new Dictionary<string, IReadOnlyList<string>> { ["p"] = ["id"] }, [ForeignKey.Parse("c.pid -> p.id")]),
        new Dictionary<string, Table> { ["p"] = parent, ["c"] = child });

    /// <summary>The child foreign keys giving each parent 0, 1, … children: counts [0, 2] over parents 1, 2 → [2, 2].</summary>
    private static double?[] ChildKeys(params int[] countsPerParent) =>
        [.. countsPerParent.SelectMany((count, i) => Enumerable.Repeat<double?>(i + 1, count))];

    private static double?[] ParentKeys(int parents) => [.. Enumerable.Range(1, parents).Select(i => (double?)i)];

    [Fact]
    public void Matches_SDMetrics_documented_multi_table_report_with_thresholds_off()
    {
        // SDMetrics' test_unified_quality_report_multi_table (thresholds 0): Column Shapes 0.8, Column Pair Trends
        // 0.7983285096367361, Cardinality 0.75, Intertable Trends 0.25, overall 0.649582127409184. col1 and col6 are
        // the keys (SDMetrics' sdtype id) and are not scored.
        var real = new Dictionary<string, Table>
        {
            ["table1"] = new([Numbers("col1", 0, 1, 2, 3), CategoricalColumn.FromStrings("col2", ["a", "b", "c", "d"]), new BooleanColumn("col3", [true, false, false, true])]),
            ["table2"] = new([Dates("col4", "2020-10-01", "2021-01-02", "2021-09-12", "2022-10-01"), Dates("col5", "2020-09-13", "2020-12-01", "2021-01-12", "2022-08-13"),
                Numbers("col6", 0, 1, 1, 0), Numbers("col7", 0.1, 0.2, 0.3, 0.4)]),
        };
        var synthetic = new Dictionary<string, Table>
        {
            ["table1"] = new([Numbers("col1", 0, 2, 2, 3), CategoricalColumn.FromStrings("col2", ["a", "c", "c", "b"]), new BooleanColumn("col3", [false, false, false, true])]),
            ["table2"] = new([Dates("col4", "2020-11-04", "2021-02-01", "2021-08-01", "2022-12-01"), Dates("col5", "2020-10-13", "2020-02-04", "2021-03-11", "2022-07-23"),
                Numbers("col6", 0, 1, 1, 0), Numbers("col7", 0.1, 0.2, 0.3, 0.4)]),
        };
        var metadata = new DatabaseMetadata(["table1", "table2"], new Dictionary<string, IReadOnlyList<string>> { ["table1"] = ["col1"] },
            [ForeignKey.Parse("table2.col6 -> table1.col1")]);
        var options = new MultiTableQualityOptions
        {
            Pairs = QualityOptions.AllPairs,
            Schemas = new Dictionary<string, TableSchema>
            {
                ["table1"] = new() { Columns = [Kind("col1", ColumnKind.Id), Kind("col2", ColumnKind.Categorical), Kind("col3", ColumnKind.Boolean)] },
                ["table2"] = new() { Columns = [Kind("col4", ColumnKind.Datetime), Kind("col5", ColumnKind.Datetime), Kind("col6", ColumnKind.Id), Kind("col7", ColumnKind.Numerical)] },
            },
        };

        var q = MultiTableQuality.Evaluate(new RelationalData(metadata, real), new RelationalData(metadata, synthetic), options);

        Assert.Equal(0.8, q.ColumnShapes, 12);
        Assert.Equal(0.7983285096367361, q.ColumnPairTrends, 12);
        Assert.Equal(0.75, q.Cardinality, 12);
        Assert.Equal(0.25, q.IntertableTrends, 12);
        Assert.Equal(0.649582127409184, q.Overall, 12);
        var trends = q.Relationships.Single().IntertablePairs;
        Assert.Equal(["col2×col4", "col2×col5", "col2×col7", "col3×col4", "col3×col5", "col3×col7"], trends.Select(p => $"{p.ColumnA}×{p.ColumnB}"));
        Assert.Equal([0.5, 0.5, 0.5, 0, 0, 0], trends.Select(p => Math.Round(p.Score, 12)));
        // The pooled means are not means of table means: table1's pair scores 0.25, table2's three average 0.981.
        Assert.Equal([0.25, 0.9901306731066666, 0.9853027960145061, 0.9678805694257717],
            q.Tables.SelectMany(t => t.Quality.PairDetails).Select(p => Math.Round(p.Score, 13)), new RoundedComparer(13));

        // SDMetrics' default thresholds keep every pair here, so the figures stay: table2's |ρ| are 0.95, 0.97, 0.86
        // (> 0.5); col2 (a, b, c, d) determines col3, and on the join col2 and col3 (a, b, b, a; T, F, F, T) meet four
        // distinct bins of each child column, a 2 × 4 table with one row per column: χ² = 8 · 0.5²/0.5 = 4, V = √(4/4) = 1 (> 0.3).
        var withThresholds = MultiTableQuality.Evaluate(new RelationalData(metadata, real), new RelationalData(metadata, synthetic), options with { Pairs = QualityOptions.SdMetrics });
        Assert.Equal(0.649582127409184, withThresholds.Overall, 12);
        Assert.All(withThresholds.Relationships.Single().IntertablePairs, p => Assert.Equal(1, p.RealAssociation!.Value, 12));

        // Without relationships (as SDMetrics' report on its demo without them): Cardinality and Intertable Trends are undefined, overall is the mean of the other two.
        var alone = new DatabaseMetadata(["table1", "table2"], new Dictionary<string, IReadOnlyList<string>> { ["table1"] = ["col1"] }, []);
        var none = MultiTableQuality.Evaluate(new RelationalData(alone, real), new RelationalData(alone, synthetic), options);
        Assert.True(double.IsNaN(none.Cardinality) && double.IsNaN(none.IntertableTrends));
        Assert.Equal((0.8 + 0.7983285096367361) / 2, none.Overall, 12);
    }

    private sealed class RoundedComparer(int digits) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Round(a, digits) == Math.Round(b, digits);
        public int GetHashCode(double v) => Math.Round(v, digits).GetHashCode();
    }

    [Fact]
    public void Cardinality_is_one_minus_the_KS_statistic_of_children_per_parent_with_childless_parents_counted()
    {
        // Real: 4 parents with 0, 0, 1, 3 children. ECDF: 0 → .5, 1 → .75, 3 → 1.
        var real = ParentChild(Keys("id", ParentKeys(4)), Keys("pid", ChildKeys(0, 0, 1, 3)));
        // The same 4 children spread evenly, 1 each: ECDF 0 → 0, 1 → 1. KS = max(|.5 − 0|, |.75 − 1|) = .5.
        var even = ParentChild(Keys("id", ParentKeys(4)), Keys("pid", ChildKeys(1, 1, 1, 1)));
        // One childless parent more: counts 0, 0, 1, 3, 0, ECDF 0 → .6, 1 → .8, 3 → 1. KS = max(.1, .05, 0) = .1.
        var extraParent = ParentChild(Keys("id", ParentKeys(5)), Keys("pid", ChildKeys(0, 0, 1, 3, 0)));

        Assert.Equal(1, MultiTableQuality.Evaluate(real, real).Cardinality, 15);
        Assert.Equal(0.5, MultiTableQuality.Evaluate(real, even).Cardinality, 15);
        Assert.Equal(0.9, MultiTableQuality.Evaluate(real, extraParent).Cardinality, 15);
        var r = MultiTableQuality.Evaluate(real, extraParent).Relationships.Single();
        Assert.Equal([new ChildrenPerParent(0, 2, 3), new ChildrenPerParent(1, 1, 1), new ChildrenPerParent(3, 1, 1)], r.Histogram);
        // Every synthetic count lies within the real range [0, 3]; the even spread's too.
        Assert.Equal(1, r.CardinalityBoundaryAdherence);
        // A parent with 5 children is outside it: 1 of 4 parents.
        var tooMany = ParentChild(Keys("id", ParentKeys(4)), Keys("pid", ChildKeys(5, 0, 0, 0)));
        Assert.Equal(0.75, MultiTableQuality.Evaluate(real, tooMany).Relationships.Single().CardinalityBoundaryAdherence, 15);
    }

    [Fact]
    public void Referential_integrity_is_the_share_of_present_child_keys_that_name_a_parent()
    {
        var real = ParentChild(Keys("id", 1, 2, 3), Keys("pid", 1, 1, 2, 3, 3));
        // 10 child rows: 2 without a key, 3 naming parents 7, 8, 9 that do not exist, 5 resolving → 5 / 8.
        var synthetic = ParentChild(Keys("id", 1, 2, 3), Keys("pid", 1, 2, 3, 1, 2, null, null, 7, 8, 9));

        var q = MultiTableQuality.Evaluate(real, synthetic);
        var integrity = q.Relationships.Single().SyntheticIntegrity;
        Assert.Equal(new ReferentialIntegrity(10, 2, 5), integrity);
        Assert.Equal(3, integrity.Orphans);
        Assert.Equal(0.625, integrity.Share, 15);
        Assert.Equal(0.625, q.ReferentialIntegrity, 15);
        Assert.Equal(1, q.Relationships.Single().RealIntegrity.Share);
        Assert.Contains(q.SummaryLines(), l => l.Contains("c.pid -> p.id: cardinality") && l.Contains("integrity 0.625 (3 orphans)"));
    }

    [Fact]
    public void Composite_keys_match_as_tuples()
    {
        // Lahman's Salaries.yearID,teamID -> Teams.yearID,teamID on a hand-made slice. (2001, BOS) names no team
        // although 2001 and BOS each occur: it is an orphan, and not counted as a child of either team.
        var teams = new Table([Numbers("yearID", 2000, 2000, 2001), CategoricalColumn.FromStrings("teamID", ["BOS", "NYA", "NYA"]), Numbers("W", 85, 87, 95)]);
        var salaries = new Table([Numbers("yearID", 2000, 2000, 2000, 2001, 2001), CategoricalColumn.FromStrings("teamID", ["BOS", "BOS", "NYA", "NYA", "BOS"]),
            Numbers("salary", 100, 200, 300, 400, 500)]);
        var metadata = new DatabaseMetadata(["Teams", "Salaries"],
            new Dictionary<string, IReadOnlyList<string>> { ["Teams"] = ["yearID", "teamID"] }, [ForeignKey.Parse("Salaries.yearID,teamID -> Teams.yearID,teamID")]);
        var real = new RelationalData(metadata, new Dictionary<string, Table> { ["Teams"] = teams, ["Salaries"] = salaries });
        // Synthetic: every salary on 2000 BOS. Real counts per team 2, 1, 1 (ECDF 1 → 2/3, 2 → 1); synthetic 4, 0, 0
        // (ECDF 0 → 2/3, 4 → 1). KS = |0 − 2/3| at 0 and 1 → 2/3, so cardinality 1/3.
        var allOnOne = new Table([Numbers("yearID", 2000, 2000, 2000, 2000), CategoricalColumn.FromStrings("teamID", ["BOS", "BOS", "BOS", "BOS"]),
            Numbers("salary", 100, 200, 300, 400)]);
        var synthetic = new RelationalData(metadata, new Dictionary<string, Table> { ["Teams"] = teams, ["Salaries"] = allOnOne });

        var self = MultiTableQuality.Evaluate(real, real).Relationships.Single();
        Assert.Equal(new ReferentialIntegrity(5, 0, 4), self.RealIntegrity);
        Assert.Equal([new ChildrenPerParent(1, 2, 2), new ChildrenPerParent(2, 1, 1)], self.Histogram);
        var q = MultiTableQuality.Evaluate(real, synthetic);
        Assert.Equal(1.0 / 3, q.Cardinality, 15);
        Assert.Equal(1, q.Relationships.Single().SyntheticIntegrity.Share);
        // Key columns are never scored: Salaries keeps only salary, Teams only W.
        Assert.Equal(["W"], q.Tables.Single(t => t.Table == "Teams").Quality.ColumnDetails.Select(c => c.Column));
        Assert.Equal(["salary"], q.Tables.Single(t => t.Table == "Salaries").Quality.ColumnDetails.Select(c => c.Column));
    }

    [Fact]
    public void Intertable_trends_drop_when_children_are_reassigned_to_random_parents()
    {
        // 40 parents with size x = 1..40; each has 3 children whose amount = 10·x + noise: a strong parent–child trend.
        var rng = new Random(7);
        int parents = 40;
        var x = Enumerable.Range(1, parents).Select(i => (double?)i).ToArray();
        var pid = Enumerable.Range(1, parents).SelectMany(i => Enumerable.Repeat((double?)i, 3)).ToArray();
        var amount = pid.Select(p => (double?)(10 * p!.Value + rng.NextDouble() * 20)).ToArray();
        var real = ParentChild(new Table([Numbers("id", ParentKeys(parents)), Numbers("x", x)]), new Table([Numbers("pid", pid), Numbers("amount", amount)]));
        // The same children, each moved to a random parent: the amounts no longer follow the parent's x.
        var moved = pid.Select(_ => (double?)rng.Next(1, parents + 1)).ToArray();
        var shuffled = ParentChild(new Table([Numbers("id", ParentKeys(parents)), Numbers("x", x)]), new Table([Numbers("pid", moved), Numbers("amount", amount)]));

        // Both numbers are unique per row and would be detected as ids; say what they are.
        var options = new MultiTableQualityOptions
        {
            Schemas = new Dictionary<string, TableSchema>
            {
                ["p"] = new() { Columns = [Kind("id", ColumnKind.Id), Kind("x", ColumnKind.Numerical)] },
                ["c"] = new() { Columns = [Kind("pid", ColumnKind.Numerical), Kind("amount", ColumnKind.Numerical)] },
            },
        };

        var same = MultiTableQuality.Evaluate(real, real, options);
        Assert.Equal(1, same.IntertableTrends, 12);
        var q = MultiTableQuality.Evaluate(real, shuffled, options);
        var pair = q.Relationships.Single().IntertablePairs.Single();
        Assert.Equal(("x", "amount", "CorrelationSimilarity"), (pair.ColumnA, pair.ColumnB, pair.Metric));
        // Worked out independently: Pearson's ρ of (parent x, child amount) over the joined rows on each side.
        double realRho = Pearson(pid.Select(p => p!.Value), amount.Select(a => a!.Value));
        double shuffledRho = Pearson(moved.Select(p => p!.Value), amount.Select(a => a!.Value));
        Assert.True(realRho > 0.99, $"real ρ {realRho}");
        Assert.Equal(realRho, pair.RealCorrelation!.Value, 12);
        Assert.Equal(1 - Math.Abs(realRho - shuffledRho) / 2, q.IntertableTrends, 12);
        Assert.True(q.IntertableTrends < 0.75, $"intertable trends {q.IntertableTrends} after reassigning children at random");
        Assert.Equal(1, q.ColumnShapes, 12); // each table alone is unchanged
    }

    private static double Pearson(IEnumerable<double> xs, IEnumerable<double> ys)
    {
        double[] a = [.. xs], b = [.. ys];
        double ma = a.Average(), mb = b.Average();
        double sab = a.Zip(b, (u, v) => (u - ma) * (v - mb)).Sum();
        return sab / Math.Sqrt(a.Sum(u => (u - ma) * (u - ma)) * b.Sum(v => (v - mb) * (v - mb)));
    }

    /// <summary>The in-repo chinook database (all 11 tables, keys from its metadata.json), with one table changed when asked.</summary>
    internal static RelationalData Chinook(Func<string, Table, Table>? change = null)
    {
        var chinook = TestData.Chinook();
        if (change is null) return chinook;
        return new RelationalData(chinook.Metadata, chinook.Tables.ToDictionary(t => t.Key, t => change(t.Key, t.Value)));
    }

    [Fact]
    public void Real_chinook_against_itself_scores_one_on_every_property_with_full_integrity()
    {
        var chinook = Chinook();
        var q = MultiTableQuality.Evaluate(chinook, chinook);

        Assert.Equal(1, q.ColumnShapes, 12);
        Assert.Equal(1, q.ColumnPairTrends, 12);
        Assert.Equal(1, q.Cardinality, 12);
        Assert.Equal(1, q.IntertableTrends, 12);
        Assert.Equal(1, q.Overall, 12);
        Assert.Equal(1, q.ReferentialIntegrity);
        Assert.Equal(11, q.Tables.Count);
        Assert.Equal(11, q.Relationships.Count);
        // The self-reference: the general manager reports to nobody (1 missing key), the other 7 resolve.
        var reportsTo = q.Relationships.Single(r => r.Relationship == "Employee.ReportsTo -> Employee.EmployeeId");
        Assert.Equal(new ReferentialIntegrity(8, 1, 7), reportsTo.RealIntegrity);
        Assert.True(q.Relationships.Sum(r => r.IntertablePairs.Count(p => p.MeetsThreshold == true)) > 0, "chinook has parent–child trends to keep");
        // Key columns are never scored; the link table PlaylistTrack holds nothing else.
        Assert.DoesNotContain(q.Tables.SelectMany(t => t.Quality.ColumnDetails), c => c.Column.EndsWith("Id", StringComparison.Ordinal) || c.Column == "ReportsTo");
        Assert.Empty(q.Tables.Single(t => t.Table == "PlaylistTrack").Schema.Columns);
    }

    [Fact]
    public void Chinook_with_invoices_dealt_to_random_customers_loses_the_exact_cardinality_computed_from_its_counts()
    {
        // Chinook's customers have 6 or 7 invoices each. Dealing the invoices to random customers keeps the total but
        // not the shape; the KS statistic is worked out here from the two histograms' cumulative shares.
        var rng = new Random(11);
        var synthetic = Chinook((name, table) => name != "Invoice" ? table
            : table.Without("CustomerId").WithColumn(Numbers("CustomerId", [.. Enumerable.Range(0, table.RowCount).Select(_ => (double?)rng.Next(1, 60))])));
        var q = MultiTableQuality.Evaluate(Chinook(), synthetic);

        var invoices = q.Relationships.Single(r => r.ChildTable == "Invoice");
        Assert.All(invoices.Histogram.Where(h => h.RealParents > 0), h => Assert.InRange(h.Children, 6, 7));
        Assert.Equal(59, invoices.Histogram.Sum(h => h.RealParents));
        Assert.Equal(59, invoices.Histogram.Sum(h => h.SyntheticParents));
        double realShare = 0, syntheticShare = 0, ks = 0;
        foreach (var h in invoices.Histogram)
        {
            realShare += h.RealParents / 59.0;
            syntheticShare += h.SyntheticParents / 59.0;
            ks = Math.Max(ks, Math.Abs(realShare - syntheticShare));
        }
        Assert.Equal(1 - ks, invoices.Cardinality, 12);
        Assert.True(invoices.Cardinality < 0.8, $"cardinality {invoices.Cardinality}");
        Assert.Equal(invoices, q.Relationships.MinBy(r => r.Cardinality));
        Assert.Equal("Invoice.CustomerId -> Customer.CustomerId", q.WorstCardinality!.Where);
        Assert.True(q.Cardinality < 1 && q.Overall < 1);
    }
}
