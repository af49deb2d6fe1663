using TabTwin.Encoding;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.GaussianCopula;

/// <summary>
/// The Gaussian-copula synthesizer: each column gets its own best-fitting marginal distribution, and the
/// dependence between columns is a multivariate normal on the columns' normal scores. Fast to fit and sample,
/// strong on single-column shapes and pairwise correlations. Holds options only; <see cref="Fit"/> returns a new model.
/// </summary>
public sealed class GaussianCopulaSynthesizer : ISynthesizer
{
    public const string RegistryName = "gaussian-copula";

    public GaussianCopulaSynthesizer(GaussianCopulaOptions? options = null) => Options = options ?? new GaussianCopulaOptions();

    public string Name => RegistryName;
    public GaussianCopulaOptions Options { get; }

    /// <summary>
    /// Encodes the table (the copula never sees raw strings or dates), fits the marginals and the correlation.
    /// Throws <see cref="SchemaException"/> when the table does not suit the schema or is empty, and when a
    /// per-column marginal names a column that is not a modelled continuous column (<c>copula.marginal-column</c>).
    /// </summary>
    public GaussianCopulaModel Fit(Table table, TableSchema schema, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        schema.RejectUnappliedConstraints($"the {Name} synthesizer");
        ArgumentNullException.ThrowIfNull(context);
        TrainingSize.Require(this, table);
        Options.Validate();
        context.Cancel.ThrowIfCancellationRequested();

        var encoding = TableEncoding.Fit(table, schema, Options.Encoding, context.Warning);
        CheckMarginalColumns(encoding);
        context.Progress?.Report(new StepProgress("encoding", 1));
        var encoded = encoding.Encode(table);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = context.MaxThreads ?? -1, CancellationToken = context.Cancel };
        var copula = CopulaFitter.Fit(encoded, Options.ToFitSettings(), context.Seed, parallel, context.Progress);
        return new GaussianCopulaModel(encoding, Options, copula);
    }

    /// <summary>
    /// Fits on a table read in chunks, in memory bounded by the model rather than the rows (<see cref="StreamingCopulaFitter"/>):
    /// the encoding, the continuous marginals and the category order from a seeded uniform <paramref name="sample"/> of the
    /// rows (<see cref="TableReservoir"/>), the category counts, missing rates and the correlation of normal scores from two
    /// passes over every row. Constraints are not applied here (a schema declaring them is refused).
    /// </summary>
    public GaussianCopulaModel FitStreaming(ITableChunkSource source, Table sample, TableSchema schema, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        schema.RejectUnappliedConstraints($"the streaming {Name} fit");
        TrainingSize.Require(this, sample);
        Options.Validate();
        var encoding = TableEncoding.Fit(sample, schema, Options.Encoding, context.Warning);
        CheckMarginalColumns(encoding);
        context.Progress?.Report(new StepProgress("encoding", 1));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = context.MaxThreads ?? -1, CancellationToken = context.Cancel };
        var copula = StreamingCopulaFitter.Fit(source, encoding, encoding.Encode(sample), Options.ToFitSettings(), context.Seed, parallel, context.Progress);
        return new GaussianCopulaModel(encoding, Options, copula);
    }

    /// <summary>Registry factory: options from JSON (null = defaults); invalid options are <c>synthesizer.options</c> errors.</summary>
    internal static ISynthesizer Create(System.Text.Json.JsonElement? options) => new GaussianCopulaSynthesizer(GaussianCopulaOptions.FromJson(options));

    ISynthesizerModel ISynthesizer.Fit(Table table, TableSchema schema, FitContext context) => Fit(table, schema, context);

    private void CheckMarginalColumns(TableEncoding encoding)
    {
        foreach (var column in Options.MarginalByColumn.Keys.Order(StringComparer.Ordinal))
        {
            var state = encoding.Modelled.FirstOrDefault(s => s.Name == column);
            if (state is null || state.EncodedKind != EncodedKind.Continuous)
                throw new SchemaException("copula.marginal-column",
                    $"The Gaussian copula options set a marginal family for column '{column}', which is not a numerical or datetime column of this table.",
                    column: column,
                    hint: "Name only numerical or datetime columns in MarginalByColumn: " +
                          string.Join(", ", encoding.Modelled.Where(s => s.EncodedKind == EncodedKind.Continuous).Select(s => s.Name)) + ".");
        }
    }
}
