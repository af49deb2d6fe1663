using System.Text;

namespace TabTwin.IO;

using Encoding = System.Text.Encoding;

/// <summary>
/// Decides how the bytes of a delimited-text file become characters, so that no byte is ever silently turned into
/// U+FFFD: a byte-order mark names UTF-8, UTF-16 or UTF-32 (and the rest must then decode in it); without one the
/// whole file must be valid UTF-8, else it is read as Windows-1252 (the Western superset of Latin-1: <c>é</c> is 0xE9)
/// when every byte is a character there, with a warning naming the first byte that was not UTF-8. A file that is
/// neither is refused (<c>io.encoding</c>) with the offset of its first bad byte. A NUL byte means binary data or
/// UTF-16 without a byte-order mark, never text, and is refused too.
/// </summary>
internal static class TextEncodingDetector
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Windows-1252 from the in-box code-page provider (not registered process-wide).</summary>
    public static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)
        ?? throw new InvalidOperationException("The Windows-1252 code page is not available.");

    /// <summary>
    /// The encoding to read <paramref name="path"/> with. <paramref name="requested"/> (the user's choice) is used as
    /// given, except that UTF-8 is still checked so a bad byte is an error naming its offset, not U+FFFD.
    /// </summary>
    public static Encoding Resolve(string path, Encoding? requested, Action<string>? warning)
    {
        var (bom, bomLength) = ReadByteOrderMark(path);
        if (requested is not null)
        {
            if (requested is UTF8Encoding && bom is null or UTF8Encoding && FirstInvalid(path, Strict(requested), bomLength) is { } bad)
                throw new DataSourceException("io.encoding", $"'{path}' is not valid UTF-8: {Describe(bad)}.", file: path,
                    hint: "Save it as UTF-8, or name the encoding it was written in with --encoding (e.g. windows-1252).");
            return requested;
        }
        if (bom is not null)
        {
            if (FirstInvalid(path, Strict(bom), bomLength) is { } bad)
                throw new DataSourceException("io.encoding", $"'{path}' starts with a {Name(bom)} byte-order mark but is not valid {Name(bom)}: {Describe(bad)}.",
                    file: path, hint: "Save it again in one encoding (UTF-8 is best).");
            if (bom is not UTF8Encoding) warning?.Invoke($"'{path}' is read as {Name(bom)} (its byte-order mark says so).");
            return bom;
        }
        if (FirstByte(path, 0) is { } nul)
            throw new DataSourceException("io.encoding", $"'{path}' holds a NUL byte at byte offset {nul} (0-based): it is binary data or UTF-16 without a byte-order mark, not text.",
                file: path, hint: "Save it as UTF-8 text (or UTF-16 with a byte-order mark).");
        var notUtf8 = FirstInvalid(path, new UTF8Encoding(false, throwOnInvalidBytes: true), 0);
        if (notUtf8 is null) return new UTF8Encoding(false);
        if (FirstNotWindows1252(path) is { } foreign)
            throw new DataSourceException("io.encoding",
                $"'{path}' is neither UTF-8 ({Describe(notUtf8.Value)}) nor Windows-1252/Latin-1 text (byte 0x{foreign.Byte:X2} at byte offset {foreign.Offset} is not a character there).",
                file: path, hint: "Save it as UTF-8, or name its encoding with --encoding (utf-8, utf-16, windows-1252, latin-1).");
        var (offset, value) = notUtf8.Value;
        warning?.Invoke($"'{path}' is not UTF-8 (byte 0x{value:X2} at byte offset {offset} is not valid UTF-8); it is read as Windows-1252 (Latin-1), " +
                        $"where that byte is '{Windows1252.GetString([value])}'. Name another encoding with --encoding if that is wrong.");
        return Windows1252;
    }

    private static string Name(Encoding e) => e switch
    {
        UTF8Encoding => "UTF-8",
        UnicodeEncoding => e.CodePage == 1201 ? "UTF-16 (big-endian)" : "UTF-16 (little-endian)",
        UTF32Encoding => e.CodePage == 12001 ? "UTF-32 (big-endian)" : "UTF-32 (little-endian)",
        _ => e.WebName,
    };

    private static string Describe((long Offset, byte Byte) bad) => $"byte 0x{bad.Byte:X2} at byte offset {bad.Offset} (0-based) is not valid there";

    /// <summary>The same encoding, throwing on bytes it cannot decode instead of replacing them.</summary>
    private static Encoding Strict(Encoding e) => e switch
    {
        UTF8Encoding => new UTF8Encoding(false, throwOnInvalidBytes: true),
        UnicodeEncoding => new UnicodeEncoding(e.CodePage == 1201, byteOrderMark: false, throwOnInvalidBytes: true),
        UTF32Encoding => new UTF32Encoding(e.CodePage == 12001, byteOrderMark: false, throwOnInvalidCharacters: true),
        _ => e,
    };

    private static (Encoding? Encoding, int Length) ReadByteOrderMark(string path)
    {
        Span<byte> head = stackalloc byte[4];
        int n;
        using (var stream = Open(path)) n = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        head = head[..n];
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return (new UTF8Encoding(false), 3);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0, 0])) return (new UTF32Encoding(false, false), 4);
        if (head.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF])) return (new UTF32Encoding(true, false), 4);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return (new UnicodeEncoding(false, false), 2);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return (new UnicodeEncoding(true, false), 2);
        return (null, 0);
    }

    /// <summary>Offset and value of the first byte (after <paramref name="skip"/>) that <paramref name="strict"/> cannot decode; null when all decode.</summary>
    private static (long Offset, byte Byte)? FirstInvalid(string path, Encoding strict, int skip)
    {
        var decoder = strict.GetDecoder();
        var bytes = new byte[ChunkBytes];
        var chars = new char[strict.GetMaxCharCount(ChunkBytes)];
        using var stream = Open(path);
        stream.Seek(skip, SeekOrigin.Begin);
        long start = skip;
        while (true)
        {
            int n = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            try
            {
                decoder.GetChars(bytes, 0, n, chars, 0, flush: n < bytes.Length);
            }
            catch (DecoderFallbackException e)
            {
                // Index is relative to this chunk; bytes held over from the previous chunk give a negative index.
                long offset = Math.Max(skip, start + e.Index);
                byte value = e.BytesUnknown is { Length: > 0 } unknown ? unknown[0] : bytes[Math.Max(0, e.Index)];
                return (offset, value);
            }
            if (n < bytes.Length) return null;
            start += n;
        }
    }

    /// <summary>Offset of the first <paramref name="value"/> byte, or null.</summary>
    private static long? FirstByte(string path, byte value)
    {
        var bytes = new byte[ChunkBytes];
        using var stream = Open(path);
        long start = 0;
        int n;
        while ((n = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false)) > 0)
        {
            int at = bytes.AsSpan(0, n).IndexOf(value);
            if (at >= 0) return start + at;
            start += n;
        }
        return null;
    }

    /// <summary>
    /// The first byte that is not text in Windows-1252: its five unassigned bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) and
    /// control bytes other than tab, line feed and carriage return.
    /// </summary>
    private static (long Offset, byte Byte)? FirstNotWindows1252(string path)
    {
        var bytes = new byte[ChunkBytes];
        using var stream = Open(path);
        long start = 0;
        int n;
        while ((n = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false)) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                byte b = bytes[i];
                if (b is 0x81 or 0x8D or 0x8F or 0x90 or 0x9D or 0x7F || (b < 0x20 && b is not (0x09 or 0x0A or 0x0D))) return (start + i, b);
            }
            start += n;
        }
        return null;
    }

    private static FileStream Open(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSourceException("io.unreadable", $"Cannot read '{path}': {e.Message}", file: path, inner: e);
        }
    }
}
