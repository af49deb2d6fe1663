using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace TabTwin.Tests.Models;

/// <summary>The families of hostile or damaged model files the fuzz suite draws from (issue 15).</summary>
public enum MutationFamily
{
    ByteFlip, Truncation, ZipSizeLie, ManifestSizeLie, ManifestEdit, SchemaEdit, StateEdit, HugeNumber, NotANumber,
    DeepNesting, WrongType, ArrayValues, ArrayLength, MissingEntry, DuplicateEntry, CompressionBomb,
}

/// <summary>
/// Makes one mutant of a valid model file per call, deterministically from its random stream. Except for the raw
/// families (byte flips, truncation, zip size lies), every edit recomputes the changed entry's SHA-256, size and length
/// in the manifest — what an attacker without a signing key can always do — so the mutant reaches the model readers.
/// </summary>
internal sealed class ModelFileMutator(Random random)
{
    /// <summary>Largest decompressed payload a mutant carries (the compression-bomb family; deflates about 1000:1).</summary>
    public const int MaxBombBytes = 64 << 20;

    private static readonly Dictionary<int, (byte[] Zeros, string Sha)> Bombs = [];

    public byte[] Mutate(byte[] original, MutationFamily family, out string description)
    {
        var zip = ModelZip.Read(original);
        switch (family)
        {
            case MutationFamily.ByteFlip:
            {
                var bytes = (byte[])original.Clone();
                int flips = random.Next(1, 9);
                for (int i = 0; i < flips; i++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                description = $"{flips} bit flips";
                return bytes;
            }
            case MutationFamily.Truncation:
            {
                int length = random.Next(original.Length);
                description = $"truncated to {length} of {original.Length} bytes";
                return original[..length];
            }
            case MutationFamily.ZipSizeLie:
            {
                var bytes = (byte[])original.Clone();
                var (path, _) = Pick(zip.Entries);
                uint size = Pick([0u, 1u, 100u, 0x7FFF_FFFFu, 0xFFFF_FFFFu, (uint)random.Next()]);
                PatchZipSize(bytes, path, size, local: random.Next(2) == 0, central: random.Next(2) == 0);
                description = $"zip size fields of '{path}' set to {size}";
                return bytes;
            }
            case MutationFamily.ManifestSizeLie:
            {
                var manifest = zip.Manifest;
                var entry = Pick(manifest["entries"]!.AsArray().ToArray())!;
                string field = Pick(["bytes", "length"]);
                long value = Pick([0L, -1L, 1L << 31, 1L << 40, long.MaxValue, (long)entry[field]! + 1, (long)entry[field]! * 1000]);
                entry[field] = value;
                zip.Manifest = manifest;
                description = $"manifest {field} of '{entry["path"]}' = {value}";
                return zip.Write();
            }
            case MutationFamily.MissingEntry:
            {
                var manifest = zip.Manifest;
                var entries = manifest["entries"]!.AsArray();
                var victim = Pick(entries.ToArray())!;
                string path = (string)victim["path"]!;
                int how = random.Next(3);
                if (how != 1) zip.Entries.RemoveAll(e => e.Path == path);
                if (how != 0) { entries.Remove(victim); zip.Manifest = manifest; }
                description = $"entry '{path}' removed from {(how == 0 ? "the zip" : how == 1 ? "the manifest" : "both")}";
                return zip.Write();
            }
            case MutationFamily.DuplicateEntry:
            {
                var (path, bytes) = Pick(zip.Entries);
                if (random.Next(2) == 0)
                {
                    zip.Entries.Add((path, bytes));
                    description = $"zip entry '{path}' twice";
                }
                else
                {
                    var manifest = zip.Manifest;
                    var entries = manifest["entries"]!.AsArray();
                    entries.Add(Pick(entries.ToArray())!.DeepClone());
                    zip.Manifest = manifest;
                    description = "a manifest entry line twice";
                }
                return zip.Write();
            }
            case MutationFamily.CompressionBomb:
            {
                int size = Pick([1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 4 << 20, 4 << 20, 33 << 20, MaxBombBytes]); // mostly cheap to build
                var (zeros, sha) = Bomb(size);
                var manifest = zip.Manifest;
                var entry = Pick(manifest["entries"]!.AsArray().ToArray())!;
                string path = (string)entry["path"]!, kind = (string)entry["kind"]!;
                int element = kind switch { "json" => 1, "float32" or "int32" => 4, _ => 8 };
                entry["bytes"] = size;
                entry["length"] = size / element;
                entry["sha256"] = sha;
                zip.Manifest = manifest;
                zip.SetRaw(path, zeros);
                description = $"'{path}' replaced by {size:N0} zero bytes with a correct hash";
                return zip.Write();
            }
            case MutationFamily.ArrayValues or MutationFamily.ArrayLength:
            {
                var arrays = zip.Entries.Where(e => e.Path.EndsWith(".bin", StringComparison.Ordinal) && e.Bytes.Length > 0).ToArray();
                if (arrays.Length == 0) { description = "no arrays: unchanged"; return original; }
                var (path, bytes) = Pick(arrays);
                var kind = (string)zip.Manifest["entries"]!.AsArray().First(n => (string?)n!["path"] == path)!["kind"]!;
                int element = kind is "float32" or "int32" ? 4 : 8;
                byte[] changed;
                if (family == MutationFamily.ArrayLength)
                {
                    int count = bytes.Length / element;
                    int newCount = Pick([0, 1, count - 1, count + 1, count * 2, random.Next(count + 1)]);
                    changed = new byte[Math.Max(newCount, 0) * element];
                    bytes.AsSpan(0, Math.Min(bytes.Length, changed.Length)).CopyTo(changed);
                    description = $"'{path}' resized from {count} to {newCount} values";
                }
                else
                {
                    changed = (byte[])bytes.Clone();
                    int edits = random.Next(1, 5);
                    for (int i = 0; i < edits; i++) WriteOddValue(changed, kind, random.Next(changed.Length / element) * element);
                    description = $"{edits} odd values written into '{path}'";
                }
                zip.SetRehashed(path, changed);
                return zip.Write();
            }
            default:
                return EditJson(zip, family, out description);
        }
    }

    /// <summary>Edits one node of a JSON entry (the manifest, its schema block, or a model state) and rehashes it.</summary>
    private byte[] EditJson(ModelZip zip, MutationFamily family, out string description)
    {
        string path = family switch
        {
            MutationFamily.ManifestEdit or MutationFamily.SchemaEdit => "manifest.json",
            _ => Pick(zip.Entries.Where(e => e.Path.EndsWith(".json", StringComparison.Ordinal) && e.Path != "manifest.json").Select(e => e.Path).ToArray()),
        };
        var root = JsonNode.Parse(zip.Get(path))!;
        JsonNode scope = family == MutationFamily.SchemaEdit ? root["schema"]! : root;
        var nodes = new List<JsonNode>();
        Collect(scope, nodes);
        var target = Pick(nodes.ToArray());
        string where = target.GetPath();
        JsonNode? replacement = family switch
        {
            MutationFamily.HugeNumber => JsonValue.Create(Pick([1e308, -1e308, 2147483647.0, -2147483648.0, 9.3e18, -1.0, 1e-320, 4294967296.0])),
            MutationFamily.NotANumber => JsonValue.Create(Pick(["NaN", "Infinity", "-Infinity", "1e999"])),
            MutationFamily.DeepNesting => null, // written as text below
            MutationFamily.WrongType => Pick<JsonNode?>([null, JsonValue.Create("x"), JsonValue.Create(7), JsonValue.Create(true), new JsonArray(), new JsonObject()]),
            _ => Variation(target),
        };
        byte[] text;
        if (family == MutationFamily.DeepNesting)
        {
            // Built as text: System.Text.Json refuses to write (or parse) such depth, which is the point.
            int depth = Pick([63, 200, 5000]);
            var marker = "\"__deep__\"";
            Replace(target, JsonValue.Create("__deep__"));
            var json = root.ToJsonString();
            int at = json.IndexOf(marker, StringComparison.Ordinal);
            text = System.Text.Encoding.UTF8.GetBytes(json[..at] + new string('[', depth) + new string(']', depth) + json[(at + marker.Length)..]);
            description = $"{path} {where}: nested {depth} deep";
        }
        else if (target.Parent is JsonObject parent && random.Next(4) == 0)
        {
            parent.Remove(target.GetPropertyName());
            text = System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
            description = $"{path} {where}: removed";
        }
        else
        {
            Replace(target, replacement);
            text = System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
            description = $"{path} {where} = {Shorten(replacement?.ToJsonString() ?? "null")}";
        }
        if (path == "manifest.json") zip.SetRaw(path, text);
        else zip.SetRehashed(path, text);
        return zip.Write();
    }

    /// <summary>A nearby but different value of the same type: what a careful editor would try.</summary>
    private JsonNode? Variation(JsonNode node)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue<double>(out var d)) return JsonValue.Create(Pick([d + 1, d - 1, -d, d * 1000, 0, Math.Floor(d / 2)]));
            if (v.TryGetValue<bool>(out var b)) return JsonValue.Create(!b);
            if (v.TryGetValue<string>(out var s))
                return JsonValue.Create(Pick(["", s + "x", s.Length > 1 ? s[..^1] : "y", new string('a', 20_000), "numerical", "categorical", "pii", "../../etc/passwd", "cart", "tvae"]));
        }
        if (node is JsonArray a && a.Count > 0)
        {
            var copy = a.DeepClone().AsArray();
            if (random.Next(2) == 0) copy.RemoveAt(random.Next(copy.Count));
            else copy.Add(copy[random.Next(copy.Count)]?.DeepClone());
            return copy;
        }
        return new JsonArray();
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        if (node is null) return;
        into.Add(node);
        if (node is JsonObject o) foreach (var (_, child) in o) Collect(child, into);
        else if (node is JsonArray a) foreach (var child in a) Collect(child, into);
    }

    private static void Replace(JsonNode target, JsonNode? replacement)
    {
        switch (target.Parent)
        {
            case JsonObject o: o[target.GetPropertyName()] = replacement; break;
            case JsonArray a: a[target.GetElementIndex()] = replacement; break;
        }
    }

    private void WriteOddValue(byte[] bytes, string kind, int at)
    {
        switch (kind)
        {
            case "float64": BitConverter.TryWriteBytes(bytes.AsSpan(at), Pick([double.NaN, double.PositiveInfinity, -1e308, 1e308, -1.0, 0.0])); break;
            case "float32": BitConverter.TryWriteBytes(bytes.AsSpan(at), Pick([float.NaN, float.NegativeInfinity, 3e38f, -1f, 0f])); break;
            case "int32": BitConverter.TryWriteBytes(bytes.AsSpan(at), Pick([int.MinValue, int.MaxValue, -1, -2, 1 << 20, 0])); break;
            default: BitConverter.TryWriteBytes(bytes.AsSpan(at), Pick([long.MinValue, long.MaxValue, -1L, 0L])); break;
        }
    }

    private static (byte[] Zeros, string Sha) Bomb(int size)
    {
        lock (Bombs)
        {
            if (!Bombs.TryGetValue(size, out var bomb))
            {
                var zeros = new byte[size];
                Bombs[size] = bomb = (zeros, Convert.ToHexStringLower(SHA256.HashData(zeros)));
            }
            return bomb;
        }
    }

    /// <summary>Overwrites the uncompressed-size fields of an entry in its local header and/or central directory record.</summary>
    private static void PatchZipSize(byte[] bytes, string entryName, uint size, bool local, bool central)
    {
        var name = System.Text.Encoding.ASCII.GetBytes(entryName);
        if (!local && !central) local = central = true;
        for (int i = 0; i + 46 < bytes.Length; i++)
        {
            uint sig = BitConverter.ToUInt32(bytes, i);
            if (local && sig == 0x04034b50 && NameAt(bytes, i + 30, BitConverter.ToUInt16(bytes, i + 26), name)) BitConverter.GetBytes(size).CopyTo(bytes, i + 22);
            else if (central && sig == 0x02014b50 && NameAt(bytes, i + 46, BitConverter.ToUInt16(bytes, i + 28), name)) BitConverter.GetBytes(size).CopyTo(bytes, i + 24);
        }
    }

    private static bool NameAt(byte[] bytes, int offset, int length, byte[] name) =>
        length == name.Length && offset + length <= bytes.Length && bytes.AsSpan(offset, length).SequenceEqual(name);

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
