using System.Text.Json;
using TabTwin.IO;
using TabTwin.Models;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.DifferentialPrivacy;

/// <summary>Constraints declared in the metadata with --epsilon: public, enforced on the samples only, never read from the rows.</summary>
public sealed class DpConstraintTests
{
    private static readonly Lazy<(Table Table, TableSchema Schema)> KcHouse = new(() =>
    {
        var table = TableReader.Read(TestData.Dataset("kc_house_sales", "kc_house_data.csv"));
        return (table, SchemaDetector.Detect(table));
    });

    // A formula, an inequality, and ranges; bedrooms 1–6 is broken by real rows (0 and 7–8 bedrooms).
    private const string Rules = """
        [{"type":"formula","column":"sqft_living","expr":"sqft_above + sqft_basement"},
         {"type":"inequality","low":"sqft_basement","high":"sqft_living"},
         {"type":"range","column":"bedrooms","min":1,"max":6},
         {"type":"positive","column":"price"}]
        """;

    private static TableSchema WithRules(TableSchema schema, string json) =>
        schema with { Constraints = JsonDocument.Parse(json).RootElement.Clone() };

    private static ISynthesizer Mst() => PrivateSynthesis.Choose(KcHouse.Value.Schema, 4, null, "mst", null, null).Synthesizer;

    [Fact]
    public void Declared_constraints_hold_in_every_sample_at_no_budget_and_without_checking_the_real_rows()
    {
        var (table, detected) = KcHouse.Value;
        var schema = WithRules(detected, Rules);
        var declared = SchemaConstraints.Of(schema);
        Assert.False(declared.Check(table).IsClean);   // the real rows break bedrooms 1–6: a non-DP fit would stop here

        var model = PrivateSynthesis.Fit(Mst(), table, schema, new FitContext(5));
        var plain = PrivateSynthesis.Fit(Mst(), table, detected, new FitContext(5));
        // Enforcing public rules reads nothing: the ledger is the one of the same fit without them.
        var ledger = PrivateSynthesis.LedgerOf(model)!;
        Assert.Equal(PrivateSynthesis.LedgerOf(plain)!.Ledger.Select(c => (c.Access, c.Rho)), ledger.Ledger.Select(c => (c.Access, c.Rho)));
        Assert.True(ledger.SpentEpsilon <= 4 + 1e-9);

        var synthetic = model.Sample(1_500, 7);
        Assert.Equal(1_500, synthetic.RowCount);
        Assert.True(declared.Check(synthetic).IsClean, declared.Check(synthetic).Format());
        // The formula is written over the sampled column, not met by rejection (which would accept almost no row).
        var living = (NumericColumn)synthetic["sqft_living"];
        Assert.Contains(Enumerable.Range(0, synthetic.RowCount), i => !living.IsMissing(i));

        // Saved and loaded, the model keeps its ledger and its rules.
        var path = Path.Combine(TestData.NewTempDir(), "dp-constrained.tabtwin");
        ModelFile.Save(model, path);
        var loaded = ModelFile.Load(path);
        Assert.Equal(ledger.SpentEpsilon, PrivateSynthesis.LedgerOf(loaded)!.SpentEpsilon, 12);
        Assert.True(declared.Check(loaded.Sample(800, 9)).IsClean);
    }

    [Fact]
    public void Fixed_combinations_learned_from_the_data_are_refused_by_name_and_a_listed_one_is_public()
    {
        var detected = KcHouse.Value.Schema;
        var learned = WithRules(detected, """[{"type":"positive","column":"price"},{"type":"fixed-combinations","columns":["waterfront","view"]}]""");
        var ex = Assert.Throws<TabTwinException>(() => PrivateSynthesis.CheckSchema(learned));
        Assert.Equal("dp.constraints", ex.Code);
        Assert.Contains("Constraint #2 (fixed-combinations", ex.Message);
        Assert.Contains("waterfront, view", ex.Message);
        Assert.Contains("\"allowed\"", ex.Hint);
        Assert.Equal("dp.constraints", Assert.Throws<TabTwinException>(() => PrivateSynthesis.Fit(Mst(), KcHouse.Value.Table, learned, new FitContext(1))).Code);

        var listed = WithRules(detected, """[{"type":"fixed-combinations","columns":["waterfront","view"],"allowed":[["0","0"],["0","2"],["1","4"]]}]""");
        PrivateSynthesis.CheckSchema(listed);
    }

    [Fact]
    public void A_rule_on_a_column_the_table_lacks_fails_before_the_fit_spends_anything()
    {
        var schema = WithRules(KcHouse.Value.Schema, """[{"type":"positive","column":"no_such_column"}]""");
        var ex = Assert.Throws<TabTwinException>(() => PrivateSynthesis.Fit(Mst(), KcHouse.Value.Table, schema, new FitContext(1)));
        Assert.Equal("constraints.unknown-column", ex.Code);
    }
}
