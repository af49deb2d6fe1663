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

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 128 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw new ArgumentException($"Bundle entry name '{name}' must be 1-128 ASCII letters, digits, '-', '_' or '.'.");
        if (Json.ContainsKey(name) || Arrays.ContainsKey(name))
            throw new ArgumentException($"Bundle entry '{name}' was written twice.");
    }
}

/// <summary>Read side of a bundle; every missing entry or wrong kind is a <see cref="ModelFileException"/>.</summary>
public sealed class ModelBundleReader
{
    private readonly IReadOnlyDictionary<string, JsonElement> _json;
    private readonly IReadOnlyDictionary<string, (ArrayKind Kind, byte[] Bytes, long Length)> _arrays;

    internal ModelBundleReader(IReadOnlyDictionary<string, JsonElement> json,
        IReadOnlyDictionary<string, (ArrayKind Kind, byte[] Bytes, long Length)> arrays, string? file = null)
    {
        _json = json;
        _arrays = arrays;
        File = file;
    }

    /// <summary>Reads back what a writer holds, without a file (used by tests and in-memory clones).</summary>
    public static ModelBundleReader FromWriter(ModelBundleWriter writer) => new(writer.Json, writer.Arrays);

    public string? File { get; }

    /// <summary>The entries whose names start with <paramref name="prefix"/>, with the prefix removed (the model a wrapper stored).</summary>
    internal ModelBundleReader WithPrefix(string prefix) => new(
        _json.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal),
        _arrays.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal),
        File);

    public bool HasEntry(string name) => _json.ContainsKey(name) || _arrays.ContainsKey(name);

    public T ReadJson<T>(string name, JsonSerializerOptions? options = null)
    {
        if (!_json.TryGetValue(name, out var el))
            throw new ModelFileException("model.missing-entry", $"The model file has no entry '{name}'.", File);
        try
        {
            return el.Deserialize<T>(options ?? ModelJson.Options)
                ?? throw new ModelFileException("model.bad-entry", $"Model entry '{name}' is empty.", File);
        }
        catch (JsonException e)
        {
            throw new ModelFileException("model.bad-entry", $"Model entry '{name}' is not valid: {e.Message}", File, inner: e);
        }
    }

    public double[] ReadDoubles(string name) => Read<double>(name, ArrayKind.Float64);
    public float[] ReadFloats(string name) => Read<float>(name, ArrayKind.Float32);
    public int[] ReadInts(string name) => Read<int>(name, ArrayKind.Int32);
    public long[] ReadLongs(string name) => Read<long>(name, ArrayKind.Int64);

    private T[] Read<T>(string name, ArrayKind kind) where T : unmanaged
    {
        if (!_arrays.TryGetValue(name, out var a))
            throw new ModelFileException("model.missing-entry", $"The model file has no array '{name}'.", File);
        if (a.Kind != kind)
            throw new ModelFileException("model.bad-entry", $"Model array '{name}' holds {a.Kind}, expected {kind}.", File);
        if (a.Bytes.Length != a.Length * Marshal.SizeOf<T>())
            throw new ModelFileException("model.bad-entry", $"Model array '{name}' has {a.Bytes.Length} bytes for {a.Length} values.", File);
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
