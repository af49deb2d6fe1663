using TabTwin.IO;
using TabTwin.Tables;

namespace TabTwin.Cluster.Fitting;

/// <summary>
/// The inputs a silo has opened for streaming fits, by path and stamp (the matching files' names, sizes and write
/// times): the passes of a fit (and later fits of the same files) open and profile the input once; files added,
/// replaced or removed give a new stamp, so the input is opened again (a file changed under an open source is
/// <c>io.changed</c> when it is read). Keeps the last few inputs only.
/// </summary>
internal sealed class SourceCache
{
    private const int Capacity = 2;
    private readonly object _gate = new();
    private readonly LinkedList<(string Key, Lazy<ITableChunkSource> Source)> _recent = new();

    public ITableChunkSource Get(string path)
    {
        string key = path + "\n" + Stamp(path);
        Lazy<ITableChunkSource> entry;
        lock (_gate)
        {
            var node = _recent.First;
            while (node is not null && node.Value.Key != key) node = node.Next;
            if (node is not null) _recent.Remove(node);
            else node = new LinkedListNode<(string, Lazy<ITableChunkSource>)>((key, new Lazy<ITableChunkSource>(() => TableChunks.Open(path))));
            _recent.AddFirst(node);
            while (_recent.Count > Capacity) _recent.RemoveLast();
            entry = node.Value.Source;
        }
        try { return entry.Value; }
        catch
        {
            lock (_gate) // a failed open is not cached: the next batch tries again
            {
                var node = _recent.First;
                while (node is not null && !ReferenceEquals(node.Value.Source, entry)) node = node.Next;
                if (node is not null) _recent.Remove(node);
            }
            throw;
        }
    }

    /// <summary>The files <paramref name="path"/> (a folder, a pattern such as <c>data/*.parquet</c>, or a file) names here, with sizes and times.</summary>
    private static string Stamp(string path)
    {
        bool pattern = Path.GetFileName(path).IndexOfAny(['*', '?']) >= 0;
        string folder = Directory.Exists(path) ? path : pattern ? Path.GetDirectoryName(path) ?? "" : "";
        if (folder.Length > 0 ? !Directory.Exists(folder) : !File.Exists(path))
            throw new TabTwinException("cluster.input-not-shared", $"The input '{path}' is not on silo {Environment.MachineName}.", file: path,
                hint: "Put the Parquet files on storage every silo mounts at the same path as the client.");
        IEnumerable<string> files = folder.Length == 0 ? [path] : Directory.EnumerateFiles(folder, Directory.Exists(path) ? "*" : Path.GetFileName(path)).Order(StringComparer.Ordinal);
        return string.Join("\n", files.Select(f => new FileInfo(f)).Select(f => $"{f.Name}:{f.Length}:{f.LastWriteTimeUtc.Ticks}"));
    }
}
