using System.Text.Json;
using System.Text.Json.Serialization;
using TabTwin.Schema;
using TabTwin.Bundles;

namespace TabTwin.Models;

/// <summary>
/// <c>manifest.json</c> of a model file: versions, who wrote it, the schema and, for every other entry of the
/// zip, its kind, length and SHA-256. Readers check all of it before any model data is used.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>Format of this file (see <see cref="ModelFile.FormatVersion"/>).</summary>
    [JsonPropertyName("formatVersion")] public required int FormatVersion { get; init; }
    /// <summary>The oldest format version the writing TabTwin could still read (recorded for diagnostics).</summary>
    [JsonPropertyName("oldestReadableVersion")] public required int OldestReadableVersion { get; init; }
    /// <summary>Version of the TabTwin library that wrote the file.</summary>
    [JsonPropertyName("tabTwinVersion")] public required string TabTwinVersion { get; init; }
    /// <summary>Registry name of the synthesizer whose model this is (e.g. <c>gaussian-copula</c>).</summary>
    [JsonPropertyName("synthesizer")] public required string Synthesizer { get; init; }
    [JsonPropertyName("createdUtc")] public required DateTime CreatedUtc { get; init; }
    [JsonPropertyName("schema")] public required TableSchema Schema { get; init; }
    [JsonPropertyName("entries")] public required IReadOnlyList<ManifestEntry> Entries { get; init; }
}

/// <summary>
/// One data entry of a model file. <see cref="Kind"/> is <c>json</c> or an array element type
/// (<c>float64</c>, <c>float32</c>, <c>int32</c>, <c>int64</c>); <see cref="Length"/> is the element count of
/// an array or the byte count of a JSON document; <see cref="Bytes"/> is the stored (uncompressed) size.
/// </summary>
public sealed record ManifestEntry
{
    /// <summary>The bundle name (what a synthesizer passes to <see cref="ModelBundleReader"/>).</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>Path inside the zip: <c>{name}.json</c> or <c>{name}.bin</c>.</summary>
    [JsonPropertyName("path")] public required string Path { get; init; }
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("length")] public required long Length { get; init; }
    [JsonPropertyName("bytes")] public required long Bytes { get; init; }
    /// <summary>Lower-case hex SHA-256 of the entry's uncompressed bytes.</summary>
    [JsonPropertyName("sha256")] public required string Sha256 { get; init; }

    internal const string JsonKind = "json";

    internal static string KindName(ArrayKind kind) => kind switch
    {
        ArrayKind.Float64 => "float64",
        ArrayKind.Float32 => "float32",
        ArrayKind.Int32 => "int32",
        ArrayKind.Int64 => "int64",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The array kind and element size for an array kind name; null for unknown names.</summary>
    internal static (ArrayKind Kind, int Size)? ParseArrayKind(string kind) => kind switch
    {
        "float64" => (ArrayKind.Float64, 8),
        "float32" => (ArrayKind.Float32, 4),
        "int32" => (ArrayKind.Int32, 4),
        "int64" => (ArrayKind.Int64, 8),
        _ => null,
    };
}

/// <summary>
/// Limits a model file must stay within before it is read. Sizes are counted while decompressing, so a zip
/// whose headers understate its contents (a "zip bomb") is still stopped.
/// </summary>
public sealed record ModelFileLimits
{
    public static readonly ModelFileLimits Default = new();

    /// <summary>Most entries (manifest included) a model file may hold.</summary>
    public int MaxEntries { get; init; } = 4096;
    /// <summary>Largest uncompressed size of one entry, in bytes (default 1 GiB).</summary>
    public long MaxEntryBytes { get; init; } = 1L << 30;
    /// <summary>Largest total uncompressed size of all entries, in bytes (default 2 GiB).</summary>
    public long MaxTotalBytes { get; init; } = 2L << 30;
    /// <summary>
    /// Largest <c>manifest.json</c>, in bytes (default 8 MiB: versions, the schema and one line per entry; a schema of
    /// 10,000 columns takes about 2 MiB).
    /// </summary>
    public long MaxManifestBytes { get; init; } = 8L << 20;
    /// <summary>
    /// Largest JSON entry, in bytes (default 32 MiB). JSON entries hold options, shapes and category lists; numbers in bulk
    /// go to binary arrays, whose size each synthesizer bounds by the shapes it read first.
    /// </summary>
    public long MaxJsonEntryBytes { get; init; } = 32L << 20;
}

internal static class ManifestJson
{
    public static readonly JsonSerializerOptions Options = new(SchemaJson.Options);
}
