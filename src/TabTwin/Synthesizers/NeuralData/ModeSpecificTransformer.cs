using TabTwin.Encoding;
using TabTwin.Tables;
using TabTwin.Bundles;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.NeuralData;

/// <summary>
/// How one encoded column is laid out in the transformed matrix. Continuous columns carry the fitted mixture
/// <see cref="Modes"/> of their regular values and their <see cref="PointMasses"/> (single values holding a large
/// share of the rows, such as a capital gain of 0); discrete columns their <see cref="Cardinality"/>.
/// <see cref="HasMissingSlot"/>: the column had missing values when fitted. A discrete column is one choice group
/// [codes…, missing]. A continuous column is [α][modes…, elsewhere] when it has regular values, then, when it has
/// point masses or missing values, a choice group [regular, point masses…, missing] saying which kind of value the
/// row holds; "elsewhere" marks the rows whose value is not regular.
/// </summary>
internal sealed record TransformedColumn(string Name, EncodedKind Kind, int Cardinality, bool HasMissingSlot, MixtureMode[]? Modes,
    double[]? PointMasses = null)
{
    /// <summary>Width of the mode one-hot of a continuous column (its modes, plus "elsewhere" when it has a choice group; 0 without regular values).</summary>
    public int ModeWidth => Kind != EncodedKind.Continuous || !HasModes ? 0 : Modes!.Length + (HasChoice ? 1 : 0);

    /// <summary>
    /// Width of the column's choice group, the one-hot that CTGAN's conditional vector covers: a discrete column's
    /// codes (plus missing); a continuous column's value kinds [regular, point masses…, missing] (0 when every value is regular).
    /// </summary>
    public int ChoiceWidth => Kind == EncodedKind.Discrete ? Cardinality + (HasMissingSlot ? 1 : 0)
        : HasChoice ? (HasModes ? 1 : 0) + PointMassCount + (HasMissingSlot ? 1 : 0) : 0;

    internal int PointMassCount => PointMasses?.Length ?? 0;
    internal bool HasModes => Modes is { Length: > 0 };
    private bool HasChoice => Kind == EncodedKind.Discrete || PointMassCount > 0 || HasMissingSlot;
}

/// <summary>
/// CTGAN's mode-specific normalisation between an <see cref="EncodedTable"/> and the float32 row-major matrix
/// the neural synthesizers train on. A regular continuous value becomes [α, one-hot of mode k]: k is drawn from the
/// posterior over the column's <see cref="VariationalGaussianMixture"/> modes (seeded), α = (x − μ_k)/(4σ_k)
/// clipped to [−0.99, 0.99]. A discrete column becomes the one-hot of its code (plus a missing slot).
/// <para>
/// Beyond the paper, a continuous column's missing values and point masses (values holding at least
/// <see cref="ModeSpecificOptions.PointMassShare"/> of its rows: 0 capital gain, a 40-hour week) are a discrete
/// choice of their own, the group [regular, point masses…, missing] with role <see cref="SpanRole.Category"/>: a
/// point mass comes back exactly (where a mode of width 4σ would smear it), and CTGAN's conditional vector and
/// training-by-sampling cover missingness and point masses like any category, so the generator cannot drop them
/// (it used to under-produce a missing slot hidden inside the mode group). For those rows α is 0 and the mode
/// one-hot holds its last slot, "elsewhere". <see cref="Inverse"/> reads the argmax of each group and α·4σ_k + μ_k.
/// </para>
/// Immutable once fitted; serialised as one JSON bundle entry.
/// </summary>
internal sealed class ModeSpecificTransformer
{
    /// <summary>α is clipped to ±this when transforming (as CTGAN), so tanh heads never need infinite logits.</summary>
    public const float AlphaLimit = 0.99f;
    /// <summary>α spans a mode's ±4 standard deviations.</summary>
    public const double ModeScale = 4;
    /// <summary>
    /// Version 2: point masses and missing values of continuous columns moved from the mode group into their own
    /// choice group (and TVAE's separate point-mass columns were dropped). Version 1 layouts are refused with a
    /// request to fit the model again: the network weights stored beside them are sized for the old layout.
    /// </summary>
    private const int DocumentVersion = 2;

    private readonly VariationalGaussianMixture?[] _mixtures;
    private readonly int[] _alphaStarts, _modeStarts, _choiceStarts; // −1 where the column has no such span
    private readonly int[] _heaviestMode;

    public ModeSpecificTransformer(IReadOnlyList<TransformedColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns.ToArray();
        int m = Columns.Count;
        _mixtures = new VariationalGaussianMixture?[m];
        (_alphaStarts, _modeStarts, _choiceStarts, _heaviestMode) = (new int[m], new int[m], new int[m], new int[m]);
        var spans = new List<OutputSpan>();
        int width = 0;
        for (int j = 0; j < m; j++)
        {
            var c = Columns[j] ?? throw new ArgumentException($"Column layout {j} is null.");
            (_alphaStarts[j], _modeStarts[j], _choiceStarts[j]) = (-1, -1, -1);
            if (c.Kind == EncodedKind.Continuous)
            {
                if (!c.HasModes && c.PointMassCount == 0) throw new ArgumentException($"Continuous column '{c.Name}' has no mixture modes.");
                if (c.PointMasses is { } pm && (pm.Any(v => !double.IsFinite(v)) || pm.Zip(pm.Skip(1)).Any(p => !(p.First < p.Second))))
                    throw new ArgumentException($"Continuous column '{c.Name}' has point masses that are not finite and ascending.");
                if (c.HasModes)
                {
                    _mixtures[j] = new VariationalGaussianMixture(c.Modes!);
                    _heaviestMode[j] = Array.IndexOf(c.Modes!, c.Modes!.MaxBy(mode => mode.Weight));
                    (_alphaStarts[j], _modeStarts[j]) = (width, width + 1);
                    spans.Add(new OutputSpan(width, 1, SpanActivation.Tanh, j, SpanRole.Alpha));
                    spans.Add(new OutputSpan(width + 1, c.ModeWidth, SpanActivation.Softmax, j, SpanRole.Mode));
                    width += 1 + c.ModeWidth;
                }
            }
            else if (c.Cardinality < 1) throw new ArgumentException($"Discrete column '{c.Name}' has cardinality {c.Cardinality}.");
            if (c.ChoiceWidth > 0)
            {
                _choiceStarts[j] = width;
                spans.Add(new OutputSpan(width, c.ChoiceWidth, SpanActivation.Softmax, j, SpanRole.Category));
                width += c.ChoiceWidth;
            }
        }
        Spans = spans;
        Width = width;
    }

    /// <summary>One layout per encoded column, in the encoded table's order.</summary>
    public IReadOnlyList<TransformedColumn> Columns { get; }

    /// <summary>
    /// The spans of a transformed row, left to right: per continuous column α and mode (when it has regular values),
    /// then its choice group (when it has point masses or missing values); per discrete column one choice group.
    /// Every choice group has role <see cref="SpanRole.Category"/>.
    /// </summary>
    public IReadOnlyList<OutputSpan> Spans { get; }

    /// <summary>Floats per transformed row.</summary>
    public int Width { get; }

    /// <summary>The fitted mixture of continuous column <paramref name="column"/> (null for discrete columns and for continuous columns whose every value is a point mass).</summary>
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
            var masses = PointMasses.Find(present, options.PointMassShare, options.MaxPointMasses);
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
        int rows = column.Length, choice = _choiceStarts[j], choiceMissing = choice + layout.ChoiceWidth - 1;
        if (!layout.HasMissingSlot && column.Missing.Count > 0)
            throw new ArgumentException($"Column '{layout.Name}' has missing values but had none when the transformer was fitted.");
        if (layout.Kind == EncodedKind.Discrete)
        {
            for (int i = 0; i < rows; i++)
                matrix[(long)i * Width + (column.Missing[i] ? choiceMissing : choice + column.Codes![i])] = 1;
            return;
        }
        var mixture = _mixtures[j];
        var masses = layout.PointMasses ?? [];
        int alpha = _alphaStarts[j], mode = _modeStarts[j], elsewhere = mode + layout.ModeWidth - 1;
        int firstMass = choice + (mixture is null ? 0 : 1); // the choice group is [regular (with modes), masses…, missing]
        var posterior = new double[mixture?.ModeCount ?? 0];
        var cumulative = new double[posterior.Length];
        for (int i = 0; i < rows; i++)
        {
            long row = (long)i * Width;
            int mass = column.Missing[i] || masses.Length == 0 ? -1 : Array.BinarySearch(masses, column.Values![i]);
            if (column.Missing[i] || mass >= 0)
            {
                matrix[row + (mass >= 0 ? firstMass + mass : choiceMissing)] = 1;
                if (mixture is not null) matrix[row + elsewhere] = 1; // α stays 0
                continue;
            }
            double x = column.Values![i];
            if (mixture is null) throw new ArgumentException($"Column '{layout.Name}' row {i + 1}: {x} is none of the point masses the transformer was fitted on.");
            mixture.Posterior(x, posterior);
            // As CTGAN: a small floor keeps every mode possible, then one mode is drawn from the posterior.
            double total = 0;
            for (int k = 0; k < posterior.Length; k++) cumulative[k] = total += posterior[k] + 1e-6;
            int k0 = random.NextWeighted(cumulative);
            var m = mixture.Modes[k0];
            matrix[row + alpha] = (float)Math.Clamp((x - m.Mean) / (ModeScale * m.StdDev), -AlphaLimit, AlphaLimit);
            matrix[row + mode + k0] = 1;
            if (choice >= 0) matrix[row + choice] = 1; // regular
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
        int choice = _choiceStarts[j], missingSlot = layout.HasMissingSlot ? layout.ChoiceWidth - 1 : -1;
        if (layout.Kind == EncodedKind.Discrete)
        {
            for (int i = 0; i < rows; i++)
            {
                int code = ArgMax(block.Slice(i * Width + choice, layout.ChoiceWidth));
                if (code == missingSlot) missing[destination + i] = true; else codes![destination + i] = code;
            }
            return;
        }
        var modes = layout.Modes ?? [];
        var masses = layout.PointMasses ?? [];
        int alpha = _alphaStarts[j], mode = _modeStarts[j], regular = modes.Length > 0 ? 1 : 0;
        for (int i = 0; i < rows; i++)
        {
            int row = i * Width;
            int kind = choice < 0 ? 0 : ArgMax(block.Slice(row + choice, layout.ChoiceWidth));
            if (kind == missingSlot) { missing[destination + i] = true; continue; }
            if (kind >= regular) { values![destination + i] = masses[kind - regular]; continue; }
            int k = ArgMax(block.Slice(row + mode, layout.ModeWidth));
            // The choice says regular but the mode group says "elsewhere" (the two disagree only in generated rows):
            // the column's heaviest mode stands in.
            if (k == modes.Length) k = _heaviestMode[j];
            double a = Math.Clamp(block[row + alpha], -1f, 1f);
            values![destination + i] = a * ModeScale * modes[k].StdDev + modes[k].Mean;
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
        if (doc.Version < DocumentVersion)
            throw new ModelFileException("model.version",
                $"Model entry '{prefix}' has neural data layout version {doc.Version}, written by an earlier TabTwin; this TabTwin reads version " +
                $"{DocumentVersion} (point masses and missing numbers became their own choice group, so the stored network no longer fits).",
                bundle.File, "Fit the model again with this TabTwin version.");
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
