using System.Collections.Immutable;
using TabTwin.Encoding;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Bundles;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.GaussianCopula;

/// <summary>
/// A fitted Gaussian copula: per-column marginals, the correlation of normal scores and the table encoding.
/// Immutable; <see cref="Sample(int, ulong, SampleContext?)"/> is thread-safe and gives byte-identical output for a seed on any thread count.
/// </summary>
public sealed class GaussianCopulaModel : IConditionalModel
{
    private const ulong DecodeSalt = 0xDEC0DE;
    private readonly CopulaParameters _copula;

    internal GaussianCopulaModel(TableEncoding encoding, GaussianCopulaOptions options, CopulaParameters copula)
    {
        Encoding = encoding;
        Options = options;
        _copula = copula;
        Marginals = copula.Columns.Select(c => c.Summary()).ToImmutableArray();
        DimensionNames = DescribeDimensions(copula.Columns);
    }

    public string SynthesizerName => GaussianCopulaSynthesizer.RegistryName;
    public TableSchema Schema => Encoding.Schema;
    public GaussianCopulaOptions Options { get; }
    internal TableEncoding Encoding { get; }

    /// <summary>One entry per modelled column: the marginal family chosen and its KS distance, or the category count.</summary>
    public ImmutableArray<ColumnMarginal> Marginals { get; }

    /// <summary>Names of the copula dimensions: a column's name, or <c>name (missing)</c> for a column's missingness indicator.</summary>
    public ImmutableArray<string> DimensionNames { get; }

    /// <summary>The correlation of normal scores between dimensions <paramref name="i"/> and <paramref name="j"/> (see <see cref="DimensionNames"/>).</summary>
    public double Correlation(int i, int j) => _copula.Correlation[i, j];

    internal CopulaParameters Copula => _copula;

    /// <summary>Exactly <paramref name="rows"/> new rows, decoded to the schema's columns and types.</summary>
    public Table Sample(int rows, ulong seed, SampleContext? context = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        context ??= new SampleContext();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = context.MaxThreads ?? -1, CancellationToken = context.Cancel };
        var encoded = CopulaSampler.Sample(_copula, rows, seed, parallel, context.Progress);
        context.Cancel.ThrowIfCancellationRequested();
        var table = Encoding.Decode(encoded, SeededRandom.Derive(seed, DecodeSalt, 0), context.MaxThreads);
        context.Progress?.Report(new StepProgress("decoding", 1));
        return table;
    }

    /// <summary>
    /// Exactly <paramref name="rows"/> rows satisfying <paramref name="conditions"/>: the latent normal is truncated to
    /// the conditions' intervals (see <see cref="CopulaConditionalSampler"/>), so conditioned columns are exact and the
    /// others follow the copula's conditional distribution. Categories never seen and ranges outside the marginal's
    /// support are rejected at once with a <see cref="TabTwinException"/>.
    /// </summary>
    public Table Sample(int rows, ConditionSet conditions, ulong seed, SampleContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (conditions.IsEmpty) return Sample(rows, seed, context);
        context ??= new SampleContext();
        if (context.MaxThreads is < 1) throw new ArgumentOutOfRangeException(nameof(context), "MaxThreads must be at least 1 (or null for all cores).");
        var constraints = Conditioning.ConstraintResolver.Resolve(Encoding, conditions);
        var sampler = new CopulaConditionalSampler(_copula, constraints);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = context.MaxThreads ?? -1, CancellationToken = context.Cancel };
        var encoded = sampler.Sample(rows, seed, parallel);
        context.Cancel.ThrowIfCancellationRequested();
        var conditioned = constraints.OfType<Conditioning.ColumnConstraint>().Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return Encoding.Decode(encoded, SeededRandom.Derive(seed, DecodeSalt, 0), context.MaxThreads, conditioned);
    }

    public void Write(ModelBundleWriter bundle) => GaussianCopulaFormat.Write(this, bundle);

    internal static GaussianCopulaModel Read(ModelBundleReader bundle) => GaussianCopulaFormat.Read(bundle);

    private static ImmutableArray<string> DescribeDimensions(IReadOnlyList<CopulaColumn> columns)
    {
        var names = new string[columns.Sum(c => (c.ValueDimension >= 0 ? 1 : 0) + (c.MissingDimension >= 0 ? 1 : 0))];
        foreach (var c in columns)
        {
            if (c.ValueDimension >= 0) names[c.ValueDimension] = c.Name;
            if (c.MissingDimension >= 0) names[c.MissingDimension] = c.Name + " (missing)";
        }
        return names.ToImmutableArray();
    }
}
