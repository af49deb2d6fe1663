using System.IO.Compression;

namespace TabTwin.Tests.Support;

/// <summary>
/// Locates the real tables the tests read and temp folders for tests. The tables the suite needs ship inside the
/// repository (tests/TabTwin.Tests/TestData, gzip-compressed, see its README.md) so a fresh clone passes on its own;
/// optional large data (the full tables in ../shared/datasets beside the repository) is reached only through
/// <see cref="LargeDataset"/>, whose tests carry the <c>LargeData</c> category and skip, saying why, when it is absent.
/// </summary>
public static class TestData
{
    /// <summary>The xunit trait value of tests that need optional large data (<c>--filter Category!=LargeData</c> leaves them out).</summary>
    public const string LargeData = "LargeData";

    private static readonly Lazy<string> RepoRootLazy = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TabTwin.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (TabTwin.slnx) above " + AppContext.BaseDirectory);
    });

    private static readonly object DecompressLock = new();

    public static string RepoRoot => RepoRootLazy.Value;

    /// <summary>The repository's test-data folder: one subfolder per dataset with its SOURCE.md and gzip-compressed CSVs.</summary>
    public static string Folder => Path.Combine(RepoRoot, "tests", "TabTwin.Tests", "TestData");

    /// <summary>
    /// Path of a table in the repository's test-data folder, e.g. Dataset("adult", "adult.csv") (stored as adult.csv.gz,
    /// decompressed once into the build output). Some tables are their dataset's first rows only; TestData/README.md says which.
    /// </summary>
    public static string Dataset(string name, string file)
    {
        var compressed = Path.Combine(Folder, name, file + ".gz");
        if (!File.Exists(compressed))
            throw new FileNotFoundException($"Test data file not found: {compressed}. Tables the suite needs live in tests/TabTwin.Tests/TestData "
                + "(add a small one there with its SOURCE.md); full-size data outside the repository goes through TestData.LargeDataset.");
        var plain = Path.Combine(AppContext.BaseDirectory, "TestData", name, file);
        lock (DecompressLock)
        {
            if (File.Exists(plain) && File.GetLastWriteTimeUtc(plain) >= File.GetLastWriteTimeUtc(compressed)) return plain;
            Directory.CreateDirectory(Path.GetDirectoryName(plain)!);
            var partial = plain + ".partial";
            using (var source = new GZipStream(File.OpenRead(compressed), CompressionMode.Decompress))
            using (var target = File.Create(partial))
                source.CopyTo(target);
            File.Move(partial, plain, overwrite: true);
            return plain;
        }
    }

    /// <summary>The eleven chinook tables shipped in the repository.</summary>
    public static readonly IReadOnlyList<string> ChinookTables =
        ["Artist", "Album", "Genre", "MediaType", "Track", "Employee", "Customer", "Invoice", "InvoiceLine", "Playlist", "PlaylistTrack"];

    /// <summary>
    /// A folder holding the whole in-repo chinook database: one CSV per table and its metadata.json (SDV multi-table
    /// format) declaring every primary key (PlaylistTrack's composite one) and the eleven foreign keys of foreign_keys.txt.
    /// </summary>
    public static string ChinookFolder()
    {
        foreach (var table in ChinookTables) Dataset("chinook", table + ".csv");
        Dataset("chinook", "metadata.json");
        return Path.Combine(AppContext.BaseDirectory, "TestData", "chinook");
    }

    /// <summary>The in-repo chinook database read with its declared keys (see <see cref="ChinookFolder"/>).</summary>
    public static TabTwin.Schema.Relational.RelationalData Chinook() => TabTwin.IO.RelationalSource.Read(ChinookFolder());

    /// <summary>The optional large data (../shared/datasets beside the repository), or null when it is absent.</summary>
    public static string? LargeDataFolder =>
        Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "datasets")) is var folder && Directory.Exists(folder) ? folder : null;

    /// <summary>
    /// Path of an optional large table in ../shared/datasets beside the repository; when it is absent the calling test
    /// (a <c>[SkippableFact, Trait("Category", TestData.LargeData)]</c>) is skipped with the reason.
    /// </summary>
    public static string LargeDataset(string name, string file)
    {
        var path = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "datasets", name, file));
        if (!File.Exists(path))
            SkipReasons.Skip($"optional large data not present: {name}/{file} is expected at ../shared/datasets beside the repository.");
        return path;
    }

    /// <summary>The demo table shipped inside the CLI (4,000 rows of UCI Adult).</summary>
    public static string DemoCsv => Path.Combine(RepoRoot, "src", "TabTwin.Cli", "Demo", "adult_demo.csv");

    /// <summary>A fresh empty directory under the system temp folder; deleted by the OS eventually.</summary>
    public static string NewTempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "tabtwin-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }
}
