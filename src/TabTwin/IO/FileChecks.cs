using System.Text;

namespace TabTwin.IO;

using Encoding = System.Text.Encoding;

/// <summary>Turns file-system failures into <see cref="DataSourceException"/>s that name the path.</summary>
internal static class FileChecks
{
    public static void EnsureReadable(string path)
    {
        if (Directory.Exists(path))
            throw new DataSourceException("io.unreadable", $"Cannot read '{path}': it is a directory, not a file.", file: path);
        if (!File.Exists(path))
            throw new DataSourceException("io.not-found", $"File not found: '{path}'.", file: path,
                hint: "Check the path (relative paths start from the current directory: " + Environment.CurrentDirectory + ").");
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSourceException("io.unreadable", $"Cannot read '{path}': {e.Message}", file: path, inner: e);
        }
    }

    /// <summary>Opens text in <paramref name="encoding"/> (a BOM of any Unicode encoding is honoured and skipped).</summary>
    public static StreamReader OpenText(string path, Encoding encoding)
    {
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSourceException("io.unreadable", $"Cannot read '{path}': {e.Message}", file: path, inner: e);
        }
    }
}
