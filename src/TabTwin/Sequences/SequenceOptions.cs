using TabTwin.Synthesis;
using TabTwin.Synthesizers;

namespace TabTwin.Sequences;

/// <summary>How <see cref="SequenceSynthesizer.Fit"/> learns histories. Every field has a working default.</summary>
public sealed record SequenceOptions
{
    /// <summary>Seed of every fit (privacy-check splits, tree fits); the same seed gives the same model.</summary>
    public ulong Seed { get; init; }

    /// <summary>Degree of parallelism (null = all cores). Results never depend on it.</summary>
    public int? MaxThreads { get; init; }

    /// <summary>The privacy check of the per-entity model (context, first step, length, start); null = its defaults, on.</summary>
    public PrivacyCheckOptions? PrivacyCheck { get; init; }

    /// <summary>Told what the fit does on purpose (each numeric column's transform, the privacy check); null = silent.</summary>
    public Action<string>? Warning { get; init; }

    /// <summary>Progress of the fit; null = none.</summary>
    public IProgress<StepProgress>? Progress { get; init; }

    /// <summary>Cancels the fit.</summary>
    public CancellationToken Cancel { get; init; }

    internal void Check()
    {
        if (MaxThreads is < 1) throw new ArgumentOutOfRangeException(nameof(MaxThreads), "MaxThreads must be at least 1 (or null for all cores).");
    }
}
