using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Encoding;

/// <summary>A unique-key column: not modelled; decoding generates new distinct keys in the learned format.</summary>
internal sealed record IdEncoderState : ColumnEncoderState
{
    public required IdFormat Format { get; init; }

    public override bool IsModelled => false;

    internal static IdEncoderState Fit(Column column) =>
        new() { Name = column.Name, Storage = StorageSpec.Of(column), Format = IdFormat.Learn(column) };

    internal override EncodedColumn Encode(Column column) => throw new InvalidOperationException($"Id column '{Name}' is not modelled.");

    internal override Column Decode(EncodedColumn? encoded, int rowCount, EncodingOptions options, ulong seed) =>
        ColumnStorage.Restore(Format.Generate(Name, rowCount, seed), Storage);
}

/// <summary>
/// A personal-data column: not modelled; decoding generates fake values of <see cref="Pii"/> in
/// <see cref="Locale"/>, leaving about the same share of rows missing as the source.
/// </summary>
internal sealed record PiiEncoderState : ColumnEncoderState
{
    public required PiiType Pii { get; init; }
    public required string Locale { get; init; }
    public required double MissingRate { get; init; }
    /// <summary>Whether most real values are abbreviations of at most 3 characters (states written "CA", not "California").</summary>
    public bool ShortForm { get; init; }

    public override bool IsModelled => false;

    internal override string? Problem() =>
        base.Problem() ?? (!Enum.IsDefined(Pii) ? $"its personal-data type {(int)Pii} is unknown"
            : Locale is null ? "its locale is missing"
            : !(MissingRate is >= 0 and <= 1) ? "its missing rate is not a share" : null);

    internal static PiiEncoderState Fit(Column column, PiiType pii, string locale) => new()
    {
        Name = column.Name, Storage = StorageSpec.Of(column), Pii = pii, Locale = locale,
        MissingRate = column.Length == 0 ? 0 : column.MissingCount / (double)column.Length,
        ShortForm = pii == PiiType.State && ShareShort(column) >= 0.5,
    };

    private static double ShareShort(Column column)
    {
        int present = 0, shortOnes = 0;
        for (int i = 0; i < column.Length; i++)
            if (column.FormatValue(i) is { } v) { present++; if (v.Trim().Length <= 3) shortOnes++; }
        return present == 0 ? 0 : shortOnes / (double)present;
    }

    internal override EncodedColumn Encode(Column column) => throw new InvalidOperationException($"PII column '{Name}' is not modelled.");

    internal override Column Decode(EncodedColumn? encoded, int rowCount, EncodingOptions options, ulong seed)
    {
        var generated = PiiFaker.Generate(Name, Pii, Locale, rowCount, SeededRandom.Derive(seed, 0));
        if (MissingRate <= 0) return ColumnStorage.Restore(generated, Storage);
        return WithMissing(ColumnStorage.ToStrings(generated), seed);
    }

    /// <summary>
    /// The column made of <paramref name="values"/> (fakes drawn for the whole row elsewhere, see <see cref="RowConsistentFakes"/>),
    /// with the same rows missing as <see cref="Decode"/> leaves for <paramref name="seed"/>.
    /// </summary>
    internal Column WithMissing(string?[] values, ulong seed)
    {
        if (MissingRate <= 0) return ColumnStorage.Restore(new TextColumn(Name, values), Storage);
        var random = SeededRandom.For(seed, 1);
        for (int i = 0; i < values.Length; i++) if (random.NextBernoulli(MissingRate)) values[i] = null;
        // Fake values are strings: keep the source's storage when it holds strings, else text.
        var spec = Storage.HoldsAnyString ? Storage : new StorageSpec { Type = ColumnType.Text };
        return ColumnStorage.FromStrings(Name, values, spec);
    }
}
