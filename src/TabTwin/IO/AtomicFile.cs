namespace TabTwin.IO;

/// <summary>
/// Writes files all-or-nothing: the content goes to a temporary file in the target's own directory
/// (so the final rename never crosses file systems), which then replaces the target in one rename.
/// A failure at any point deletes the temporary file and leaves the previous target untouched, so
/// readers never see a half-written data set, model file or report.
/// <para>A target that is a symbolic link is written through: the link's final target is replaced, the link stays.
/// Temporary files are named <c>.&lt;file&gt;.&lt;pid&gt;.&lt;guid&gt;.tabtwin-tmp</c> and registered in
/// <see cref="OutputCleanup"/> while they exist, so a signal removes them; one left by a killed process is removed by the
/// next write beside it (see <see cref="OutputCleanup.RemoveStale"/>).</para>
/// </summary>
public static class AtomicFile
{
    /// <summary>The suffix every temporary output file carries.</summary>
    public const string TempSuffix = ".tabtwin-tmp";

    /// <summary>Runs <paramref name="writeTemp"/> with a temporary path beside <paramref name="path"/>, then renames it over the target.</summary>
    /// <param name="path">The final file.</param>
    /// <param name="writeTemp">Writes the complete content to the path it is given (and closes it).</param>
    /// <param name="overwrite">When false an existing target is an error ("io.exists").</param>
    public static void Write(string path, Action<string> writeTemp, bool overwrite = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(writeTemp);
        var full = FinalTarget(path);
        if (!overwrite && File.Exists(full))
            throw new DataSourceException("io.exists", $"Cannot write '{path}': the file already exists.", file: path,
                hint: "Pass --overwrite to replace it (library: overwrite: true), or choose another path.");
        var temp = CreateTempBeside(full, path);
        try
        {
            writeTemp(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e)
        {
            TryDelete(temp);
            if (IsWriteFailure(e))
                throw Unwritable(path, e);
            throw;
        }
        finally
        {
            OutputCleanup.Forget(temp);
        }
    }

    /// <summary>Like <see cref="Write(string, Action{string}, bool)"/> but hands the writer an open stream on the temporary file.</summary>
    public static void WriteStream(string path, Action<Stream> write, bool overwrite = true)
        => Write(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.Open, FileAccess.Write, FileShare.None, 1 << 16);
            write(stream);
            stream.Flush(flushToDisk: true);
        }, overwrite);

    /// <summary>Writes all bytes atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool overwrite = true)
    {
        var copy = bytes.ToArray();
        WriteStream(path, s => s.Write(copy), overwrite);
    }

    /// <summary>Writes text (UTF-8, no BOM) atomically.</summary>
    public static void WriteAllText(string path, string text, bool overwrite = true)
        => WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text), overwrite);

    /// <summary>The file a write to <paramref name="path"/> really replaces: the full path, with symbolic links followed.</summary>
    public static string FinalTarget(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            var info = new FileInfo(full);
            return info.LinkTarget is null ? full : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            return full;   // a link loop: the write fails later with the system's own message
        }
    }

    /// <summary>The name of a temporary file for <paramref name="fileName"/> (hidden, process id and a unique part, <see cref="TempSuffix"/>).</summary>
    public static string TempName(string fileName) => $".{fileName}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}";

    /// <summary>
    /// Creates (empty) and registers a temporary file beside <paramref name="full"/>, after removing stale ones a killed
    /// run left there. <paramref name="shown"/> is how errors name the destination.
    /// </summary>
    internal static string CreateTempBeside(string full, string shown)
    {
        var dir = Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSourceException("io.unwritable", $"Cannot create the directory '{dir}' for '{shown}': {e.Message}", file: shown, inner: e);
        }
        OutputCleanup.RemoveStale(dir, Path.GetFileName(full));
        var temp = Path.Combine(dir, TempName(Path.GetFileName(full)));
        OutputCleanup.Track(temp);
        try
        {
            using (new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            OutputCleanup.Forget(temp);
            throw Unwritable(shown, e);
        }
        return temp;
    }

    /// <summary>A failure of the file system (full disk, read-only folder, permissions), also as Parquet's native writer reports it.</summary>
    internal static bool IsWriteFailure(Exception e) => e is IOException or UnauthorizedAccessException or ParquetSharp.ParquetException;

    internal static DataSourceException Unwritable(string path, Exception e) =>
        new("io.unwritable", $"Cannot write '{path}': {e.Message}", file: path, inner: e,
            hint: "Check that the folder is writable and the disk has free space.");

    internal static void TryDelete(string temp)
    {
        try { if (File.Exists(temp)) File.Delete(temp); }
        catch (IOException) { /* best effort: the temp name is unique and a later run removes it */ }
        catch (UnauthorizedAccessException) { }
    }
}
