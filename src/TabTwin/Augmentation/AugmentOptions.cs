using System.Text.Json;
using TabTwin.Sampling.Rebalancing;
using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Augmentation;

/// <summary>How <see cref="Augmenter"/> makes the new rows of a rare class.</summary>
public enum AugmentMethod
{
    /// <summary>Fit a synthesizer on the whole real table and sample rows of the class conditionally (the default).</summary>
    Synth,
    /// <summary>SMOTE-NC: interpolate between a real row of the class and one of its nearest neighbours in that class.</summary>
    Smote,
    /// <summary>Copy real rows of the class with Gaussian noise on numbers and dates.</summary>
    Noise,
}

/// <summary>Settings of <see cref="Augmenter.Augment"/>.</summary>
public sealed record AugmentOptions
{
    /// <summary>The categorical or boolean column whose rare classes are raised.</summary>
    public required string Target { get; init; }
    /// <summary>
    /// The share every class should at least have in the output, in (0, 1/k] for k classes. Classes below it get new
    /// rows until they reach it (±1 row); classes above it get none. For a binary target this is the minority share.
    /// </summary>
    public required double To { get; init; }
    public AugmentMethod Method { get; init; } = AugmentMethod.Synth;
    public ulong Seed { get; init; }

    /// <summary><see cref="AugmentMethod.Synth"/>: registry name of the synthesizer fitted on the real table.</summary>
    public string Synthesizer { get; init; } = "cart";
    /// <summary><see cref="AugmentMethod.Synth"/>: the synthesizer's options JSON (null = defaults).</summary>
    public JsonElement? SynthesizerOptions { get; init; }
    /// <summary><see cref="AugmentMethod.Synth"/>: an already fitted model of the real table to sample from instead of fitting one.</summary>
    public ISynthesizerModel? Model { get; init; }

    /// <summary><see cref="AugmentMethod.Smote"/>: neighbours considered per row (fewer when the class is smaller).</summary>
    public int Neighbours { get; init; } = 5;

    /// <summary><see cref="AugmentMethod.Noise"/>: noise standard deviation as a multiple of each column's standard deviation.</summary>
    public double NoiseScale { get; init; } = 0.05;
    /// <summary>
    /// <see cref="AugmentMethod.Noise"/>: probability that a categorical or boolean value (never the target) is replaced by
    /// one drawn from the class's own values of that column. 0 (default) keeps every category of the copied row.
    /// </summary>
    public double CategoryFlip { get; init; }

    /// <summary>Add a boolean column (<see cref="MarkColumn"/>) that is false on real rows and true on new ones.</summary>
    public bool Mark { get; init; }
    public string MarkColumn { get; init; } = "is_synthetic";

    /// <summary>Degree of parallelism (null = all cores). Results never depend on it.</summary>
    public int? MaxThreads { get; init; }
}

/// <summary>How many rows each class gets: the real counts and the rows to add.</summary>
public sealed record AugmentPlan(ClassDistribution Original, double To, IReadOnlyList<int> Added)
{
    public int TotalAdded => Added.Sum();
    public int FinalRows => Original.Total + TotalAdded;
    /// <summary>Share of class <paramref name="classIndex"/> in the output.</summary>
    public double FinalShare(int classIndex) => (double)(Original.Classes[classIndex].Count + Added[classIndex]) / FinalRows;
}

/// <summary>The augmented table (real rows first, unchanged, then the new rows) and the plan it followed.</summary>
public sealed record AugmentResult(Table Table, int RealRows, AugmentPlan Plan, AugmentMethod Method, string? Synthesizer)
{
    /// <summary>The new rows alone.</summary>
    public Table NewRows => Table.Take(Enumerable.Range(RealRows, Table.RowCount - RealRows).ToArray());
}
