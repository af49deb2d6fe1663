namespace TabTwin.Tests.Support;

/// <summary>
/// Skips a test with a reason and records the reason, with how many tests it skipped, in skip-reasons.txt beside the
/// test assembly. The test runner's default (minimal) output names skipped tests but not why; the project file's
/// ShowSkipReasons target prints this file after the run summary so the reason is visible without extra verbosity.
/// </summary>
public static class SkipReasons
{
    private static readonly Dictionary<string, int> Counts = new();

    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "skip-reasons.txt");

    /// <summary>Records <paramref name="reason"/> and skips the calling [SkippableFact]; never returns.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Skip(string reason)
    {
        lock (Counts)
        {
            Counts[reason] = Counts.GetValueOrDefault(reason) + 1;
            File.WriteAllLines(FilePath, Counts.Select(p => $"{p.Value} test{(p.Value == 1 ? "" : "s")} skipped: {p.Key}"));
        }
        throw new SkipException(reason);
    }
}
