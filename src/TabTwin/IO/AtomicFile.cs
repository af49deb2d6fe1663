namespace TabTwin.IO;

/// <summary>
/// Writes files all-or-nothing: the content goes to a temporary file in the target's own directory
/// (so the final rename never crosses file systems), which then replaces the target in one rename.
/// A failure at any point deletes the temporary file and leaves the previous target untouched, so
/// readers never see a half-written data set, model file or report.
/// </summary>
public static class AtomicFile
{
    /// <summary>Runs <paramref name="writeTemp"/> with a temporary path beside <paramref name="path"/>, then renames it over the target.</summary>
    /// <param name="path">The final file.</param>
    /// <param name="writeTemp">Writes the complete content to the path it is given (and closes it).</param>
    /// <param name="overwrite">When false an existing target is an error ("io.exists").</param>
    public static void Write(string path, Action<string> writeTemp, bool overwrite = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(writeTemp);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!overwrite && File.Exists(full))
            throw new DataSourceException("io.exists", $"Cannot write '{path}': the file already exists.", file: path,
                hint: "Choose another path or allow overwriting.");
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSourceException("io.unwritable", $"Cannot create the directory '{dir}' for '{path}': {e.Message}", file: path, inner: e);
        }

        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            writeTemp(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e)
        {
            TryDelete(temp);
            if (e is IOException or UnauthorizedAccessException)
                throw new DataSourceException("io.unwritable", $"Cannot write '{path}': {e.Message}", file: path, inner: e);
            throw;
        }
    }

    /// <summary>Like <see cref="Write(string, Action{string}, bool)"/> but hands the writer an open stream on the temporary file.</summary>
    public static void WriteStream(string path, Action<Stream> write, bool overwrite = true)
        => Write(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
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

    private static void TryDelete(string temp)
    {
        try { if (File.Exists(temp)) File.Delete(temp); }
        catch (IOException) { /* best effort: the temp name is unique and hidden */ }
        catch (UnauthorizedAccessException) { }
    }
}
