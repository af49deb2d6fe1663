using Sylvan.Data.Csv;
using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// Reads delimited text (CSV, TSV, semicolon or pipe separated) with Sylvan.Data.Csv in two passes so that a
/// large file never sits in memory as strings: pass 1 checks the shape (equal field counts) and infers each
/// column's type with bounded memory; pass 2 parses straight into typed arrays. Both passes work on blocks of
/// records whose columns are processed in parallel (see <see cref="FieldBlock"/>).
/// Quoted fields may hold delimiters, quotes ("") and line breaks. The encoding is checked or detected first
/// (<see cref="TextEncodingDetector"/>): UTF-8, UTF-16/32 with a byte-order mark, else Windows-1252 — never U+FFFD.
/// </summary>
internal static class CsvTableReader
{
    private const int SampleChars = 1 << 16;

    /// <summary>The whole file as one table: pass 1 (<see cref="Open"/>) then pass 2 as a single chunk.</summary>
    public static Table Read(string path, ReadOptions options, char defaultDelimiter)
    {
        // One pass right after pass 1: no stamp check, so a file being appended to reads as before (its first rows).
        var source = Open(path, options, defaultDelimiter, int.MaxValue, checkUnchanged: false);
        return source.ReadChunks().Single();
    }

    /// <summary>
    /// Pass 1: encoding, delimiter, header, shape (ragged rows) and every column's plan, decided once over the whole file;
    /// each pass of the returned source parses the rows into fresh columns of those plans.
    /// </summary>
    public static CsvChunkSource Open(string path, ReadOptions options, char defaultDelimiter, int chunkRows, bool checkUnchanged = true)
    {
        FileChecks.EnsureReadable(path);
        FileStamp? stamp = checkUnchanged ? FileStamp.Of(path) : null;
        var encoding = TextEncodingDetector.Resolve(path, options.Encoding, options.Warning);
        char delimiter = options.Delimiter ?? DetectDelimiter(path, encoding, defaultDelimiter);
        var missing = new MissingTokens(options.MissingTokens);

        string[] names;
        ColumnProfile[] profiles;
        bool hasHeader;
        long rowCount = 0;
        using (var csv = OpenReader(path, encoding, delimiter))
        {
            if (!ReadRecord(csv, path, 0)) throw EmptyTable(path);
            int fieldCount = csv.RowFieldCount;
            var first = new string[fieldCount];
            for (int i = 0; i < fieldCount; i++) first[i] = csv.GetString(i);
            hasHeader = options.HasHeader ?? CsvSniffer.LooksLikeHeader(first, SecondRecord(path, encoding, delimiter, fieldCount));
            names = hasHeader ? HeaderNames(first, path, options) : Enumerable.Range(1, fieldCount).Select(i => $"column{i}").ToArray();
            profiles = names.Select(n => new ColumnProfile(n)).ToArray();

            var block = new FieldBlock(fieldCount);
            long nextLine = 1 + LinesIn(csv);
            if (!hasHeader) { block.Add(csv); rowCount++; }
            while (true)
            {
                long line = nextLine;
                if (!ReadRecord(csv, path, rowCount + 1)) break;
                nextLine += LinesIn(csv);
                if (IsBlankLine(csv, fieldCount)) continue;
                rowCount++;
                if (csv.RowFieldCount != fieldCount) throw RaggedRow(path, line, rowCount, fieldCount, csv.RowFieldCount);
                block.Add(csv);
                if (block.IsFull) Observe(block, profiles, missing);
            }
            Observe(block, profiles, missing);
        }
        if (rowCount == 0) throw EmptyTable(path);
        var layout = new CsvLayout(path, encoding, delimiter, hasHeader, names, profiles.Select(p => p.Decide()).ToArray(), missing, rowCount, stamp);
        return new CsvChunkSource(layout, chunkRows, options.Warning);
    }

    private static void Observe(FieldBlock block, ColumnProfile[] profiles, MissingTokens missing)
    {
        block.ForEachColumn(c =>
        {
            var profile = profiles[c];
            for (int r = 0; r < block.Rows; r++)
            {
                var field = block.Field(r, c);
                var kind = missing.Classify(field);
                if (kind == FieldClass.Present) profile.Observe(field);
                else if (kind != FieldClass.Missing) profile.ObserveNumberWord(field);
            }
        });
        block.Clear();
    }

    internal static void Parse(FieldBlock block, long blockStart, ColumnBuilder[] builders, string[] names, MissingTokens missing, string path, UnusableNumbers[] dropped)
    {
        var failedRow = new long[builders.Length]; // 0 = fine; else the 1-based data row that no longer parses
        block.ForEachColumn(c =>
        {
            var builder = builders[c];
            for (int r = 0; r < block.Rows; r++)
            {
                var field = block.Field(r, c);
                var kind = missing.Classify(field);
                if (kind != FieldClass.Present && !(kind != FieldClass.Missing && builder.KeepsNumberWords))
                {
                    builder.AppendMissing();
                    dropped[c].Count(kind);
                }
                else if (!builder.Append(field)) { failedRow[c] = blockStart + r + 1; return; }
            }
        });
        for (int c = 0; c < builders.Length; c++)
            if (failedRow[c] > 0)
                throw new DataSourceException("io.changed", $"'{path}' changed while it was being read (row {failedRow[c]}, column '{names[c]}').",
                    column: names[c], row: failedRow[c], file: path);
    }

    /// <summary>
    /// Blank lines are skipped in files with several columns (as most CSV readers do); in a one-column file an
    /// empty line is a missing value.
    /// </summary>
    internal static bool IsBlankLine(CsvDataReader csv, int fieldCount)
        => fieldCount > 1 && csv.RowFieldCount == 1 && csv.GetFieldSpan(0).IsEmpty;

    /// <summary>Physical lines the current record spans (quoted line breaks included).</summary>
    private static long LinesIn(CsvDataReader csv) => 1 + csv.GetRawRecordSpan().TrimEnd("\r\n").Count('\n');

    internal static bool ReadRecord(CsvDataReader csv, string path, long row)
    {
        try { return csv.Read(); }
        catch (CsvFormatException e)
        {
            throw new DataSourceException("csv.malformed", $"'{path}' is not valid CSV near data row {row}: {e.Message}", row: row, file: path,
                hint: "Check for an unbalanced quote character.", inner: e);
        }
    }

    internal static CsvDataReader OpenReader(string path, System.Text.Encoding encoding, char delimiter)
    {
        var reader = FileChecks.OpenText(path, encoding);
        try
        {
            return CsvDataReader.Create(reader, new CsvDataReaderOptions
            {
                HasHeaders = false,
                Delimiter = delimiter,
                BufferSize = 1 << 16,
                MaxBufferSize = 64 << 20, // one record (e.g. a long quoted text) may be up to 64 MB
            });
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private static char DetectDelimiter(string path, System.Text.Encoding encoding, char fallback)
    {
        using var reader = FileChecks.OpenText(path, encoding);
        var buffer = new char[SampleChars];
        int read = reader.ReadBlock(buffer, 0, buffer.Length);
        return CsvSniffer.DetectDelimiter(buffer.AsSpan(0, read), read < buffer.Length, fallback);
    }

    /// <summary>The record after the first (blank lines skipped), for the header decision; null when there is none.</summary>
    private static string[]? SecondRecord(string path, System.Text.Encoding encoding, char delimiter, int fieldCount)
    {
        using var csv = OpenReader(path, encoding, delimiter);
        if (!ReadRecord(csv, path, 0)) return null;
        bool more;
        while ((more = ReadRecord(csv, path, 1)) && IsBlankLine(csv, fieldCount)) { }
        if (!more || csv.RowFieldCount != fieldCount) return null;
        return Enumerable.Range(0, fieldCount).Select(csv.GetString).ToArray();
    }

    /// <summary>
    /// Header names made unique: an unnamed column (e.g. a pandas index) gets its position (<c>column2</c>), a repeated
    /// name a suffix (<c>a</c>, <c>a_2</c>); each rename is reported through <see cref="ReadOptions.Warning"/>.
    /// </summary>
    private static string[] HeaderNames(string[] header, string path, ReadOptions options)
    {
        var names = new string[header.Length];
        var seen = new HashSet<string>(header.Where(h => h.Length > 0), StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++)
        {
            string name = header[i].Length == 0 ? $"column{i + 1}" : header[i];
            if (!used.Add(name))
            {
                int k = 2;
                while (seen.Contains($"{name}_{k}") || used.Contains($"{name}_{k}")) k++;
                name = $"{name}_{k}";
                used.Add(name);
            }
            names[i] = name;
            if (name != header[i])
                options.Warning?.Invoke(header[i].Length == 0
                    ? $"'{path}': header field {i + 1} is empty; the column is named '{name}'."
                    : $"'{path}': the header names '{header[i]}' more than once; field {i + 1} is named '{name}'.");
        }
        return names;
    }

    private static DataSourceException EmptyTable(string path)
        => new("table.empty", $"'{path}' holds no data rows.", file: path, hint: "A table needs at least one row besides the header.");

    private static DataSourceException RaggedRow(string path, long line, long row, int expected, int found)
        => new("csv.ragged-row",
            $"'{path}' line {line} (data row {row}) has {found} field{(found == 1 ? "" : "s")} but the header has {expected}.",
            row: row, file: path, hint: "Quote fields that contain the delimiter, or fix the row's field count.");
}
