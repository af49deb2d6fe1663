using TabTwin.IO;
using TabTwin.Models;
using TabTwin.Sampling;
using TabTwin.Sampling.Constraints;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using TabTwin.Registry;

namespace TabTwin.Tests.Constraints;

public class ConstrainedSamplingTests
{
    private static readonly ConstraintSet StaysRules = ConstraintSet.FromMetadataJson(ConstraintFixtures.StaysMetadata);

    [Theory]
    [InlineData("cart")]
    [InlineData("gaussian-copula")]
    [InlineData("independent")]
    public void Every_sampled_stay_satisfies_every_rule(string inner)
    {
        var table = ConstraintFixtures.Stays(1500);
        var synth = new ConstrainedSynthesizer(SynthesizerRegistry.Get(inner).Create(null), StaysRules);
        var (model, fit) = synth.FitWithReport(table, ConstraintFixtures.SchemaOf(table), new FitContext(3));
        Assert.Equal(7, fit.Transforms.Count);
        var (sample, report) = model.SampleWithReport(2000, 5);
        Assert.Equal(2000, sample.RowCount);
        Assert.Equal(table.ColumnNames, sample.ColumnNames);
        var check = StaysRules.Check(sample);
        Assert.True(check.IsClean, check.Format());
        Assert.True(report.Rounds <= 3, report.Format());
        // Learned combinations only: no (Paris, Germany).
        var pairs = Enumerable.Range(0, sample.RowCount).Select(i => (sample["city"].FormatValue(i), sample["country"].FormatValue(i))).ToHashSet();
        var real = Enumerable.Range(0, table.RowCount).Select(i => (table["city"].FormatValue(i), table["country"].FormatValue(i))).ToHashSet();
        Assert.Subset(real, pairs);
    }

    [Fact]
    public void Model_file_round_trip_keeps_the_constraints()
    {
        var table = ConstraintFixtures.Stays(800);
        var model = new ConstrainedSynthesizer(SynthesizerCatalog.GaussianCopula(), StaysRules).Fit(table, ConstraintFixtures.SchemaOf(table), new FitContext(1));
        var path = Path.Combine(TestData.NewTempDir(), "stays.tabtwin");
        ModelFile.Save(model, path);
        var loaded = Assert.IsType<ConstrainedModel>(ModelFile.Load(path));
        Assert.Equal(StaysRules.Count, loaded.Constraints.Count);
        Assert.Equal("gaussian-copula", loaded.Inner.SynthesizerName);
        Assert.Equal("constrained", ModelFile.ReadManifest(path).Synthesizer);
        Assert.Equal(ConstraintFixtures.Rows(model.Sample(700, 9)), ConstraintFixtures.Rows(loaded.Sample(700, 9)));
    }

    [Fact]
    public void Real_data_breaking_a_rule_is_reported_with_its_first_rows()
    {
        // Twenty more rows that keep the rule, so the 22 left after dropping the breakers meet the minimum training size.
        var table = new Table([new NumericColumn("start", [1, 5, 3, 9, .. Enumerable.Range(0, 20).Select(i => (double)i)]),
            new NumericColumn("end", [2, 4, 8, 1, .. Enumerable.Range(0, 20).Select(i => i + 10.0)])]);
        var rules = ConstraintSet.Of(new InequalityConstraint("start", "end"));
        var e = Assert.Throws<TabTwinException>(() =>
            new ConstrainedSynthesizer(SynthesizerCatalog.Cart(), rules).Fit(table, ConstraintFixtures.SchemaOf(table), new FitContext(0)));
        Assert.Equal("constraints.violated-by-data", e.Code);
        Assert.Equal(2, e.Row);
        Assert.Contains("Constraint #1 (inequality start <= end): 2 of 24 rows break it", e.Message);
        Assert.Contains("row 2: start=5, end=4", e.Message);
        Assert.Contains("row 4: start=9, end=1", e.Message);
        // drop-rows fits on the rows that satisfy the rule.
        var options = new ConstraintOptions { OnDataViolation = DataViolationHandling.DropRows };
        var (model, report) = new ConstrainedSynthesizer(SynthesizerCatalog.Independent(), rules, options).FitWithReport(table, ConstraintFixtures.SchemaOf(table), new FitContext(0));
        Assert.Equal(2, report.DroppedRealRows);
        Assert.True(rules.Check(model.Sample(50, 1)).IsClean);
    }

    [Fact]
    public void Contradicting_inequalities_are_a_clear_error_before_fitting()
    {
        var table = new Table([new NumericColumn("a", [1, 2]), new NumericColumn("b", [1, 2])]);
        var rules = ConstraintSet.Of(new InequalityConstraint("a", "b", strict: true), new InequalityConstraint("b", "a"));
        var e = Assert.Throws<TabTwinException>(() =>
            new ConstrainedSynthesizer(SynthesizerCatalog.Cart(), rules).Fit(table, ConstraintFixtures.SchemaOf(table), new FitContext(0)));
        Assert.Equal("constraints.infeasible", e.Code);
        Assert.StartsWith("Constraint #1 (inequality a < b) and Constraint #2 (inequality b <= a) contradict each other", e.Message);
    }

    [Fact]
    public void A_rule_the_model_can_almost_never_meet_stops_with_infeasible_not_a_hang()
    {
        // One real penguin per (species, island, sex) seen, so the real rows keep the rule; a per-column model can make at
        // most 3 x 3 x 2 combinations (rows with a missing sex are left out: a missing key value is never compared, so
        // those rows would always pass): a few rows can be unique, 40 never, so acceptance collapses and sampling gives up
        // after its bounded rounds instead of looping.
        var all = TableReader.Read(TestData.Dataset("penguins", "penguins.csv"));
        string Key(int i) => string.Join("|", new[] { "species", "island", "sex" }.Select(c => all[c].FormatValue(i)));
        var firsts = Enumerable.Range(0, all.RowCount).Where(i => !all["sex"].IsMissing(i)).GroupBy(Key).Select(g => g.First()).ToArray();
        Assert.InRange(firsts.Length, 10, 18);
        var penguins = all.Take(firsts);
        var rules = ConstraintSet.Of(new UniqueConstraint(["species", "island", "sex"]));
        // Every category kept (threshold 1): the 3 x 3 x 2 combinations are what the model can make.
        var model = new ConstrainedSynthesizer(SynthesizerCatalog.Independent(new() { Encoding = new() { RareCategoryThreshold = 1 } }), rules).Fit(penguins, ConstraintFixtures.SchemaOf(penguins), new FitContext(0));
        var few = model.Sample(3, 1);
        Assert.True(rules.Check(few).IsClean);
        var e = Assert.Throws<TabTwinException>(() => model.Sample(40, 1));
        Assert.Equal("constraints.infeasible", e.Code);
        Assert.Contains("Constraint #1 (unique (species, island, sex) is unique) rejected", e.Message);
    }

    [Fact]
    public void Custom_predicates_work_in_memory_but_cannot_be_saved()
    {
        var table = ConstraintFixtures.Stays(400);
        var rules = ConstraintSet.Of(new CustomPredicateConstraint("cheap wards", r => r.Number("price") < 400, ["price"]));
        var model = new ConstrainedSynthesizer(SynthesizerCatalog.Cart(), rules).Fit(table.Take(Enumerable.Range(0, 400).Where(i => ((NumericColumn)table["price"])[i] < 400).ToArray()),
            ConstraintFixtures.SchemaOf(table), new FitContext(0));
        var sample = model.Sample(300, 2);
        Assert.All(((NumericColumn)sample["price"]).Values.ToArray(), p => Assert.True(p < 400));
        var e = Assert.Throws<TabTwinException>(() => ModelFile.Save(model, new MemoryStream()));
        Assert.Equal("constraints.not-serializable", e.Code);
    }

    [Fact]
    public void Conditions_and_constraints_work_together()
    {
        var table = ConstraintFixtures.Stays(1200);
        var model = new ConstrainedSynthesizer(SynthesizerCatalog.Cart(), StaysRules).Fit(table, ConstraintFixtures.SchemaOf(table), new FitContext(0));
        // quantity is modelled through a range transform (rejection fallback); admit is untouched (passed to the inner model).
        var byQuantity = model.Sample(200, ConditionSet.Of(new EqualsCondition("quantity", "2")), 4);
        Assert.All(Enumerable.Range(0, 200), i => Assert.Equal("2", byQuantity["quantity"].FormatValue(i)));
        Assert.True(StaysRules.Check(byQuantity).IsClean);
        var byCountry = ConditionalSampling.Sample(model, 150, ConditionSet.Of(new EqualsCondition("country", "Italy")), 7);
        Assert.All(Enumerable.Range(0, 150), i => Assert.Equal("Rome", byCountry["city"].FormatValue(i)));
        Assert.True(StaysRules.Check(byCountry).IsClean);
    }
}
