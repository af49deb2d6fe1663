using TabTwin.Schema;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;

namespace TabTwin.MultiTable;

/// <summary>How <see cref="MultiTableSynthesizer.Fit"/> learns a database. Every field has a working default.</summary>
public sealed record MultiTableOptions
{
    /// <summary>Seed of every fit (privacy-check splits, tree fits); the same seed gives the same model.</summary>
    public ulong Seed { get; init; }

    /// <summary>Degree of parallelism (null = all cores). Results never depend on it.</summary>
    public int? MaxThreads { get; init; }

    /// <summary>The per-table privacy check of the default synthesizer (null = its defaults, on).</summary>
    public PrivacyCheckOptions? PrivacyCheck { get; init; }

    /// <summary>
    /// Column kinds per table (the metadata JSON of each table), over those the database's metadata declares
    /// (<see cref="Schema.Relational.DatabaseMetadata.ColumnSchemas"/>); columns named in neither are detected.
    /// </summary>
    public IReadOnlyDictionary<string, TableSchema>? Schemas { get; init; }

    /// <summary>
    /// Most parent columns joined to a child for learning the child given its parent (and for assigning its other
    /// parents): more carry more of the parent–child association, each costs tree-fitting time.
    /// </summary>
    public int MaxParentColumns { get; init; } = 10;

    /// <summary>Told what the fit does on purpose (orphans read as missing keys, tables too small for privacy protection, the privacy check); null = silent.</summary>
    public Action<string>? Warning { get; init; }

    /// <summary>Progress per table; null = none.</summary>
    public IProgress<StepProgress>? Progress { get; init; }

    /// <summary>Cancels the fit.</summary>
    public CancellationToken Cancel { get; init; }

    internal void Check()
    {
        if (MaxThreads is < 1) throw new ArgumentOutOfRangeException(nameof(MaxThreads), "MaxThreads must be at least 1 (or null for all cores).");
        if (MaxParentColumns is < 0 or > 200) throw new ArgumentOutOfRangeException(nameof(MaxParentColumns), $"MaxParentColumns must be in 0..200 (got {MaxParentColumns}).");
    }
}
