using System.Text.Json;
using TabTwin.Neural;
using TabTwin.Schema;
using TabTwin.Synthesizers.NeuralData;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Ctgan;

/// <summary>
/// CTGAN (Xu et al., "Modeling Tabular Data using Conditional GAN", NeurIPS 2019), on TabTwin's managed neural
/// core: continuous columns get mode-specific normalisation (a variational Gaussian mixture per column),
/// discrete columns one-hot; a conditional generator is trained against a pac-packed WGAN-GP critic with
/// training-by-sampling, so rare categories are learned. Strong on mixed, multi-modal tables; needs a few
/// minutes of CPU for 300 epochs on tens of thousands of rows. Holds options only; <see cref="Fit"/> returns
/// a new model.
/// </summary>
public sealed class CtganSynthesizer : ISynthesizer
{
    public const string RegistryName = "ctgan";

    // Salts of the random streams derived from the fit seed (distinct purposes never share a stream).
    private const ulong MixtureSalt = 1, TransformSalt = 2, GeneratorSalt = 3, CriticSalt = 4, DropoutSalt = 5, TrainingSalt = 6;

    public CtganSynthesizer(CtganOptions? options = null) => Options = options ?? new CtganOptions();

    public string Name => RegistryName;
    public CtganOptions Options { get; }

    internal static ISynthesizer Create(JsonElement? options) =>
        new CtganSynthesizer(SynthesizerJson.ReadOptions<CtganOptions>(RegistryName, options, o => o.Check()));

    ISynthesizerModel ISynthesizer.Fit(Table table, TableSchema schema, FitContext context) => Fit(table, schema, context);

    /// <summary>
    /// Encodes the table, fits the mode-specific transformer and trains the GAN. Progress reports the epoch and
    /// the generator/critic losses; <see cref="FitContext.Cancel"/> is checked every step. Throws
    /// <see cref="SchemaException"/> for tables the encoding rejects and <see cref="ArgumentException"/> for invalid options.
    /// </summary>
    /// <summary>Two groups of rows, and at least one critic pack.</summary>
    public int MinimumRows => Math.Max(TrainingSize.DefaultMinimumRows, Options.Pac);

    public CtganModel Fit(Table table, TableSchema schema, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(schema);
        schema.RejectUnappliedConstraints($"the {Name} synthesizer");
        Options.Check();
        ArgumentNullException.ThrowIfNull(table);
        TrainingSize.Require(this, table);
        var (encoding, encoded, transformer, threads) = NeuralFitSetup.Prepare(table, schema, context, Options.Encoding, Options.ModeSpecific,
            Options.MaxThreads, SeededRandom.Derive(context.Seed, MixtureSalt));
        var data = transformer.Transform(encoded, SeededRandom.Derive(context.Seed, TransformSalt), threads);
        context.Progress?.Report(new StepProgress("transform", 0));
        var sampler = ConditionalSampler.ForTraining(transformer.Spans, data, encoded.RowCount, transformer.Width);

        var generator = CtganModel.BuildGenerator(Options, transformer.Width, sampler.Width, new SeededRandom(SeededRandom.Derive(context.Seed, GeneratorSalt)));
        var critic = CtganNetworks.Critic(Options.Pac * (transformer.Width + sampler.Width), Options.DiscriminatorDim,
            new SeededRandom(SeededRandom.Derive(context.Seed, CriticSalt)), SeededRandom.Derive(context.Seed, DropoutSalt), Options.Pac, sampler.Width);
        using var runner = new ParallelRunner(ParallelRunner.ThreadsFor(threads));
        generator.UseRunner(runner);
        critic.UseRunner(runner);
        var trainer = new CtganTrainer(Options, data, encoded.RowCount, transformer.Spans, transformer.Width, sampler, generator, critic,
            new SeededRandom(SeededRandom.Derive(context.Seed, TrainingSalt)));
        var history = trainer.Train(context.Progress, context.Cancel);

        var weights = generator.NamedParameters().Select(p => p.Parameter.Value.AsSpan().ToArray()).ToArray();
        return new CtganModel(encoding, transformer, Options, sampler.Counts.ToArray(), weights, history);
    }
}
