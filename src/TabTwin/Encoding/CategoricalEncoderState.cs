using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Encoding;

/// <summary>
/// A categorical column: codes 0..K-1 over the kept categories, plus one protected "rare" code when some
/// categories were seen fewer than <see cref="EncodingOptions.RareCategoryThreshold"/> times. Rare values
/// are never stored here: the rare code decodes to a kept category drawn by frequency.
/// </summary>
internal sealed record CategoricalEncoderState : ColumnEncoderState
{
    /// <summary>Kept categories in code order (the source dictionary order, rare ones removed).</summary>
    public required string[] Categories { get; init; }
    /// <summary>How often each kept category was seen (used to decode the rare code).</summary>
    public required int[] Counts { get; init; }
    /// <summary>Whether code <c>Categories.Length</c> exists and stands for the merged rare categories.</summary>
    public required bool HasRareCode { get; init; }
    /// <summary>
    /// When no category was frequent enough to keep (every value is rare), the shape of the values (letters, digits,
    /// lengths, fixed parts) in which new, never-seen values are generated for the rare code; null otherwise.
    /// </summary>
    public IdFormat? RareShape { get; init; }
    /// <summary>
    /// When every value is rare and the values are labels rather than codes (airline names, playlist names: words, of
    /// varying length), the word and character statistics in which new labels are written for the rare code instead of
    /// <see cref="RareShape"/> (see <see cref="IsCodeLike"/>); null otherwise and in models saved before it existed.
    /// </summary>
    public TextModel? RareText { get; init; }
    /// <summary>
    /// How many frequent-enough categories were pooled into the rare bucket because the column had more than
    /// <see cref="EncodingOptions.MaxCategories"/> (recorded in the model so the cap is visible; 0 when none were).
    /// </summary>
    public int PooledCategories { get; init; }

    public override int Cardinality => Categories.Length + (HasRareCode ? 1 : 0);

    internal override string? Problem() =>
        base.Problem() ?? (Categories is null || Counts is null || Categories.Length != Counts.Length || Categories.Any(c => c is null)
            ? "its categories and counts do not match"
            : Counts.Any(c => c < 0) || (HasRareCode && Categories.Length > 0 && Counts.All(c => c == 0)) ? "its category counts are negative or all zero"
            : Cardinality == 0 ? "it has no category at all"
            : HasRareCode && Categories.Length == 0 && RareShape is null && RareText is null ? "its rare code has neither kept categories nor a value shape"
            : Unstorable(Categories, Categories)) ?? RareText?.Problem();

    internal static CategoricalEncoderState Fit(Column column, EncodingOptions options, Action<string>? warning = null)
    {
        var (categories, counts) = CountValues(column);
        var kept = new List<string>();
        var keptCounts = new List<int>();
        bool anyRare = false;
        for (int i = 0; i < categories.Count; i++)
        {
            if (counts[i] >= options.RareCategoryThreshold) { kept.Add(categories[i]); keptCounts.Add(counts[i]); }
            else if (counts[i] > 0) anyRare = true;
        }
        int pooled = 0;
        if (kept.Count > options.MaxCategories)
        {
            // Bounded memory on high-cardinality columns: keep the most frequent categories (ties: first seen) in their
            // source order and pool the rest into the rare bucket, which is never emitted literally.
            var top = Enumerable.Range(0, kept.Count).OrderByDescending(i => keptCounts[i]).ThenBy(i => i).Take(options.MaxCategories).Order().ToArray();
            pooled = kept.Count - top.Length;
            long pooledRows = keptCounts.Sum(c => (long)c) - top.Sum(i => (long)keptCounts[i]);
            warning?.Invoke($"column '{column.Name}': {kept.Count:N0} categories are seen at least {options.RareCategoryThreshold} times; the " +
                $"{top.Length:N0} most frequent are kept and the other {pooled:N0} ({pooledRows:N0} rows) are pooled into one protected " +
                $"'rare' value, which is never emitted literally (the cap, EncodingOptions.MaxCategories = {options.MaxCategories:N0}, bounds memory).");
            kept = top.Select(i => kept[i]).ToList();
            keptCounts = top.Select(i => keptCounts[i]).ToList();
            anyRare = true;
        }
        var storage = StorageSpec.Of(column);
        // Every value rare (each airline, each playlist named once): the column is an identifier-like label. Emitting the
        // rare code as missing would empty it, so new values are written in the learned shape: codes in their id format,
        // labels by a text model whose echo guard refuses the real values (TextEncoderState's, same minimum word count).
        bool everyValueRare = kept.Count == 0 && anyRare && storage.HoldsAnyString && column is CategoricalColumn or TextColumn;
        var used = Enumerable.Range(0, categories.Count).Where(i => counts[i] > 0).ToArray();
        var labels = used.Select(i => categories[i]).ToArray();
        bool code = everyValueRare && IsCodeLike(labels);
        return new CategoricalEncoderState
        {
            Name = column.Name, Storage = storage,
            Categories = kept.ToArray(), Counts = keptCounts.ToArray(), HasRareCode = anyRare, PooledCategories = pooled,
            RareShape = code ? IdFormat.Learn(column) : null,
            RareText = everyValueRare && !code ? TextModel.Learn(labels, used.Select(i => counts[i]).ToArray(), options.TextMinimumCount, TextEncoderState.StableSeed(column.Name)) : null,
        };
    }

    /// <summary>
    /// Codes, not labels: no value holds a space, and every value has one length or every value holds a digit ("9E",
    /// "N10156", "EWR"). Labels ("Endeavor Air Inc.", "90's Music", "Rock") hold words of varying length, which an id
    /// format can only spell as random characters.
    /// </summary>
    internal static bool IsCodeLike(IReadOnlyList<string> values) =>
        values.All(v => !v.Contains(' ', StringComparison.Ordinal)) && (values.Select(v => v.Length).Distinct().Count() == 1 || values.All(v => v.Any(char.IsAsciiDigit)));

    /// <summary>Distinct values in dictionary order (categorical storage) or order of first appearance, with counts.</summary>
    internal static (IReadOnlyList<string> Values, int[] Counts) CountValues(Column column)
    {
        if (column is CategoricalColumn c) return (c.Categories, c.CountPerCategory());
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var values = new List<string>();
        var counts = new List<int>();
        for (int i = 0; i < column.Length; i++)
        {
            if (column.FormatValue(i) is not { } s) continue;
            if (!index.TryGetValue(s, out int k)) { k = values.Count; index[s] = k; values.Add(s); counts.Add(0); }
            counts[k]++;
        }
        return (values, counts.ToArray());
    }

    internal override EncodedColumn Encode(Column column) => Encode(column, unseenAllowed: false);

    /// <summary>
    /// A value outside the sample the categories were learned from had fewer rows there than any kept category: it goes to
    /// the rare code, or — when the sample pooled none — to the most frequent category (the share of such rows is below one
    /// in the sample's size, and a value never emitted cannot leak).
    /// </summary>
    internal override EncodedColumn EncodeUnseen(Column column) => Encode(column, unseenAllowed: true);

    private EncodedColumn Encode(Column column, bool unseenAllowed)
    {
        if (column.Type != Storage.Type) throw EncodingErrors.StorageChanged(Name, Storage.Type, column.Type);
        int fallback = HasRareCode ? Categories.Length : Counts.Length > 0 ? Array.IndexOf(Counts, Counts.Max()) : -1;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Categories.Length; i++) index[Categories[i]] = i;
        var codes = ColumnStorage.MapValues(column, (s, row) =>
            index.TryGetValue(s, out int k) ? k
            : HasRareCode ? Categories.Length
            : unseenAllowed && fallback >= 0 ? fallback
            : throw EncodingErrors.UnknownValue(Name, s, row));
        return EncodedColumn.Discrete(Name, codes, Cardinality, column.Missing);
    }

    internal override Column Decode(EncodedColumn? encoded, int rowCount, EncodingOptions options, ulong seed)
    {
        var codes = encoded!.Codes!;
        var random = new SeededRandom(seed);
        var cumulative = CumulativeCounts(Counts);
        var values = new string?[rowCount];
        var shaped = new List<int>();
        for (int i = 0; i < rowCount; i++)
        {
            if (encoded.Missing[i]) continue;
            int code = codes[i];
            if (code < Categories.Length) values[i] = Categories[code];
            else if (Categories.Length > 0) values[i] = Categories[random.NextWeighted(cumulative)];
            else shaped.Add(i); // no category frequent enough to keep: new values in the column's shape (below)
        }
        if (shaped.Count > 0 && ShapedValues(shaped.Count, random.NextUInt64()) is { } generated)
            for (int k = 0; k < shaped.Count; k++) values[shaped[k]] = generated[k];
        return ColumnStorage.FromStrings(Name, values, Storage, Categories);
    }

    /// <summary>
    /// <paramref name="count"/> distinct new values in <see cref="RareShape"/>, or null (the rows stay missing) when
    /// there is no shape or it cannot hold that many values. Never a placeholder label such as "(other)": a
    /// made-up label would be a category the real data never had.
    /// </summary>
    private string?[]? ShapedValues(int count, ulong seed)
    {
        if (RareText is not null) return TextValues(count, new SeededRandom(seed));
        if (RareShape is null) return null;
        var pattern = IdPattern.Parse(RareShape.Pattern);
        if (pattern.Numeric || (!pattern.HasSequence && pattern.RandomSpace() < count)) return null;
        var column = RareShape.Generate(Name, count, seed);
        var strings = new string?[count];
        for (int i = 0; i < count; i++) strings[i] = column.FormatValue(i);
        return strings;
    }

    /// <summary>
    /// <paramref name="count"/> new labels from <see cref="RareText"/>, distinct where a few draws allow (the real labels
    /// were each used by few rows); a row stays missing only when every draw hit the echo guard.
    /// </summary>
    private string?[] TextValues(int count, SeededRandom random)
    {
        const int Draws = 4;
        var values = new string?[count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
            for (int attempt = 0; attempt < Draws; attempt++)
                if ((values[i] = RareText!.Generate(random)) is not { } v || seen.Add(v)) break;
        return values;
    }

    internal static double[] CumulativeCounts(int[] counts)
    {
        var c = new double[Math.Max(1, counts.Length)];
        double sum = 0;
        for (int i = 0; i < counts.Length; i++) c[i] = sum += counts[i];
        return c;
    }
}
