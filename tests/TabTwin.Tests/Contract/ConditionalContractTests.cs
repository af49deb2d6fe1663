using TabTwin.Sampling;
using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Tests.Contract;

/// <summary>
/// Conditional sampling for every registered synthesizer: natively conditioning ones and those that only get the
/// rejection fallback must both return exactly the rows asked for, all satisfying the conditions, deterministically.
/// </summary>
public sealed class ConditionalContractTests
{
    private static readonly ConditionSet Conditions = ConditionSet.Of(
        new EqualsCondition("member", "yes"),
        RangeCondition.HalfOpen("age", 30, 60),
        RangeCondition.Between("day", new DateTime(2021, 1, 1), true, null, false),
        new InCondition("color", ["blue", "red"]));

    [Theory, MemberData(nameof(SynthesizerCases.Names), MemberType = typeof(SynthesizerCases))]
    public void Conditional_rows_all_satisfy_the_conditions_and_are_deterministic(string name)
    {
        var model = ContractFixtures.Fitted(name, ContractFixtures.Mixed);
        var one = model.Sample(150, Conditions, 5, new SampleContext { MaxThreads = 1 });
        var two = model.Sample(150, Conditions, 5, new SampleContext { MaxThreads = 2 });
        Assert.Equal(150, one.RowCount);
        for (int i = 0; i < one.RowCount; i++) Assert.True(Conditions.Matches(one, i), $"row {i}: {string.Join(", ", one.FormatRow(i))}");
        Assert.Equal(Rows(one), Rows(two));
        Assert.Equal(model.Schema.Columns.Select(c => c.Name), one.ColumnNames);
    }

    [Theory, MemberData(nameof(SynthesizerCases.Names), MemberType = typeof(SynthesizerCases))]
    public void Impossible_conditions_fail_fast_with_a_code(string name)
    {
        var model = ContractFixtures.Fitted(name, ContractFixtures.Mixed);
        var e = Assert.ThrowsAny<TabTwinException>(() => model.Sample(100, ConditionSet.Of(new EqualsCondition("color", "purple")), 1));
        // Native models know their categories; the fallback can only observe that nothing matches.
        Assert.Equal(model is IConditionalModel ? "condition.unknown-category" : "sampling.condition-unreachable", e.Code);
        Assert.Equal("color", e.Column);
        var wrongKind = Assert.ThrowsAny<TabTwinException>(() => model.Sample(10, ConditionSet.Of(new EqualsCondition("email", "a@b.c")), 1));
        Assert.Equal("condition.wrong-kind", wrongKind.Code);
    }

    [Theory, MemberData(nameof(SynthesizerCases.Names), MemberType = typeof(SynthesizerCases))]
    public void Empty_conditions_sample_exactly_like_unconditional_sampling(string name)
    {
        var model = ContractFixtures.Fitted(name, ContractFixtures.Mixed);
        Assert.Equal(Rows(model.Sample(50, 3)), Rows(model.Sample(50, ConditionSet.Empty, 3)));
    }

    private static string Rows(Table t) => string.Join("\n", Enumerable.Range(0, t.RowCount).Select(i => string.Join(",", t.FormatRow(i))));
}
