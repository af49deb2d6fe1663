using TabTwin.Encoding;

namespace TabTwin.Synthesizers.Independent;

/// <summary>Hyperparameters of the independent-marginals baseline.</summary>
public sealed record IndependentOptions
{
    /// <summary>How the table is encoded (rare categories, clipping, text reuse).</summary>
    public EncodingOptions Encoding { get; init; } = new();

    /// <summary>Number of quantiles kept per continuous column (2..4096); the model stores these, never raw values.</summary>
    public int QuantileCount { get; init; } = 256;

    /// <summary>
    /// Kernel width as a multiple of Silverman's rule-of-thumb bandwidth (0 = no smoothing). Small by default:
    /// the quantile function is already continuous, the kernel only blurs its knots,
    /// and is capped by the local gap between quantiles so point masses stay exact.
    /// </summary>
    public double Smoothing { get; init; } = 0.25;

    /// <summary>Continuous columns with at most this many distinct values are sampled as discrete values (e.g. counts, small integers).</summary>
    public int MaxDistinctForDiscrete { get; init; } = 64;

    /// <summary>
    /// Learns tables under <see cref="TrainingSize.DefaultMinimumRows"/>: the multi-table fit's tiny reference tables, whose
    /// every value is protected by the encoding (rare values never emitted, numbers in their middle range) and whose columns
    /// drawn apart rebuild no real row (why, in MultiTableSynthesizer.Fit). Not settable from a model file or the CLI.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    internal bool BelowMinimumRows { get; init; }

    internal void Check()
    {
        if (QuantileCount is < 2 or > 4096) throw new ArgumentException($"QuantileCount must be in 2..4096 (got {QuantileCount}).");
        if (!(Smoothing >= 0) || double.IsInfinity(Smoothing)) throw new ArgumentException($"Smoothing must be a finite number ≥ 0 (got {Smoothing}).");
        if (MaxDistinctForDiscrete < 0) throw new ArgumentException($"MaxDistinctForDiscrete must be ≥ 0 (got {MaxDistinctForDiscrete}).");
        ArgumentNullException.ThrowIfNull(Encoding);
        Encoding.Check();
    }
}
