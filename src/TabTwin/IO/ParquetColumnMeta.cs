using System.Text.Json;
using System.Text.Json.Serialization;

namespace TabTwin.IO;

/// <summary>
/// What Parquet cannot hold natively, stored per column as JSON in the file's key-value metadata under
/// <see cref="MetadataKey"/>: the storage type (categorical vs text), integer-ness and decimal places,
/// the datetime format string, boolean spellings, and the name of the companion column that holds
/// per-row UTC offsets. Files without this entry (written by other tools) are read by their Parquet types.
/// </summary>
internal sealed record ParquetColumnMeta
{
    public const string MetadataKey = "tabtwin.columns";
    /// <summary>Prefix of the hidden companion column holding a datetime column's per-row offset minutes.</summary>
    public const string OffsetColumnPrefix = "__tabtwin_offset_minutes__";

    public required string Name { get; init; }
    public required string Type { get; init; }
    public bool? IsInteger { get; init; }
    public int? DecimalPlaces { get; init; }
    public string? Format { get; init; }
    public string? TrueToken { get; init; }
    public string? FalseToken { get; init; }
    public string? OffsetColumn { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(IReadOnlyList<ParquetColumnMeta> columns) => JsonSerializer.Serialize(columns, Json);

    public static Dictionary<string, ParquetColumnMeta> Parse(string? json, string path)
    {
        if (string.IsNullOrEmpty(json)) return new(StringComparer.Ordinal);
        try
        {
            var list = JsonSerializer.Deserialize<List<ParquetColumnMeta>>(json, Json) ?? [];
            return list.ToDictionary(m => m.Name, StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new DataSourceException("parquet.bad-metadata", $"'{path}': the TabTwin column metadata is damaged: {e.Message}", file: path, inner: e);
        }
    }
}
