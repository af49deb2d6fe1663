using TabTwin.Encoding;
using TabTwin.Synthesizers.NeuralData;

namespace TabTwin.Synthesizers.Ctgan;

/// <summary>
/// Hyperparameters of CTGAN. The defaults are those of the paper's reference implementation (SDV's CTGAN):
/// 300 epochs, batches of 500 in pac groups of 10, a 128-dimensional noise, a generator of two residual blocks
/// of 256 and a critic of two 256-unit layers, Adam (2e-4, β = 0.5/0.9, weight decay 1e-6), one critic step per
/// generator step, gradient penalty λ = 10 and Gumbel-softmax temperature 0.2.
/// </summary>
public sealed record CtganOptions
{
    /// <summary>Passes over the training rows (one epoch = rows / BatchSize steps).</summary>
    public int Epochs { get; init; } = 300;

    /// <summary>Rows per training step and per sampling block; a multiple of <see cref="Pac"/>.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>PacGAN: the critic judges groups of this many rows at once (discourages mode collapse).</summary>
    public int Pac { get; init; } = 10;

    /// <summary>Size of the generator's Gaussian noise input.</summary>
    public int EmbeddingDim { get; init; } = 128;

    /// <summary>Output sizes of the generator's residual blocks (Linear → BatchNorm → ReLU, concatenated with the block's input).</summary>
    public int[] GeneratorDim { get; init; } = [256, 256];

    /// <summary>Sizes of the critic's hidden layers (Linear → LeakyReLU(0.2) → Dropout(0.5)).</summary>
    public int[] DiscriminatorDim { get; init; } = [256, 256];

    public double GeneratorLr { get; init; } = 2e-4;
    public double DiscriminatorLr { get; init; } = 2e-4;

    /// <summary>Adam's L2 weight decay for both networks.</summary>
    public double Decay { get; init; } = 1e-6;

    /// <summary>Critic updates per generator update.</summary>
    public int DiscriminatorSteps { get; init; } = 1;

    /// <summary>
    /// The generator update reuses the fake batch (noise, conditions, generator activations) of the last critic
    /// update instead of generating a fresh one, as PyTorch's DCGAN example does. The generator has not changed
    /// in between, so its gradient is exact for that batch; this saves one generator forward pass per step (about
    /// a sixth of CTGAN's work). False follows the reference implementation, which draws a new batch.
    /// </summary>
    public bool ReuseFakeBatch { get; init; } = true;

    /// <summary>Gradient-penalty weight λ of WGAN-GP.</summary>
    public double GradientPenalty { get; init; } = 10;

    /// <summary>Temperature of the Gumbel-softmax on the generator's one-hot outputs.</summary>
    public double GumbelTau { get; init; } = 0.2;

    /// <summary>Training-by-sampling draws categories with log-frequency (true, the paper's choice) or real frequency.</summary>
    public bool LogFrequency { get; init; } = true;

    /// <summary>
    /// Early stopping (null = off): stop when the critic's Wasserstein estimate |mean D(real) − mean D(fake)|,
    /// averaged over an epoch, has not improved on its best by at least <see cref="EarlyStoppingMinDelta"/> for
    /// this many epochs.
    /// </summary>
    public int? EarlyStopping { get; init; }

    /// <summary>Smallest improvement of the epoch's Wasserstein estimate that resets the early-stopping patience.</summary>
    public double EarlyStoppingMinDelta { get; init; } = 0.01;

    /// <summary>Threads for training (null = the FitContext's MaxThreads, or all cores). The result does not depend on it.</summary>
    public int? MaxThreads { get; init; }

    /// <summary>How the table is encoded (categories, ranges) before mode-specific normalisation.</summary>
    public EncodingOptions Encoding { get; init; } = new();

    /// <summary>Mode-specific normalisation of continuous columns.</summary>
    public ModeSpecificOptions ModeSpecific { get; init; } = new();

    internal void Check()
    {
        ArgumentNullException.ThrowIfNull(Encoding);
        ArgumentNullException.ThrowIfNull(ModeSpecific);
        Encoding.Check();
        ModeSpecific.Check();
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1 (got {Epochs}).");
        if (Pac < 1) throw new ArgumentException($"Pac must be at least 1 (got {Pac}).");
        if (BatchSize < 2 || BatchSize % Pac != 0) throw new ArgumentException($"BatchSize must be at least 2 and a multiple of Pac ({Pac}) (got {BatchSize}).");
        if (EmbeddingDim < 1) throw new ArgumentException($"EmbeddingDim must be at least 1 (got {EmbeddingDim}).");
        if (GeneratorDim is null || GeneratorDim.Any(d => d < 1)) throw new ArgumentException("GeneratorDim must list positive layer sizes.");
        if (DiscriminatorDim is null || DiscriminatorDim.Any(d => d < 1)) throw new ArgumentException("DiscriminatorDim must list positive layer sizes.");
        if (!(GeneratorLr > 0) || !(DiscriminatorLr > 0)) throw new ArgumentException($"Learning rates must be > 0 (got {GeneratorLr}, {DiscriminatorLr}).");
        if (!(Decay >= 0)) throw new ArgumentException($"Decay must be ≥ 0 (got {Decay}).");
        if (DiscriminatorSteps < 1) throw new ArgumentException($"DiscriminatorSteps must be at least 1 (got {DiscriminatorSteps}).");
        if (!(GradientPenalty >= 0)) throw new ArgumentException($"GradientPenalty must be ≥ 0 (got {GradientPenalty}).");
        if (!(GumbelTau > 0)) throw new ArgumentException($"GumbelTau must be > 0 (got {GumbelTau}).");
        if (EarlyStopping is < 1) throw new ArgumentException($"EarlyStopping must be at least 1 epoch (or null for off) (got {EarlyStopping}).");
        if (!(EarlyStoppingMinDelta >= 0)) throw new ArgumentException($"EarlyStoppingMinDelta must be ≥ 0 (got {EarlyStoppingMinDelta}).");
        if (MaxThreads is < 1) throw new ArgumentException($"MaxThreads must be at least 1 (or null) (got {MaxThreads}).");
    }
}
