using TabTwin.Sampling.Constraints;
using TabTwin.Schema;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Constraints;

/// <summary>
/// Constraints declared in a metadata file belong to the schema: a library user who reads the file gets them
/// honoured by fitting and sampling, as the CLI does, and a plain synthesizer refuses them instead of dropping them.
/// </summary>
public sealed class SchemaConstraintsTests
{
    private static (string Path, TableSchema Schema) Metadata()
    {
        var path = Path.Combine(TestData.NewTempDir(), "metadata.json");
        File.WriteAllText(path, ConstraintFixtures.StaysMetadata);
        return (path, SchemaJson.FromJson(File.ReadAllText(path), path));
    }

    [Fact]
    public void A_metadata_files_constraints_hold_in_every_row_sampled_through_the_library()
    {
        var (path, schema) = Metadata();
        var table = ConstraintFixtures.Stays(600);
        Assert.Equal(8, schema.ConstraintCount);
        var rules = ConstraintSet.FromMetadataFile(path);

        var sample = new CartSynthesizer().Fit(table, schema).Sample(400);
        Assert.Equal(400, sample.RowCount);
        Assert.True(rules.Check(sample).IsClean, rules.Check(sample).Format());

        // The check can fail: the same fit without the rules breaks some of them.
        var unconstrained = new CartSynthesizer().Fit(table, SchemaConstraints.Without(schema)).Sample(400);
        Assert.False(rules.Check(unconstrained).IsClean);

        var oneCall = SyntheticData.Synthesize(table, 300, schema);
        Assert.True(rules.Check(oneCall).IsClean, rules.Check(oneCall).Format());
    }

    [Fact]
    public void Partial_metadata_applied_over_the_detected_schema_keeps_its_constraints_and_json_round_trips_them()
    {
        var table = ConstraintFixtures.Stays(200);
        var json = """{"columns": [{"name": "ward_c", "kind": "numerical"}], "constraints": [{"type": "range", "column": "quantity", "min": 1, "max": 5}]}""";
        var schema = SchemaOverrides.ApplyJson(SchemaDetector.Detect(table), json, table);
        Assert.Equal("range", Assert.Single(SchemaConstraints.Of(schema)).Type);
        var back = SchemaJson.FromJson(SchemaJson.ToJson(schema));
        Assert.Equal(SchemaConstraints.Of(schema).ToJson(), SchemaConstraints.Of(back).ToJson());
        Assert.DoesNotContain("constraints", SchemaJson.ToJson(SchemaConstraints.Without(schema)));
    }

    [Fact]
    public void A_plain_synthesizer_refuses_a_schema_with_constraints_rather_than_ignoring_them()
    {
        var (_, schema) = Metadata();
        var table = ConstraintFixtures.Stays(100);
        var e = Assert.Throws<SchemaException>(() => new CartSynthesizer().Fit(table, schema, new FitContext()));
        Assert.Equal("constraints.not-applied", e.Code);
        Assert.Contains("8 constraint(s)", e.Message);
    }

    [Fact]
    public void Constraints_built_in_code_can_be_declared_on_a_schema()
    {
        var table = ConstraintFixtures.Stays(100);
        var rules = ConstraintSet.Of(new InequalityConstraint("admit", "discharge"), RangeConstraint.Positive("price", strict: true));
        var schema = SchemaConstraints.With(ConstraintFixtures.SchemaOf(table), rules);
        Assert.Equal(rules.ToJson(), SchemaConstraints.Of(schema).ToJson());
        Assert.Equal(0, SchemaConstraints.With(schema, ConstraintSet.Empty).ConstraintCount);
    }
}
