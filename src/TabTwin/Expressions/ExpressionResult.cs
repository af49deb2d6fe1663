using TabTwin.Tables;

namespace TabTwin.Expressions;

/// <summary>
/// The value of an expression for every row of a table, stored by type: numbers in <see cref="Numbers"/>,
/// booleans in <see cref="Booleans"/>, strings in <see cref="Strings"/>, datetimes and durations as ticks in
/// <see cref="Ticks"/>. Entries at <see cref="Missing"/> rows are unspecified.
/// </summary>
public sealed class ExpressionResult
{
    private ExpressionResult(ExprType type, int length, Bitmask missing)
    {
        Type = type;
        Length = length;
        Missing = missing;
    }

    public ExprType Type { get; }
    public int Length { get; }
    public Bitmask Missing { get; }
    public double[]? Numbers { get; private init; }
    public bool[]? Booleans { get; private init; }
    public string?[]? Strings { get; private init; }
    public long[]? Ticks { get; private init; }

    public bool IsMissing(int row) => Missing[row];

    /// <summary>For boolean results: rows where the value is true (missing counts as not true).</summary>
    public bool IsTrue(int row) => Booleans is not null && !Missing[row] && Booleans[row];
    /// <summary>For boolean results: rows where the value is false (missing counts as not false).</summary>
    public bool IsFalse(int row) => Booleans is not null && !Missing[row] && !Booleans[row];

    /// <summary>The value at <paramref name="row"/> as double, bool, string, DateTime or TimeSpan; null when missing.</summary>
    public object? GetValue(int row)
    {
        if (Missing[row]) return null;
        return Type switch
        {
            ExprType.Number => Numbers![row],
            ExprType.Boolean => Booleans![row],
            ExprType.String => Strings![row],
            ExprType.DateTime => new DateTime(Ticks![row]),
            ExprType.Duration => TimeSpan.FromTicks(Ticks![row]),
            _ => null,
        };
    }

    internal static object? Box(ExprType type, Value v) => v.IsMissing ? null : type switch
    {
        ExprType.Number => v.Number,
        ExprType.Boolean => v.IsTrue,
        ExprType.String => v.Text,
        ExprType.DateTime => new DateTime(v.Ticks),
        ExprType.Duration => TimeSpan.FromTicks(v.Ticks),
        _ => null,
    };

    internal static ExpressionResult From(ExprType type, Eval eval, int length)
    {
        var missing = new Bitmask.Builder(length);
        switch (type)
        {
            case ExprType.Number:
            {
                var values = new double[length];
                for (int i = 0; i < length; i++) { var v = eval(i); if (v.IsMissing) missing.Set(i); else values[i] = v.Number; }
                return new ExpressionResult(type, length, missing.Build()) { Numbers = values };
            }
            case ExprType.Boolean:
            {
                var values = new bool[length];
                for (int i = 0; i < length; i++) { var v = eval(i); if (v.IsMissing) missing.Set(i); else values[i] = v.IsTrue; }
                return new ExpressionResult(type, length, missing.Build()) { Booleans = values };
            }
            case ExprType.String:
            {
                var values = new string?[length];
                for (int i = 0; i < length; i++) { var v = eval(i); if (v.IsMissing) missing.Set(i); else values[i] = v.Text; }
                return new ExpressionResult(type, length, missing.Build()) { Strings = values };
            }
            case ExprType.DateTime or ExprType.Duration:
            {
                var values = new long[length];
                for (int i = 0; i < length; i++) { var v = eval(i); if (v.IsMissing) missing.Set(i); else values[i] = v.Ticks; }
                return new ExpressionResult(type, length, missing.Build()) { Ticks = values };
            }
            default:
                for (int i = 0; i < length; i++) missing.Set(i);
                return new ExpressionResult(type, length, missing.Build());
        }
    }

    /// <summary>
    /// This result as a column. Numbers become a <see cref="NumericColumn"/> (durations: a number of days), booleans a
    /// <see cref="BooleanColumn"/>, strings a <see cref="CategoricalColumn"/> (a <see cref="TextColumn"/> when
    /// <paramref name="like"/> is text), datetimes a <see cref="DateTimeColumn"/>. A template column
    /// <paramref name="like"/> lends its shape: decimals (values rounded to them), datetime format, boolean spelling.
    /// </summary>
    public Column ToColumn(string name, Column? like = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (Type)
        {
            case ExprType.Number or ExprType.Duration:
            {
                var values = Type == ExprType.Number ? (double[])Numbers!.Clone()
                    : Ticks!.Select(t => (double)t / TimeSpan.TicksPerDay).ToArray();
                var missing = Missing;
                if (like is NumericColumn n)
                {
                    var flags = Missing.ToBools();
                    for (int i = 0; i < values.Length; i++)
                    {
                        if (flags[i]) continue;
                        values[i] = Math.Round(values[i], n.DecimalPlaces, MidpointRounding.AwayFromZero);
                        if (double.IsInfinity(values[i])) flags[i] = true; // cannot be written back as the column's numbers
                    }
                    missing = Bitmask.FromBools(flags);
                    for (int i = 0; i < values.Length; i++) if (flags[i]) values[i] = 0;
                    return new NumericColumn(name, values, missing, n.IsInteger, n.DecimalPlaces);
                }
                for (int i = 0; i < values.Length; i++) if (missing[i]) values[i] = 0;
                return new NumericColumn(name, values, missing);
            }
            case ExprType.Boolean:
                return like is BooleanColumn b
                    ? new BooleanColumn(name, Booleans!, Missing, b.TrueToken, b.FalseToken)
                    : new BooleanColumn(name, Booleans!, Missing);
            case ExprType.String:
                return like is TextColumn ? new TextColumn(name, Strings!) : CategoricalColumn.FromStrings(name, Strings!);
            case ExprType.DateTime:
                return new DateTimeColumn(name, Ticks!, Missing, like is DateTimeColumn d ? d.Format : DateTimeColumn.IsoFormat);
            default:
                return new TextColumn(name, new string?[Length]);
        }
    }
}
