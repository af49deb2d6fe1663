using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Sampling.Augmentation;

/// <summary>Rows of one target class drawn from a fitted model by conditional sampling.</summary>
internal static class ClassSampler
{
    public static Table Sample(ISynthesizerModel model, string target, string? value, int rows, ulong seed, SampleContext context) =>
        throw new TabTwinException("augment.method", "Conditional sampling is not available yet.");
}
