using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;

namespace TabTwin.IO;

/// <summary>
/// Keeps half-written outputs from outliving their run. Every temporary file (and every database file a write creates)
/// is tracked while it exists; <see cref="HandleTerminationSignals"/> removes them all on SIGINT/SIGTERM before the
/// process ends. A process killed outright (SIGKILL, power loss) cannot clean up, so its temporary files carry its
/// process id in their name (<c>.&lt;file&gt;.&lt;pid&gt;.&lt;guid&gt;.tabtwin-tmp</c>) and the next write beside them removes
/// the ones whose process is gone (<see cref="RemoveStale"/>).
/// </summary>
public static class OutputCleanup
{
    private static readonly ConcurrentDictionary<string, byte> Live = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, byte> LiveFolders = new(StringComparer.Ordinal);

    /// <summary>A temporary file this process is writing; removed on a termination signal until <see cref="Forget"/>.</summary>
    public static void Track(string path) => Live[path] = 0;

    /// <summary>The file was renamed into place or deleted: no longer this process's to clean up.</summary>
    public static void Forget(string path) => Live.TryRemove(path, out _);

    /// <summary>The tracked files that still exist (tests and diagnostics).</summary>
    public static IReadOnlyList<string> Tracked => Live.Keys.Where(File.Exists).ToList();

    /// <summary>A staging folder this process is filling (e.g. with part files); removed with its content on a termination signal until <see cref="ForgetFolder"/>.</summary>
    internal static void TrackFolder(string path) => LiveFolders[path] = 0;

    /// <summary>The staging folder was committed or removed.</summary>
    internal static void ForgetFolder(string path) => LiveFolders.TryRemove(path, out _);

    /// <summary>The tracked folders that still exist (tests and diagnostics).</summary>
    internal static IReadOnlyList<string> TrackedFolders => LiveFolders.Keys.Where(Directory.Exists).ToList();

    /// <summary>Deletes every tracked file (best effort; a writer still holding one keeps an unlinked inode until it exits).</summary>
    public static void DeleteAll()
    {
        foreach (var path in Live.Keys)
        {
            AtomicFile.TryDelete(path);
            Live.TryRemove(path, out _);
        }
        foreach (var path in LiveFolders.Keys)
        {
            TryDeleteFolder(path);
            LiveFolders.TryRemove(path, out _);
        }
    }

    private static void TryDeleteFolder(string path)
    {
        try { if (Directory.Exists(path)) Directory.Delete(path, recursive: true); }
        catch (IOException) { /* best effort: a later run's RemoveStaleFolders removes it */ }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// This machine in a staging folder's name (8 hex digits of a hash of its name): a folder shared by several machines holds
    /// staging folders of processes this one cannot see, which must not be judged by whether a local process has their id.
    /// </summary>
    internal static string HostTag { get; } = (Randomness.StableHash.Of(Environment.MachineName) & 0xFFFFFFFF).ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>
    /// Removes staging folders <c>&lt;prefix&gt;&lt;pid&gt;-&lt;host&gt;-…</c> in <paramref name="dir"/> left by runs that no longer exist.
    /// A folder's last activity is the newest write to it or to a file in it (a running job writes a row group every few
    /// seconds). This machine's: its process is gone and it has been quiet for a minute, or quiet for a week. Another
    /// machine's (or a name that does not parse): quiet for a day, since its process cannot be asked.
    /// </summary>
    internal static int RemoveStaleFolders(string dir, string prefix)
    {
        int removed = 0;
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateDirectories(dir, prefix + "*").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
        foreach (var path in candidates)
        {
            if (LiveFolders.ContainsKey(path)) continue;
            DateTime touched;
            try { touched = Directory.EnumerateFiles(path).Select(File.GetLastWriteTimeUtc).Append(Directory.GetLastWriteTimeUtc(path)).Max(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            var age = DateTime.UtcNow - touched;
            var name = Path.GetFileName(path)[prefix.Length..].Split('-');
            bool stale = name.Length >= 3 && name[1] == HostTag
                ? age > TimeSpan.FromDays(7) || (age > TimeSpan.FromMinutes(1) && !ProcessRunning(name[0]))
                : age > TimeSpan.FromDays(1);
            if (!stale) continue;
            TryDeleteFolder(path);
            if (!Directory.Exists(path)) removed++;
        }
        return removed;
    }

    /// <summary>
    /// Registers SIGINT and SIGTERM handlers that delete the tracked temporary files and then let the signal end the
    /// process as it would have. Dispose the result to unregister. Call once, from an application's entry point.
    /// </summary>
    public static IDisposable HandleTerminationSignals()
    {
        var registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }
            .Select(signal => PosixSignalRegistration.Create(signal, _ => DeleteAll()))
            .ToArray();
        return new Registrations(registrations);
    }

    /// <summary>
    /// Removes temporary files for <paramref name="fileName"/> in <paramref name="dir"/> left by runs that no longer exist:
    /// their process id is not running (and the file has not been touched for a minute, in case the folder is shared with
    /// another machine), or the file is over a week old. Older TabTwin versions' <c>.&lt;file&gt;.&lt;guid&gt;.tmp</c> are
    /// removed after an hour.
    /// </summary>
    public static int RemoveStale(string dir, string fileName)
    {
        int removed = 0;
        string prefix = "." + fileName + ".";
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateFiles(dir, prefix + "*").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
        foreach (var path in candidates)
        {
            if (Live.ContainsKey(path)) continue;
            var rest = Path.GetFileName(path)[prefix.Length..];
            DateTime touched;
            try { touched = File.GetLastWriteTimeUtc(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            var age = DateTime.UtcNow - touched;
            bool stale = rest.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal)
                ? age > TimeSpan.FromDays(7) || (age > TimeSpan.FromMinutes(1) && !ProcessRunning(rest.Split('.')[0]))
                : IsOldStyleTemp(rest) && age > TimeSpan.FromHours(1);
            if (!stale) continue;
            AtomicFile.TryDelete(path);
            if (!File.Exists(path)) removed++;
        }
        return removed;
    }

    private static bool IsOldStyleTemp(string rest) =>
        rest.Length == 36 && rest.EndsWith(".tmp", StringComparison.Ordinal) && rest[..32].All(Uri.IsHexDigit);

    private static bool ProcessRunning(string pidText)
    {
        if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) return true;   // not ours to judge
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private sealed class Registrations(PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in registrations) r.Dispose();
        }
    }
}
