using System.Text.Json;
using TabTwin.Neural;
using TabTwin.Schema;
using TabTwin.Synthesizers.NeuralData;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Tvae;

/// <summary>
/// TVAE (Xu et al., "Modeling Tabular Data using Conditional GAN", NeurIPS 2019): a variational autoencoder over
/// the mode-specific normalised table (continuous columns as α + mixture mode, discrete columns one-hot, missing
/// values as one more one-hot slot). Sampling decodes standard-normal latent points. Ids and personal data are not
/// modelled: the encoding layer regenerates them, as for every synthesizer. Runs on TabTwin's managed neural core
/// (float32, SIMD, deterministic for a seed whatever the thread count). Holds options only.
/// </summary>
public sealed class TvaeSynthesizer : ISynthesizer
{
    public const string RegistryName = "tvae";

    public TvaeSynthesizer(TvaeOptions? options = null) => Options = options ?? new TvaeOptions();

    public string Name => RegistryName;
    public TvaeOptions Options { get; }

    internal static ISynthesizer Create(JsonElement? options) =>
        new TvaeSynthesizer(SynthesizerJson.ReadOptions<TvaeOptions>(RegistryName, options, o => o.Check()));

    ISynthesizerModel ISynthesizer.Fit(Table table, TableSchema schema, FitContext context) => Fit(table, schema, context);

    /// <summary>
    /// Encodes the table, fits the mode-specific transformer and trains the autoencoder. Tables the encoding rejects
    /// throw <see cref="SchemaException"/>; cancellation throws <see cref="OperationCanceledException"/> between steps.
    /// </summary>
    public TvaeModel Fit(Table table, TableSchema schema, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(schema);
        schema.RejectUnappliedConstraints($"the {Name} synthesizer");
        Options.Check();
        ArgumentNullException.ThrowIfNull(table);
        TrainingSize.Require(this, table);
        var (encoding, encoded, transformer, maxThreads) = NeuralFitSetup.Prepare(table, schema, context, Options.Encoding, Options.Modes,
            Options.MaxThreads, SeededRandom.Derive(context.Seed, 11));
        context.Progress?.Report(new StepProgress("encode", 0));
        int rows = encoded.RowCount;
        if (transformer.Width == 0 || rows == 0)
            return new TvaeModel(encoding, transformer, Options, decoder: null, sigma: [], new TvaeTrainingSummary(0, [], false));
        var data = transformer.Transform(encoded, SeededRandom.Derive(context.Seed, 12), maxThreads);
        using var runner = new ParallelRunner(ParallelRunner.ThreadsFor(maxThreads));
        var trainer = new TvaeTrainer(Options, transformer, data, rows, SeededRandom.Derive(context.Seed, 13), runner);
        var summary = trainer.Train(context.Progress, context.Cancel);
        trainer.Decoder.UseRunner(null);
        return new TvaeModel(encoding, transformer, Options, trainer.Decoder, trainer.Sigma.Value.AsSpan().ToArray(), summary);
    }
}
