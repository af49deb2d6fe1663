using TabTwin.Sampling.Constraints;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Constraints;

public class ConstraintTransformTests
{
    private static readonly ConstraintSet StaysRules = ConstraintSet.FromMetadataJson(ConstraintFixtures.StaysMetadata);

    [Fact]
    public void Stays_metadata_parses_every_rule_and_still_loads_as_a_schema()
    {
        Assert.Equal(["inequality", "formula", "range", "range", "formula", "one-hot", "fixed-combinations", "expression"], StaysRules.Select(c => c.Type));
        var schema = SchemaJson.FromJson(ConstraintFixtures.StaysMetadata);
        Assert.Equal(11, schema.Columns.Count);
        var table = ConstraintFixtures.Stays(300);
        Assert.True(StaysRules.Check(table).IsClean, StaysRules.Check(table).Format());
    }

    [Fact]
    public void Every_transform_reverses_exactly_on_valid_data()
    {
        var table = ConstraintFixtures.Stays(500);
        var schema = ConstraintFixtures.SchemaOf(table);
        var (transformed, innerSchema, plan) = ConstrainedSynthesizer.PlanTransforms(StaysRules, table, schema);
        // Every rule but the free-form expression has a transform.
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], plan.Select(p => p.Index).Order());
        Assert.DoesNotContain("total", transformed.ColumnNames);
        Assert.DoesNotContain("discharge", transformed.ColumnNames);
        Assert.Equal(transformed.ColumnNames, innerSchema.Columns.Select(c => c.Name));
        var model = new ConstrainedModel(schema, StaysRules, plan, null!, new ConstraintOptions());
        Assert.Equal(ConstraintFixtures.Rows(table), ConstraintFixtures.Rows(model.Reverse(transformed)));
    }

    [Fact]
    public void Chained_inequalities_are_all_learned_around()
    {
        var a = new double[] { 1, 2, 3, 4 };
        var table = new Table([new NumericColumn("a", a), new NumericColumn("b", a.Select(x => x + 1).ToArray()), new NumericColumn("c", a.Select(x => x * 3).ToArray())]);
        var rules = ConstraintSet.Of(new InequalityConstraint("a", "b", strict: true), new InequalityConstraint("b", "c"));
        var (_, _, plan) = ConstrainedSynthesizer.PlanTransforms(rules, table, ConstraintFixtures.SchemaOf(table));
        Assert.Equal([1, 0], plan.Select(p => p.Index)); // c's gap from b first, so b is still there to read
    }

    [Fact]
    public void Range_reverse_stays_inside_strict_bounds_for_extreme_latent_values()
    {
        var table = new Table([new NumericColumn("p", [0.01, 0.5, 0.99], isInteger: false, decimalPlaces: 2)]);
        var rule = new RangeConstraint("p", 0, 1, strictMin: true, strictMax: true);
        var (transformed, _, plan) = ConstrainedSynthesizer.PlanTransforms(ConstraintSet.Of(rule), table, ConstraintFixtures.SchemaOf(table));
        var latent = new Table([new NumericColumn(transformed.ColumnNames.Single(), [-1e6, 0, 1e6, double.MaxValue], isInteger: false, decimalPlaces: 15)]);
        var back = (NumericColumn)plan[0].Transform.Reverse(latent)["p"];
        Assert.Equal([0.01, 0.5, 0.99, 0.99], back.Values.ToArray());
    }
}
