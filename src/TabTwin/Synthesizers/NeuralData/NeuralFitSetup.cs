using TabTwin.Encoding;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.NeuralData;

/// <summary>
/// What TVAE and CTGAN both do before training: check the fit arguments, encode the table and fit the mode-specific
/// transformer. <see cref="Threads"/> is the options' thread limit, else the context's (null = all cores).
/// </summary>
internal sealed record NeuralFitSetup(TableEncoding Encoding, EncodedTable Encoded, ModeSpecificTransformer Transformer, int? Threads)
{
    public static NeuralFitSetup Prepare(Table table, TableSchema schema, FitContext context, EncodingOptions encodingOptions,
        ModeSpecificOptions modeOptions, int? optionThreads, ulong mixtureSeed)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (context.MaxThreads is < 1) throw new ArgumentOutOfRangeException(nameof(context), "MaxThreads must be at least 1 (or null for all cores).");
        context.Cancel.ThrowIfCancellationRequested();
        int? threads = optionThreads ?? context.MaxThreads;
        var encoding = TableEncoding.Fit(table, schema, encodingOptions, context.Warning);
        var encoded = encoding.Encode(table);
        var transformer = ModeSpecificTransformer.Fit(encoded, mixtureSeed, modeOptions, threads);
        return new NeuralFitSetup(encoding, encoded, transformer, threads);
    }
}
