using TabTwin.Encoding;
using TabTwin.Models;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.NeuralData;

/// <summary>
/// How one encoded column is laid out in the transformed matrix. Continuous columns carry their
/// <see cref="PointMasses"/> (single values holding a large share of the rows, such as a capital gain of 0)
/// and the fitted mixture <see cref="Modes"/> of their other values; discrete columns their
/// <see cref="Cardinality"/>. <see cref="HasMissingSlot"/>: the column had missing values when fitted, so its
/// one-hot group has one extra, last slot meaning "missing". A continuous column's one-hot group is
/// [point masses, modes, missing].
/// </summary>
public sealed record TransformedColumn(string Name, EncodedKind Kind, int Cardinality, bool HasMissingSlot, MixtureMode[]? Modes,
    double[]? PointMasses = null)
{
    /// <summary>Width of the column's one-hot group (point masses and modes, or codes; plus the missing slot).</summary>
    public int OneHotWidth => (Kind == EncodedKind.Continuous ? PointMassCount + (Modes?.Length ?? 0) : Cardinality) + (HasMissingSlot ? 1 : 0);

    internal int PointMassCount => PointMasses?.Length ?? 0;
}

/// <summary>
/// CTGAN's mode-specific normalisation between an <see cref="EncodedTable"/> and the float32 row-major matrix
/// the neural synthesizers train on. A continuous column becomes [α, one-hot of mode k]: k is drawn from the
/// posterior over the column's <see cref="VariationalGaussianMixture"/> modes (seeded), α = (x − μ_k)/(4σ_k)
/// clipped to [−0.99, 0.99]. Beyond the paper: a value holding at least <see cref="ModeSpecificOptions.PointMassShare"/>
/// of a column's rows (0 capital gain, a 40-hour week) gets its own slot before the modes and comes back exactly
/// (α = 0), where a mode of width 4σ would smear it. A discrete column becomes the one-hot of its code. Missing values (of either kind)
/// get one extra, last one-hot slot, so the networks learn missingness jointly with everything else (α is 0 for
/// a missing continuous value). <see cref="Inverse"/> reads the argmax of each one-hot group and α·4σ_k + μ_k.
/// Immutable once fitted; serialised as one JSON bundle entry.
/// </summary>
public sealed class ModeSpecificTransformer
{
    /// <summary>α is clipped to ±this when transforming (as CTGAN), so tanh heads never need infinite logits.</summary>
    public const float AlphaLimit = 0.99f;
    /// <summary>α spans a mode's ±4 standard deviations.</summary>
    public const double ModeScale = 4;
    private const int DocumentVersion = 1;

    private readonly VariationalGaussianMixture?[] _mixtures;
    private readonly int[] _starts;

    public ModeSpecificTransformer(IReadOnlyList<TransformedColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns.ToArray();
        _mixtures = new VariationalGaussianMixture?[Columns.Count];
        _starts = new int[Columns.Count];
        var spans = new List<OutputSpan>();
        int width = 0;
        for (int j = 0; j < Columns.Count; j++)
        {
            var c = Columns[j] ?? throw new ArgumentException($"Column layout {j} is null.");
            _starts[j] = width;
            if (c.Kind == EncodedKind.Continuous)
            {
                if ((c.Modes?.Length ?? 0) + c.PointMassCount == 0) throw new ArgumentException($"Continuous column '{c.Name}' has no mixture modes.");
                if (c.PointMasses is { } pm && (pm.Any(v => !double.IsFinite(v)) || pm.Zip(pm.Skip(1)).Any(p => !(p.First < p.Second))))
                    throw new ArgumentException($"Continuous column '{c.Name}' has point masses that are not finite and ascending.");
                if (c.Modes is { Length: > 0 }) _mixtures[j] = new VariationalGaussianMixture(c.Modes);
                spans.Add(new OutputSpan(width, 1, SpanActivation.Tanh, j, SpanRole.Alpha));
                spans.Add(new OutputSpan(width + 1, c.OneHotWidth, SpanActivation.Softmax, j, SpanRole.Mode));
                width += 1 + c.OneHotWidth;
            }
            else
            {
                if (c.Cardinality < 1) throw new ArgumentException($"Discrete column '{c.Name}' has cardinality {c.Cardinality}.");
                spans.Add(new OutputSpan(width, c.OneHotWidth, SpanActivation.Softmax, j, SpanRole.Category));
                width += c.OneHotWidth;
            }
        }
        Spans = spans;
        Width = width;
    }

    /// <summary>One layout per encoded column, in the encoded table's order.</summary>
    public IReadOnlyList<TransformedColumn> Columns { get; }

    /// <summary>The spans of a transformed row, left to right (per continuous column: α then mode; per discrete column: one category span).</summary>
    public IReadOnlyList<OutputSpan> Spans { get; }

    /// <summary>Floats per transformed row.</summary>
    public int Width { get; }

    /// <summary>The fitted mixture of continuous column <paramref name="column"/> (null for discrete columns).</summary>
    public VariationalGaussianMixture? Mixture(int column) => _mixtures[column];

    /// <summary>
    /// Fits one variational mixture per continuous column (in parallel over columns on up to
    /// <paramref name="maxThreads"/> threads, null = all cores; each column has its own stream derived from
    /// <paramref name="seed"/>, so the result does not depend on the thread count).
    /// </summary>
    public static ModeSpecificTransformer Fit(EncodedTable table, ulong seed, ModeSpecificOptions? options = null, int? maxThreads = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= new ModeSpecificOptions();
        options.Check();
        var columns = new TransformedColumn[table.Columns.Count];
        Parallel.For(0, columns.Length, ThreadOptions(maxThreads), j =>
        {
            var c = table[j];
            bool hasMissing = c.Missing.Count > 0;
            if (c.Kind == EncodedKind.Discrete)
            {
                columns[j] = new TransformedColumn(c.Name, c.Kind, c.Cardinality, hasMissing, null);
                return;
            }
            var present = new double[c.Length - c.Missing.Count];
            for (int i = 0, n = 0; i < c.Length; i++) if (!c.Missing[i]) present[n++] = c.Values![i];
            if (present.Length == 0) throw new ArgumentException($"Continuous column '{c.Name}' has no present values.");
            var masses = present.GroupBy(v => v).Where(g => g.Count() >= options.PointMassShare * present.Length && options.PointMassShare < 1)
                .Select(g => g.Key).Order().ToArray();
            var rest = masses.Length == 0 ? present : present.Where(v => Array.BinarySearch(masses, v) < 0).ToArray();
            var modes = rest.Length == 0 ? [] : VariationalGaussianMixture.Fit(rest, SeededRandom.Derive(seed, (ulong)j), options).Modes.ToArray();
            columns[j] = new TransformedColumn(c.Name, c.Kind, 0, hasMissing, modes, masses.Length > 0 ? masses : null);
        });
        return new ModeSpecificTransformer(columns);
    }

    /// <summary>
    /// The row-major matrix (<c>table.RowCount × Width</c>) of <paramref name="table"/>. Modes are drawn from the
    /// posterior with one stream per column derived from <paramref name="seed"/> (identical for any thread count).
    /// A missing value in a column that had none when fitted is an <see cref="ArgumentException"/>.
    /// </summary>
    public float[] Transform(EncodedTable table, ulong seed, int? maxThreads = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        CheckShape(table);
        int rows = table.RowCount;
        var matrix = new float[(long)rows * Width];
        Parallel.For(0, Columns.Count, ThreadOptions(maxThreads), j => TransformColumn(j, table[j], matrix, SeededRandom.For(seed, (ulong)j)));
        return matrix;
    }

    private void TransformColumn(int j, EncodedColumn column, float[] matrix, SeededRandom random)
    {
        var layout = Columns[j];
        int start = _starts[j], rows = column.Length;
        if (!layout.HasMissingSlot && column.Missing.Count > 0)
            throw new ArgumentException($"Column '{layout.Name}' has missing values but had none when the transformer was fitted.");
        int missingSlot = layout.OneHotWidth - 1;
        if (layout.Kind == EncodedKind.Discrete)
        {
            for (int i = 0; i < rows; i++)
                matrix[(long)i * Width + start + (column.Missing[i] ? missingSlot : column.Codes![i])] = 1;
            return;
        }
        var mixture = _mixtures[j];
        var masses = layout.PointMasses ?? [];
        var posterior = new double[mixture?.ModeCount ?? 0];
        var cumulative = new double[posterior.Length];
        for (int i = 0; i < rows; i++)
        {
            long row = (long)i * Width + start;
            if (column.Missing[i]) { matrix[row + 1 + missingSlot] = 1; continue; }
            double x = column.Values![i];
            int mass = masses.Length == 0 ? -1 : Array.BinarySearch(masses, x);
            if (mass >= 0) { matrix[row + 1 + mass] = 1; continue; } // α stays 0
            if (mixture is null) throw new ArgumentException($"Column '{layout.Name}' row {i + 1}: {x} is none of the point masses the transformer was fitted on.");
            mixture.Posterior(x, posterior);
            // As CTGAN: a small floor keeps every mode possible, then one mode is drawn from the posterior.
            double total = 0;
            for (int k = 0; k < posterior.Length; k++) cumulative[k] = total += posterior[k] + 1e-6;
            int mode = random.NextWeighted(cumulative);
            var m = mixture.Modes[mode];
            matrix[row] = (float)Math.Clamp((x - m.Mean) / (ModeScale * m.StdDev), -AlphaLimit, AlphaLimit);
            matrix[row + 1 + masses.Length + mode] = 1;
        }
    }

    /// <summary>
    /// Encoded columns from a generated row-major matrix (<paramref name="rows"/> × <see cref="Width"/>): the
    /// argmax of each one-hot group chooses the mode or code (or missing), α is clipped to [−1, 1] and mapped to
    /// α·4σ_k + μ_k. Deterministic; parallel over columns.
    /// </summary>
    public EncodedTable Inverse(float[] matrix, int rows, int? maxThreads = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (matrix.LongLength < (long)rows * Width) throw new ArgumentException($"The matrix holds {matrix.LongLength} floats; {rows} rows need {(long)rows * Width}.");
        var columns = new EncodedColumn[Columns.Count];
        Parallel.For(0, Columns.Count, ThreadOptions(maxThreads), j => columns[j] = InverseColumn(j, matrix, rows));
        return new EncodedTable(columns, rows);
    }

    private EncodedColumn InverseColumn(int j, float[] matrix, int rows)
    {
        var layout = Columns[j];
        var missing = new bool[rows];
        if (layout.Kind == EncodedKind.Discrete)
        {
            var codes = new int[rows];
            InverseColumnRows(j, matrix, rows, 0, null, codes, missing);
            return EncodedColumn.Discrete(layout.Name, codes, layout.Cardinality, Bitmask.FromBools(missing));
        }
        var values = new double[rows];
        InverseColumnRows(j, matrix, rows, 0, values, null, missing);
        return EncodedColumn.Continuous(layout.Name, values, Bitmask.FromBools(missing));
    }

    /// <summary>
    /// Decodes <paramref name="rows"/> rows of a row-major block into column <paramref name="j"/>'s arrays from
    /// index <paramref name="destination"/> on (values for continuous columns, codes for discrete ones), so a
    /// sampler can decode block by block without holding the whole float matrix.
    /// </summary>
    internal void InverseColumnRows(int j, ReadOnlySpan<float> block, int rows, int destination, double[]? values, int[]? codes, bool[] missing)
    {
        var layout = Columns[j];
        int start = _starts[j];
        int missingSlot = layout.HasMissingSlot ? layout.OneHotWidth - 1 : -1;
        if (layout.Kind == EncodedKind.Discrete)
        {
            for (int i = 0; i < rows; i++)
            {
                int code = ArgMax(block.Slice(i * Width + start, layout.OneHotWidth));
                if (code == missingSlot) missing[destination + i] = true; else codes![destination + i] = code;
            }
            return;
        }
        var modes = layout.Modes ?? [];
        var masses = layout.PointMasses ?? [];
        for (int i = 0; i < rows; i++)
        {
            int row = i * Width + start;
            int mode = ArgMax(block.Slice(row + 1, layout.OneHotWidth));
            if (mode == missingSlot) { missing[destination + i] = true; continue; }
            if (mode < masses.Length) { values![destination + i] = masses[mode]; continue; }
            mode -= masses.Length;
            double alpha = Math.Clamp(block[row], -1f, 1f);
            values![destination + i] = alpha * ModeScale * modes[mode].StdDev + modes[mode].Mean;
        }
    }

    /// <summary>Index of the largest value (the first on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++) if (values[k] > values[best]) best = k;
        return best;
    }

    private void CheckShape(EncodedTable table)
    {
        if (table.Columns.Count != Columns.Count)
            throw new ArgumentException($"The encoded table has {table.Columns.Count} columns; the transformer was fitted on {Columns.Count}.");
        for (int j = 0; j < Columns.Count; j++)
        {
            var (c, layout) = (table[j], Columns[j]);
            if (c.Name != layout.Name || c.Kind != layout.Kind || (c.Kind == EncodedKind.Discrete && c.Cardinality != layout.Cardinality))
                throw new ArgumentException($"Encoded column {j} is '{c.Name}' ({c.Kind}, {c.Cardinality} codes); expected '{layout.Name}' ({layout.Kind}, {layout.Cardinality} codes).");
        }
    }

    private static ParallelOptions ThreadOptions(int? maxThreads)
    {
        if (maxThreads is < 1) throw new ArgumentOutOfRangeException(nameof(maxThreads), "maxThreads must be at least 1 (or null for all cores).");
        return new ParallelOptions { MaxDegreeOfParallelism = maxThreads ?? -1 };
    }

    /// <summary>Writes the column layouts (with their mixtures) as one JSON entry named <paramref name="prefix"/>.</summary>
    public void Write(ModelBundleWriter bundle, string prefix = "neural-data")
    {
        ArgumentNullException.ThrowIfNull(bundle);
        bundle.WriteJson(prefix, new Document(DocumentVersion, Columns.ToArray()), SynthesizerJson.Options);
    }

    /// <summary>Reads what <see cref="Write"/> wrote; inconsistent content is a <see cref="ModelFileException"/> (<c>model.bad-entry</c>).</summary>
    public static ModeSpecificTransformer Read(ModelBundleReader bundle, string prefix = "neural-data")
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var doc = bundle.ReadJson<Document>(prefix, SynthesizerJson.Options);
        ModelFileException Bad(string what) => new("model.bad-entry", $"Model entry '{prefix}': {what}.", bundle.File);
        if (doc.Version > DocumentVersion) throw Bad($"version {doc.Version} is newer than this TabTwin reads ({DocumentVersion})");
        if (doc.Columns is null || doc.Columns.Any(c => c is null || c.Name is null)) throw Bad("the column layouts are missing");
        try { return new ModeSpecificTransformer(doc.Columns); }
        catch (ArgumentException e) { throw Bad(e.Message); }
    }

    /// <summary>Checks that this transformer fits the encoding's modelled columns (names, kinds, cardinalities).</summary>
    internal bool Matches(TableEncoding encoding) =>
        encoding.Modelled.Length == Columns.Count
        && encoding.Modelled.Select((s, j) => s.Name == Columns[j].Name && s.EncodedKind == Columns[j].Kind && s.Cardinality == Columns[j].Cardinality).All(b => b);

    private sealed record Document(int Version, TransformedColumn[] Columns);
}
