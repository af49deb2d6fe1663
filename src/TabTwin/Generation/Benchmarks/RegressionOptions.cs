namespace TabTwin.Generation.Benchmarks;

/// <summary>
/// Settings of <see cref="RegressionGenerator"/>, mirroring scikit-learn's <c>make_regression</c> (defaults included):
/// y = X·coef + bias + Gaussian noise, where only <see cref="Informative"/> coefficients are non-zero (uniform in [0, 100)).
/// </summary>
public sealed record RegressionOptions
{
    /// <summary>Rows (n_samples).</summary>
    public long Rows { get; init; } = 100;
    /// <summary>Feature columns (n_features).</summary>
    public int Features { get; init; } = 100;
    /// <summary>Features with a non-zero coefficient (n_informative).</summary>
    public int Informative { get; init; } = 10;
    /// <summary>Target columns (n_targets); one is named <see cref="Target"/>, several are Target0, Target1, ….</summary>
    public int Targets { get; init; } = 1;
    /// <summary>Added to every target (bias).</summary>
    public double Bias { get; init; }
    /// <summary>Standard deviation of the Gaussian noise added to the targets (noise).</summary>
    public double Noise { get; init; }
    /// <summary>
    /// Null = independent standard-normal features (well conditioned). Otherwise the approximate number of singular
    /// vectors that explain most of the data (effective_rank), giving correlated features with a bell-shaped singular
    /// profile plus a fat tail of weight <see cref="TailStrength"/>.
    /// </summary>
    public int? EffectiveRank { get; init; }
    /// <summary>Relative weight of the fat tail of the singular profile (tail_strength) when <see cref="EffectiveRank"/> is set.</summary>
    public double TailStrength { get; init; } = 0.5;
    /// <summary>Shuffle the feature columns (so the informative ones are not the first); rows are independent draws anyway.</summary>
    public bool Shuffle { get; init; } = true;
    public ulong Seed { get; init; }
    public FeatureNaming Naming { get; init; } = FeatureNaming.Indexed;
    public string Target { get; init; } = "y";
    /// <summary>Round features and targets to this many decimal places; null = full double precision.</summary>
    public int? Decimals { get; init; }

    public void Validate()
    {
        if (Rows < 1) throw new ArgumentException($"Rows must be at least 1 (got {Rows}).");
        if (Features < 1) throw new ArgumentException($"Features must be at least 1 (got {Features}).");
        if (Informative < 0 || Informative > Features) throw new ArgumentException($"Informative must be in 0..{Features} (got {Informative}).");
        if (Targets < 1) throw new ArgumentException($"Targets must be at least 1 (got {Targets}).");
        if (!double.IsFinite(Bias)) throw new ArgumentException("Bias must be finite.");
        if (!(Noise >= 0) || double.IsInfinity(Noise)) throw new ArgumentException($"Noise must be a finite number ≥ 0 (got {Noise}).");
        if (EffectiveRank is < 1) throw new ArgumentException($"EffectiveRank must be at least 1 (got {EffectiveRank}).");
        if (TailStrength is < 0 or > 1 || double.IsNaN(TailStrength)) throw new ArgumentException($"TailStrength must be in [0, 1] (got {TailStrength}).");
        if (Decimals is < 0 or > 15) throw new ArgumentException($"Decimals must be in 0..15 (got {Decimals}).");
        if (string.IsNullOrWhiteSpace(Target)) throw new ArgumentException("Target must name a column.");
    }

    /// <summary>The target column names.</summary>
    public string[] TargetNames() => Targets == 1 ? [Target] : Enumerable.Range(0, Targets).Select(t => Target + t).ToArray();
}
