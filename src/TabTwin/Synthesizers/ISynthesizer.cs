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

    /// <summary>
    /// Fewest training rows this synthesizer accepts with its options; <see cref="Fit"/> refuses smaller tables with
    /// <c>table.too-small</c> (see <see cref="TrainingSize"/> for why each minimum is what it is).
    /// </summary>
    int MinimumRows => TrainingSize.DefaultMinimumRows;

    ISynthesizerModel Fit(Table table, TableSchema schema, FitContext context);
}

/// <summary>
/// The smallest tables synthesizers learn from. Below these, what a model learns is a handful of real records, and
/// sampling it echoes them (a one-row table made every synthesizer output that row). The unit is
/// <see cref="GroupSize"/> = 5, the smallest group TabTwin treats as not identifying one person (cart's smallest leaf,
/// the rare-category cut): a model must see at least two such groups, so no learned distribution is one group's values.
/// <list type="bullet">
/// <item><c>independent</c>, <c>gaussian-copula</c>, <c>tvae</c>: 2 × 5 = 10 rows (per-column distributions, normal
/// scores and correlations, mixture modes all need more than one group behind them).</item>
/// <item><c>cart</c> with privacy on: 2 × its minimum leaf size (10 by default): the tree must be able to hold two
/// leaves; with privacy off (the user's explicit choice for non-sensitive data): 2 rows.</item>
/// <item><c>ctgan</c>: max(10, pac): the critic judges pac rows at a time.</item>
/// </list>
/// </summary>
public static class TrainingSize
{
    /// <summary>The smallest group of rows that is not treated as identifying one person.</summary>
    public const int GroupSize = 5;
    /// <summary>Two groups.</summary>
    public const int DefaultMinimumRows = 2 * GroupSize;

    /// <summary>Throws <c>table.too-small</c> when a non-empty <paramref name="table"/> has fewer rows than <paramref name="synthesizer"/> needs.</summary>
    public static void Require(ISynthesizer synthesizer, Table table)
    {
        ArgumentNullException.ThrowIfNull(synthesizer);
        ArgumentNullException.ThrowIfNull(table);
        int minimum = synthesizer.MinimumRows;
        if (table.RowCount > 0 && table.RowCount < minimum) // an empty table has its own error (table.empty)
            throw new SchemaException("table.too-small",
                $"The table has {table.RowCount} row{(table.RowCount == 1 ? "" : "s")}; the '{synthesizer.Name}' synthesizer needs at least {minimum}, " +
                "because a model of fewer rows reproduces real records.",
                hint: "Add rows, or write a spec of the data by hand and use 'tabtwin generate' (no real rows needed).");
    }
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
    /// <summary>
    /// Told, once per cause, what the fit changed about the data on purpose, e.g. a column's categories capped at
    /// <c>EncodingOptions.MaxCategories</c> (which column, how many categories, how many rows pooled); null = silent.
    /// </summary>
    public Action<string>? Warning { get; init; }
}

public sealed record SampleContext(IProgress<StepProgress>? Progress = null, CancellationToken Cancel = default)
{
    /// <summary>Degree of parallelism (null = all cores). Results never depend on it.</summary>
    public int? MaxThreads { get; init; }
}
