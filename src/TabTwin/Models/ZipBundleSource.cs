using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using TabTwin.Bundles;

namespace TabTwin.Models;

/// <summary>
/// The entries of a model file whose manifest was already checked (<see cref="ModelFileReader"/>): each entry is
/// decompressed only when the synthesizer asks for it, straight into a buffer of the size the manifest declares (never
/// more; an array whose declared length exceeds what the synthesizer's shapes allow is refused before reading), and
/// its SHA-256 is checked before its bytes are used. Remembers which entries were read, so entries the synthesizer
/// never needs can be refused too.
/// </summary>
internal sealed class ZipBundleSource(ZipArchive zip, IReadOnlyDictionary<string, ManifestEntry> entries, string? file) : IBundleSource
{
    /// <summary>Deepest nesting accepted in a JSON entry (the writers never nest deeper than about 10).</summary>
    internal const int MaxJsonDepth = 64;

    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Listed entries no synthesizer read asked for (after the model was built).</summary>
    public IEnumerable<string> Unread => entries.Keys.Where(n => !_read.Contains(n));

    public bool Has(string name) => entries.ContainsKey(name);

    public long DeclaredValues(string prefix) =>
        entries.Values.Where(e => e.Kind != ManifestEntry.JsonKind && e.Name.StartsWith(prefix, StringComparison.Ordinal)).Sum(e => e.Length);

    public JsonElement? Json(string name)
    {
        if (!entries.TryGetValue(name, out var me)) return null;
        if (me.Kind != ManifestEntry.JsonKind)
            throw new ModelFileException("model.bad-entry", $"Model entry '{ModelFileErrors.Clip(name)}' is an array ({me.Kind}); a JSON document was expected.", file);
        var bytes = new byte[me.Bytes]; // bounded by ModelFileLimits.MaxJsonEntryBytes when the manifest was checked
        ReadExactly(me, bytes);
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
            return doc.RootElement.Clone();
        }
        catch (JsonException e) { throw ModelFileErrors.Corrupt(file, $"entry '{me.Path}' is not valid JSON ({ModelFileErrors.Clip(e.Message)})", e); }
    }

    public T[]? Array<T>(string name, ArrayKind kind, long maxLength) where T : unmanaged
    {
        if (!entries.TryGetValue(name, out var me)) return null;
        if (me.Kind != ManifestEntry.KindName(kind))
            throw new ModelFileException("model.bad-entry", $"Model array '{ModelFileErrors.Clip(name)}' holds {ModelFileErrors.Clip(me.Kind)}, expected {ManifestEntry.KindName(kind)}.", file);
        if (me.Length > maxLength)
            throw new ModelFileException("model.bad-entry",
                $"Model array '{ModelFileErrors.Clip(name)}' declares {me.Length:N0} values; the model's own shapes allow at most {maxLength:N0}.", file,
                "Use an undamaged copy of the model file, or fit the model again.");
        var values = new T[me.Length]; // me.Bytes == me.Length * sizeof(T) <= MaxEntryBytes, checked with the manifest
        ReadExactly(me, MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>Fills <paramref name="target"/> with the entry's bytes; a different size or hash is damage.</summary>
    private void ReadExactly(ManifestEntry me, Span<byte> target)
    {
        var zipEntry = zip.GetEntry(me.Path) ?? throw ModelFileErrors.Corrupt(file, $"entry '{me.Path}' listed in the manifest is missing");
        try
        {
            using var input = zipEntry.Open();
            int filled = 0;
            while (filled < target.Length)
            {
                int n = input.Read(target[filled..]);
                if (n == 0) throw ModelFileErrors.Corrupt(file, $"entry '{me.Path}' holds {filled:N0} bytes; the manifest declares {me.Bytes:N0}");
                filled += n;
            }
            Span<byte> probe = stackalloc byte[1];
            if (input.Read(probe) != 0) throw ModelFileErrors.Corrupt(file, $"entry '{me.Path}' holds more than the {me.Bytes:N0} bytes the manifest declares");
        }
        catch (InvalidDataException e) { throw ModelFileErrors.Corrupt(file, $"entry '{me.Path}' cannot be decompressed ({ModelFileErrors.Clip(e.Message)})", e); }
        catch (EndOfStreamException e) { throw ModelFileErrors.Corrupt(file, $"entry '{me.Path}' ends too early", e); }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(target, hash);
        if (!string.Equals(Convert.ToHexStringLower(hash), me.Sha256, StringComparison.OrdinalIgnoreCase)) throw ModelFileErrors.HashMismatch(file, me.Path);
        _read.Add(me.Name);
    }
}
