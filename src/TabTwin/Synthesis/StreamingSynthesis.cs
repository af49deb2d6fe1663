using System.Text.Json;
using TabTwin.Registry;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Synthesizers.GaussianCopula;
using TabTwin.Tables;

namespace TabTwin.Synthesis;

/// <summary>What a streaming fit did: the model, the rows it read, the sample the schema came from, and a line saying how.</summary>
public sealed record StreamingFitResult(ISynthesizerModel Model, long Rows, int SampleRows, bool Streamed, string Description)
{
    /// <summary>The privacy self-check run on the sample (null when none ran: switched off, or nothing to tune or measure).</summary>
    public PrivacyCheckResult? PrivacyCheck { get; init; }
}

/// <summary>
/// The policy of fitting a table too large for memory (<c>tabtwin fit/run --stream</c>): one pass draws a seeded uniform
/// sample (<see cref="StreamingFitOptions.ReservoirRows"/>) on which the schema is resolved and the encoding learned; then
/// CART — the default synthesizer — learns its bins and trees from passes over every row, in memory bounded by the model.
/// The Gaussian copula streams too: counts, missing rates and correlations from every row, its continuous marginals from
/// the sample. A synthesizer that needs the rows in memory (the neural ones, the DP ones) is fitted on that sample instead,
/// and the description says so with the numbers. Constraints the schema declares are enforced by resampling; structures
/// the in-memory fit would detect and learn around are not looked for. The fit's privacy self-check
/// (<see cref="PrivacyCheck"/>) runs on the sample and sets the protection level of the fit over every row.
/// </summary>
public static class StreamingSynthesis
{
    public static StreamingFitResult Fit(ITableChunkSource source, string synthesizer, JsonElement? options, Func<Table, TableSchema> schemaOf,
        FitContext context, StreamingFitOptions? streaming = null, PrivacyCheckOptions? privacyCheck = null) =>
        Fit(source, synthesizer, options, schemaOf, context, streaming, dispatch: null, privacyCheck);

    /// <summary>
    /// The same fit with CART's passes run by <paramref name="dispatch"/> on a cluster's workers (<see cref="DistributedCartFit"/>);
    /// the sample is drawn here. Only CART learns by passes: another synthesizer is refused rather than quietly fitted here.
    /// </summary>
    internal static StreamingFitResult Fit(ITableChunkSource source, string synthesizer, JsonElement? options, Func<Table, TableSchema> schemaOf,
        FitContext context, StreamingFitOptions? streaming, StreamingPassDispatch? dispatch, PrivacyCheckOptions? privacyCheck = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(schemaOf);
        ArgumentNullException.ThrowIfNull(context);
        streaming ??= new StreamingFitOptions();
        if (streaming.ReservoirRows < 100)
            throw new ArgumentOutOfRangeException(nameof(streaming), $"ReservoirRows must be at least 100 (got {streaming.ReservoirRows}).");
        if (streaming.Spill && streaming.SpillFolder is { } spillFolder) CheckSpillFolder(spillFolder);
        var fitter = SynthesizerRegistry.Get(synthesizer).Create(options);
        if (dispatch is not null && fitter is not CartSynthesizer)
            throw new TabTwinException("cluster.not-streamable", $"The '{fitter.Name}' synthesizer learns from rows held in memory; only '{CartSynthesizer.RegistryName}' fits on a cluster.",
                hint: $"Use --synthesizer {CartSynthesizer.RegistryName}, or fit '{fitter.Name}' without --cluster (with --stream it learns from a sample).");
        var (sample, rows) = TableReservoir.Read(source, streaming.ReservoirRows, context.Seed, context.Cancel);
        context.Progress?.Report(new StepProgress("sample", 1));
        var schema = schemaOf(sample);
        if (schema.Sequence is not null)
            throw new TabTwinException("stream.sequences", $"'{source.Name}' holds histories (the metadata declares a sequence); a streaming fit learns rows, not histories.",
                hint: "Fit without --stream (on a subset of the entities if the table is too large).");
        var rules = SchemaConstraints.Of(schema);
        var bare = SchemaConstraints.Without(schema);
        if (fitter is not CartSynthesizer) TrainingSize.Require(fitter, sample);
        // The protection level is decided on the sample, then the fit over every row uses it. This is the decision the
        // in-memory fit makes too: its check never looks at more than PrivacyCheckOptions.MaxRows (10,000) real rows, a
        // seeded subsample of a larger table, and the level it picks is applied to all n rows. A uniform reservoir's
        // subsample is distributed as that one is, so the streamed level is the one an in-memory fit would find (up to
        // the noise of which rows were drawn), never one tuned on a biased slice. Carrying the level from ~10k rows to n
        // errs on the safe side: the level multiplies the minimum leaf, which each fit computes from its own row count
        // (2·√n rows, times the level: options.MinLeafFor(n) in the streaming fitter, with the full n), so the full
        // model's leaves average √(n/10k) times more records than the models the check measured, and we expect its DCR
        // share at that level to be no higher than theirs. What a sample cannot see is a leak that shows only at full
        // size; the rare-value pooling learned on the sample is conservative there (a value rare in it is rarer in n).
        // The check's models enforce no constraints, as the streamed model learns none (it only rejects rows afterwards).
        var check = PrivacyCheck.Run(fitter, sample, bare, context, ConstraintSet.Empty, privacyCheck);
        fitter = PrivacyCheck.AtChosenLevel(fitter, check);
        ISynthesizerModel model;
        string description;
        bool streamed = fitter is CartSynthesizer or GaussianCopulaSynthesizer;
        if (fitter is CartSynthesizer cart)
        {
            var runner = dispatch is null ? null : DistributedCartFit.Runner(source, streaming, dispatch, context.Cancel);
            model = cart.FitStreaming(source, sample, rows, bare, context, streaming, runner);
            description = $"streamed {rows:N0} rows of '{source.Name}'{(dispatch is null ? "" : " on the cluster")} (bins and trees from every row; schema and encoding from a uniform sample of {sample.RowCount:N0})";
        }
        else if (fitter is GaussianCopulaSynthesizer copula)
        {
            model = copula.FitStreaming(source, sample, bare, context);
            description = $"streamed {rows:N0} rows of '{source.Name}' (category counts, missing rates and correlations from every row; " +
                          $"schema, encoding, continuous marginals and category order from a uniform sample of {sample.RowCount:N0})";
        }
        else
        {
            model = fitter.Fit(sample, bare, context);
            description = sample.RowCount < rows
                ? $"'{fitter.Name}' learns from rows held in memory: fitted on a uniform sample of {sample.RowCount:N0} of the {rows:N0} rows of '{source.Name}' (cart and gaussian-copula stream them all)"
                : $"'{fitter.Name}' fitted on all {rows:N0} rows of '{source.Name}'";
        }
        if (!rules.IsEmpty)
        {
            model = ConstrainedModel.Enforce(model, rules);
            description += $"; {rules.Count} declared constraint(s) enforced by resampling";
        }
        return new StreamingFitResult(model, rows, sample.RowCount, streamed, description) { PrivacyCheck = check };
    }

    /// <summary>
    /// Fails early, before any pass, when <paramref name="folder"/> cannot hold the binned spill: a file of that name, or a
    /// folder that cannot be created or written. Otherwise the fit would fail only after the reservoir pass, minutes in.
    /// The folder is created when missing; a probe file is written and deleted.
    /// </summary>
    /// <exception cref="DataSourceException"><c>io.unwritable</c>.</exception>
    public static void CheckSpillFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        const string hint = "Give a writable folder with free space (about 10 bytes per number and 2 per other cell of the table), or leave it out to use the system's temporary folder.";
        if (File.Exists(folder))
            throw new DataSourceException("io.unwritable", $"Cannot spill into '{folder}': it is a file, not a folder.", file: folder, hint: hint);
        try
        {
            Directory.CreateDirectory(folder);
            using var probe = new FileStream(Path.Combine(folder, $"tabtwin-probe-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.Write,
                FileShare.None, 1, FileOptions.DeleteOnClose);
            probe.WriteByte(0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSourceException("io.unwritable", $"Cannot spill into '{folder}': {e.Message}", file: folder, inner: e, hint: hint);
        }
    }
}
