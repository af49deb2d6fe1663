using System.Text.Json;
using TabTwin.Encoding;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.Cart;

/// <summary>
/// Sequential CART (the idea of R's synthpop, our own implementation): columns are visited in an order; the
/// first is drawn from its smoothed marginal, each next one from a decision tree grown on the columns already
/// visited, by walking the synthetic row down the tree and drawing from the leaf's stored outcome distribution.
/// Strong on shapes and on non-linear dependence between columns. Privacy by default: rare categories are never
/// emitted, leaves hold at least k rows, continuous values are jittered within their leaf and clipped to a
/// robust range (see <see cref="CartOptions"/>). The k-row leaf guarantee needs k rows to exist: a table (or a
/// column's present values) with fewer than k rows yields a single leaf holding all of them.
/// Holds options only; <see cref="Fit"/> returns a new model.
/// </summary>
public sealed class CartSynthesizer : IProtectionTunable
{
    public const string RegistryName = "cart";

    public CartSynthesizer(CartOptions? options = null) => Options = options ?? new CartOptions();

    public string Name => RegistryName;
    public CartOptions Options { get; }

    internal static ISynthesizer Create(JsonElement? options) =>
        new CartSynthesizer(SynthesizerJson.ReadOptions<CartOptions>(RegistryName, options, o => o.Check()));

    /// <inheritdoc/>
    public bool ProtectsPrivacy => Options.PrivacyOn;

    /// <inheritdoc/>
    public double ProtectionLevel => Options.ProtectionLevel;

    /// <inheritdoc/>
    public ISynthesizer WithProtectionLevel(double level) => new CartSynthesizer(Options with { ProtectionLevel = level });

    ISynthesizerModel ISynthesizer.Fit(Table table, TableSchema schema, FitContext context) => Fit(table, schema, context);

    /// <summary>
    /// Encodes the table and grows the trees. Throws <see cref="SchemaException"/> for tables the encoding rejects
    /// (empty, all-missing columns, schema mismatch) and <c>cart.visit-order</c> for a VisitOrder that does not
    /// list every modelled column exactly once.
    /// </summary>
    /// <summary>Twice the minimum leaf size with privacy on (two leaves); 2 with privacy off.</summary>
    public int MinimumRows => Options.PrivacyOn ? Math.Max(TrainingSize.DefaultMinimumRows, 2 * Options.MinLeafSize) : 2;

    public CartModel Fit(Table table, TableSchema schema, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        schema.RejectUnappliedConstraints($"the {Name} synthesizer");
        ArgumentNullException.ThrowIfNull(context);
        TrainingSize.Require(this, table);
        Options.Check();
        if (context.MaxThreads is < 1) throw new ArgumentOutOfRangeException(nameof(context), "MaxThreads must be at least 1 (or null for all cores).");
        context.Cancel.ThrowIfCancellationRequested();
        var encoding = TableEncoding.Fit(table, schema, Options.EffectiveEncoding, context.Warning);
        context.Progress?.Report(new StepProgress("encode", 1));
        var encoded = encoding.Encode(table);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = context.MaxThreads ?? -1, CancellationToken = context.Cancel };
        var (order, columns) = CartFitter.Fit(encoded, Options, parallel, context.Progress);
        return new CartModel(encoding, Options, order, columns);
    }

    /// <summary>
    /// Fits on a table read in chunks, in memory bounded by the model rather than the rows: the encoding is learned from a
    /// seeded uniform <paramref name="sample"/> of the rows (<see cref="TableReservoir"/>; the schema is usually detected on it
    /// too), the bins from sketches and the trees from histograms over passes of all <paramref name="rows"/>. The model is the
    /// in-memory fit's on the same bins. Constraints are not applied here (a schema declaring them is refused).
    /// </summary>
    public CartModel FitStreaming(ITableChunkSource source, Table sample, long rows, TableSchema schema, FitContext context, StreamingFitOptions? streaming = null) =>
        FitStreaming(source, sample, rows, schema, context, streaming, runner: null);

    /// <summary>The streaming fit with its passes run by <paramref name="runner"/> (a cluster's workers) instead of this process.</summary>
    internal CartModel FitStreaming(ITableChunkSource source, Table sample, long rows, TableSchema schema, FitContext context, StreamingFitOptions? streaming,
        Streaming.IStreamingPassRunner? runner)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        schema.RejectUnappliedConstraints($"the streaming {Name} fit");
        if (rows < MinimumRows)
            throw new SchemaException("table.too-small", $"'{source.Name}' has {rows:N0} rows; the '{Name}' synthesizer needs at least {MinimumRows}, because a model of fewer rows reproduces real records.",
                hint: "Add rows, or write a spec of the data by hand and use 'tabtwin generate' (no real rows needed).");
        Options.Check();
        var encoding = TableEncoding.Fit(sample, schema, Options.EffectiveEncoding, context.Warning);
        context.Progress?.Report(new StepProgress("encode", 1));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = context.MaxThreads ?? -1, CancellationToken = context.Cancel };
        streaming ??= new StreamingFitOptions();
        var result = runner is null
            ? Streaming.StreamingCartFitter.Fit(source, encoding, rows, Options, streaming, parallel, context.Progress)
            : Streaming.StreamingCartFitter.Fit(new Streaming.CartStreamJob(encoding, Options, rows), runner, streaming.HistogramBytes, context.Cancel, context.Progress);
        return new CartModel(encoding, Options, result.Order, result.Columns);
    }
}
