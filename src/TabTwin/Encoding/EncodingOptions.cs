namespace TabTwin.Encoding;

/// <summary>
/// Privacy and fidelity settings of a <see cref="TableEncoding"/>. Plain data: stored in the model file
/// so a loaded model decodes exactly as the fitted one did.
/// </summary>
public sealed record EncodingOptions
{
    /// <summary>
    /// Categories seen fewer times than this are never emitted as such: they are merged into one protected
    /// bucket that decodes to a frequent (kept) value. 1 keeps every category. Every synthesizer uses 5 by default
    /// (issue 14: a value fewer than 5 records share is a person, whichever model learned it).
    /// </summary>
    public int RareCategoryThreshold { get; init; } = 5;

    /// <summary>Decoded numbers and datetimes stay within the learned range (see <see cref="MinTailRows"/>).</summary>
    public bool ClipToObservedRange { get; init; } = true;

    /// <summary>
    /// The learned range of a number or datetime column runs from its MinTailRows-th smallest to its MinTailRows-th
    /// largest value, so no synthesizer's output reaches the few records that alone span a column's extremes (an exact
    /// maximum is as identifying as a rare category). 1 = the exact minimum and maximum.
    /// </summary>
    public int MinTailRows { get; init; } = 5;

    /// <summary>
    /// Columns whose learned range is their exact minimum and maximum whatever <see cref="MinTailRows"/> says. Multi-table
    /// synthesis lists its children-per-row counts (a hub airport's flights are the database's structure, not a record).
    /// Used while fitting only; the range itself is saved in the model.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    internal IReadOnlyCollection<string>? UnclippedColumns { get; init; }

    /// <summary>
    /// Decoded numbers keep the learned granularity of their column (the share of whole numbers, halves and each
    /// number of decimals); false rounds every value to the column's finest decimal.
    /// </summary>
    public bool KeepGranularity { get; init; } = true;

    /// <summary>Free-text values seen fewer times than this are never reproduced (they become generated text).</summary>
    public int TextMinimumCount { get; init; } = 5;

    /// <summary>
    /// Most categories kept per column (the most frequent); the others are pooled into the rare bucket, which decodes to
    /// a kept category. Bounds every synthesizer's memory on high-cardinality columns (one-hot widths, tree bins,
    /// per-category tables): a 10,000-category column costs what a 2,000-category one does.
    /// </summary>
    public int MaxCategories { get; init; } = 2_000;

    internal void Check()
    {
        if (MaxCategories < 1)
            throw new ArgumentException($"MaxCategories must be at least 1 (got {MaxCategories}).");
        if (RareCategoryThreshold < 1)
            throw new ArgumentException($"RareCategoryThreshold must be at least 1 (got {RareCategoryThreshold}).");
        if (MinTailRows is < 1 or > 1000)
            throw new ArgumentException($"MinTailRows must be in 1..1000 (got {MinTailRows}).");
        if (TextMinimumCount < 1)
            throw new ArgumentException($"TextMinimumCount must be at least 1 (got {TextMinimumCount}).");
    }
}
