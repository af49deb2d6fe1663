using System.Security.Cryptography;
using TabTwin.Models;
using TabTwin.Synthesizers;

namespace TabTwin.Cluster.Sampling;

/// <summary>
/// The models a silo has loaded, by SHA-256 of the file: batches of one job (and later jobs on the same model) load it
/// once. The file is read into memory, hashed and loaded from those bytes, so the model sampled is exactly the one whose
/// hash the client sent; a file that changed since is an error, not a different sample. Keeps the last few models only.
/// </summary>
internal sealed class ModelCache() : HashedFileCache<ISynthesizerModel>("model", (bytes, _) =>
{
    using var stream = new MemoryStream(bytes, writable: false);
    return ModelFile.Load(stream);
});

/// <summary>The generation specs a silo has read, by SHA-256 of the file (as <see cref="ModelCache"/>).</summary>
internal sealed class SpecCache() : HashedFileCache<TabTwin.Generation.Spec.GenerationSpec>("spec", (bytes, path) =>
    path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
        ? TabTwin.Generation.Spec.SpecReader.FromJson(System.Text.Encoding.UTF8.GetString(bytes), path)
        : TabTwin.Generation.Spec.SpecReader.FromYaml(System.Text.Encoding.UTF8.GetString(bytes), path));

/// <summary>Files a silo has read and parsed, by SHA-256, checked against the hash the client sent; the last few kept.</summary>
internal abstract class HashedFileCache<T>(string what, Func<byte[], string, T> parse) where T : class
{
    private const int Capacity = 4;
    private readonly object _gate = new();
    private readonly LinkedList<(string Hash, Lazy<T> Model)> _recent = new();

    public T Get(string path, string sha256)
    {
        Lazy<T> entry;
        lock (_gate)
        {
            var node = _recent.First;
            while (node is not null && node.Value.Hash != sha256) node = node.Next;
            if (node is not null) _recent.Remove(node);
            else node = new LinkedListNode<(string, Lazy<T>)>((sha256, new Lazy<T>(() => Load(path, sha256))));
            _recent.AddFirst(node);
            while (_recent.Count > Capacity) _recent.RemoveLast();
            entry = node.Value.Model;
        }
        try { return entry.Value; }
        catch
        {
            // A failed load (file missing on this machine, changed) is not cached: the next batch tries again.
            lock (_gate)
            {
                var node = _recent.First;
                while (node is not null && !ReferenceEquals(node.Value.Model, entry)) node = node.Next;
                if (node is not null) _recent.Remove(node);
            }
            throw;
        }
    }

    /// <summary>SHA-256 of a file, lowercase hex (what the client sends and the silo checks).</summary>
    public static string HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private T Load(string path, string sha256)
    {
        if (!File.Exists(path))
            throw new TabTwinException($"cluster.{what}-not-shared", $"The {what} file '{path}' is not on silo {Environment.MachineName}.",
                file: path, hint: $"Put the {what} file and the output folder on storage every silo mounts at the same path.");
        var bytes = File.ReadAllBytes(path);
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != sha256)
            throw new TabTwinException($"cluster.{what}-changed", $"The {what} file '{path}' on silo {Environment.MachineName} is not the file the client read (its SHA-256 differs).",
                file: path, hint: $"Do not replace the {what} file while a job runs; every silo must see the same file.");
        return parse(bytes, path);
    }
}
