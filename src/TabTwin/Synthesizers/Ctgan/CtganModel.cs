using TabTwin.Encoding;
using TabTwin.Neural;
using TabTwin.Schema;
using TabTwin.Synthesizers.NeuralData;
using TabTwin.Tables;
using TabTwin.Bundles;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Ctgan;

/// <summary>
/// A fitted CTGAN: the table encoding, the mode-specific transformer, the category counts of the conditional
/// vector and the generator's weights (the critic is only needed for training and is not kept). Immutable.
/// <see cref="Sample"/> generates blocks of <see cref="CtganOptions.BatchSize"/> rows with the generator in
/// evaluation mode (batch normalisation with its running statistics), block b from a stream derived from
/// (seed, b) on a private copy of the generator, so output is byte-identical for any thread count.
/// Each row's condition is a uniformly chosen discrete column and one of its categories at its real frequency.
/// </summary>
public sealed class CtganModel : ISynthesizerModel
{
    private const string Entry = "ctgan";
    private const string DataEntry = "ctgan.data";
    private const string GeneratorEntry = "ctgan.generator";
    private readonly (string Path, float[] Values)[] _weights;

    internal CtganModel(TableEncoding encoding, ModeSpecificTransformer transformer, CtganOptions options, long[][] counts,
        float[][] weights, IReadOnlyList<CtganEpoch> history)
    {
        Encoding = encoding; Transformer = transformer; Options = options; History = history.ToArray();
        Conditions = new ConditionalSampler(transformer.Spans, counts);
        var template = BuildGenerator(options, transformer.Width, Conditions.Width, new SeededRandom(0));
        var paths = template.NamedParameters().ToArray();
        if (paths.Length != weights.Length) throw new ArgumentException($"{weights.Length} weight arrays for a generator with {paths.Length}.");
        _weights = new (string, float[])[paths.Length];
        for (int k = 0; k < paths.Length; k++)
        {
            if (weights[k].Length != paths[k].Parameter.Length) throw new ArgumentException($"Generator tensor '{paths[k].Path}' needs {paths[k].Parameter.Length} values, got {weights[k].Length}.");
            _weights[k] = (paths[k].Path, weights[k]);
        }
    }

    public string SynthesizerName => CtganSynthesizer.RegistryName;
    public TableSchema Schema => Encoding.Schema;
    internal TableEncoding Encoding { get; }
    internal ModeSpecificTransformer Transformer { get; }
    public CtganOptions Options { get; }

    /// <summary>Mean losses per training epoch (shorter than Options.Epochs when early stopping ended training).</summary>
    public IReadOnlyList<CtganEpoch> History { get; }

    /// <summary>The conditional vector's layout and category frequencies.</summary>
    internal ConditionalSampler Conditions { get; }

    internal static Sequential BuildGenerator(CtganOptions options, int dataWidth, int condWidth, SeededRandom random) =>
        CtganNetworks.Generator(options.EmbeddingDim + condWidth, options.GeneratorDim, dataWidth, random, condWidth);

    public Table Sample(int rows, ulong seed, SampleContext? context = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        context ??= new SampleContext();
        if (context.MaxThreads is < 1) throw new ArgumentOutOfRangeException(nameof(context), "MaxThreads must be at least 1 (or null for all cores).");
        var layouts = Transformer.Columns;
        int m = layouts.Count, batch = Options.BatchSize;
        var values = new double[]?[m];
        var codes = new int[]?[m];
        var missing = new bool[m][];
        for (int j = 0; j < m; j++)
        {
            if (layouts[j].Kind == EncodedKind.Discrete) codes[j] = new int[rows]; else values[j] = new double[rows];
            missing[j] = new bool[rows];
        }
        int blocks = (rows + batch - 1) / batch, done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = context.MaxThreads ?? -1, CancellationToken = context.Cancel };
        Parallel.For(0, blocks, parallel, () => new BlockGenerator(this), (b, _, worker) =>
        {
            var output = worker.Generate(SeededRandom.For(seed, (ulong)b));
            int start = b * batch, count = Math.Min(rows, start + batch) - start;
            for (int j = 0; j < m; j++) Transformer.InverseColumnRows(j, output.AsSpan(), count, start, values[j], codes[j], missing[j]);
            context.Progress?.Report(new StepProgress("sample", Interlocked.Increment(ref done) / (double)blocks));
            return worker;
        }, _ => { });
        var encoded = new EncodedColumn[m];
        for (int j = 0; j < m; j++)
        {
            var mask = Bitmask.FromBools(missing[j]);
            encoded[j] = layouts[j].Kind == EncodedKind.Discrete
                ? EncodedColumn.Discrete(layouts[j].Name, codes[j]!, layouts[j].Cardinality, mask)
                : EncodedColumn.Continuous(layouts[j].Name, values[j]!, mask);
        }
        return Encoding.Decode(new EncodedTable(encoded, rows), SeededRandom.Derive(seed, ulong.MaxValue), context.MaxThreads);
    }

    /// <summary>A private generator copy with its buffers, for one sampling thread.</summary>
    private sealed class BlockGenerator
    {
        private readonly CtganModel _model;
        private readonly Sequential _generator;
        private readonly GeneratorHead _head;
        private readonly NormalNoise _noise = new();
        private readonly Matrix _input, _output;
        private readonly float[] _z;

        public BlockGenerator(CtganModel model)
        {
            _model = model;
            var o = model.Options;
            _generator = BuildGenerator(o, model.Transformer.Width, model.Conditions.Width, new SeededRandom(0));
            var tensors = _generator.NamedParameters().ToArray();
            for (int k = 0; k < tensors.Length; k++) model._weights[k].Values.CopyTo(tensors[k].Parameter.Value.AsSpan());
            _head = new GeneratorHead(model.Transformer.Spans, (float)o.GumbelTau);
            _input = new Matrix(o.BatchSize, o.EmbeddingDim + model.Conditions.Width);
            _output = new Matrix(o.BatchSize, model.Transformer.Width);
            _z = new float[o.BatchSize * o.EmbeddingDim];
        }

        public Matrix Generate(SeededRandom random)
        {
            int e = _model.Options.EmbeddingDim;
            var conditions = _model.Conditions;
            _noise.Fill(_z, random);
            for (int i = 0; i < _input.Rows; i++)
            {
                var row = _input.Row(i);
                _z.AsSpan(i * e, e).CopyTo(row);
                if (conditions.Width == 0) continue;
                row[e..].Clear();
                var (column, category) = conditions.SampleOriginal(random);
                row[e + conditions.Offset(column) + category] = 1;
            }
            // Running statistics (evaluation mode): a row's output depends only on its own noise and condition, not on
            // the rest of its block (whose conditions follow the real frequencies, not training's log-frequencies).
            var raw = _generator.Forward(_input, training: false);
            _head.Sample(raw, _output, random);
            return _output;
        }
    }

    private sealed record Parameters(CtganOptions Options, long[][] CategoryCounts, CtganEpoch[] History);

    public void Write(ModelBundleWriter bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        Encoding.Write(bundle);
        Transformer.Write(bundle, DataEntry);
        bundle.WriteJson(Entry, new Parameters(Options, Conditions.Counts.ToArray(), History.ToArray()), SynthesizerJson.Options);
        foreach (var (path, values) in _weights) bundle.WriteArray($"{GeneratorEntry}.{path}", values);
    }

    internal static CtganModel Read(ModelBundleReader bundle)
    {
        var encoding = TableEncoding.Read(bundle);
        var transformer = ModeSpecificTransformer.Read(bundle, DataEntry);
        var p = bundle.ReadJson<Parameters>(Entry, SynthesizerJson.Options);
        ModelFileException Bad(string what) => new("model.bad-entry", $"Model entry '{Entry}': {what}.", bundle.File);
        if (!transformer.Matches(encoding)) throw Bad("the transformer's columns do not match the encoding's modelled columns");
        if (p.Options is null || p.CategoryCounts is null || p.CategoryCounts.Any(c => c is null)) throw Bad("options or category counts are missing");
        try
        {
            p.Options.Check();
            int condWidth = transformer.Spans.Where(s => s.Role == SpanRole.Category).Sum(s => s.Width);
            NetworkState.CheckDeclaredSize(bundle, GeneratorEntry, [p.Options.EmbeddingDim + condWidth, .. p.Options.GeneratorDim, transformer.Width]);
            var generator = BuildGenerator(p.Options, transformer.Width, condWidth, new SeededRandom(0));
            NetworkState.Read(bundle, GeneratorEntry, generator);
            var weights = generator.NamedParameters().Select(t => t.Parameter.Value.AsSpan().ToArray()).ToArray();
            return new CtganModel(encoding, transformer, p.Options, p.CategoryCounts, weights, p.History ?? []);
        }
        catch (ArgumentException e) { throw Bad(e.Message); }
    }
}
