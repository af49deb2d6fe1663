namespace TabTwin.Synthesizers.Private;

/// <summary>
/// Hyperparameters of DP-SGD training of a TVAE over a <see cref="DiscreteTable"/>. The noise multiplier is not one of
/// them: it follows from the budget the accountant has left, the sampling rate and the number of steps. Defaults are
/// for tables like Adult (~32k rows, one-hot width a few hundred) at ε ≈ 1: networks far smaller than TVAE's (noise is
/// added to every parameter, so fewer parameters keep more signal: on coded Adult at ε = 1, latent 8 and hidden 32 keep
/// pair structure that latent 64 and hidden 128 lose entirely — bench section dp-tvae), a larger learning rate than
/// TVAE's (few, noisy steps), and a moderate number of epochs (each epoch costs budget; more epochs, more noise per step).
/// </summary>
public sealed record DpTvaeOptions
{
    /// <summary>Passes over the data; the number of steps is Epochs / q (rounded up).</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>Expected rows per step: each row joins a step's batch independently with probability q = BatchSize / rows.</summary>
    public int BatchSize { get; init; } = 500;
    /// <summary>Per-example gradient clipping norm C over all parameters (the L2 sensitivity of a step's gradient sum).</summary>
    public double ClipNorm { get; init; } = 1.0;
    /// <summary>Size of the latent (Gaussian) space.</summary>
    public int EmbeddingDim { get; init; } = 8;
    /// <summary>Hidden layer sizes of the encoder (Linear + ReLU each; no BatchNorm: it mixes examples, which per-example clipping forbids).</summary>
    public int[] CompressDims { get; init; } = [32];
    /// <summary>Hidden layer sizes of the decoder (Linear + ReLU each).</summary>
    public int[] DecompressDims { get; init; } = [32];
    /// <summary>Weight of the reconstruction (cross-entropy) loss against the KL term, as TVAE's.</summary>
    public double LossFactor { get; init; } = 2;
    /// <summary>Adam's learning rate (Adam on the noisy gradient is post-processing: it costs no budget).</summary>
    public double LearningRate { get; init; } = 5e-3;
    /// <summary>Threads for training and sampling (null = all cores). Results never depend on it.</summary>
    public int? MaxThreads { get; init; }

    internal void Check()
    {
        ArgumentNullException.ThrowIfNull(CompressDims);
        ArgumentNullException.ThrowIfNull(DecompressDims);
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1 (got {Epochs}).");
        if (BatchSize < 1) throw new ArgumentException($"BatchSize must be at least 1 (got {BatchSize}).");
        if (!(ClipNorm > 0) || double.IsInfinity(ClipNorm)) throw new ArgumentException($"ClipNorm must be finite and > 0 (got {ClipNorm}).");
        if (EmbeddingDim < 1) throw new ArgumentException($"EmbeddingDim must be at least 1 (got {EmbeddingDim}).");
        if (CompressDims.Concat(DecompressDims).Any(d => d < 1)) throw new ArgumentException("Every CompressDims/DecompressDims layer size must be at least 1.");
        if (!(LossFactor > 0) || double.IsInfinity(LossFactor)) throw new ArgumentException($"LossFactor must be finite and > 0 (got {LossFactor}).");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"LearningRate must be finite and > 0 (got {LearningRate}).");
        if (MaxThreads is < 1) throw new ArgumentException($"MaxThreads must be at least 1 (got {MaxThreads}).");
    }
}
