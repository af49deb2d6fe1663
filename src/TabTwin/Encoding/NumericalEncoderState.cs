using TabTwin.Tables;

namespace TabTwin.Encoding;

/// <summary>A numerical column: encoded as raw doubles, decoded with the source's integer-ness, decimals and range.</summary>
public sealed record NumericalEncoderState : ColumnEncoderState
{
    public required double Min { get; init; }
    public required double Max { get; init; }
    public required bool IsInteger { get; init; }
    public required int DecimalPlaces { get; init; }

    public override EncodedKind EncodedKind => EncodedKind.Continuous;

    internal static NumericalEncoderState Fit(NumericColumn column, string kindLabel)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int i = 0; i < column.Length; i++)
        {
            if (column.IsMissing(i)) continue;
            double v = column[i];
            if (!double.IsFinite(v))
                throw EncodingErrors.Unsuitable(column.Name, kindLabel, $"holds the non-finite value {v} at row {i + 1}", i + 1);
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return new NumericalEncoderState
        {
            Name = column.Name, Storage = StorageSpec.Of(column),
            Min = min, Max = max, IsInteger = column.IsInteger, DecimalPlaces = column.DecimalPlaces,
        };
    }

    internal override EncodedColumn Encode(Column column)
    {
        if (column is not NumericColumn n) throw EncodingErrors.StorageChanged(Name, ColumnType.Numeric, column.Type);
        var values = new double[n.Length];
        for (int i = 0; i < values.Length; i++) values[i] = n.IsMissing(i) ? 0 : n[i];
        return EncodedColumn.Continuous(Name, values, n.Missing);
    }

    internal override Column Decode(EncodedColumn? encoded, int rowCount, EncodingOptions options, ulong seed)
    {
        var src = encoded!.Values!;
        var values = new double[rowCount];
        for (int i = 0; i < rowCount; i++)
        {
            if (encoded.Missing[i]) continue;
            values[i] = Restore(src[i], options.ClipToObservedRange);
        }
        return new NumericColumn(Name, values, encoded.Missing, IsInteger, DecimalPlaces);
    }

    /// <summary>Clip (when asked) then round to the source precision; min/max lie on that grid, so rounding never leaves the range.</summary>
    internal double Restore(double v, bool clip)
    {
        if (double.IsNaN(v)) throw new ArgumentException($"Column '{Name}': a synthesizer produced NaN for a present value.");
        if (clip || double.IsInfinity(v)) v = Math.Clamp(v, Min, Max);
        if (IsInteger) return Math.Round(v, MidpointRounding.AwayFromZero);
        if (DecimalPlaces is > 0 and < 15) return Math.Round(v, DecimalPlaces, MidpointRounding.AwayFromZero);
        return v;
    }
}
