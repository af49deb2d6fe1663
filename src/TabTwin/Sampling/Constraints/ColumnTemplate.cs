using System.Globalization;
using System.Text.Json.Serialization;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>
/// The shape of a column a transform removes (name, storage type, decimals, datetime format, boolean spelling), so
/// the reverse transform rebuilds it exactly as the source wrote it. Serializable into model files.
/// </summary>
public sealed record ColumnTemplate
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("type")] public required ColumnType Type { get; init; }
    [JsonPropertyName("isInteger")] public bool IsInteger { get; init; }
    [JsonPropertyName("decimals")] public int Decimals { get; init; }
    [JsonPropertyName("format")] public string? Format { get; init; }
    [JsonPropertyName("trueToken")] public string? TrueToken { get; init; }
    [JsonPropertyName("falseToken")] public string? FalseToken { get; init; }

    public static ColumnTemplate Of(Column c) => c switch
    {
        NumericColumn n => new() { Name = c.Name, Type = c.Type, IsInteger = n.IsInteger, Decimals = n.DecimalPlaces },
        DateTimeColumn d => new() { Name = c.Name, Type = c.Type, Format = d.Format },
        BooleanColumn b => new() { Name = c.Name, Type = c.Type, TrueToken = b.TrueToken, FalseToken = b.FalseToken },
        _ => new() { Name = c.Name, Type = c.Type },
    };

    /// <summary>The smallest step between two values as written: 10^-decimals for numbers.</summary>
    [JsonIgnore] public double NumericUnit => IsInteger ? 1 : Decimals is > 0 and <= 15 ? Math.Pow(10, -Decimals) : 0;

    /// <summary>The smallest step between two datetimes the format can show (a day for date-only formats).</summary>
    [JsonIgnore]
    public long TickUnit
    {
        get
        {
            var f = Format ?? DateTimeColumn.IsoFormat;
            if (f.Contains('f') || f.Contains('F')) return 1;
            if (f.Contains('s')) return TimeSpan.TicksPerSecond;
            if (f.Contains('m')) return TimeSpan.TicksPerMinute;
            if (f.Contains('H') || f.Contains('h')) return TimeSpan.TicksPerHour;
            return TimeSpan.TicksPerDay;
        }
    }

    /// <summary>Rounds to the column's decimals (numbers stay exactly as they will be written).</summary>
    public double RoundNumber(double v) =>
        IsInteger ? Math.Round(v, MidpointRounding.AwayFromZero) : Decimals is > 0 and <= 15 ? Math.Round(v, Decimals, MidpointRounding.AwayFromZero) : v;

    public Column BuildNumeric(double[] values, Bitmask missing) =>
        new NumericColumn(Name, values, missing, IsInteger, Decimals);

    public Column BuildDateTime(long[] ticks, Bitmask missing) =>
        new DateTimeColumn(Name, ticks, missing, Format ?? DateTimeColumn.IsoFormat);

    /// <summary>Rebuilds a column of this template from the text its values were written as (null = missing).</summary>
    public Column BuildFromText(string?[] text)
    {
        int n = text.Length;
        var missing = Bitmask.FromBools(text.Select(t => t is null).ToArray());
        switch (Type)
        {
            case ColumnType.Numeric:
                return BuildNumeric(text.Select(t => t is null ? 0 : double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray(), missing);
            case ColumnType.Boolean:
                return new BooleanColumn(Name, text.Select(t => t is not null && t == (TrueToken ?? "true")).ToArray(), missing,
                    TrueToken ?? "true", FalseToken ?? "false");
            case ColumnType.DateTime:
                var format = Format ?? DateTimeColumn.IsoFormat;
                return BuildDateTime(text.Select(t => t is null ? 0
                    : DateTimeOffset.TryParseExact(t, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var o)
                        ? o.DateTime.Ticks : DateTime.ParseExact(t, format, CultureInfo.InvariantCulture).Ticks).ToArray(), missing);
            case ColumnType.Text:
                return new TextColumn(Name, text);
            default:
                return CategoricalColumn.FromStrings(Name, text);
        }
    }
}
