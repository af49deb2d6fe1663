namespace TabTwin.IO;

/// <summary>Guesses the delimiter and whether the first record is a header, from the start of a delimited text file.</summary>
internal static class CsvSniffer
{
    public static readonly char[] CandidateDelimiters = [',', '\t', ';', '|'];
    private const int SampleRecords = 50;

    /// <summary>
    /// The candidate that splits the sampled records into the same number (≥ 2) of fields most often,
    /// preferring more fields; counts ignore delimiters inside quotes. Falls back to <paramref name="fallback"/>.
    /// </summary>
    public static char DetectDelimiter(ReadOnlySpan<char> sample, bool sampleIsWholeFile, char fallback)
    {
        char best = fallback;
        double bestScore = 0;
        foreach (var d in CandidateDelimiters)
        {
            var counts = CountPerRecord(sample, d, sampleIsWholeFile);
            if (counts.Count == 0 || counts[0] == 0) continue;
            // Share of records agreeing with the first (header) record, weighted slightly by the field count.
            double agree = counts.Count(c => c == counts[0]) / (double)counts.Count;
            double score = agree * 1000 + Math.Min(counts[0], 999);
            if (score > bestScore) { bestScore = score; best = d; }
        }
        return best;
    }

    private static List<int> CountPerRecord(ReadOnlySpan<char> sample, char delimiter, bool complete)
    {
        var counts = new List<int>();
        bool inQuotes = false;
        int count = 0;
        bool recordHasContent = false;
        for (int i = 0; i < sample.Length && counts.Count < SampleRecords; i++)
        {
            char ch = sample[i];
            if (ch == '"') { inQuotes = !inQuotes; recordHasContent = true; }
            else if (inQuotes) continue;
            else if (ch == delimiter) { count++; recordHasContent = true; }
            else if (ch == '\n' || ch == '\r')
            {
                if (recordHasContent) counts.Add(count);
                count = 0;
                recordHasContent = false;
            }
            else recordHasContent = true;
        }
        // The last record of a truncated sample may be cut short: only count it when the sample is the whole file.
        if (recordHasContent && complete && counts.Count < SampleRecords) counts.Add(count);
        return counts;
    }

    /// <summary>
    /// Header rule: every field of the first record is present, unique, and looks like a name rather than
    /// a value (not a number, not a date). A header-less file whose first row is
    /// all text is taken as having a header: set <see cref="ReadOptions.HasHeader"/> = false for such files.
    /// </summary>
    /// <remarks>
    /// A first record with an empty or repeated name (<c>a,a,b</c>, <c>a,,b</c>) is still a header when the second record
    /// holds a number or date under one of its names: read as data it would turn a numeric column into text.
    /// </remarks>
    public static bool LooksLikeHeader(IReadOnlyList<string> firstRecord, IReadOnlyList<string>? secondRecord = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool gapsOrRepeats = false;
        foreach (var f in firstRecord)
        {
            if (f.Length == 0 || !seen.Add(f)) { gapsOrRepeats = true; continue; }
            if (IsValue(f)) return false;
        }
        if (!gapsOrRepeats) return true;
        if (seen.Count == 0 || secondRecord is null || secondRecord.Count != firstRecord.Count) return false;
        for (int i = 0; i < firstRecord.Count; i++)
            if (firstRecord[i].Length > 0 && IsValue(secondRecord[i])) return true;
        return false;
    }

    private static bool IsValue(string f) =>
        ValueShapes.IsNumber(f, out _, out _)
        || (ValueShapes.MayBeDate(f) && ValueShapes.DateCandidates.Any(c => ValueShapes.TryParseDate(f, c.Format, c.HasOffset, out _, out _)));
}
