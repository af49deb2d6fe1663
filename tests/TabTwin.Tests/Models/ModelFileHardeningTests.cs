using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TabTwin.Models;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Tvae;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Models;

/// <summary>
/// Issue 15, item 8: model files whose hashes are all correct (anyone can recompute them) but that try to make loading
/// expensive or to change the schema. Each hostile file must be refused with a code, allocating little, before the
/// oversized part is decompressed. Allocation is measured (never time).
/// </summary>
public class ModelFileHardeningTests
{
    /// <summary>What loading any of these hostile files may allocate (the honest model loads with far less).</summary>
    private const long AllocationBound = 48L << 20;

    private static readonly Lazy<byte[]> Independent = new(() => Saved(SynthesizerCatalog.Independent()));
    private static readonly Lazy<byte[]> Tvae = new(() => Saved(SynthesizerCatalog.Tvae(new TvaeOptions
    {
        Epochs = 1, BatchSize = 50, EmbeddingDim = 8, CompressDims = [16], DecompressDims = [16], MaxThreads = 1,
    })));

    private static byte[] Saved(ISynthesizer synthesizer)
    {
        var (table, schema) = SampleTables.Mixed(200);
        using var ms = new MemoryStream();
        ModelFile.Save(synthesizer.Fit(table, schema, new FitContext(Seed: 1) { MaxThreads = 1 }), ms);
        return ms.ToArray();
    }

    private static (ModelFileException Error, long Allocated) LoadFails(byte[] file, ModelSigningKey? key = null)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(new MemoryStream(file), verifyWith: key));
        return (e, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>The hostile file is refused with <paramref name="code"/>, its message naming <paramref name="named"/>, before much is allocated.</summary>
    private static void RefusedCheaply(byte[] file, string code, string named)
    {
        var (e, allocated) = LoadFails(file);
        Assert.Equal(code, e.Code);
        Assert.Contains(named, e.Message);
        Assert.True(allocated < AllocationBound, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Honest_files_load_with_little_allocation()
    {
        foreach (var file in new[] { Independent.Value, Tvae.Value })
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var model = ModelFile.Load(new MemoryStream(file));
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationBound);
            Assert.Equal(10, model.Sample(10, 1).RowCount);
        }
    }

    [Fact]
    public void Listed_whitespace_padded_json_entry_with_a_correct_hash_is_refused_before_reading()
    {
        var zip = ModelZip.Read(Independent.Value);
        var padded = System.Text.Encoding.UTF8.GetBytes(new string(' ', 40 << 20) + System.Text.Encoding.UTF8.GetString(zip.Get("encoding.json")));
        zip.SetRehashed("encoding.json", padded);
        RefusedCheaply(zip.Write(), "model.too-large", "encoding.json");
    }

    [Fact]
    public void Padded_manifest_stops_at_the_manifest_limit()
    {
        var zip = ModelZip.Read(Independent.Value);
        zip.SetRaw("manifest.json", System.Text.Encoding.UTF8.GetBytes(zip.Manifest.ToJsonString() + new string(' ', 40 << 20)));
        RefusedCheaply(zip.Write(), "model.too-large", "manifest.json");
    }

    [Fact]
    public void Tvae_array_larger_than_its_network_is_refused_before_reading()
    {
        var zip = ModelZip.Read(Tvae.Value);
        var weight = zip.Manifest["entries"]!.AsArray().Select(n => (string)n!["path"]!).First(p => p.StartsWith("tvae.decoder.") && p.EndsWith(".bin"));
        zip.SetRehashed(weight, new byte[256 << 20]); // 64 M float32 zeros: compresses to ~256 KB, hash recomputed
        RefusedCheaply(zip.Write(), "model.bad-entry", "declares 67,108,864 values");
    }

    [Fact]
    public void Tvae_layer_sizes_beyond_what_the_arrays_hold_are_refused_before_the_network_is_built()
    {
        var zip = ModelZip.Read(Tvae.Value);
        var header = JsonNode.Parse(zip.Get("tvae.json"))!.AsObject();
        header["options"]!["decompressDims"] = new JsonArray(1_000_000_000);
        zip.SetRehashed("tvae.json", System.Text.Encoding.UTF8.GetBytes(header.ToJsonString()));
        RefusedCheaply(zip.Write(), "model.bad-entry", "layer sizes");
    }

    [Theory]
    [InlineData("name")]
    [InlineData("kind")]
    [InlineData("reason")]
    [InlineData("drop")]
    public void Schema_edits_in_the_manifest_are_refused(string edit)
    {
        var zip = ModelZip.Read(Independent.Value);
        var manifest = zip.Manifest;
        var columns = manifest["schema"]!["columns"]!.AsArray();
        var column = columns.First(c => (string?)c!["kind"] == "numerical")!.AsObject();
        switch (edit)
        {
            case "name": column["name"] = "renamed"; break;
            case "kind": column["kind"] = "categorical"; break;
            case "reason": column["reason"] = "edited"; break;
            default: columns.Remove(column); break;
        }
        zip.Manifest = manifest;
        var (e, _) = LoadFails(zip.Write());
        Assert.Equal("model.corrupt", e.Code);
        Assert.Contains("schema", e.Message);
    }

    [Fact]
    public void Listed_entries_the_synthesizer_never_reads_and_duplicated_entries_are_refused()
    {
        var zip = ModelZip.Read(Independent.Value);
        var manifest = zip.Manifest;
        manifest["entries"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "extra", ["path"] = "extra.bin", ["kind"] = "float64", ["length"] = 1, ["bytes"] = 8,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(new byte[8])),
        });
        zip.Manifest = manifest;
        zip.SetRaw("extra.bin", new byte[8]);
        var (unused, _) = LoadFails(zip.Write());
        Assert.Equal("model.corrupt", unused.Code);
        Assert.Contains("'extra'", unused.Message);

        var twice = ModelZip.Read(Independent.Value);
        twice.Entries.Add(("encoding.json", twice.Get("encoding.json")));
        var (duplicate, _) = LoadFails(twice.Write());
        Assert.Equal("model.corrupt", duplicate.Code);
        Assert.Contains("twice", duplicate.Message);
    }

    [Fact]
    public void Signed_file_loads_only_with_its_key_and_any_later_edit_breaks_the_signature()
    {
        var key = new ModelSigningKey(RandomNumberGenerator.GetBytes(32));
        var (table, schema) = SampleTables.Mixed(200);
        var model = SynthesizerCatalog.Independent().Fit(table, schema, new FitContext(Seed: 1));
        using var signed = new MemoryStream();
        ModelFile.Save(model, signed, key);
        var bytes = signed.ToArray();

        Assert.Equal(5, ModelFile.Load(new MemoryStream(bytes), verifyWith: key).Sample(5, 2).RowCount);
        Assert.Equal(5, ModelFile.Load(new MemoryStream(bytes)).Sample(5, 2).RowCount); // no key: integrity only
        Assert.Equal("model.signature-mismatch", LoadFails(bytes, new ModelSigningKey(RandomNumberGenerator.GetBytes(32))).Error.Code);
        Assert.Equal("model.unsigned", LoadFails(Independent.Value, key).Error.Code);

        // Edit the state and recompute every hash (possible without the key): the signature no longer matches.
        var zip = ModelZip.Read(bytes);
        var encoding = System.Text.Encoding.UTF8.GetString(zip.Get("encoding.json")).Replace("\"clipToObservedRange\":true", "\"clipToObservedRange\":false");
        zip.SetRehashed("encoding.json", System.Text.Encoding.UTF8.GetBytes(encoding));
        Assert.Equal("model.signature-mismatch", LoadFails(zip.Write(), key).Error.Code);
        Assert.IsAssignableFrom<ISynthesizerModel>(ModelFile.Load(new MemoryStream(zip.Write())));
    }

    [Fact]
    public void Key_files_are_checked_and_trailing_line_breaks_ignored()
    {
        var dir = TestData.NewTempDir();
        var keyFile = Path.Combine(dir, "team.key");
        File.WriteAllText(keyFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) + "\n");
        var fromFile = ModelSigningKey.FromFile(keyFile);
        File.WriteAllText(keyFile, File.ReadAllText(keyFile).TrimEnd() + "\r\n\r\n");
        var (table, schema) = SampleTables.Mixed(100);
        var path = Path.Combine(dir, "m.tabtwin");
        ModelFile.Save(SynthesizerCatalog.Independent().Fit(table, schema, new FitContext(Seed: 1)), path, fromFile);
        Assert.IsAssignableFrom<ISynthesizerModel>(ModelFile.Load(path, verifyWith: ModelSigningKey.FromFile(keyFile)));

        File.WriteAllText(keyFile, "short\n");
        Assert.Equal("model.key", Assert.Throws<ModelFileException>(() => ModelSigningKey.FromFile(keyFile)).Code);
        Assert.Equal("model.key", Assert.Throws<ModelFileException>(() => ModelSigningKey.FromFile(Path.Combine(dir, "missing.key"))).Code);
    }
}
