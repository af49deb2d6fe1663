using System.Globalization;

namespace TabTwin.Tables;

/// <summary>
/// Numbers stored as doubles. <see cref="IsInteger"/> and <see cref="DecimalPlaces"/> remember how the
/// source wrote them so output is restored in the same shape (integers stay integers, 2-decimal
/// prices stay 2-decimal). Integers beyond ±2^53 cannot be held exactly and are read as text by the readers.
/// </summary>
public sealed class NumericColumn : Column
{
    private readonly double[] _values;

    public NumericColumn(string name, double[] values, Bitmask? missing = null, bool? isInteger = null, int? decimalPlaces = null)
        : base(name, values.Length, missing ?? Bitmask.Empty(values.Length))
    {
        _values = values;
        IsInteger = isInteger ?? DetectInteger(values, Missing);
        DecimalPlaces = IsInteger ? 0 : decimalPlaces ?? DetectDecimals(values, Missing);
    }

    public override ColumnType Type => ColumnType.Numeric;
    public ReadOnlySpan<double> Values => _values;
    public double this[int row] => _values[row];
    /// <summary>Every present value is a whole number (and the source wrote it without a fraction).</summary>
    public bool IsInteger { get; }
    /// <summary>The most decimal places seen in the source (capped at 15); 0 for integers.</summary>
    public int DecimalPlaces { get; }

    public override object? GetValue(int row) => Missing[row] ? null : _values[row];

    public override string? FormatValue(int row) => Missing[row] ? null : Format(_values[row], IsInteger, DecimalPlaces);

    /// <summary>Invariant text for a number: integers without a fraction, decimals with at most the given places, shortest round-trip otherwise.</summary>
    public static string Format(double v, bool isInteger, int decimalPlaces)
    {
        if (isInteger && Math.Abs(v) < 9.007199254740992E15) return ((long)Math.Round(v)).ToString(CultureInfo.InvariantCulture);
        if (decimalPlaces is > 0 and <= 15)
        {
            var r = Math.Round(v, decimalPlaces);
            return r.ToString("0." + new string('#', decimalPlaces), CultureInfo.InvariantCulture);
        }
        return v.ToString("R", CultureInfo.InvariantCulture);
    }

    public override Column Take(ReadOnlySpan<int> rows)
    {
        var v = new double[rows.Length];
        for (int i = 0; i < rows.Length; i++) v[i] = _values[rows[i]];
        return new NumericColumn(Name, v, Missing.Take(rows), IsInteger, DecimalPlaces);
    }

    public override Column WithName(string name) => new NumericColumn(name, _values, Missing, IsInteger, DecimalPlaces);

    private static bool DetectInteger(double[] values, Bitmask missing)
    {
        for (int i = 0; i < values.Length; i++)
            if (!missing[i] && (values[i] != Math.Floor(values[i]) || double.IsInfinity(values[i]))) return false;
        return true;
    }

    private static int DetectDecimals(double[] values, Bitmask missing)
    {
        int best = 0;
        for (int i = 0; i < values.Length && best < 15; i++)
        {
            if (missing[i]) continue;
            double v = values[i];
            int d = 0;
            while (d < 15 && Math.Abs(v - Math.Round(v, d)) > 1e-9 * Math.Max(1, Math.Abs(v))) d++;
            if (d > best) best = d;
        }
        return best;
    }
}
