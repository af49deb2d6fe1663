namespace TabTwin.Synthesizers;

/// <summary>
/// A synthesizer (or fitted model) whose whole pipeline — every read of the data, metadata included — is
/// (<see cref="Epsilon"/>, <see cref="Delta"/>)-differentially private with respect to adding or removing one row.
/// Only formal guarantees implement this: privacy protection rules (rare categories, leaf sizes, clipping) are not DP
/// and never do. Read generically by the privacy audit (<c>TabTwin.Evaluation.Audit.PrivacyAudit</c>), whose empirical
/// lower bound on ε must stay at or below <see cref="Epsilon"/>.
/// </summary>
public interface IDifferentiallyPrivate
{
    /// <summary>The claimed ε (&gt; 0) of one fit.</summary>
    double Epsilon { get; }

    /// <summary>The claimed δ (≥ 0, below 1/rows) of one fit.</summary>
    double Delta { get; }
}
