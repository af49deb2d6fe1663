using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using TabTwin.IO;
using TabTwin.Synthesizers;
using TabTwin.Bundles;

namespace TabTwin.Models;

/// <summary>
/// Saves and loads fitted models as a zip: <c>manifest.json</c> (versions, synthesizer name, schema, and the
/// kind, length and SHA-256 of every entry), one <c>{name}.json</c> per JSON document and one little-endian
/// <c>{name}.bin</c> per array of the <see cref="ModelBundleWriter"/>, and optionally <c>manifest.sig</c>, an
/// HMAC-SHA256 of the manifest with a team's <see cref="ModelSigningKey"/>.
/// <para>
/// A model file is data only: loading never resolves type names or runs code. The synthesizer is looked up by
/// name in the fixed <see cref="Registry.SynthesizerRegistry"/>, after the format version, sizes and every hash were checked.
/// </para>
/// <para>
/// <b>A model file contains information learned from the training data</b> (kept category lists and counts,
/// value ranges, frequent text values, quantiles, correlations). Protect it like the data itself.
/// </para>
/// </summary>
public static class ModelFile
{
    /// <summary>The format this TabTwin writes.</summary>
    public const int FormatVersion = 1;
    /// <summary>The oldest format this TabTwin reads.</summary>
    public const int OldestReadableVersion = 1;

    internal const string ManifestPath = "manifest.json";
    private static readonly DateTimeOffset FixedEntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The version of this TabTwin library (recorded in every manifest).</summary>
    public static string LibraryVersion { get; } =
        typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ModelFile).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> atomically: a temp file in the same directory is
    /// written, flushed and renamed over the destination (<see cref="AtomicFile"/>), so readers never see a half-written
    /// model; a missing folder is created, IO failures are <see cref="DataSourceException"/>s (<c>io.unwritable</c>).
    /// The file contains information from the training data; store it as carefully as the data.
    /// </summary>
    /// <param name="model">The fitted model to save.</param>
    /// <param name="path">Destination file (replaced atomically).</param>
    /// <param name="signWith">When given, the file also carries an HMAC-SHA256 signature made with this key (see <see cref="ModelSigningKey"/>).</param>
    public static void Save(ISynthesizerModel model, string path, ModelSigningKey? signWith = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bundle = Bundle(model);
        AtomicFile.WriteStream(path, stream => WriteZip(model, bundle, stream, signWith));
    }

    /// <summary>Writes <paramref name="model"/> as a model file into <paramref name="destination"/> (left open).</summary>
    public static void Save(ISynthesizerModel model, Stream destination, ModelSigningKey? signWith = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(destination);
        WriteZip(model, Bundle(model), destination, signWith);
    }

    /// <summary>
    /// Loads a model file; any damage, tampering, excess size or unknown version is a <see cref="ModelFileException"/>.
    /// With <paramref name="verifyWith"/>, the file must carry a signature made with that key (<c>model.unsigned</c>,
    /// <c>model.signature-mismatch</c>); without it, the SHA-256 hashes only prove the file is intact, not who wrote it.
    /// </summary>
    public static ISynthesizerModel Load(string path, ModelFileLimits? limits = null, ModelSigningKey? verifyWith = null)
    {
        using var stream = OpenForRead(path);
        return ModelFileReader.Read(stream, limits ?? ModelFileLimits.Default, path, verifyWith);
    }

    /// <summary>Loads a model from a stream holding a model file (the stream is left open).</summary>
    public static ISynthesizerModel Load(Stream source, ModelFileLimits? limits = null, ModelSigningKey? verifyWith = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return ModelFileReader.Read(source, limits ?? ModelFileLimits.Default, null, verifyWith);
    }

    /// <summary>Reads only the checked manifest (versions, synthesizer, schema, entries) without building the model.</summary>
    public static ModelManifest ReadManifest(string path, ModelFileLimits? limits = null, ModelSigningKey? verifyWith = null)
    {
        using var stream = OpenForRead(path);
        return ModelFileReader.ReadManifestOnly(stream, limits ?? ModelFileLimits.Default, path, verifyWith);
    }

    /// <summary>
    /// Writes a bundle that is not one synthesizer's model (a whole database's model: every table's model under its own
    /// prefix) in the same format: manifest with <paramref name="kind"/> as its synthesizer name, hashes, atomic write.
    /// </summary>
    internal static void SaveBundle(string kind, Schema.TableSchema schema, ModelBundleWriter bundle, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteStream(path, stream => WriteZip(kind, schema, bundle, stream, null));
    }

    /// <summary>A bundle of <paramref name="kind"/> as model-file bytes (a message between processes, e.g. a cluster's job).</summary>
    internal static byte[] BundleBytes(string kind, Schema.TableSchema schema, ModelBundleWriter bundle)
    {
        using var stream = new MemoryStream();
        WriteZip(kind, schema, bundle, stream, null);
        return stream.ToArray();
    }

    /// <summary>Reads <see cref="BundleBytes"/>' bytes with every check of a model file.</summary>
    internal static T ReadBundleBytes<T>(byte[] bytes, string kind, Func<ModelBundleReader, T> read, ModelFileLimits? limits = null)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return ModelFileReader.ReadBundle(stream, limits ?? ModelFileLimits.Default, null, kind, read);
    }

    /// <summary>
    /// Reads a file <see cref="SaveBundle"/> wrote, with every check of <see cref="Load(string, ModelFileLimits?, ModelSigningKey?)"/>
    /// (sizes, version, hashes; every listed entry must be used); <paramref name="kind"/> must be the manifest's synthesizer name.
    /// </summary>
    internal static T LoadBundle<T>(string path, string kind, Func<ModelBundleReader, T> read, ModelFileLimits? limits = null)
    {
        using var stream = OpenForRead(path);
        return ModelFileReader.ReadBundle(stream, limits ?? ModelFileLimits.Default, path, kind, read);
    }

    private static FileStream OpenForRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelFileException("model.not-found", $"The model file '{path}' does not exist.", path,
                "Check the path, or fit and save a model first.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException("model.unreadable", $"The model file '{path}' cannot be opened: {e.Message}", path, inner: e);
        }
    }

    private static ModelBundleWriter Bundle(ISynthesizerModel model)
    {
        var bundle = new ModelBundleWriter();
        model.Write(bundle);
        foreach (var name in bundle.Json.Keys)
            if (EntryPath(name, true) == ManifestPath)
                throw new ArgumentException($"Model '{model.SynthesizerName}' wrote a JSON entry named 'manifest', which is reserved.");
        return bundle;
    }

    internal static string EntryPath(string name, bool isJson) => isJson ? name + ".json" : name + ".bin";

    private static void WriteZip(ISynthesizerModel model, ModelBundleWriter bundle, Stream destination, ModelSigningKey? signWith) =>
        WriteZip(model.SynthesizerName, model.Schema, bundle, destination, signWith);

    private static void WriteZip(string synthesizer, Schema.TableSchema schema, ModelBundleWriter bundle, Stream destination, ModelSigningKey? signWith)
    {
        // Serialize every entry first so the manifest (written first in the zip) can carry all hashes.
        var payloads = new List<(ManifestEntry Entry, byte[] Bytes)>();
        foreach (var (name, element) in bundle.Json.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(element);
            payloads.Add((Describe(name, EntryPath(name, true), ManifestEntry.JsonKind, bytes.Length, bytes), bytes));
        }
        foreach (var (name, array) in bundle.Arrays.OrderBy(p => p.Key, StringComparer.Ordinal))
            payloads.Add((Describe(name, EntryPath(name, false), ManifestEntry.KindName(array.Kind), array.Length, array.Bytes), array.Bytes));

        var manifest = new ModelManifest
        {
            FormatVersion = FormatVersion,
            OldestReadableVersion = OldestReadableVersion,
            TabTwinVersion = LibraryVersion,
            Synthesizer = synthesizer,
            CreatedUtc = DateTime.UtcNow,
            Schema = schema,
            Entries = payloads.Select(p => p.Entry).ToArray(),
        };
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson.Options);
        AddEntry(zip, ManifestPath, manifestBytes);
        if (signWith is not null) AddEntry(zip, ModelSigningKey.SignatureEntry, signWith.Sign(manifestBytes));
        foreach (var (entry, bytes) in payloads) AddEntry(zip, entry.Path, bytes);
    }

    private static ManifestEntry Describe(string name, string path, string kind, long length, byte[] bytes) => new()
    {
        Name = name, Path = path, Kind = kind, Length = length, Bytes = bytes.LongLength,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
    };

    private static void AddEntry(ZipArchive zip, string path, byte[] bytes)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
        entry.LastWriteTime = FixedEntryTime;
        using var s = entry.Open();
        s.Write(bytes);
    }
}
