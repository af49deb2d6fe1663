using TabTwin.Randomness;
using TabTwin.Tables;

namespace TabTwin.Encoding;

/// <summary>
/// A numerical column: encoded as raw doubles, decoded with the source's integer-ness, decimals, range and
/// granularity (the share of whole numbers, halves and decimals, see <see cref="NumericGranularity"/>).
/// </summary>
internal sealed record NumericalEncoderState : ColumnEncoderState
{
    public required double Min { get; init; }
    public required double Max { get; init; }
    public required bool IsInteger { get; init; }
    public required int DecimalPlaces { get; init; }
    /// <summary>The learned mix of whole numbers, halves and decimals (null: every value on the finest grid).</summary>
    public NumericGranularity? Granularity { get; init; }

    public override EncodedKind EncodedKind => EncodedKind.Continuous;

    internal static NumericalEncoderState Fit(NumericColumn column, string kindLabel, int tailRows = 1)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        var present = new List<double>(column.Length - column.MissingCount);
        for (int i = 0; i < column.Length; i++)
        {
            if (column.IsMissing(i)) continue;
            double v = column[i];
            present.Add(v);
            if (!double.IsFinite(v))
                throw EncodingErrors.Unsuitable(column.Name, kindLabel, $"holds the non-finite value {v} at row {i + 1}", i + 1);
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (tailRows > 1 && present.Count > 0) (min, max) = TailRange.Of(present.Order().ToArray(), tailRows);
        return new NumericalEncoderState
        {
            Name = column.Name, Storage = StorageSpec.Of(column),
            Min = min, Max = max, IsInteger = column.IsInteger, DecimalPlaces = column.DecimalPlaces,
            Granularity = NumericGranularity.Learn(present, column.IsInteger, column.DecimalPlaces),
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
        var granularity = options.KeepGranularity ? Granularity : null;
        var random = new SeededRandom(seed);
        for (int i = 0; i < rowCount; i++)
        {
            if (encoded.Missing[i]) continue;
            values[i] = Restore(src[i], options.ClipToObservedRange);
            if (granularity is not null)
            {
                // Rounded from the clipped value, within the observed range (or any finite value when not clipping).
                double v = options.ClipToObservedRange || double.IsInfinity(src[i]) ? Math.Clamp(src[i], Min, Max) : src[i];
                values[i] = granularity.Round(v, options.ClipToObservedRange ? Min : double.MinValue,
                    options.ClipToObservedRange ? Max : double.MaxValue, random.NextDouble());
            }
        }
        return new NumericColumn(Name, values, encoded.Missing, IsInteger, DecimalPlaces);
    }

    /// <summary>Clip (when asked) then round to the source precision; min/max lie on that grid, so rounding never leaves the range.</summary>
    internal override string? Problem() =>
        base.Problem() ?? (!(Min <= Max) ? "its range is empty or not a number"
            : DecimalPlaces < 0 ? "its decimal places are negative" : null);

    internal double Restore(double v, bool clip)
    {
        if (double.IsNaN(v)) throw EncodingErrors.NotANumber(Name);
        if (clip || double.IsInfinity(v)) v = Math.Clamp(v, Min, Max);
        if (IsInteger) return Math.Round(v, MidpointRounding.AwayFromZero);
        if (DecimalPlaces is > 0 and < 15) return Math.Round(v, DecimalPlaces, MidpointRounding.AwayFromZero);
        return v;
    }
}
