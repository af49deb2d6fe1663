using TabTwin.Encoding;
using TabTwin.Synthesizers.NeuralData;

namespace TabTwin.Synthesizers.Tvae;

/// <summary>Stop training when the epoch loss has not improved by <see cref="MinDelta"/> for <see cref="Patience"/> epochs.</summary>
public sealed record EarlyStoppingOptions
{
    public int Patience { get; init; } = 10;
    public double MinDelta { get; init; } = 1e-3;
}

/// <summary>How a sampled row's one-hot groups (categories, mixture modes, missing) are chosen from the decoder's logits.</summary>
public enum TvaeCategorySampling
{
    /// <summary>Draw from softmax(logits): sampling from the model's p(x | z) (default; keeps minority categories and missing rates).</summary>
    Sample,
    /// <summary>Take the most likely slot, as SDV's TVAE does (sharper, but under-produces rare categories).</summary>
    Argmax,
}

/// <summary>
/// Hyperparameters of TVAE. Defaults follow SDV's TVAE (Xu et al., NeurIPS 2019): 128-dimensional latent space,
/// encoder and decoder with two hidden layers of 128, L2 1e-5, batch 500, 300 epochs, reconstruction weight 2,
/// Adam with learning rate 1e-3.
/// </summary>
public sealed record TvaeOptions
{
    public int Epochs { get; init; } = 300;
    public int BatchSize { get; init; } = 500;
    /// <summary>Size of the latent (Gaussian) space.</summary>
    public int EmbeddingDim { get; init; } = 128;
    /// <summary>Hidden layer sizes of the encoder (Linear + ReLU each).</summary>
    public int[] CompressDims { get; init; } = [128, 128];
    /// <summary>Hidden layer sizes of the decoder (Linear + ReLU each).</summary>
    public int[] DecompressDims { get; init; } = [128, 128];
    /// <summary>Adam's weight decay (L2 added to the gradient, as PyTorch's Adam).</summary>
    public double L2Scale { get; init; } = 1e-5;
    /// <summary>Weight of the reconstruction loss against the KL term.</summary>
    public double LossFactor { get; init; } = 2;
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>How sampled one-hot groups are chosen (see <see cref="TvaeCategorySampling"/>).</summary>
    public TvaeCategorySampling Categories { get; init; } = TvaeCategorySampling.Sample;
    /// <summary>Null = always run all epochs.</summary>
    public EarlyStoppingOptions? EarlyStopping { get; init; }
    /// <summary>Threads for training and sampling (null = FitContext.MaxThreads, else all cores). Results never depend on it.</summary>
    public int? MaxThreads { get; init; }
    /// <summary>How the table is encoded before the neural transform (rare categories, clipping).</summary>
    public EncodingOptions Encoding { get; init; } = new();
    /// <summary>Mode-specific normalisation of continuous columns (Bayesian Gaussian mixtures; point masses: <c>Modes.PointMassShare</c>).</summary>
    public ModeSpecificOptions Modes { get; init; } = new();

    internal void Check()
    {
        ArgumentNullException.ThrowIfNull(Encoding);
        ArgumentNullException.ThrowIfNull(Modes);
        ArgumentNullException.ThrowIfNull(CompressDims);
        ArgumentNullException.ThrowIfNull(DecompressDims);
        Encoding.Check();
        Modes.Check();
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1 (got {Epochs}).");
        if (BatchSize < 1) throw new ArgumentException($"BatchSize must be at least 1 (got {BatchSize}).");
        if (EmbeddingDim < 1) throw new ArgumentException($"EmbeddingDim must be at least 1 (got {EmbeddingDim}).");
        if (CompressDims.Concat(DecompressDims).Any(d => d < 1)) throw new ArgumentException("Every CompressDims/DecompressDims layer size must be at least 1.");
        if (!(L2Scale >= 0) || double.IsInfinity(L2Scale)) throw new ArgumentException($"L2Scale must be finite and ≥ 0 (got {L2Scale}).");
        if (!(LossFactor > 0) || double.IsInfinity(LossFactor)) throw new ArgumentException($"LossFactor must be finite and > 0 (got {LossFactor}).");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"LearningRate must be finite and > 0 (got {LearningRate}).");
        if (EarlyStopping is { } es && (es.Patience < 1 || !(es.MinDelta >= 0)))
            throw new ArgumentException($"EarlyStopping needs Patience ≥ 1 and MinDelta ≥ 0 (got {es.Patience}, {es.MinDelta}).");
        if (MaxThreads is < 1) throw new ArgumentException($"MaxThreads must be at least 1 (got {MaxThreads}).");
    }
}
