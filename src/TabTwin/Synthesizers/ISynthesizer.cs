using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Bundles;

namespace TabTwin.Synthesizers;

/// <summary>
/// A synthesizer holds only its options. <see cref="Fit"/> learns from a table and returns a new,
/// immutable <see cref="ISynthesizerModel"/>; the synthesizer itself never changes.
/// </summary>
public interface ISynthesizer
{
    /// <summary>The registry name, e.g. <c>gaussian-copula</c>.</summary>
    string Name { get; }
    ISynthesizerModel Fit(Table table, TableSchema schema, FitContext context);
}

/// <summary>A fitted model. Immutable; <see cref="Sample"/> is thread-safe and deterministic for a seed.</summary>
public interface ISynthesizerModel
{
    string SynthesizerName { get; }
    TableSchema Schema { get; }
    /// <summary>Exactly <paramref name="rows"/> new rows; the same seed gives byte-identical output on any thread count.</summary>
    Table Sample(int rows, ulong seed, SampleContext? context = null);
    /// <summary>Writes everything needed to rebuild this model (JSON parameters and binary arrays) into the bundle.</summary>
    void Write(ModelBundleWriter bundle);
}

/// <summary>Progress of a long step: a label and a fraction done in [0, 1].</summary>
public readonly record struct StepProgress(string Step, double Fraction);

public sealed record FitContext(ulong Seed = 0, IProgress<StepProgress>? Progress = null, CancellationToken Cancel = default)
{
    /// <summary>Degree of parallelism (null = all cores). Results never depend on it.</summary>
    public int? MaxThreads { get; init; }
}

public sealed record SampleContext(IProgress<StepProgress>? Progress = null, CancellationToken Cancel = default)
{
    /// <summary>Degree of parallelism (null = all cores). Results never depend on it.</summary>
    public int? MaxThreads { get; init; }
}
