namespace TabTwin.Tests.Support;

/// <summary>Locates the shared datasets beside the repository (../shared/datasets) and temp folders for tests.</summary>
public static class TestData
{
    private static readonly Lazy<string> RepoRootLazy = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TabTwin.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (TabTwin.slnx) above " + AppContext.BaseDirectory);
    });

    public static string RepoRoot => RepoRootLazy.Value;

    /// <summary>Path of a file in ../shared/datasets, e.g. Dataset("adult", "adult.csv").</summary>
    public static string Dataset(string name, string file)
    {
        var path = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "datasets", name, file));
        if (!File.Exists(path)) throw new FileNotFoundException($"Shared dataset file not found: {path}");
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
