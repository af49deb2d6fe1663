using TabTwin.Bundles;
using TabTwin.Neural;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Private;

/// <summary>
/// A DP-SGD-trained TVAE decoder over a coded table: latent N(0, I) → one softmax per column. Everything here is
/// post-processing of the private training, so sampling any number of rows costs no budget. Immutable: each
/// <see cref="Sample"/> works on its own copy of the decoder, so calls may run concurrently. Sampling runs in blocks of
/// <see cref="BlockRows"/> rows, block b drawing from its own stream of (seed, b), and the matrix products are
/// bit-identical for any thread count, so the codes depend only on the seed.
/// </summary>
internal sealed class DpTvaeNetwork
{
    internal const int BlockRows = 4096;

    private readonly int[] _sizes;
    private readonly Sequential _decoder;

    internal DpTvaeNetwork(int[] sizes, DpTvaeOptions options, Sequential decoder, DpTvaeTraining training)
    {
        _sizes = [.. sizes];
        Options = options;
        Training = training;
        _decoder = Copy(decoder);
    }

    public DpTvaeOptions Options { get; }
    public DpTvaeTraining Training { get; }
    /// <summary>Domain size of each column (a copy).</summary>
    public int[] Sizes => [.. _sizes];

    private Sequential NewDecoder() => new DpTvaeMlp(DpTvaeTrainer.DecoderSizes(Options, _sizes.Sum()), oneHotInput: false, 0).AsSequential();

    private Sequential Copy(Sequential source)
    {
        var copy = NewDecoder();
        foreach (var (a, b) in copy.NamedParameters().Zip(source.NamedParameters()))
            b.Parameter.Value.AsSpan().CopyTo(a.Parameter.Value.AsSpan());
        return copy;
    }

    /// <summary>
    /// <paramref name="rows"/> rows of codes, column-major (<c>result[j][i]</c> is row i's code in column j): latent
    /// points through the decoder, then each column's code drawn from its softmax (sampling p(x | z)).
    /// </summary>
    public int[][] Sample(int rows, ulong seed, int? maxThreads = null, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (maxThreads is < 1) throw new ArgumentOutOfRangeException(nameof(maxThreads), "MaxThreads must be at least 1 (or null for all cores).");
        var codes = _sizes.Select(_ => new int[rows]).ToArray();
        if (rows == 0) return codes;
        var decoder = Copy(_decoder);
        using var runner = new ParallelRunner(ParallelRunner.ThreadsFor(maxThreads ?? Options.MaxThreads));
        decoder.UseRunner(runner);
        var noise = new NormalNoise();
        var latent = new Matrix(BlockRows, Options.EmbeddingDim);
        var cumulative = new double[_sizes.Max()];
        int blocks = (rows + BlockRows - 1) / BlockRows;
        for (int b = 0; b < blocks; b++)
        {
            cancel.ThrowIfCancellationRequested();
            int start = b * BlockRows, count = Math.Min(rows, start + BlockRows) - start;
            var random = SeededRandom.For(seed, (ulong)b);
            latent.Reshape(count, Options.EmbeddingDim);
            noise.Fill(latent.AsSpan(), random);
            var logits = decoder.Forward(latent, training: false);
            for (int i = 0; i < count; i++)
            {
                var row = logits.Row(i);
                int offset = 0;
                for (int j = 0; j < _sizes.Length; j++)
                {
                    var x = row.Slice(offset, _sizes[j]);
                    float max = System.Numerics.Tensors.TensorPrimitives.Max(x);
                    double total = 0;
                    for (int k = 0; k < x.Length; k++) cumulative[k] = total += Math.Exp(x[k] - max);
                    codes[j][start + i] = random.NextWeighted(cumulative.AsSpan(0, x.Length));
                    offset += _sizes[j];
                }
            }
        }
        return codes;
    }

    private sealed record Header(DpTvaeOptions Options, int[] Sizes, DpTvaeTraining Training);

    /// <summary>Stores the options, domain sizes, the public training summary and the decoder under <paramref name="prefix"/>.</summary>
    public void Write(ModelBundleWriter bundle, string prefix)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        bundle.WriteJson(prefix, new Header(Options, _sizes, Training));
        NetworkState.Write(bundle, $"{prefix}.decoder", _decoder);
    }

    /// <summary>
    /// Reads a network written under <paramref name="prefix"/> for a table whose columns have domain sizes
    /// <paramref name="sizes"/> (known to the caller from its own, already validated, domain). A damaged or mismatched
    /// entry throws <see cref="ModelFileException"/>.
    /// </summary>
    public static DpTvaeNetwork Read(ModelBundleReader bundle, string prefix, int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(sizes);
        ModelFileException Bad(string what) => new("model.bad-entry", $"Model entry '{prefix}': {what}.", bundle.File,
            "Use an undamaged copy of the model file, or fit the model again.");
        var h = bundle.ReadJson<Header>(prefix);
        if (h.Options is null || h.Sizes is null || h.Training is null) throw Bad("options, sizes or training summary are missing");
        try { h.Options.Check(); }
        catch (ArgumentException e) { throw Bad(e.Message); }
        if (!h.Sizes.SequenceEqual(sizes)) throw Bad($"the network's {h.Sizes.Length} column sizes differ from the table's domain");
        if (sizes.Length == 0 || sizes.Any(s => s < 1)) throw Bad("the domain must have at least one column and every size must be at least 1");
        var t = h.Training;
        if (t.Steps < 1 || !(t.SamplingRate is > 0 and <= 1) || !(t.NoiseMultiplier > 0) || t.RowCountUsed < 1)
            throw Bad("the training summary is out of range");
        long width = sizes.Sum(s => (long)s);
        if (width > int.MaxValue) throw Bad("the one-hot width is too large");
        NetworkState.CheckDeclaredSize(bundle, $"{prefix}.decoder", DpTvaeTrainer.DecoderSizes(h.Options, (int)width));
        var network = new DpTvaeNetwork(sizes, h.Options, new DpTvaeMlp(DpTvaeTrainer.DecoderSizes(h.Options, (int)width), false, 0).AsSequential(), t);
        NetworkState.Read(bundle, $"{prefix}.decoder", network._decoder);
        return network;
    }
}
