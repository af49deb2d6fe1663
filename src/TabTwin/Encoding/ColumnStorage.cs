using System.Globalization;
using TabTwin.Tables;

namespace TabTwin.Encoding;

/// <summary>
/// How a source column was stored (its <see cref="ColumnType"/> and formatting details), so a decoded column
/// comes back with the same storage type and spelling even when its kind is modelled through strings
/// (e.g. a numeric code column declared categorical).
/// </summary>
internal sealed record StorageSpec
{
    public required ColumnType Type { get; init; }
    public bool IsInteger { get; init; }
    public int DecimalPlaces { get; init; }
    public string? TrueToken { get; init; }
    public string? FalseToken { get; init; }
    public string? DateFormat { get; init; }
    public bool HasOffset { get; init; }

    /// <summary>Whether an arbitrary string (e.g. generated text) can be stored in this storage type.</summary>
    internal bool HoldsAnyString => Type is ColumnType.Text or ColumnType.Categorical;

    internal static StorageSpec Of(Column column) => column switch
    {
        NumericColumn n => new StorageSpec { Type = ColumnType.Numeric, IsInteger = n.IsInteger, DecimalPlaces = n.DecimalPlaces },
        BooleanColumn b => new StorageSpec { Type = ColumnType.Boolean, TrueToken = b.TrueToken, FalseToken = b.FalseToken },
        DateTimeColumn d => new StorageSpec { Type = ColumnType.DateTime, DateFormat = d.Format, HasOffset = d.HasOffset },
        CategoricalColumn => new StorageSpec { Type = ColumnType.Categorical },
        TextColumn => new StorageSpec { Type = ColumnType.Text },
        _ => throw new ArgumentException($"Unsupported column type {column.GetType().Name}."),
    };
}

/// <summary>Converts any column to its invariant text values and back into a given storage type.</summary>
internal static class ColumnStorage
{
    public static string?[] ToStrings(Column column)
    {
        var r = new string?[column.Length];
        for (int i = 0; i < r.Length; i++) r[i] = column.FormatValue(i);
        return r;
    }

    /// <summary>
    /// A generated column (ids, fake personal data) in the source's storage type when that type can hold the
    /// generated strings (text ↔ categorical); otherwise the generated column as it is.
    /// </summary>
    public static Column Restore(Column generated, StorageSpec original) =>
        generated.Type == original.Type || !original.HoldsAnyString
            ? generated
            : FromStrings(generated.Name, ToStrings(generated), original);

    /// <summary>
    /// Codes for every present value via <paramref name="lookup"/> (value, 1-based row) → code; missing rows get 0.
    /// Categorical storage calls the lookup once per category rather than once per row.
    /// </summary>
    public static int[] MapValues(Column column, Func<string, long, int> lookup)
    {
        var codes = new int[column.Length];
        if (column is CategoricalColumn c)
        {
            var cache = new int?[c.Cardinality];
            for (int i = 0; i < codes.Length; i++)
            {
                int k = c.Codes[i];
                if (k < 0) continue;
                codes[i] = cache[k] ??= lookup(c.Categories[k], i + 1);
            }
            return codes;
        }
        for (int i = 0; i < codes.Length; i++)
            if (column.FormatValue(i) is { } s) codes[i] = lookup(s, i + 1);
        return codes;
    }

    /// <summary>
    /// Rebuilds a column of <paramref name="spec"/>'s storage type from text produced by <see cref="ToStrings"/>.
    /// <paramref name="dictionary"/> fixes the category order of a categorical result (values outside it are appended).
    /// </summary>
    public static Column FromStrings(string name, string?[] values, StorageSpec spec, IReadOnlyList<string>? dictionary = null)
    {
        int n = values.Length;
        var missing = new Bitmask.Builder(n);
        for (int i = 0; i < n; i++) if (values[i] is null) missing.Set(i);
        var mask = missing.Build();
        switch (spec.Type)
        {
            case ColumnType.Text:
                return new TextColumn(name, values);
            case ColumnType.Categorical:
            {
                var cats = dictionary?.ToList() ?? [];
                var index = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int i = 0; i < cats.Count; i++) index.TryAdd(cats[i], i);
                var codes = new int[n];
                for (int i = 0; i < n; i++)
                {
                    if (values[i] is not { } s) { codes[i] = -1; continue; }
                    if (!index.TryGetValue(s, out int c)) { c = cats.Count; index[s] = c; cats.Add(s); }
                    codes[i] = c;
                }
                return new CategoricalColumn(name, codes, cats.ToArray());
            }
            case ColumnType.Numeric:
            {
                var v = new double[n];
                for (int i = 0; i < n; i++)
                    if (values[i] is { } s) v[i] = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
                return new NumericColumn(name, v, mask, spec.IsInteger, spec.DecimalPlaces);
            }
            case ColumnType.Boolean:
            {
                var v = new bool[n];
                for (int i = 0; i < n; i++) v[i] = values[i] is { } s && s == spec.TrueToken;
                return new BooleanColumn(name, v, mask, spec.TrueToken ?? "true", spec.FalseToken ?? "false");
            }
            case ColumnType.DateTime:
            {
                var format = spec.DateFormat ?? DateTimeColumn.IsoFormat;
                var ticks = new long[n];
                var offsets = spec.HasOffset ? new short[n] : null;
                for (int i = 0; i < n; i++)
                {
                    if (values[i] is not { } s) continue;
                    if (offsets is null)
                        ticks[i] = DateTime.ParseExact(s, format, CultureInfo.InvariantCulture).Ticks;
                    else
                    {
                        var d = DateTimeOffset.ParseExact(s, format, CultureInfo.InvariantCulture);
                        ticks[i] = d.DateTime.Ticks;
                        offsets[i] = (short)d.Offset.TotalMinutes;
                    }
                }
                return new DateTimeColumn(name, ticks, mask, format, offsets);
            }
            default:
                throw new ArgumentException($"Unsupported storage type {spec.Type}.");
        }
    }
}
