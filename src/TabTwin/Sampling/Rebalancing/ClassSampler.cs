using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Sampling.Rebalancing;

/// <summary>Rows of one target class drawn from a fitted model by conditional sampling (<see cref="ConditionalSampling"/>).</summary>
internal static class ClassSampler
{
    /// <summary>Exactly <paramref name="rows"/> rows whose <paramref name="target"/> is <paramref name="value"/> (null = missing), also satisfying <paramref name="within"/>.</summary>
    public static Table Sample(ISynthesizerModel model, string target, string? value, int rows, ulong seed, SampleContext context, ConditionSet? within = null) =>
        model.Sample(rows, ConditionSet.Of([.. within ?? ConditionSet.Of(), new EqualsCondition(target, value)]), seed, context);
}
