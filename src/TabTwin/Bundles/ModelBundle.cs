using System.Runtime.InteropServices;
using System.Text.Json;

namespace TabTwin.Bundles;

/// <summary>
/// The in-memory form of a model's contents: named JSON documents and named little-endian arrays of
/// primitive numbers. A synthesizer writes its state here; <c>ModelFile</c> (in TabTwin.Models, above the synthesizers) turns a bundle into a
/// file (manifest + hashes) and back. No type names, no code: only data.
/// </summary>
public sealed class ModelBundleWriter
{
    internal Dictionary<string, JsonElement> Json { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, (ArrayKind Kind, byte[] Bytes, long Length)> Arrays { get; } = new(StringComparer.Ordinal);

    public void WriteJson<T>(string name, T value, JsonSerializerOptions? options = null)
    {
        CheckName(name);
        Json[name] = JsonSerializer.SerializeToElement(value, options ?? ModelJson.Options);
    }

    public void WriteArray(string name, ReadOnlySpan<double> values) => Put(name, ArrayKind.Float64, MemoryMarshal.AsBytes(values), values.Length);
    public void WriteArray(string name, ReadOnlySpan<float> values) => Put(name, ArrayKind.Float32, MemoryMarshal.AsBytes(values), values.Length);
    public void WriteArray(string name, ReadOnlySpan<int> values) => Put(name, ArrayKind.Int32, MemoryMarshal.AsBytes(values), values.Length);
    public void WriteArray(string name, ReadOnlySpan<long> values) => Put(name, ArrayKind.Int64, MemoryMarshal.AsBytes(values), values.Length);

    private void Put(string name, ArrayKind kind, ReadOnlySpan<byte> bytes, long length)
    {
        CheckName(name);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Model files are little-endian.");
        Arrays[name] = (kind, bytes.ToArray(), length);
    }

    /// <summary>Copies every entry of <paramref name="inner"/> under <paramref name="prefix"/> (a wrapper model storing the model it wraps).</summary>
    internal void AddPrefixed(string prefix, ModelBundleWriter inner)
    {
        foreach (var (name, element) in inner.Json) { CheckName(prefix + name); Json[prefix + name] = element; }
        foreach (var (name, array) in inner.Arrays) { CheckName(prefix + name); Arrays[prefix + name] = array; }
    }

    /// <summary>1-128 ASCII letters, digits, '-', '_' or '.': safe as a zip path on every platform, no folders, no traversal.</summary>
    internal static bool IsValidName(string name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private void CheckName(string name)
    {
        if (!IsValidName(name))
            throw new ArgumentException($"Bundle entry name '{name}' must be 1-128 ASCII letters, digits, '-', '_' or '.'.");
        if (Json.ContainsKey(name) || Arrays.ContainsKey(name))
            throw new ArgumentException($"Bundle entry '{name}' was written twice.");
    }
}

/// <summary>
/// Read side of a bundle; every missing entry or wrong kind is a <see cref="ModelFileException"/>. Entries are fetched
/// when asked for: a synthesizer first reads its small JSON documents (the shapes), then asks for each array with the
/// most values those shapes allow, so a model file cannot make TabTwin decompress or allocate more than its synthesizer
/// needs (the file's declared length is checked against that bound before any byte of the array is read).
/// </summary>
public sealed class ModelBundleReader
{
    private readonly IBundleSource _source;
    private readonly string _prefix;

    internal ModelBundleReader(IBundleSource source, string? file = null, string prefix = "")
    {
        _source = source;
        File = file;
        _prefix = prefix;
    }

    /// <summary>Reads back what a writer holds, without a file (used by tests and in-memory clones).</summary>
    public static ModelBundleReader FromWriter(ModelBundleWriter writer) => new(new WriterSource(writer));

    public string? File { get; }

    /// <summary>The entries whose names start with <paramref name="prefix"/>, with the prefix removed (the model a wrapper stored).</summary>
    internal ModelBundleReader WithPrefix(string prefix) => new(_source, File, _prefix + prefix);

    public bool HasEntry(string name) => _source.Has(_prefix + name);

    /// <summary>
    /// How many array values the file declares under names starting with <paramref name="namePrefix"/>, read from the
    /// manifest without touching the data: lets a reader refuse a shape (a network's layer sizes) that the file's own
    /// arrays could not fill, before allocating it.
    /// </summary>
    public long DeclaredValues(string namePrefix) => _source.DeclaredValues(_prefix + namePrefix);

    public T ReadJson<T>(string name, JsonSerializerOptions? options = null)
    {
        var el = _source.Json(_prefix + name)
            ?? throw new ModelFileException("model.missing-entry", $"The model file has no entry '{_prefix + name}'.", File);
        try
        {
            return el.Deserialize<T>(options ?? ModelJson.Options)
                ?? throw new ModelFileException("model.bad-entry", $"Model entry '{_prefix + name}' is empty.", File);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            throw new ModelFileException("model.bad-entry", $"Model entry '{_prefix + name}' is not valid: {Clip(e.Message)}", File, inner: e);
        }
    }

    /// <summary>
    /// The float64 array <paramref name="name"/>. <paramref name="maxLength"/> is the most values the caller's shapes
    /// allow: a file declaring more is refused before the array is read.
    /// </summary>
    public double[] ReadDoubles(string name, long maxLength = long.MaxValue) => Read<double>(name, ArrayKind.Float64, maxLength);
    public float[] ReadFloats(string name, long maxLength = long.MaxValue) => Read<float>(name, ArrayKind.Float32, maxLength);
    public int[] ReadInts(string name, long maxLength = long.MaxValue) => Read<int>(name, ArrayKind.Int32, maxLength);
    public long[] ReadLongs(string name, long maxLength = long.MaxValue) => Read<long>(name, ArrayKind.Int64, maxLength);

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private T[] Read<T>(string name, ArrayKind kind, long maxLength) where T : unmanaged =>
        _source.Array<T>(_prefix + name, kind, maxLength)
        ?? throw new ModelFileException("model.missing-entry", $"The model file has no array '{_prefix + name}'.", File);
}

/// <summary>Where a <see cref="ModelBundleReader"/> gets its entries: a writer in memory, or a checked model file.</summary>
internal interface IBundleSource
{
    bool Has(string name);
    /// <summary>Total declared length of the arrays whose names start with <paramref name="prefix"/>.</summary>
    long DeclaredValues(string prefix);
    /// <summary>The JSON document <paramref name="name"/>, or null when there is none.</summary>
    JsonElement? Json(string name);
    /// <summary>The array <paramref name="name"/> if it has kind <paramref name="kind"/> and at most <paramref name="maxLength"/> values; null when there is none.</summary>
    T[]? Array<T>(string name, ArrayKind kind, long maxLength) where T : unmanaged;
}

/// <summary>A bundle read straight from a writer's entries (no file, no limits beyond the caller's).</summary>
internal sealed class WriterSource(ModelBundleWriter writer) : IBundleSource
{
    public bool Has(string name) => writer.Json.ContainsKey(name) || writer.Arrays.ContainsKey(name);

    public long DeclaredValues(string prefix) =>
        writer.Arrays.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(p => p.Value.Length);

    public JsonElement? Json(string name) => writer.Json.TryGetValue(name, out var el) ? el : null;

    public T[]? Array<T>(string name, ArrayKind kind, long maxLength) where T : unmanaged
    {
        if (!writer.Arrays.TryGetValue(name, out var a)) return null;
        if (a.Kind != kind)
            throw new ModelFileException("model.bad-entry", $"Model array '{name}' holds {a.Kind}, expected {kind}.");
        if (a.Length > maxLength)
            throw new ModelFileException("model.bad-entry", $"Model array '{name}' has {a.Length:N0} values; at most {maxLength:N0} fit the model's shapes.");
        return MemoryMarshal.Cast<byte, T>(a.Bytes).ToArray();
    }
}

/// <summary>Element type of a binary array in a model file.</summary>
public enum ArrayKind { Float64, Float32, Int32, Int64 }

/// <summary>JSON settings shared by everything written into model files.</summary>
/// <remarks>
/// The settings of the metadata JSON (<c>SchemaJson.Options</c> is this plus indentation), declared here because bundles
/// sit below the schema: lenient reading, nulls left out, non-ASCII text kept as written.
/// </remarks>
public static class ModelJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
