namespace TabTwin.Synthesizers.NeuralData;

/// <summary>
/// Settings of mode-specific normalisation (defaults as CTGAN's data transformer: at most 10 modes, weight
/// concentration 0.001, modes with weight ≤ 0.005 dropped, 100 variational iterations).
/// </summary>
public sealed record ModeSpecificOptions
{
    /// <summary>Components of the truncated Dirichlet-process mixture (the most modes a column can get).</summary>
    public int MaxModes { get; init; } = 10;

    /// <summary>Concentration γ of the stick-breaking prior; small values favour few modes.</summary>
    public double WeightConcentration { get; init; } = 0.001;

    /// <summary>Modes whose fitted weight is at most this are dropped.</summary>
    public double WeightThreshold { get; init; } = 0.005;

    /// <summary>Most variational iterations.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Stop when the evidence lower bound changes by less than this.</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>The mixture is fitted on a seeded random subsample of at most this many present values (speed; the modes of a column are stable well before that).</summary>
    public int MaxFitValues { get; init; } = 20_000;

    /// <summary>
    /// A single value holding at least this share of a continuous column's present values becomes a point mass:
    /// its own slot of the column's value-kind one-hot, reproduced exactly (1 = never; see <see cref="PointMasses"/>).
    /// The mixture is fitted on the other values.
    /// </summary>
    public double PointMassShare { get; init; } = 0.05;

    /// <summary>At most this many point masses per column (the most frequent values).</summary>
    public int MaxPointMasses { get; init; } = 3;

    internal void Check()
    {
        if (!(PointMassShare is > 0 and <= 1)) throw new ArgumentException($"PointMassShare must be in (0, 1] (got {PointMassShare}).");
        if (MaxPointMasses is < 0 or > 100) throw new ArgumentException($"MaxPointMasses must be in 0..100 (got {MaxPointMasses}).");
        if (MaxModes is < 1 or > 100) throw new ArgumentException($"MaxModes must be in 1..100 (got {MaxModes}).");
        if (!(WeightConcentration > 0) || double.IsInfinity(WeightConcentration)) throw new ArgumentException($"WeightConcentration must be finite and > 0 (got {WeightConcentration}).");
        if (!(WeightThreshold is >= 0 and < 1)) throw new ArgumentException($"WeightThreshold must be in [0, 1) (got {WeightThreshold}).");
        if (MaxIterations < 1) throw new ArgumentException($"MaxIterations must be at least 1 (got {MaxIterations}).");
        if (!(Tolerance > 0)) throw new ArgumentException($"Tolerance must be > 0 (got {Tolerance}).");
        if (MaxFitValues < 10) throw new ArgumentException($"MaxFitValues must be at least 10 (got {MaxFitValues}).");
    }
}
