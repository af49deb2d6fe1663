using TabTwin.Augmentation;
using TabTwin.Sampling.Rebalancing;
using TabTwin.Tables;
using TabTwin.Tests.GaussianCopula;

namespace TabTwin.Tests.Augmentation;

/// <summary>Adult (32,561 rows, income >50K 24%) augmented to a 0.3 minority share once per method, shared by the tests.</summary>
public sealed class AugmentAdultFixture
{
    public AugmentAdultFixture()
    {
        Original = ClassDistribution.Of(AdultData.Table, AdultData.Schema, "income");
        Results = Enum.GetValues<AugmentMethod>().ToDictionary(m => m,
            m => Augmenter.Augment(AdultData.Table, AdultData.Schema, Options(m)));
    }

    public static AugmentOptions Options(AugmentMethod method) => new() { Target = "income", To = 0.3, Method = method, Seed = 3, MaxThreads = 2 };

    public ClassDistribution Original { get; }
    public Dictionary<AugmentMethod, AugmentResult> Results { get; }
}

public class AugmentAdultTests(AugmentAdultFixture fixture) : IClassFixture<AugmentAdultFixture>
{
    private static readonly string[] Numerical = AdultData.NumericalColumns;

    [Theory]
    [InlineData(AugmentMethod.Synth)]
    [InlineData(AugmentMethod.Smote)]
    [InlineData(AugmentMethod.Noise)]
    public void Real_rows_come_first_unchanged_and_the_minority_reaches_the_share(AugmentMethod method)
    {
        var result = fixture.Results[method];
        var real = AdultData.Table;
        Assert.Equal(real.RowCount, result.RealRows);
        Assert.Equal(real.ColumnNames, result.Table.ColumnNames);
        for (int j = 0; j < real.ColumnCount; j++) Assert.Equal(real[j].Type, result.Table[j].Type);
        for (int i = 0; i < real.RowCount; i++) Assert.Equal(real.FormatRow(i), result.Table.FormatRow(i));
        var income = result.Table["income"];
        int minority = Enumerable.Range(0, income.Length).Count(i => income.FormatValue(i) == ">50K");
        Assert.InRange(minority - 0.3 * result.Table.RowCount, -1.0, 1.0);
        var added = result.NewRows;
        Assert.Equal(result.Plan.TotalAdded, added.RowCount);
        Assert.True(added.RowCount > 2500, $"{added.RowCount} rows added");
        Assert.All(Enumerable.Range(0, added.RowCount), i => Assert.Equal(">50K", added["income"].FormatValue(i)));
        // Integers stay integers in the written output.
        foreach (var name in Numerical) Assert.True(((NumericColumn)result.Table[name]).IsInteger, name);
    }

    [Theory]
    [InlineData(AugmentMethod.Synth)]
    [InlineData(AugmentMethod.Smote)]
    [InlineData(AugmentMethod.Noise)]
    public void New_rows_look_like_the_real_minority_not_the_majority(AugmentMethod method)
    {
        var added = fixture.Results[method].NewRows;
        var minority = AdultData.Table.Take(fixture.Original.RowsOf(1));
        var majority = AdultData.Table.Take(fixture.Original.RowsOf(0));
        foreach (var column in new[] { "education", "marital-status", "relationship" })
        {
            double toMinority = TotalVariation(added, minority, column), toMajority = TotalVariation(added, majority, column);
            Assert.True(toMinority < 0.1 && toMinority < toMajority / 3, $"{method} {column}: TVD to minority {toMinority:0.000}, to majority {toMajority:0.000}");
        }
        double age = Mean(added, "age"), minorityAge = Mean(minority, "age"), majorityAge = Mean(majority, "age");
        Assert.True(Math.Abs(age - minorityAge) < Math.Abs(age - majorityAge) / 3, $"{method} mean age {age:0.0}; minority {minorityAge:0.0}, majority {majorityAge:0.0}");
    }

    [Fact]
    public void Smote_numbers_lie_between_the_two_parents_and_the_partner_is_a_nearest_neighbour()
    {
        var real = AdultData.Table;
        var result = fixture.Results[AugmentMethod.Smote];
        var options = AugmentAdultFixture.Options(AugmentMethod.Smote);
        var classRows = fixture.Original.RowsOf(1);
        var (bases, partners, _, knn) = SmoteRows.Pairs(real, AdultData.Schema, "income", classRows, result.Plan.Added[1], 5,
            Augmenter.ClassSeed(options.Seed, 1), 1, default);
        var added = result.NewRows;
        int strictlyInside = 0;
        for (int r = 0; r < added.RowCount; r++)
        {
            Assert.Contains(partners[r], knn[bases[r]]);
            Assert.DoesNotContain(bases[r], knn[bases[r]]);
            foreach (var name in Numerical)
            {
                var col = (NumericColumn)real[name];
                double a = col[bases[r]], b = col[partners[r]], v = ((NumericColumn)added[name])[r];
                Assert.InRange(v, Math.Min(a, b), Math.Max(a, b));
                if (v != a && v != b) strictlyInside++;
            }
        }
        Assert.True(strictlyInside > added.RowCount, "interpolation must create values other than the parents'");
    }

    [Fact]
    public void Neighbour_search_matches_a_brute_force_ranking_of_the_smote_nc_distance()
    {
        var real = AdultData.Table.Head(3000);
        var rows = ClassDistribution.Of(real, AdultData.Schema, "income").RowsOf(1);
        var search = ClassNeighbours.Build(real, AdultData.Schema, "income").Over(rows);
        var sd = Numerical.ToDictionary(n => n, n =>
        {
            var v = ((NumericColumn)real[n]).Values.ToArray();
            double mean = v.Average();
            return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        });
        var categorical = real.ColumnNames.Where(n => !Numerical.Contains(n) && n != "income").ToArray();
        double Distance(int a, int b) =>
            Numerical.Sum(n => sd[n] > 0 ? Math.Pow((((NumericColumn)real[n])[a] - ((NumericColumn)real[n])[b]) / sd[n], 2) : 0)
            + categorical.Count(n => real[n].FormatValue(a) != real[n].FormatValue(b));
        foreach (int query in rows.Take(20))
        {
            var expected = rows.Where(r => r != query).Select(r => (Row: r, D: Distance(query, r))).OrderBy(p => p.D).ThenBy(p => p.Row).Take(5).ToArray();
            var found = search.Nearest(query, 5);
            // Equal up to rounding in the sums: compare distances, then rows where distances clearly differ.
            Assert.Equal(expected.Select(p => p.D), found.Select(r => Distance(query, r)), (x, y) => Math.Abs(x - y) < 1e-9);
        }
    }

    [Fact]
    public void Noise_stays_in_the_observed_range_and_scale_zero_copies_minority_rows()
    {
        var real = AdultData.Table;
        var added = fixture.Results[AugmentMethod.Noise].NewRows;
        foreach (var name in Numerical)
        {
            var col = (NumericColumn)real[name];
            double min = col.Values.ToArray().Min(), max = col.Values.ToArray().Max();
            var values = ((NumericColumn)added[name]).Values.ToArray();
            Assert.All(values, v => Assert.InRange(v, min, max));
            Assert.All(values, v => Assert.Equal(Math.Round(v), v));
        }
        // fnlwgt (sd ≈ 105,000) moves by ≈ 5,000: almost every noisy value is one no real row has.
        var realWeights = ((NumericColumn)real["fnlwgt"]).Values.ToArray().ToHashSet();
        var noisy = ((NumericColumn)added["fnlwgt"]).Values.ToArray();
        Assert.True(noisy.Count(v => !realWeights.Contains(v)) > 0.9 * noisy.Length);
        var copies = Augmenter.Augment(real.Head(3000), AdultData.Schema, AugmentAdultFixture.Options(AugmentMethod.Noise) with { NoiseScale = 0 }).NewRows;
        var minorityRows = real.Head(3000).Take(ClassDistribution.Of(real.Head(3000), AdultData.Schema, "income").RowsOf(1));
        var known = Enumerable.Range(0, minorityRows.RowCount).Select(i => string.Join("|", minorityRows.FormatRow(i))).ToHashSet();
        Assert.All(Enumerable.Range(0, copies.RowCount), i => Assert.Contains(string.Join("|", copies.FormatRow(i)), known));
    }

    [Theory]
    [InlineData(AugmentMethod.Synth)]
    [InlineData(AugmentMethod.Smote)]
    [InlineData(AugmentMethod.Noise)]
    public void Same_seed_gives_the_same_rows_on_one_or_two_threads(AugmentMethod method)
    {
        var small = AdultData.Table.Head(4000);
        var options = AugmentAdultFixture.Options(method) with { CategoryFlip = method == AugmentMethod.Noise ? 0.05 : 0 };
        var one = Augmenter.Augment(small, AdultData.Schema, options with { MaxThreads = 1 }).NewRows;
        var two = Augmenter.Augment(small, AdultData.Schema, options with { MaxThreads = 2 }).NewRows;
        var other = Augmenter.Augment(small, AdultData.Schema, options with { Seed = 4 }).NewRows;
        Assert.Equal(Rows(one), Rows(two));
        Assert.NotEqual(Rows(one), Rows(other));
    }

    [Theory]
    [InlineData(AugmentMethod.Smote)]
    [InlineData(AugmentMethod.Noise)]
    public void Every_race_below_a_tenth_is_raised_to_a_tenth_and_white_gets_nothing(AugmentMethod method)
    {
        var small = AdultData.Table.Head(5000);
        var result = Augmenter.Augment(small, AdultData.Schema, new AugmentOptions { Target = "race", To = 0.1, Method = method, Seed = 8 });
        var counts = Enumerable.Range(0, result.Table.RowCount).GroupBy(i => result.Table["race"].FormatValue(i)!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(5, counts.Count);
        foreach (var (race, count) in counts)
            if (race == "White") Assert.Equal(Enumerable.Range(0, small.RowCount).Count(i => small["race"].FormatValue(i) == "White"), count);
            else Assert.InRange(count - 0.1 * result.Table.RowCount, -1.0, 1.0);
    }

    [Fact]
    public void Mark_adds_an_is_synthetic_column_false_on_real_rows_and_true_on_new_ones()
    {
        var small = AdultData.Table.Head(2000);
        var result = Augmenter.Augment(small, AdultData.Schema, AugmentAdultFixture.Options(AugmentMethod.Noise) with { Mark = true });
        var mark = Assert.IsType<BooleanColumn>(result.Table.Columns[^1]);
        Assert.Equal("is_synthetic", mark.Name);
        Assert.All(Enumerable.Range(0, result.Table.RowCount), i => Assert.Equal(i >= small.RowCount, mark[i]));
        var e = Assert.Throws<SchemaException>(() => Augmenter.Augment(small, AdultData.Schema, AugmentAdultFixture.Options(AugmentMethod.Noise) with { Mark = true, MarkColumn = "age" }));
        Assert.Equal("augment.mark-column", e.Code);
    }

    [Fact]
    public void Numerical_targets_and_unknown_targets_are_refused()
    {
        var small = AdultData.Table.Head(500);
        var kind = Assert.Throws<SchemaException>(() => Augmenter.Augment(small, AdultData.Schema, new AugmentOptions { Target = "age", To = 0.3 }));
        Assert.Equal("rebalance.target-kind", kind.Code);
        var unknown = Assert.Throws<SchemaException>(() => Augmenter.Augment(small, AdultData.Schema, new AugmentOptions { Target = "salary", To = 0.3 }));
        Assert.Equal("augment.unknown-target", unknown.Code);
        Assert.StartsWith("The target column 'salary' does not exist; the table has: age, workclass,", unknown.Message);
    }

    private static string[] Rows(Table t) => Enumerable.Range(0, t.RowCount).Select(i => string.Join("|", t.FormatRow(i))).ToArray();

    private static double Mean(Table t, string column)
    {
        var c = (NumericColumn)t[column];
        return Enumerable.Range(0, c.Length).Where(i => !c.IsMissing(i)).Average(i => c[i]);
    }

    private static double TotalVariation(Table a, Table b, string column)
    {
        Dictionary<string, double> Shares(Table t) => Enumerable.Range(0, t.RowCount).GroupBy(i => t[column].FormatValue(i) ?? "")
            .ToDictionary(g => g.Key, g => (double)g.Count() / t.RowCount);
        var p = Shares(a);
        var q = Shares(b);
        return p.Keys.Union(q.Keys).Sum(k => Math.Abs(p.GetValueOrDefault(k) - q.GetValueOrDefault(k))) / 2;
    }
}
