using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace TabTwin.Tests.Models;

/// <summary>
/// A model file taken apart into its zip entries, for tests that play a hostile author: replace an entry and recompute
/// its hash and size in the manifest (what anyone can do without a key), edit the manifest, add or drop entries, then
/// write the zip again.
/// </summary>
internal sealed class ModelZip
{
    public List<(string Path, byte[] Bytes)> Entries { get; } = [];

    public static ModelZip Read(byte[] file)
    {
        var result = new ModelZip();
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        foreach (var e in zip.Entries)
        {
            using var s = e.Open();
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            result.Entries.Add((e.FullName, ms.ToArray()));
        }
        return result;
    }

    public ModelZip Clone()
    {
        var copy = new ModelZip();
        copy.Entries.AddRange(Entries.Select(e => (e.Path, (byte[])e.Bytes.Clone())));
        return copy;
    }

    public byte[] Get(string path) => Entries.First(e => e.Path == path).Bytes;

    public JsonObject Manifest
    {
        get => JsonNode.Parse(Get("manifest.json"))!.AsObject();
        set => SetRaw("manifest.json", System.Text.Encoding.UTF8.GetBytes(value.ToJsonString()));
    }

    /// <summary>Replaces (or adds) an entry's bytes without touching the manifest.</summary>
    public void SetRaw(string path, byte[] bytes)
    {
        int i = Entries.FindIndex(e => e.Path == path);
        if (i < 0) Entries.Add((path, bytes));
        else Entries[i] = (path, bytes);
    }

    /// <summary>Replaces an entry and updates its manifest line (bytes, length, SHA-256) as an attacker would.</summary>
    public void SetRehashed(string path, byte[] bytes, long? length = null)
    {
        SetRaw(path, bytes);
        var manifest = Manifest;
        foreach (var node in manifest["entries"]!.AsArray())
        {
            if ((string?)node!["path"] != path) continue;
            string kind = (string)node["kind"]!;
            int size = kind switch { "json" => 1, "float32" or "int32" => 4, _ => 8 };
            node["bytes"] = bytes.LongLength;
            node["length"] = length ?? bytes.LongLength / size;
            node["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        Manifest = manifest;
    }

    public byte[] Write(CompressionLevel level = CompressionLevel.Fastest)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (path, bytes) in Entries)
            {
                using var s = zip.CreateEntry(path, level).Open();
                s.Write(bytes);
            }
        return ms.ToArray();
    }
}
