using TabTwin.Evaluation.Quality;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Private;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.DifferentialPrivacy;

/// <summary>MST and AIM on the in-repo Adult (32,561 rows): what ε = 1 keeps, what the ledger holds, and every bad input.</summary>
public sealed class DpMarginalTests
{
    private static readonly Lazy<(Table Train, Table Test, TableSchema Schema)> Adult = new(() =>
    {
        var table = TableReader.Read(TestData.Dataset("adult", "adult.csv"));
        var schema = SchemaDetector.Detect(table);
        var (train, test) = TabTwin.Evaluation.HoldoutSplit.Split(table, 0.8, 11);
        return (train, test, schema);
    });

    private static DpMarginalModel Fit(DpMarginalMethod method, double epsilon, string? target = null, ulong seed = 3) =>
        new DpMarginalSynthesizer(method, new DpMarginalOptions { Epsilon = epsilon, Target = target })
            .Fit(Adult.Value.Train, Adult.Value.Schema, new FitContext(seed));

    [Theory]
    [InlineData(DpMarginalMethod.Mst, 0.88)]
    [InlineData(DpMarginalMethod.Aim, 0.90)]
    public void At_epsilon_one_the_ledger_spends_the_budget_and_the_shapes_and_pairs_survive(DpMarginalMethod method, double minimumQuality)
    {
        // Measured (seed 3): MST 0.90, AIM 0.92 (SDMetrics quality, synthetic against the training part). The bounds are
        // a few hundredths below; an independent-columns model scores ~0.80 on Adult's pairs.
        var model = Fit(method, 1, target: "income");
        Assert.InRange(model.SpentEpsilon, 0.99, 1 + 1e-6);
        Assert.Contains(model.Ledger, c => c.Access.StartsWith("range of 'age'", StringComparison.Ordinal));
        Assert.Contains(model.Ledger, c => c.Access.StartsWith("values of 'occupation'", StringComparison.Ordinal) && c.Delta > 0);
        Assert.Contains(model.Ledger, c => c.Mechanism == "exponential mechanism");
        var (train, _, schema) = Adult.Value;
        var synthetic = model.Sample(train.RowCount, 5);
        var quality = QualityReport.Compute(train, synthetic, schema);
        Assert.True(quality.Overall >= minimumQuality, $"{method}: quality {quality.Overall:F3} < {minimumQuality}");
        // Pairs, not just columns: relationship × marital-status is one of Adult's strongest associations.
        var pair = quality.PairDetails.Single(p => (p.ColumnA, p.ColumnB) is ("marital-status", "relationship") or ("relationship", "marital-status"));
        Assert.True(pair.Score >= 0.85, $"{method}: marital-status × relationship scores {pair.Score:F3}");
    }

    [Fact]
    public void Declared_bounds_and_categories_cost_no_budget_and_leave_more_for_the_learner()
    {
        var (train, _, schema) = Adult.Value;
        var declared = schema with
        {
            Columns = [.. schema.Columns.Select(c => train[c.Name] switch
            {
                NumericColumn => c with { Min = 0, Max = c.Name == "fnlwgt" ? 1_500_000 : 100_000 },
                var column when c.Kind is ColumnKind.Categorical or ColumnKind.Text =>
                    c with { Kind = ColumnKind.Categorical, Categories = [.. Enumerable.Range(0, column.Length).Select(column.FormatValue).OfType<string>().Distinct()] },
                _ => c,
            })],
        };
        var model = new DpMarginalSynthesizer(DpMarginalMethod.Mst, new DpMarginalOptions { Epsilon = 1, DomainShare = 0 })
            .Fit(train, declared, new FitContext(1));
        Assert.DoesNotContain(model.Ledger, c => c.Access.StartsWith("range of", StringComparison.Ordinal) || c.Access.StartsWith("values of", StringComparison.Ordinal));
        Assert.InRange(model.SpentEpsilon, 0.99, 1 + 1e-6);
        // Every declared category can come out; a rare one (Holand-Netherlands, one row) only through the shared rare code.
        var synthetic = model.Sample(5000, 2);
        Assert.Subset(declared.Columns.Single(c => c.Name == "workclass").Categories!.ToHashSet(),
            Enumerable.Range(0, 5000).Select(synthetic["workclass"].FormatValue).OfType<string>().ToHashSet());
    }

    [Fact]
    public void Bad_budgets_and_domains_are_refused_with_their_fix()
    {
        var (train, _, schema) = Adult.Value;
        var tiny = Assert.Throws<TabTwinException>(() => Fit(DpMarginalMethod.Mst, 0.0005));
        Assert.Equal("dp.budget-too-small", tiny.Code);
        Assert.Contains("--epsilon", tiny.Hint);
        var delta = Assert.Throws<TabTwinException>(() => new DpMarginalSynthesizer(DpMarginalMethod.Mst, new DpMarginalOptions { Delta = 1e-3 })
            .Fit(train, schema, new FitContext(1)));
        Assert.Equal("dp.bad-delta", delta.Code);
        Assert.Contains("1 / rows", delta.Message);
        var domain = Assert.Throws<TabTwinException>(() => new DpMarginalSynthesizer(DpMarginalMethod.Mst, new DpMarginalOptions { DomainShare = 0 })
            .Fit(train, schema, new FitContext(1)));
        Assert.Equal("dp.domain-needed", domain.Code);
        Assert.Equal("age", domain.Column);
        Assert.Equal("dp.bad-epsilon", Assert.Throws<TabTwinException>(() => PrivateSynthesis.CheckRequest(0, null, null)).Code);
        Assert.Equal("dp.bad-epsilon", Assert.Throws<TabTwinException>(() => PrivateSynthesis.CheckRequest(double.NaN, null, null)).Code);
        Assert.Equal("dp.not-private", Assert.Throws<TabTwinException>(() => PrivateSynthesis.CheckRequest(1, null, "cart")).Code);
        Assert.Equal("dp.constraints", Assert.Throws<TabTwinException>(() => PrivateSynthesis.CheckSchema(schema with
        {
            Constraints = System.Text.Json.JsonDocument.Parse("""[{"type":"fixed-combinations","columns":["sex","race"]}]""").RootElement.Clone(),
        })).Code);
    }

    [Fact]
    public void The_policy_chooses_aim_puts_epsilon_and_target_into_its_options_and_refuses_a_conflict()
    {
        var schema = Adult.Value.Schema;
        var choice = PrivateSynthesis.Choose(schema, 2, null, null, null, "income");
        var aim = Assert.IsType<DpMarginalSynthesizer>(choice.Synthesizer);
        Assert.Equal((DpMarginalMethod.Aim, 2.0, PrivateSynthesis.DefaultDelta, "income"), (aim.Method, aim.Options.Epsilon, aim.Options.Delta, aim.Options.Target));
        Assert.Contains("aim", choice.Reason);
        var mst = PrivateSynthesis.Choose(schema, 1, 1e-8, "mst", null, null);
        Assert.Equal(1e-8, ((IDifferentiallyPrivate)mst.Synthesizer).Delta);
        using var options = System.Text.Json.JsonDocument.Parse("""{"epsilon": 3}""");
        Assert.Equal("dp.conflicting-options", Assert.Throws<TabTwinException>(() => PrivateSynthesis.Choose(schema, 1, null, "aim", options.RootElement, null)).Code);
        Assert.Equal(["mst", "aim"], PrivateSynthesis.Names.Where(n => n is "mst" or "aim"));
    }
}
