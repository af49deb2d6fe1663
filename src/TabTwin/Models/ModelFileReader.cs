using System.IO.Compression;
using System.Text.Json;
using TabTwin.Synthesizers;
using TabTwin.Bundles;
using TabTwin.Registry;

namespace TabTwin.Models;

/// <summary>
/// The checking side of <see cref="ModelFile"/>. Before any model data is decompressed: the entry count and the sizes
/// the zip claims, the manifest (read with its own small limit), the format version, every listed entry's name, path,
/// kind and declared size (arrays: length × element size; JSON: at most <see cref="ModelFileLimits.MaxJsonEntryBytes"/>),
/// that the zip holds exactly the listed entries, and the signature when a key is given. Then the registry entry named in
/// the manifest reads the model through a <see cref="ZipBundleSource"/>, which fetches each entry on demand, bounded by
/// the shapes the synthesizer has read so far, and checks its SHA-256. Afterwards every listed entry must have been used
/// and the manifest's schema must equal the model's own (hashed) schema. Never resolves a type name from the file.
/// </summary>
internal static class ModelFileReader
{
    public static ISynthesizerModel Read(Stream source, ModelFileLimits limits, string? file, ModelSigningKey? verifyWith) =>
        Open(source, limits, file, verifyWith, manifestOnly: false).Model!;

    /// <summary>A bundle of kind <paramref name="kind"/> (not a registered synthesizer), checked like a model file and read by <paramref name="read"/>.</summary>
    public static T ReadBundle<T>(Stream source, ModelFileLimits limits, string? file, string kind, Func<ModelBundleReader, T> read)
    {
        try
        {
            using var zip = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
            CheckDirectory(zip, limits, file);
            var manifestEntry = zip.GetEntry(ModelFile.ManifestPath) ?? throw ModelFileErrors.Corrupt(file, "it has no manifest.json");
            var manifest = ParseManifest(ReadSmallEntry(manifestEntry, limits.MaxManifestBytes, file), file);
            CheckVersion(manifest, file);
            if (manifest.Synthesizer != kind)
                throw new ModelFileException("model.wrong-kind", $"The model file holds a '{ModelFileErrors.Clip(manifest.Synthesizer)}' model, not a '{kind}' model.", file,
                    "Use the command that matches the model (a database model with the database commands, a table model with the table commands).");
            var entries = CheckEntries(zip, manifest, limits, file);
            var bundleSource = new ZipBundleSource(zip, entries, file);
            T result;
            try { result = read(new ModelBundleReader(bundleSource, file)); }
            catch (Exception e) when (e is not (TabTwinException or OutOfMemoryException or OperationCanceledException or IOException))
            {
                throw ModelFileErrors.Corrupt(file, $"its '{kind}' model data is inconsistent ({e.GetType().Name}: {ModelFileErrors.Clip(e.Message)})", e);
            }
            if (bundleSource.Unread.FirstOrDefault() is { } unused)
                throw ModelFileErrors.Corrupt(file, $"entry '{ModelFileErrors.Clip(unused)}' is listed but the '{kind}' model does not use it");
            return result;
        }
        catch (InvalidDataException e) { throw ModelFileErrors.Corrupt(file, $"it is not a readable zip archive ({ModelFileErrors.Clip(e.Message)})", e); }
        catch (EndOfStreamException e) { throw ModelFileErrors.Corrupt(file, "it ends too early (truncated)", e); }
    }

    public static ModelManifest ReadManifestOnly(Stream source, ModelFileLimits limits, string? file, ModelSigningKey? verifyWith) =>
        Open(source, limits, file, verifyWith, manifestOnly: true).Manifest;

    private static (ModelManifest Manifest, ISynthesizerModel? Model) Open(Stream source, ModelFileLimits limits, string? file,
        ModelSigningKey? verifyWith, bool manifestOnly)
    {
        try
        {
            using var zip = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
            CheckDirectory(zip, limits, file);
            var manifestEntry = zip.GetEntry(ModelFile.ManifestPath) ?? throw ModelFileErrors.Corrupt(file, "it has no manifest.json");
            var manifestBytes = ReadSmallEntry(manifestEntry, limits.MaxManifestBytes, file);
            CheckSignature(zip, manifestBytes, verifyWith, file);
            var manifest = ParseManifest(manifestBytes, file);
            CheckVersion(manifest, file);
            var entries = CheckEntries(zip, manifest, limits, file);
            if (manifestOnly) return (manifest, null);
            return (manifest, BuildModel(zip, manifest, entries, file));
        }
        catch (InvalidDataException e) { throw ModelFileErrors.Corrupt(file, $"it is not a readable zip archive ({ModelFileErrors.Clip(e.Message)})", e); }
        catch (EndOfStreamException e) { throw ModelFileErrors.Corrupt(file, "it ends too early (truncated)", e); }
        catch (IOException e)
        {
            throw new ModelFileException("model.unreadable", $"The model file{(file is null ? "" : $" '{file}'")} cannot be read: {ModelFileErrors.Clip(e.Message)}", file, inner: e);
        }
    }

    private static ISynthesizerModel BuildModel(ZipArchive zip, ModelManifest manifest, Dictionary<string, ManifestEntry> entries, string? file)
    {
        if (!SynthesizerRegistry.TryGet(manifest.Synthesizer, out var registered))
            throw new ModelFileException("model.unknown-synthesizer",
                $"The model was made by synthesizer '{ModelFileErrors.Clip(manifest.Synthesizer)}', which this TabTwin does not know (it knows: {string.Join(", ", SynthesizerRegistry.Names)}).",
                file, $"Load it with the TabTwin version that wrote it ({ModelFileErrors.Clip(manifest.TabTwinVersion)}) or later.");
        var source = new ZipBundleSource(zip, entries, file);
        ISynthesizerModel model;
        try
        {
            model = registered.Read(new ModelBundleReader(source, file));
        }
        catch (Exception e) when (e is not (TabTwinException or OutOfMemoryException or OperationCanceledException or IOException))
        {
            // The file passed its hashes but its contents contradict each other (a hand-edited file with recomputed hashes,
            // or a bug in a writer). Whatever the reader tripped over, it is a property of the file: report it as damage.
            throw ModelFileErrors.Corrupt(file, $"its '{registered.Name}' model data is inconsistent ({e.GetType().Name}: {ModelFileErrors.Clip(e.Message)})", e);
        }
        if (source.Unread.FirstOrDefault() is { } unused)
            throw ModelFileErrors.Corrupt(file, $"entry '{ModelFileErrors.Clip(unused)}' is listed but the '{registered.Name}' model does not use it");
        var stated = JsonSerializer.SerializeToUtf8Bytes(manifest.Schema, ManifestJson.Options);
        var own = JsonSerializer.SerializeToUtf8Bytes(model.Schema, ManifestJson.Options);
        if (!stated.AsSpan().SequenceEqual(own))
            throw ModelFileErrors.Corrupt(file, "the manifest's schema differs from the schema stored (and hashed) with the model");
        return model;
    }

    /// <summary>Entry count, distinct names and header-claimed sizes: cheap checks before any byte is decompressed.</summary>
    private static void CheckDirectory(ZipArchive zip, ModelFileLimits limits, string? file)
    {
        if (zip.Entries.Count > limits.MaxEntries)
            throw ModelFileErrors.TooLarge(file, $"it has {zip.Entries.Count} entries (the limit is {limits.MaxEntries})");
        long total = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in zip.Entries)
        {
            if (!names.Add(e.FullName)) throw ModelFileErrors.Corrupt(file, $"entry '{ModelFileErrors.Clip(e.FullName)}' appears twice");
            if (e.Length > limits.MaxEntryBytes)
                throw ModelFileErrors.TooLarge(file, $"entry '{ModelFileErrors.Clip(e.FullName)}' claims {e.Length:N0} bytes (the limit per entry is {limits.MaxEntryBytes:N0})");
            total += e.Length;
            if (total > limits.MaxTotalBytes)
                throw ModelFileErrors.TooLarge(file, $"its entries claim more than {limits.MaxTotalBytes:N0} bytes in total");
        }
    }

    /// <summary>Every listed entry well-formed, present with the size it declares, within the limits; nothing unlisted.</summary>
    private static Dictionary<string, ManifestEntry> CheckEntries(ZipArchive zip, ModelManifest manifest, ModelFileLimits limits, string? file)
    {
        if (manifest.Entries.Count > limits.MaxEntries) throw ModelFileErrors.TooLarge(file, $"its manifest lists {manifest.Entries.Count} entries (the limit is {limits.MaxEntries})");
        var byName = new Dictionary<string, ManifestEntry>(StringComparer.Ordinal);
        var paths = new HashSet<string>(StringComparer.Ordinal) { ModelFile.ManifestPath, ModelSigningKey.SignatureEntry };
        long total = 0;
        foreach (var me in manifest.Entries)
        {
            if (me is null || me.Name is null || me.Kind is null || me.Sha256 is null || me.Path is null) throw ModelFileErrors.Corrupt(file, "manifest.json has an incomplete entry");
            string name = ModelFileErrors.Clip(me.Name);
            if (!ModelBundleWriter.IsValidName(me.Name)) throw ModelFileErrors.Corrupt(file, $"manifest.json lists an entry with the invalid name '{name}'");
            bool isJson = me.Kind == ManifestEntry.JsonKind;
            int size = isJson ? 1 : ManifestEntry.ParseArrayKind(me.Kind)?.Size ?? throw ModelFileErrors.Corrupt(file, $"entry '{name}' has unknown kind '{ModelFileErrors.Clip(me.Kind)}'");
            if (me.Path != ModelFile.EntryPath(me.Name, isJson) || !paths.Add(me.Path) || !byName.TryAdd(me.Name, me))
                throw ModelFileErrors.Corrupt(file, $"manifest.json lists entry '{name}' with a wrong or repeated path");
            if (me.Sha256.Length != 64 || !me.Sha256.All(char.IsAsciiHexDigit)) throw ModelFileErrors.Corrupt(file, $"entry '{name}' has a malformed SHA-256");
            if (me.Length < 0 || me.Length > limits.MaxEntryBytes / size || me.Bytes != me.Length * size)
                throw ModelFileErrors.Corrupt(file, $"entry '{me.Path}' declares {me.Bytes:N0} bytes for {me.Length:N0} {me.Kind} values");
            long limit = isJson ? Math.Min(limits.MaxJsonEntryBytes, limits.MaxEntryBytes) : limits.MaxEntryBytes;
            if (me.Bytes > limit)
                throw ModelFileErrors.TooLarge(file, $"{(isJson ? "JSON " : "")}entry '{me.Path}' declares {me.Bytes:N0} bytes (the limit is {limit:N0})");
            total += me.Bytes;
            if (total > limits.MaxTotalBytes) throw ModelFileErrors.TooLarge(file, $"its entries declare more than {limits.MaxTotalBytes:N0} bytes in total");
            var zipEntry = zip.GetEntry(me.Path) ?? throw ModelFileErrors.Corrupt(file, $"entry '{me.Path}' listed in the manifest is missing");
            if (zipEntry.Length != me.Bytes) throw ModelFileErrors.HashMismatch(file, me.Path); // a changed size is a changed entry
        }
        var unlisted = zip.Entries.Select(e => e.FullName).FirstOrDefault(n => !paths.Contains(n));
        if (unlisted is not null) throw ModelFileErrors.Corrupt(file, $"entry '{ModelFileErrors.Clip(unlisted)}' is not listed in the manifest");
        return byName;
    }

    private static void CheckSignature(ZipArchive zip, byte[] manifestBytes, ModelSigningKey? verifyWith, string? file)
    {
        var signatureEntry = zip.GetEntry(ModelSigningKey.SignatureEntry);
        if (verifyWith is null) return; // an unsigned check: the signature (if any) is not looked at without a key
        if (signatureEntry is null)
            throw new ModelFileException("model.unsigned", $"The model file{(file is null ? "" : $" '{file}'")} is not signed, and a signing key was given to verify it.", file,
                "Load only models signed with your team's key (fit or run --sign-key-file), or load it without a key if you trust its source.");
        var signature = ReadSmallEntry(signatureEntry, 1024, file);
        if (!verifyWith.Verifies(manifestBytes, signature))
            throw new ModelFileException("model.signature-mismatch",
                $"The model file{(file is null ? "" : $" '{file}'")} was not signed with the given key, or was modified after signing.", file,
                "Do not use this file; ask its author for the model signed with your team's key.");
    }

    /// <summary>Decompresses a small entry (manifest, signature), counting bytes as they come: the header's size claim is not trusted.</summary>
    private static byte[] ReadSmallEntry(ZipArchiveEntry entry, long cap, string? file)
    {
        if (entry.Length > cap) throw ModelFileErrors.TooLarge(file, $"entry '{entry.FullName}' claims {entry.Length:N0} bytes (the limit is {cap:N0})");
        using var input = entry.Open();
        using var output = new MemoryStream((int)Math.Min(Math.Max(entry.Length, 0), cap));
        var buffer = new byte[81920];
        int read;
        while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (output.Length + read > cap) throw ModelFileErrors.TooLarge(file, $"entry '{entry.FullName}' holds more than {cap:N0} bytes");
            output.Write(buffer, 0, read);
        }
        return output.ToArray();
    }

    private static ModelManifest ParseManifest(byte[] bytes, string? file)
    {
        try
        {
            var m = JsonSerializer.Deserialize<ModelManifest>(bytes, ManifestJson.Options) ?? throw ModelFileErrors.Corrupt(file, "manifest.json is empty");
            if (m.Entries is null || m.Schema is null || m.Synthesizer is null || m.Schema.Columns is null || m.Schema.Columns.Any(c => c is null))
                throw ModelFileErrors.Corrupt(file, "manifest.json lacks entries, schema or synthesizer");
            return m;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            throw ModelFileErrors.Corrupt(file, $"manifest.json is not valid ({ModelFileErrors.Clip(e.Message)})", e);
        }
    }

    private static void CheckVersion(ModelManifest m, string? file)
    {
        if (m.FormatVersion > ModelFile.FormatVersion || m.FormatVersion < ModelFile.OldestReadableVersion)
            throw new ModelFileException("model.version",
                $"The model file has format version {m.FormatVersion} (written by TabTwin {ModelFileErrors.Clip(m.TabTwinVersion)}); this TabTwin {ModelFile.LibraryVersion} reads format versions {ModelFile.OldestReadableVersion} to {ModelFile.FormatVersion}.",
                file, m.FormatVersion > ModelFile.FormatVersion
                    ? $"Use TabTwin {ModelFileErrors.Clip(m.TabTwinVersion)} or later to load it."
                    : "Fit the model again with this TabTwin version.");
    }
}
