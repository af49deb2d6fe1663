using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TabTwin.Models;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Independent;
using TabTwin.Tests.Support;
using TabTwin.Registry;

namespace TabTwin.Tests.Models;

public class ModelFileTests
{
    private static readonly Lazy<ISynthesizerModel> Model = new(() =>
    {
        var (table, schema) = SampleTables.Mixed(200);
        return SynthesizerCatalog.Independent().Fit(table, schema, new FitContext(Seed: 1));
    });

    private static string SavedModel()
    {
        var path = Path.Combine(TestData.NewTempDir(), "m.tabtwin");
        ModelFile.Save(Model.Value, path);
        return path;
    }

    private static ModelFileException LoadFails(string path, ModelFileLimits? limits = null) =>
        Assert.Throws<ModelFileException>(() => ModelFile.Load(path, limits));

    [Fact]
    public void Zip_holds_a_manifest_listing_every_entry_with_its_hash()
    {
        var path = SavedModel();
        using var zip = ZipFile.OpenRead(path);
        Assert.Equal("manifest.json", zip.Entries[0].FullName);
        var manifest = ModelFile.ReadManifest(path);
        Assert.Equal(1, manifest.FormatVersion);
        Assert.Equal(1, manifest.OldestReadableVersion);
        Assert.Equal("independent", manifest.Synthesizer);
        Assert.Equal(Model.Value.Schema.Columns.Count, manifest.Schema.Columns.Count);
        Assert.Contains(manifest.Entries, e => e is { Name: "encoding", Path: "encoding.json", Kind: "json" });
        Assert.Contains(manifest.Entries, e => e.Path.EndsWith(".bin") && e.Kind == "float64" && e.Bytes == e.Length * 8);
        Assert.Equal(zip.Entries.Select(e => e.FullName).Skip(1).Order(), manifest.Entries.Select(e => e.Path).Order());
        Assert.All(manifest.Entries, e => Assert.Matches("^[0-9a-f]{64}$", e.Sha256));
        // Model data is data: no CLR type names anywhere.
        foreach (var e in zip.Entries.Where(e => e.FullName.EndsWith(".json")))
        {
            using var r = new StreamReader(e.Open());
            Assert.DoesNotContain("TabTwin.", r.ReadToEnd());
        }
    }

    [Fact]
    public void Save_replaces_atomically_and_leaves_no_temp_files()
    {
        var path = SavedModel();
        ModelFile.Save(Model.Value, path);
        Assert.Equal(["m.tabtwin"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        var blocked = Path.Combine(path, "x.tabtwin"); // a "folder" that is a file: cannot be written
        var e = Assert.ThrowsAny<TabTwinException>(() => ModelFile.Save(Model.Value, blocked));
        Assert.Equal("io.unwritable", e.Code);
        Assert.Equal(["m.tabtwin"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Modified_entry_is_a_hash_mismatch_naming_the_entry()
    {
        var path = SavedModel();
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("encoding.json")!;
            string text;
            using (var r = new StreamReader(entry.Open())) text = r.ReadToEnd();
            entry.Delete();
            using var w = new StreamWriter(zip.CreateEntry("encoding.json").Open());
            w.Write(text.Replace("\"clipToObservedRange\":true", "\"clipToObservedRange\":false"));
        }
        var e = LoadFails(path);
        Assert.Equal("model.hash-mismatch", e.Code);
        Assert.Contains("'encoding.json'", e.Message);
        Assert.Equal(path, e.File);
    }

    [Fact]
    public void Flipped_byte_in_an_entry_is_a_hash_mismatch_naming_the_entry()
    {
        var path = SavedModel();
        // Store encoding.json uncompressed (same bytes, same hash), then flip one byte of its data in the raw file.
        byte[] content;
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("encoding.json")!;
            using (var ms = new MemoryStream()) { using (var s = entry.Open()) s.CopyTo(ms); content = ms.ToArray(); }
            entry.Delete();
            using var w = zip.CreateEntry("encoding.json", CompressionLevel.NoCompression).Open();
            w.Write(content);
        }
        Assert.IsAssignableFrom<ISynthesizerModel>(ModelFile.Load(path));
        var bytes = File.ReadAllBytes(path);
        int at = bytes.AsSpan().IndexOf(content.AsSpan(0, 64)) + content.Length / 2;
        Assert.True(at > 64);
        bytes[at] = bytes[at] == (byte)'7' ? (byte)'8' : (byte)'7';
        File.WriteAllBytes(path, bytes);
        var e = LoadFails(path);
        Assert.Equal("model.hash-mismatch", e.Code);
        Assert.Contains("'encoding.json'", e.Message);
    }

    [Fact]
    public void Truncated_file_or_not_a_zip_is_corrupt()
    {
        var path = SavedModel();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        Assert.Equal("model.corrupt", LoadFails(path).Code);
        File.WriteAllText(path, "age,income\n39,<=50K\n");
        var e = LoadFails(path);
        Assert.Equal("model.corrupt", e.Code);
        Assert.Contains("not a readable zip", e.Message);
    }

    [Fact]
    public void Future_format_version_says_which_TabTwin_is_needed()
    {
        var path = SavedModel();
        RewriteManifest(path, m => { m["formatVersion"] = 99; m["tabTwinVersion"] = "7.3.0"; });
        var e = LoadFails(path);
        Assert.Equal("model.version", e.Code);
        Assert.Contains("format version 99", e.Message);
        Assert.Contains("7.3.0", e.Hint);
    }

    [Fact]
    public void Unknown_synthesizer_lists_the_known_ones()
    {
        var path = SavedModel();
        RewriteManifest(path, m => m["synthesizer"] = "gpt-tabular");
        var e = LoadFails(path);
        Assert.Equal("model.unknown-synthesizer", e.Code);
        Assert.Contains("'gpt-tabular'", e.Message);
        Assert.Contains("independent", e.Message);
    }

    [Fact]
    public void Entry_over_the_limits_is_too_large()
    {
        var path = SavedModel();
        Assert.Equal("model.too-large", LoadFails(path, new ModelFileLimits { MaxEntryBytes = 100 }).Code);
        Assert.Equal("model.too-large", LoadFails(path, new ModelFileLimits { MaxTotalBytes = 1000 }).Code);
        Assert.Equal("model.too-large", LoadFails(path, new ModelFileLimits { MaxEntries = 3 }).Code);
        Assert.IsAssignableFrom<ISynthesizerModel>(ModelFile.Load(path, new ModelFileLimits()));
    }

    [Fact]
    public void Entry_claiming_two_gigabytes_is_refused_before_reading()
    {
        var path = SavedModel();
        PatchSizeFields(path, "encoding.json", 0x8000_0000u);
        var e = LoadFails(path);
        Assert.Equal("model.too-large", e.Code);
        Assert.Contains("encoding.json", e.Message);
    }

    [Fact]
    public void Entry_understating_its_size_is_stopped_while_decompressing()
    {
        // A small header claim over 5 MB of zeros: the limit must hold on the bytes actually produced.
        var path = Path.Combine(TestData.NewTempDir(), "bomb.tabtwin");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry("manifest.json").Open()) s.Write(new byte[5_000_000]);
        }
        PatchSizeFields(path, "manifest.json", 100);
        var e = LoadFails(path, new ModelFileLimits { MaxEntryBytes = 1_000_000 });
        // .NET itself stops at the declared size (corrupt); our byte counting is the second line of defence.
        Assert.Contains(e.Code, new[] { "model.too-large", "model.corrupt" });
    }

    [Fact]
    public void Missing_file_has_its_own_code()
    {
        var e = LoadFails(Path.Combine(TestData.NewTempDir(), "nope.tabtwin"));
        Assert.Equal("model.not-found", e.Code);
    }

    [Fact]
    public void Stream_overloads_round_trip()
    {
        using var ms = new MemoryStream();
        ModelFile.Save(Model.Value, ms);
        ms.Position = 0;
        var loaded = ModelFile.Load(ms);
        Assert.Equal(SampleTables.Rows(Model.Value.Sample(100, 3)), SampleTables.Rows(loaded.Sample(100, 3)));
    }

    [Fact]
    public void Registry_lookup_is_by_fixed_name()
    {
        Assert.Equal("independent", SynthesizerRegistry.Get("Independent").Name);
        var e = Assert.Throws<TabTwinException>(() => SynthesizerRegistry.Get("no-such-gan"));
        Assert.Equal("synthesizer.unknown", e.Code);
        Assert.Contains("independent", e.Message);
        using var doc = JsonDocument.Parse("""{"quantileCount": 16, "encoding": {"rareCategoryThreshold": 5}}""");
        var s = (IndependentSynthesizer)SynthesizerRegistry.Get("independent").Create(doc.RootElement);
        Assert.Equal(16, s.Options.QuantileCount);
        Assert.Equal(5, s.Options.Encoding.RareCategoryThreshold);
        using var bad = JsonDocument.Parse("""{"quantileCount": "many"}""");
        Assert.Equal("synthesizer.options", Assert.Throws<TabTwinException>(() => SynthesizerRegistry.Get("independent").Create(bad.RootElement)).Code);
    }

    private static void RewriteManifest(string path, Action<JsonObject> change)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry("manifest.json")!;
        JsonObject manifest;
        using (var s = entry.Open()) manifest = JsonNode.Parse(s)!.AsObject();
        change(manifest);
        entry.Delete();
        using var w = zip.CreateEntry("manifest.json").Open();
        w.Write(System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()));
    }

    /// <summary>Overwrites the uncompressed-size fields of one entry in its local header and central directory record.</summary>
    private static void PatchSizeFields(string path, string entryName, uint size)
    {
        var bytes = File.ReadAllBytes(path);
        var name = System.Text.Encoding.ASCII.GetBytes(entryName);
        int patched = 0;
        for (int i = 0; i + 46 < bytes.Length; i++)
        {
            uint sig = BitConverter.ToUInt32(bytes, i);
            if (sig == 0x04034b50 && NameAt(bytes, i + 30, BitConverter.ToUInt16(bytes, i + 26), name))
            { BitConverter.GetBytes(size).CopyTo(bytes, i + 22); patched++; }
            else if (sig == 0x02014b50 && NameAt(bytes, i + 46, BitConverter.ToUInt16(bytes, i + 28), name))
            { BitConverter.GetBytes(size).CopyTo(bytes, i + 24); patched++; }
        }
        Assert.Equal(2, patched);
        File.WriteAllBytes(path, bytes);
    }

    private static bool NameAt(byte[] bytes, int offset, int length, byte[] name) =>
        length == name.Length && offset + length <= bytes.Length && bytes.AsSpan(offset, length).SequenceEqual(name);
}
