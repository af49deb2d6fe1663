using System.Text;
using System.Text.Json.Serialization;
using TabTwin.Randomness;

namespace TabTwin.Encoding;

/// <summary>
/// Learned statistics of a free-text column, to write new values that read like the real ones ("Braund, Mr. Owen
/// Harris"-like names, listing titles) instead of lorem ipsum. Words are split at spaces. A word used in at least
/// <c>minCount</c> rows is kept as itself; rarer words are kept only as their shape class (capitalised, lower case,
/// capitals, digits, other) and re-spelt by a character model learned from all rare words
/// of that class (three characters of context). Values are walked word by word, each word drawn given the two before it.
/// A generated value equal to a real one is drawn again: the real values are remembered only as a keyed bit set with
/// about one false alarm in five, so the state cannot confirm that a given value was in the data.
/// </summary>
public sealed class TextModel
{
    private const string Start = "\u0002", End = "\u0003", Separator = "\u0001";
    /// <summary>Characters of context for the next character of a re-spelt rare word.</summary>
    private const int CharContext = 3;
    private const int MaxWordLength = 40, MaxAttempts = 50;

    /// <summary>Next-token counts per pair of previous tokens (words kept as themselves, "#class" for rare words, start and end markers).</summary>
    [JsonPropertyName("words")] public required Dictionary<string, Dictionary<string, int>> Words { get; init; }
    /// <summary>Next-character counts per "class|three previous characters" of rare words.</summary>
    [JsonPropertyName("chars")] public required Dictionary<string, Dictionary<string, int>> Chars { get; init; }
    /// <summary>The most words a value has (generation stops there).</summary>
    [JsonPropertyName("maxWords")] public required int MaxWords { get; init; }
    /// <summary>Key of the echo guard's hash.</summary>
    [JsonPropertyName("guardKey")] public required ulong GuardKey { get; init; }
    /// <summary>Bits set by the real values' keyed hashes (about 4 bits per value, so roughly 22% of other strings hit too).</summary>
    [JsonPropertyName("guard")] public required ulong[] Guard { get; init; }

    internal static TextModel Learn(IReadOnlyList<string> values, IReadOnlyList<int> counts, int minCount, ulong seed)
    {
        // Words used in enough rows are kept as themselves.
        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int v = 0; v < values.Count; v++)
            foreach (var w in values[v].Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct())
                rows[w] = rows.GetValueOrDefault(w) + counts[v];
        var words = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var chars = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        int maxWords = 1;
        for (int v = 0; v < values.Count; v++)
        {
            var split = values[v].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            maxWords = Math.Max(maxWords, split.Length);
            string before = Start, previous = Start;
            foreach (var w in split)
            {
                string token = w;
                if (rows[w] < minCount)
                {
                    token = RareToken(w, out string core, out string shape);
                    if (core.Length > 0) AddWord(chars, shape, core, counts[v]);
                }
                Add(words, before + Separator + previous, token, counts[v]);
                (before, previous) = (previous, token);
            }
            Add(words, before + Separator + previous, End, counts[v]);
        }
        ulong key = SeededRandom.Hash(seed ^ 0x5DEECE66DUL);
        var guard = new ulong[Math.Max(1, (values.Count * 4 + 63) / 64)];
        foreach (var value in values) Set(guard, key, value);
        return new TextModel { Words = words, Chars = chars, MaxWords = Math.Min(maxWords, 64), GuardKey = key, Guard = guard };
    }

    /// <summary>
    /// Why a loaded model cannot generate, or null. Checked once when a model file is read, so a damaged or edited file
    /// (an empty continuation, a count below 1, a missing table) is a coded error there instead of a hang or an
    /// index error while sampling.
    /// </summary>
    internal string? Problem()
    {
        if (Words is null || Chars is null || Guard is null || Guard.Length == 0) return "its text statistics are incomplete";
        if (MaxWords is < 1 or > 64) return "its word limit is out of range";
        foreach (var next in Words.Values.Concat(Chars.Values))
            if (next is null || next.Count == 0 || next.Values.Any(count => count < 1))
                return "its text statistics hold an empty continuation or a count below 1";
        return null;
    }

    /// <summary>A new value, or null when every attempt matched the echo guard (the caller leaves the row empty).</summary>
    internal string? Generate(SeededRandom random)
    {
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // When the learned spellings keep landing on real values (a column like "René 1" … "René 30", whose digit
            // model can only spell the numbers it saw), the second half of the attempts spells rare words from
            // each class's character frequencies alone, which reaches values the data never held.
            var text = Walk(random, backoff: attempt >= MaxAttempts / 2);
            if (text.Length > 0 && !IsSet(Guard, GuardKey, text)) return text;
        }
        return null;
    }

    private string Walk(SeededRandom random, bool backoff)
    {
        var sb = new StringBuilder();
        string before = Start, token = Start;
        for (int n = 0; n < MaxWords; n++)
        {
            if (!Words.TryGetValue(before + Separator + token, out var next)) break;
            before = token;
            token = Draw(next, random);
            if (token == End) break;
            if (sb.Length > 0) sb.Append(' ');
            if (token.StartsWith(RareMark, StringComparison.Ordinal))
            {
                // A rare word: its punctuation as seen ("Braund," "(Elisabeth") around a newly spelt core.
                var parts = token[RareMark.Length..].Split(Separator);
                sb.Append(parts[1]).Append(parts[0].Length > 0 ? SpellWord(parts[0], random, backoff) : "").Append(parts[2]);
            }
            else sb.Append(token);
        }
        return sb.ToString();
    }

    private string SpellWord(string cls, SeededRandom random, bool backoff)
    {
        var sb = new StringBuilder();
        if (backoff && CharacterFrequencies(cls) is { First.Count: > 0 } frequencies)
        {
            // The first character never ends the word; after it, the word ends as often as the class's words do.
            sb.Append(Draw(frequencies.First, random));
            while (sb.Length < MaxWordLength)
            {
                string c = Draw(frequencies.Any, random);
                if (c == End) break;
                sb.Append(c);
            }
            return sb.ToString();
        }
        string context = string.Concat(Enumerable.Repeat(Start, CharContext));
        while (sb.Length < MaxWordLength && Chars.TryGetValue(cls + "|" + context, out var next))
        {
            string c = Draw(next, random);
            if (c == End) break;
            sb.Append(c);
            context = (context + c)[^CharContext..];
        }
        return sb.Length > 0 ? sb.ToString() : "x";
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Dictionary<string, int> First, Dictionary<string, int> Any)> _frequencies =
        new(StringComparer.Ordinal);

    /// <summary>How often each character (Any: and the end of a word) follows any context in a class's rare words.</summary>
    private (Dictionary<string, int> First, Dictionary<string, int> Any) CharacterFrequencies(string cls) => _frequencies.GetOrAdd(cls, c =>
    {
        // Summed in the table's own order, so the draw is reproducible after a model-file round trip.
        var any = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (context, next) in Chars)
            if (context.StartsWith(c + "|", StringComparison.Ordinal))
                foreach (var (ch, count) in next) any[ch] = (int)Math.Min(int.MaxValue, (long)any.GetValueOrDefault(ch) + count);
        return (any.Where(e => e.Key != End).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal), any);
    });

    /// <summary>Cumulative counts per table row, built on first use (sampling draws from the same rows many times).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Dictionary<string, int>, (string[] Keys, long[] Cumulative)> _cumulative =
        new(ReferenceEqualityComparer.Instance);

    private string Draw(Dictionary<string, int> counts, SeededRandom random)
    {
        // Insertion order (the data's order, kept through the JSON round trip) makes the draw reproducible.
        var (keys, cumulative) = _cumulative.GetOrAdd(counts, c =>
        {
            var k = c.Keys.ToArray();
            var cum = new long[k.Length];
            long sum = 0;
            for (int i = 0; i < k.Length; i++) cum[i] = sum += c[k[i]];
            return (k, cum);
        });
        long u = (long)(random.NextDouble() * cumulative[^1]);
        int at = Array.BinarySearch(cumulative, u + 1);
        return keys[at >= 0 ? at : ~at];
    }

    private static void AddWord(Dictionary<string, Dictionary<string, int>> chars, string cls, string word, int count)
    {
        string context = string.Concat(Enumerable.Repeat(Start, CharContext));
        foreach (var r in word.EnumerateRunes())
        {
            string c = r.ToString();
            Add(chars, cls + "|" + context, c, count);
            context = (context + c)[^CharContext..];
        }
        Add(chars, cls + "|" + context, End, count);
    }

    private static void Add(Dictionary<string, Dictionary<string, int>> table, string from, string to, int count)
    {
        if (!table.TryGetValue(from, out var next)) table[from] = next = new Dictionary<string, int>(StringComparer.Ordinal);
        next[to] = next.GetValueOrDefault(to) + count;
    }

    private const string RareMark = "\u0004";

    /// <summary>The token of a rare word: its shape class with the punctuation before and after its letters and digits.</summary>
    private static string RareToken(string w, out string core, out string shape)
    {
        int start = 0, end = w.Length;
        while (start < end && !char.IsLetterOrDigit(w[start])) start++;
        while (end > start && !char.IsLetterOrDigit(w[end - 1])) end--;
        core = w[start..end];
        shape = core.Length == 0 ? "" : ShapeClass(core);
        return RareMark + shape + Separator + w[..start] + Separator + w[end..];
    }

    /// <summary>Capitalised (Aa), lower case (a), capitals (A), starting with a digit (9), anything else (p).</summary>
    private static string ShapeClass(string w) =>
        char.IsDigit(w[0]) ? "9"
        : char.IsUpper(w[0]) ? (w.Skip(1).Any(char.IsLower) ? "Aa" : "A")
        : char.IsLower(w[0]) ? "a" : "p";

    private static ulong Bit(ulong key, string value)
    {
        ulong h = key;
        foreach (char c in value) h = SeededRandom.Hash(h ^ c);
        return h;
    }

    private static void Set(ulong[] guard, ulong key, string value)
    {
        ulong b = Bit(key, value) % (ulong)(guard.Length * 64);
        guard[b / 64] |= 1UL << (int)(b % 64);
    }

    private static bool IsSet(ulong[] guard, ulong key, string value)
    {
        ulong b = Bit(key, value) % (ulong)(guard.Length * 64);
        return (guard[b / 64] & (1UL << (int)(b % 64))) != 0;
    }
}
