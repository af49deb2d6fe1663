using TabTwin.Encoding;
using TabTwin.Neural;
using TabTwin.Schema;
using TabTwin.Synthesizers.NeuralData;
using TabTwin.Tables;
using TabTwin.Bundles;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Tvae;

/// <summary>
/// A fitted TVAE: the encoding, the mode-specific transformer, the decoder's weights and the learned per-column
/// output scales. <see cref="Sample"/> decodes standard-normal latent points in blocks of <see cref="BlockRows"/>
/// rows, block b drawing from its own stream of (seed, b), then as SDV: tanh on the output, α perturbed by
/// N(0, s_c), argmax of each one-hot group. Each call builds its own decoder copy, so sampling is thread-safe,
/// and results are byte-identical for any thread count. The encoder is not kept (sampling never needs it).
/// </summary>
public sealed class TvaeModel : ISynthesizerModel
{
    internal const int BlockRows = 4096;
    private const string Entry = "tvae";

    private readonly Sequential? _decoder;
    private readonly float[] _sigma;

    internal TvaeModel(TableEncoding encoding, ModeSpecificTransformer transformer, TvaeOptions options, Sequential? decoder,
        float[] sigma, TvaeTrainingSummary training)
    {
        Encoding = encoding; Transformer = transformer; Options = options; _decoder = decoder; _sigma = sigma; Training = training;
    }

    public string SynthesizerName => TvaeSynthesizer.RegistryName;
    public TableSchema Schema => Encoding.Schema;
    internal TableEncoding Encoding { get; }
    internal ModeSpecificTransformer Transformer { get; }
    public TvaeOptions Options { get; }
    /// <summary>Epochs run and the mean loss of each (early stopping may end training before Options.Epochs).</summary>
    public TvaeTrainingSummary Training { get; }

    public Table Sample(int rows, ulong seed, SampleContext? context = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        context ??= new SampleContext();
        if (context.MaxThreads is < 1) throw new ArgumentOutOfRangeException(nameof(context), "MaxThreads must be at least 1 (or null for all cores).");
        int? maxThreads = context.MaxThreads ?? Options.MaxThreads;
        int width = Transformer.Width;
        var output = new float[(long)rows * width];
        if (_decoder is not null && rows > 0)
        {
            var decoder = CopyDecoder();
            using var runner = new ParallelRunner(ParallelRunner.ThreadsFor(maxThreads));
            decoder.UseRunner(runner);
            var noise = new NormalNoise();
            var latent = new Matrix(BlockRows, Options.EmbeddingDim);
            var alphaNoise = new float[BlockRows];
            var alphaColumns = Transformer.Spans.Where(s => s.Activation == SpanActivation.Tanh).Select(s => s.Start).ToArray();
            var oneHotSpans = Transformer.Spans.Where(s => s.Activation == SpanActivation.Softmax).ToArray();
            int blocks = (rows + BlockRows - 1) / BlockRows;
            for (int b = 0; b < blocks; b++)
            {
                context.Cancel.ThrowIfCancellationRequested();
                int start = b * BlockRows, count = Math.Min(rows, start + BlockRows) - start;
                var random = SeededRandom.For(seed, (ulong)b);
                latent.Reshape(count, Options.EmbeddingDim);
                noise.Fill(latent.AsSpan(), random);
                var y = decoder.Forward(latent, training: false);
                var block = output.AsSpan(start * width, count * width);
                System.Numerics.Tensors.TensorPrimitives.Tanh(y.AsSpan(), block);
                foreach (int c in alphaColumns)
                {
                    noise.Fill(alphaNoise.AsSpan(0, count), random);
                    for (int i = 0; i < count; i++) block[i * width + c] += _sigma[c] * alphaNoise[i];
                }
                if (Options.Categories == TvaeCategorySampling.Sample) DrawCategories(y, block, oneHotSpans, random);
                context.Progress?.Report(new StepProgress("sample", (b + 1) / (double)blocks));
            }
        }
        var encoded = Transformer.Inverse(output, rows, maxThreads);
        return Encoding.Decode(encoded, SeededRandom.Derive(seed, ulong.MaxValue), maxThreads);
    }

    /// <summary>
    /// Draws each one-hot group from softmax(logits) — sampling x ~ p(x | z), the VAE's generative model — and writes
    /// it as a one-hot so the transformer's argmax reads the drawn slot. (SDV takes the argmax, which under-produces
    /// minority categories and missing values.)
    /// </summary>
    private static void DrawCategories(Matrix logits, Span<float> block, OutputSpan[] spans, SeededRandom random)
    {
        int width = logits.Cols;
        Span<double> cumulative = stackalloc double[0];
        foreach (var s in spans)
        {
            if (cumulative.Length < s.Width) cumulative = new double[s.Width];
            for (int i = 0; i < logits.Rows; i++)
            {
                var x = logits.Row(i).Slice(s.Start, s.Width);
                float max = System.Numerics.Tensors.TensorPrimitives.Max(x);
                double total = 0;
                for (int k = 0; k < s.Width; k++) cumulative[k] = total += Math.Exp(x[k] - max);
                int pick = random.NextWeighted(cumulative[..s.Width]);
                var target = block.Slice(i * width + s.Start, s.Width);
                target.Clear();
                target[pick] = 1;
            }
        }
    }

    private Sequential CopyDecoder()
    {
        var copy = TvaeNetworks.Decoder(Options, Transformer.Width, 0);
        foreach (var (a, b) in copy.NamedParameters().Zip(_decoder!.NamedParameters()))
            b.Parameter.Value.AsSpan().CopyTo(a.Parameter.Value.AsSpan());
        return copy;
    }

    private sealed record Header(TvaeOptions Options, int Width, bool Trained, int EpochsRun, bool StoppedEarly, double[] EpochLoss);

    public void Write(ModelBundleWriter bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        Encoding.Write(bundle);
        Transformer.Write(bundle);
        bundle.WriteJson(Entry, new Header(Options, Transformer.Width, _decoder is not null, Training.EpochsRun, Training.StoppedEarly, Training.EpochLoss),
            SynthesizerJson.Options);
        if (_decoder is null) return;
        NetworkState.Write(bundle, $"{Entry}.decoder", _decoder);
        bundle.WriteArray($"{Entry}.sigma", _sigma);
    }

    internal static TvaeModel Read(ModelBundleReader bundle)
    {
        var encoding = TableEncoding.Read(bundle);
        var transformer = ModeSpecificTransformer.Read(bundle);
        var h = bundle.ReadJson<Header>(Entry, SynthesizerJson.Options);
        ModelFileException Bad(string what) => new("model.bad-entry", $"Model entry '{Entry}': {what}.", bundle.File);
        if (h.Options is null || h.EpochLoss is null) throw Bad("options or training summary are missing");
        try { h.Options.Check(); }
        catch (ArgumentException e) { throw Bad(e.Message); }
        if (!transformer.Matches(encoding)) throw Bad("the neural data layout does not match the encoding's modelled columns");
        if (h.Width != transformer.Width) throw Bad($"the data width {h.Width} differs from the transformer's {transformer.Width}");
        var summary = new TvaeTrainingSummary(h.EpochsRun, h.EpochLoss, h.StoppedEarly);
        if (!h.Trained || transformer.Width == 0) return new TvaeModel(encoding, transformer, h.Options, null, [], summary);
        NetworkState.CheckDeclaredSize(bundle, $"{Entry}.decoder", [h.Options.EmbeddingDim, .. h.Options.DecompressDims, transformer.Width]);
        var decoder = TvaeNetworks.Decoder(h.Options, transformer.Width, 0);
        NetworkState.Read(bundle, $"{Entry}.decoder", decoder);
        var sigma = bundle.ReadFloats($"{Entry}.sigma", transformer.Width);
        if (sigma.Length != transformer.Width || sigma.Any(s => !(s is >= 0.01f and <= 1f)))
            throw Bad($"the output scales must be {transformer.Width} values in [0.01, 1]");
        return new TvaeModel(encoding, transformer, h.Options, decoder, sigma, summary);
    }
}
