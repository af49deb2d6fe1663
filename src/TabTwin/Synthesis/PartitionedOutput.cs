using System.Text.Json;
using TabTwin.Generation;
using TabTwin.IO;

namespace TabTwin.Synthesis;

/// <summary>The partitioned output folder: staging, commit, markers (see <see cref="PartitionedSampling"/>).</summary>
public static partial class PartitionedSampling
{
    /// <summary>The marker a whole (unsharded) run writes last, and any shard that finds every shard's marker present.</summary>
    public const string SuccessMarker = "_SUCCESS";

    /// <summary>
    /// Staging folders are named <c>.tabtwin-tmp-&lt;pid&gt;-&lt;host&gt;-&lt;guid&gt;</c> inside the output (hidden; the same file system,
    /// so commit only renames); the process id and host let a later run remove one a killed process left (see <see cref="OutputCleanup"/>).
    /// </summary>
    public const string StagingPrefix = ".tabtwin-tmp-";

    /// <summary>The marker shard k of n writes last: <c>_SUCCESS.shard-k-of-n</c>.</summary>
    public static string ShardMarker(Shard shard) => $"{SuccessMarker}.shard-{shard.Index}-of-{shard.Count}";

    /// <summary>
    /// Makes a new staging folder inside <paramref name="outputFolder"/> (creating the output folder) and returns its path.
    /// Refuses an output that is a file, and an existing output holding anything but staging folders unless
    /// <paramref name="overwrite"/> (then <see cref="Commit"/> replaces the previous parts and markers; other files are never touched).
    /// </summary>
    public static string CreateStaging(string outputFolder, bool overwrite) => CreateStaging(outputFolder, overwrite, plan: null, shard: null);

    /// <summary>
    /// Like <see cref="CreateStaging(string, bool)"/>; for a shard only its own parts and marker count as existing output, so
    /// shards may commit into one folder one after another (or at once, from several machines).
    /// </summary>
    internal static string CreateStaging(string outputFolder, bool overwrite, PartitionPlan? plan, Shard? shard)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        var full = Path.GetFullPath(outputFolder);
        if (File.Exists(full))
            throw new DataSourceException("io.exists", $"Cannot write parts into '{outputFolder}': it is a file, not a folder.", file: outputFolder,
                hint: "Give a folder path (e.g. out/); --parts writes part-00000.parquet … and _SUCCESS into it.");
        if (Directory.Exists(full) && !overwrite && Existing(full, plan, shard) is { } existing)
            throw new DataSourceException("io.exists", $"Cannot write parts into '{outputFolder}': it already holds '{existing}'.", file: outputFolder,
                hint: "Pass --overwrite to replace the previous parts (library: overwrite: true), or choose another folder.");
        var staging = Path.Combine(full, $"{StagingPrefix}{Environment.ProcessId}-{OutputCleanup.HostTag}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(full);
            OutputCleanup.RemoveStaleFolders(full, StagingPrefix);
            OutputCleanup.TrackFolder(staging);
            Directory.CreateDirectory(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            OutputCleanup.ForgetFolder(staging);
            throw new DataSourceException("io.unwritable", $"Cannot write parts into '{outputFolder}': {e.Message}", file: outputFolder, inner: e,
                hint: "Check that the folder is writable and the disk has free space.");
        }
        return staging;
    }

    /// <summary>The first entry of the folder that this run would replace; null when there is none.</summary>
    private static string? Existing(string folder, PartitionPlan? plan, Shard? shard)
    {
        var names = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith(StagingPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        if (shard is not { } s || plan is null) return names.FirstOrDefault();
        // A shard's own files; other shards' parts and markers are expected, anything else is not a partitioned output.
        var own = plan.PartsOfShard(s).Select(PartitionPlan.PartFileName).Append(ShardMarker(s)).ToHashSet(StringComparer.Ordinal);
        return names.FirstOrDefault(n => own.Contains(n) || !IsOurs(n));
    }

    private static bool IsOurs(string name) =>
        name.StartsWith(SuccessMarker, StringComparison.Ordinal) || (name.StartsWith("part-", StringComparison.Ordinal) && name.EndsWith(".parquet", StringComparison.Ordinal))
        || name.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal);

    /// <summary>
    /// Moves <paramref name="parts"/> (which must all be in <paramref name="staging"/>) into <paramref name="outputFolder"/>,
    /// writes the marker last and removes the staging folder. A whole run first removes the previous run's markers and
    /// part files (so a folder never mixes two runs under a marker); a shard replaces only its own parts and marker, and
    /// writes <see cref="SuccessMarker"/> as well when every shard of its n has committed the same plan.
    /// </summary>
    public static void Commit(string staging, string outputFolder, PartitionPlan plan, IEnumerable<int> parts, Shard? shard)
    {
        ArgumentException.ThrowIfNullOrEmpty(staging);
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(parts);
        var full = Path.GetFullPath(outputFolder);
        var names = parts.Order().Select(PartitionPlan.PartFileName).ToArray();
        if (names.FirstOrDefault(n => !File.Exists(Path.Combine(staging, n))) is { } missing)
            throw new InvalidOperationException($"Cannot commit: part '{missing}' was not written to '{staging}'.");
        try
        {
            if (shard is null)
            {
                foreach (var old in Directory.EnumerateFiles(full, SuccessMarker + "*").ToList()) File.Delete(old);
                var keep = names.ToHashSet(StringComparer.Ordinal);
                foreach (var old in Directory.EnumerateFiles(full, "part-*.parquet").Where(f => !keep.Contains(Path.GetFileName(f))).ToList()) File.Delete(old);
            }
            else
            {
                // This shard's parts change: neither its old marker nor the whole folder's may vouch for them meanwhile.
                foreach (var stale in new[] { ShardMarker(shard.Value), SuccessMarker }) File.Delete(Path.Combine(full, stale));
            }
            foreach (var name in names) File.Move(Path.Combine(staging, name), Path.Combine(full, name), overwrite: true);
            AtomicFile.WriteAllText(Path.Combine(full, shard is { } s ? ShardMarker(s) : SuccessMarker), Marker(plan, shard, names));
            if (shard is { } own && AllShardsCommitted(full, plan, own))
                AtomicFile.WriteAllText(Path.Combine(full, SuccessMarker), Marker(plan, null, null));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSourceException("io.unwritable", $"Cannot commit the parts into '{outputFolder}': {e.Message}", file: outputFolder, inner: e,
                hint: "Check that the folder is writable; no marker was written, so readers ignore the parts there. Run again.");
        }
        Abandon(staging);
    }

    /// <summary>Removes the staging folder and what it holds (best effort: a folder that cannot be removed now is removed by a later run).</summary>
    public static void Abandon(string staging)
    {
        ArgumentException.ThrowIfNullOrEmpty(staging);
        try
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        catch (IOException) { /* a later run's RemoveStaleFolders takes it */ }
        catch (UnauthorizedAccessException) { }
        OutputCleanup.ForgetFolder(staging);
    }

    /// <summary>The marker's text: what was committed, one JSON object (no time or host, so a rerun writes the same marker).</summary>
    private static string Marker(PartitionPlan plan, Shard? shard, string[]? files) =>
        JsonSerializer.Serialize(new MarkerDocument(plan.TotalRows, plan.Parts, shard?.ToString(), files), MarkerJson) + "\n";

    private static bool AllShardsCommitted(string folder, PartitionPlan plan, Shard shard)
    {
        for (int k = 1; k <= shard.Count; k++)
        {
            var path = Path.Combine(folder, ShardMarker(new Shard(k, shard.Count)));
            try
            {
                var doc = JsonSerializer.Deserialize<MarkerDocument>(File.ReadAllText(path), MarkerJson);
                if (doc is null || doc.Rows != plan.TotalRows || doc.Parts != plan.Parts) return false;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { return false; }
        }
        return true;
    }

    private static readonly JsonSerializerOptions MarkerJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record MarkerDocument(long Rows, int Parts, string? Shard, string[]? Files);
}
