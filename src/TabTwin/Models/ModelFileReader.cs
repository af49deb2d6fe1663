using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using TabTwin.Synthesizers;
using TabTwin.Bundles;
using TabTwin.Registry;

namespace TabTwin.Models;

/// <summary>
/// The checking side of <see cref="ModelFile"/>: opens the zip, enforces <see cref="ModelFileLimits"/> (counting
/// bytes while decompressing), checks the format version and every SHA-256, builds a <see cref="ModelBundleReader"/>
/// and hands it to the registry entry named in the manifest. Never resolves a type name from the file.
/// </summary>
internal static class ModelFileReader
{
    public static ISynthesizerModel Read(Stream source, ModelFileLimits limits, string? file)
    {
        var (manifest, bundle) = ReadChecked(source, limits, file, manifestOnly: false);
        if (!SynthesizerRegistry.TryGet(manifest.Synthesizer, out var entry))
            throw new ModelFileException("model.unknown-synthesizer",
                $"The model was made by synthesizer '{manifest.Synthesizer}', which this TabTwin does not know (it knows: {string.Join(", ", SynthesizerRegistry.Names)}).",
                file, $"Load it with the TabTwin version that wrote it ({manifest.TabTwinVersion}) or later.");
        try
        {
            return entry.Read(bundle!);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            throw Corrupt(file, $"its '{manifest.Synthesizer}' model data is inconsistent ({e.Message})", e);
        }
    }

    public static ModelManifest ReadManifestOnly(Stream source, ModelFileLimits limits, string? file) =>
        ReadChecked(source, limits, file, manifestOnly: true).Manifest;

    private static (ModelManifest Manifest, ModelBundleReader? Bundle) ReadChecked(Stream source, ModelFileLimits limits, string? file, bool manifestOnly)
    {
        try
        {
            using var zip = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
            CheckDirectory(zip, limits, file);
            long budget = limits.MaxTotalBytes;
            var manifestEntry = zip.GetEntry(ModelFile.ManifestPath) ?? throw Corrupt(file, "it has no manifest.json");
            var manifest = ParseManifest(ReadEntry(manifestEntry, limits, ref budget, file), file);
            CheckVersion(manifest, file);
            if (manifestOnly) return (manifest, null);
            return (manifest, ReadEntries(zip, manifest, limits, budget, file));
        }
        catch (InvalidDataException e) { throw Corrupt(file, $"it is not a readable zip archive ({e.Message})", e); }
        catch (EndOfStreamException e) { throw Corrupt(file, "it ends too early (truncated)", e); }
        catch (IOException e)
        {
            throw new ModelFileException("model.unreadable", $"The model file{(file is null ? "" : $" '{file}'")} cannot be read: {e.Message}", file, inner: e);
        }
    }

    /// <summary>Entry count and header-claimed sizes: cheap checks before any byte is decompressed.</summary>
    private static void CheckDirectory(ZipArchive zip, ModelFileLimits limits, string? file)
    {
        if (zip.Entries.Count > limits.MaxEntries)
            throw TooLarge(file, $"it has {zip.Entries.Count} entries (the limit is {limits.MaxEntries})");
        long total = 0;
        foreach (var e in zip.Entries)
        {
            if (e.Length > limits.MaxEntryBytes)
                throw TooLarge(file, $"entry '{e.FullName}' claims {e.Length:N0} bytes (the limit per entry is {limits.MaxEntryBytes:N0})");
            total += e.Length;
            if (total > limits.MaxTotalBytes)
                throw TooLarge(file, $"its entries claim more than {limits.MaxTotalBytes:N0} bytes in total");
        }
    }

    private static ModelManifest ParseManifest(byte[] bytes, string? file)
    {
        try
        {
            var m = JsonSerializer.Deserialize<ModelManifest>(bytes, ManifestJson.Options) ?? throw Corrupt(file, "manifest.json is empty");
            if (m.Entries is null || m.Schema is null || m.Synthesizer is null) throw Corrupt(file, "manifest.json lacks entries, schema or synthesizer");
            return m;
        }
        catch (JsonException e) { throw Corrupt(file, $"manifest.json is not valid ({e.Message})", e); }
    }

    private static void CheckVersion(ModelManifest m, string? file)
    {
        if (m.FormatVersion > ModelFile.FormatVersion || m.FormatVersion < ModelFile.OldestReadableVersion)
            throw new ModelFileException("model.version",
                $"The model file has format version {m.FormatVersion} (written by TabTwin {m.TabTwinVersion}); this TabTwin {ModelFile.LibraryVersion} reads format versions {ModelFile.OldestReadableVersion} to {ModelFile.FormatVersion}.",
                file, m.FormatVersion > ModelFile.FormatVersion
                    ? $"Use TabTwin {m.TabTwinVersion} or later to load it."
                    : "Fit the model again with this TabTwin version.");
    }

    private static ModelBundleReader ReadEntries(ZipArchive zip, ModelManifest manifest, ModelFileLimits limits, long budget, string? file)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal) { ModelFile.ManifestPath };
        var json = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var arrays = new Dictionary<string, (ArrayKind, byte[], long)>(StringComparer.Ordinal);
        foreach (var me in manifest.Entries)
        {
            if (me is null || me.Name is null || me.Kind is null || me.Sha256 is null) throw Corrupt(file, "manifest.json has an incomplete entry");
            bool isJson = me.Kind == ManifestEntry.JsonKind;
            (ArrayKind Kind, int Size)? arrayKind = isJson ? null : ManifestEntry.ParseArrayKind(me.Kind) ?? throw Corrupt(file, $"entry '{me.Name}' has unknown kind '{me.Kind}'");
            var path = ModelFile.EntryPath(me.Name, isJson);
            if (me.Path != path || !listed.Add(path) || json.ContainsKey(me.Name) || arrays.ContainsKey(me.Name))
                throw Corrupt(file, $"manifest.json lists entry '{me.Name}' with a wrong or repeated path");
            var zipEntry = zip.GetEntry(path) ?? throw Corrupt(file, $"entry '{path}' listed in the manifest is missing");
            var bytes = ReadEntry(zipEntry, limits, ref budget, file);
            if (bytes.LongLength != me.Bytes || !string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), me.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new ModelFileException("model.hash-mismatch",
                    $"Model file entry '{path}' does not match its SHA-256 in the manifest: the file was damaged or modified.", file,
                    "Use an undamaged copy of the model file, or fit the model again.");
            if (isJson)
            {
                try
                {
                    using var doc = JsonDocument.Parse(bytes);
                    json[me.Name] = doc.RootElement.Clone();
                }
                catch (JsonException e) { throw Corrupt(file, $"entry '{path}' is not valid JSON ({e.Message})", e); }
            }
            else
            {
                var (kind, size) = arrayKind!.Value;
                if (me.Length < 0 || bytes.LongLength != me.Length * size)
                    throw Corrupt(file, $"array '{path}' has {bytes.LongLength} bytes for {me.Length} {me.Kind} values");
                arrays[me.Name] = (kind, bytes, me.Length);
            }
        }
        var unlisted = zip.Entries.Select(e => e.FullName).FirstOrDefault(n => !listed.Contains(n));
        if (unlisted is not null) throw Corrupt(file, $"entry '{unlisted}' is not listed in the manifest");
        return new ModelBundleReader(json, arrays, file);
    }

    /// <summary>Decompresses one entry, counting bytes as they come: the header's size claim is not trusted.</summary>
    private static byte[] ReadEntry(ZipArchiveEntry entry, ModelFileLimits limits, ref long budget, string? file)
    {
        long cap = Math.Min(limits.MaxEntryBytes, budget);
        using var input = entry.Open();
        using var output = new MemoryStream((int)Math.Min(Math.Max(entry.Length, 0), Math.Min(cap, 1 << 20)));
        var buffer = new byte[81920];
        int read;
        while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (output.Length + read > cap)
                throw TooLarge(file, output.Length + read > limits.MaxEntryBytes
                    ? $"entry '{entry.FullName}' holds more than {limits.MaxEntryBytes:N0} bytes"
                    : $"its entries hold more than {limits.MaxTotalBytes:N0} bytes in total");
            output.Write(buffer, 0, read);
        }
        budget -= output.Length;
        return output.ToArray();
    }

    private static ModelFileException Corrupt(string? file, string what, Exception? inner = null) =>
        new("model.corrupt", $"The model file{(file is null ? "" : $" '{file}'")} is damaged: {what}.", file,
            "Use an undamaged copy of the model file, or fit the model again.", inner);

    private static ModelFileException TooLarge(string? file, string what) =>
        new("model.too-large", $"The model file{(file is null ? "" : $" '{file}'")} is too large to load safely: {what}.", file,
            "If the file is trusted, raise the limits in ModelFileLimits; otherwise do not load it.");
}
