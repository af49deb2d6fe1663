using TabTwin.Encoding;
using TabTwin.Synthesizers.GaussianCopula.Marginals;
using TabTwin.Bundles;
using TabTwin.Distributions;

namespace TabTwin.Synthesizers.GaussianCopula;

/// <summary>
/// This model's part of a model file: one JSON document (options, per-column marginals) plus binary arrays
/// (the correlation matrix and each empirical marginal's knots), and the table encoding. Reading checks every
/// number it relies on, so a damaged or hand-edited file fails with <see cref="ModelFileException"/>, never later.
/// The Cholesky factor is recomputed on load (it is a deterministic function of the correlation).
/// </summary>
internal static class GaussianCopulaFormat
{
    private const int DocumentVersion = 1;
    private const string Prefix = "gaussian-copula";
    private const string ParametersEntry = Prefix + ".parameters";
    private const string CorrelationEntry = Prefix + ".correlation";
    private static string KnotProbabilities(int column) => $"{Prefix}.knots.{column}.probabilities";
    private static string KnotValues(int column) => $"{Prefix}.knots.{column}.values";

    private sealed record CopulaDocument(int Version, GaussianCopulaOptions Options, int Dimension, ColumnDocument[] Columns);

    private sealed record ColumnDocument(string Name, bool Discrete, int Cardinality, double MissingFraction,
        int ValueDimension, int MissingDimension, ContinuousDocument? Continuous, CategoricalDocument? Categories, CategoricalDocument? MissingFlag);

    private sealed record ContinuousDocument(MarginalFamily Family, double[] Parameters, bool IntegerValued, double KsStatistic);

    private sealed record CategoricalDocument(int[] Order, double[] UpperBounds, int CodeCount);

    public static void Write(GaussianCopulaModel model, ModelBundleWriter bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var copula = model.Copula;
        var columns = new ColumnDocument[copula.Columns.Count];
        for (int c = 0; c < columns.Length; c++)
        {
            var col = copula.Columns[c];
            ContinuousDocument? continuous = null;
            if (col.Continuous is { } m)
            {
                continuous = new(m.Family, m.Distribution.Parameters, m.IsIntegerValued, m.KsStatistic);
                if (m.Distribution is EmpiricalDistribution e)
                {
                    bundle.WriteArray(KnotProbabilities(c), e.Probabilities);
                    bundle.WriteArray(KnotValues(c), e.Values);
                }
            }
            columns[c] = new(col.Name, col.Kind == EncodedKind.Discrete, col.Cardinality, col.MissingFraction,
                col.ValueDimension, col.MissingDimension, continuous, Document(col.Discrete), Document(col.MissingFlag));
        }
        bundle.WriteJson(ParametersEntry, new CopulaDocument(DocumentVersion, model.Options, copula.Correlation.Dimension, columns), SynthesizerJson.Options);
        bundle.WriteArray(CorrelationEntry, copula.Correlation.Values);
        model.Encoding.Write(bundle);
    }

    private static CategoricalDocument? Document(CategoricalMarginal? m) => m is null ? null : new(m.Order, m.UpperBounds, m.CodeCount);

    public static GaussianCopulaModel Read(ModelBundleReader bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ModelFileException Bad(string what) => new("model.bad-entry", $"Model entry '{ParametersEntry}': {what}.", bundle.File);

        var doc = bundle.ReadJson<CopulaDocument>(ParametersEntry, SynthesizerJson.Options);
        if (doc.Version > DocumentVersion) throw Bad($"version {doc.Version} is newer than this TabTwin reads ({DocumentVersion})");
        if (doc.Options is null || doc.Columns is null || doc.Columns.Any(c => c is null)) throw Bad("options or columns are missing");
        try { doc.Options.Validate(); }
        catch (ArgumentException e) { throw Bad(e.Message); }
        var encoding = TableEncoding.Read(bundle);
        if (encoding.Modelled.Length != doc.Columns.Length) throw Bad($"{doc.Columns.Length} columns for an encoding that models {encoding.Modelled.Length}");

        int d = doc.Dimension;
        if (d < 0 || d > 100_000) throw Bad($"dimension {d} is out of range");
        var seen = new bool[d];
        var columns = new CopulaColumn[doc.Columns.Length];
        for (int c = 0; c < columns.Length; c++)
        {
            var cd = doc.Columns[c];
            var state = encoding.Modelled[c];
            bool discrete = state.EncodedKind == EncodedKind.Discrete;
            if (cd.Name != state.Name || cd.Discrete != discrete || cd.Cardinality != state.Cardinality)
                throw Bad($"column {c} ('{cd.Name}') does not match the encoding's column '{state.Name}'");
            if (!(cd.MissingFraction is >= 0 and <= 1)) throw Bad($"column '{cd.Name}' has missing fraction {cd.MissingFraction}");
            Claim(cd.ValueDimension, cd.Name); Claim(cd.MissingDimension, cd.Name);
            var column = new CopulaColumn
            {
                Name = cd.Name, Kind = state.EncodedKind, Cardinality = cd.Cardinality, MissingFraction = cd.MissingFraction,
                ValueDimension = cd.ValueDimension, MissingDimension = cd.MissingDimension,
                Discrete = discrete ? Categorical(cd.Categories, cd.Cardinality + 1, cd.Name) : null,
                Continuous = !discrete && cd.Continuous is { } cont ? Continuous(cont, c, cd.Name) : null,
                MissingFlag = !discrete && cd.MissingDimension >= 0 ? Categorical(cd.MissingFlag, 2, cd.Name) : null,
            };
            bool hasValue = column.Discrete is not null || column.Continuous is not null;
            if (hasValue != cd.ValueDimension >= 0 || (discrete && cd.MissingDimension >= 0) || (column.MissingFlag is not null && !hasValue))
                throw Bad($"column '{cd.Name}' has inconsistent dimensions");
            columns[c] = column;
        }
        if (seen.Any(s => !s)) throw Bad("some copula dimensions belong to no column");

        var values = bundle.ReadDoubles(CorrelationEntry, (long)d * d);
        if (values.Length != d * d) throw Bad($"the correlation matrix has {values.Length} values, expected {d * d}");
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double v = values[i * d + j];
                if (!double.IsFinite(v) || Math.Abs(v) > 1 || (i == j && Math.Abs(v - 1) > 1e-9) || v != values[j * d + i])
                    throw Bad($"the correlation matrix is not a valid correlation matrix at ({i}, {j})");
            }
        CorrelationMatrix correlation;
        try { correlation = CorrelationMatrix.FromValues(d, values); }
        catch (ArgumentException e) { throw Bad("the correlation matrix is not positive definite: " + e.Message); }
        return new GaussianCopulaModel(encoding, doc.Options, new CopulaParameters(columns, correlation));

        void Claim(int dimension, string name)
        {
            if (dimension < 0) return;
            if (dimension >= d || seen[dimension]) throw Bad($"column '{name}' claims dimension {dimension}, which is out of range or taken");
            seen[dimension] = true;
        }

        CategoricalMarginal Categorical(CategoricalDocument? m, int codeCount, string name)
        {
            if (m?.Order is null || m.UpperBounds is null || m.Order.Length == 0 || m.Order.Length != m.UpperBounds.Length || m.CodeCount != codeCount)
                throw Bad($"column '{name}' has a malformed category layout");
            if (m.Order.Any(code => code < 0 || code >= codeCount) || m.Order.Distinct().Count() != m.Order.Length)
                throw Bad($"column '{name}' orders codes outside 0..{codeCount - 1} or repeats one");
            for (int i = 0; i < m.UpperBounds.Length; i++)
                if (!(m.UpperBounds[i] >= (i == 0 ? 0 : m.UpperBounds[i - 1]) && m.UpperBounds[i] <= 1))
                    throw Bad($"column '{name}' has category bounds that are not increasing within [0, 1]");
            return new CategoricalMarginal((int[])m.Order.Clone(), (double[])m.UpperBounds.Clone(), codeCount);
        }

        ContinuousMarginal Continuous(ContinuousDocument m, int index, string name)
        {
            if (m.Parameters is null || m.Parameters.Any(p => !double.IsFinite(p)) || !double.IsFinite(m.KsStatistic))
                throw Bad($"column '{name}' has non-finite marginal parameters");
            IDistribution? distribution;
            try { distribution = DistributionFactory.FromParameters(m.Family, m.Parameters, () => bundle.ReadDoubles(KnotProbabilities(index)), () => bundle.ReadDoubles(KnotValues(index))); }
            catch (ArgumentException e) { throw Bad($"column '{name}': {e.Message}"); }
            return new ContinuousMarginal(distribution, m.IntegerValued, m.KsStatistic);
        }
    }
}
