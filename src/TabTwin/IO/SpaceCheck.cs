using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// Refuses a file write the disk cannot hold, before it starts: the size is estimated from the first rows' text width
/// (Parquet at a third of it, a conservative compression), scaled to the expected row count, and compared with the free
/// space of the destination's folder. A run asked for 99,999,999,999,999 rows fails at once instead of filling the disk.
/// </summary>
internal static class SpaceCheck
{
    private const int SampleRows = 1000;

    /// <summary>Estimated bytes of <paramref name="rows"/> rows shaped like <paramref name="sample"/> written as <paramref name="parquet"/> or text.</summary>
    public static double Estimate(Table sample, long rows, bool parquet)
    {
        int n = Math.Min(sample.RowCount, SampleRows);
        if (n == 0 || rows <= 0) return 0;
        double bytes = 0;
        foreach (var column in sample.Columns)
            for (int r = 0; r < n; r++)
                bytes += (column.FormatValue(r)?.Length ?? 0) + 1;   // value and delimiter/newline
        return bytes / n * rows * (parquet ? 1.0 / 3 : 1.0);
    }

    /// <summary>Throws "io.no-space" when the folder of <paramref name="path"/> has less free space than <paramref name="bytes"/>.</summary>
    public static void Ensure(string path, double bytes, long rows)
    {
        if (bytes <= 0) return;
        long free;
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            free = new DriveInfo(dir).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return;   // free space unknown (network share, odd mount): the write itself reports a full disk
        }
        if (bytes <= free) return;
        throw new DataSourceException("io.no-space",
            $"Cannot write '{path}': {rows:N0} rows need about {Size(bytes)}, but its disk has {Size(free)} free.", file: path,
            hint: "Free some space, write fewer rows, or choose another disk.");
    }

    private static string Size(double bytes) => bytes switch
    {
        >= 1e12 => $"{bytes / 1e12:N1} TB",
        >= 1e9 => $"{bytes / 1e9:N1} GB",
        >= 1e6 => $"{bytes / 1e6:N1} MB",
        _ => $"{bytes / 1e3:N0} KB",
    };
}
