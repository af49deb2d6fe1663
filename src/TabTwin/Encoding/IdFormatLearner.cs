using System.Text.RegularExpressions;
using TabTwin.Tables;

namespace TabTwin.Encoding;

/// <summary>
/// Learns an <see cref="IdPattern"/> from a key column. Only shape is kept: the start and average step of
/// sequences, literal parts shared by all keys, and character classes per position.
/// </summary>
internal static partial class IdFormatLearner
{
    /// <summary>Below this many keys a position that happens to hold one letter/digit everywhere is still treated as random.</summary>
    private const int MinKeysForAlphanumericLiteral = 20;

    public static IdPattern Learn(Column column) => column switch
    {
        NumericColumn n => LearnNumeric(n),
        CategoricalColumn or TextColumn => LearnText(column),
        _ => throw new SchemaException("id.unsupported-type",
            $"Column '{column.Name}' holds {column.Type} values, which cannot be a generated key; ids must be numbers or text.",
            column: column.Name, hint: "Declare the column with another kind in the metadata."),
    };

    private static IdPattern LearnNumeric(NumericColumn column)
    {
        var values = new List<long>(column.Length - column.MissingCount);
        for (int i = 0; i < column.Length; i++)
            if (!column.Missing[i]) values.Add((long)Math.Round(column[i]));
        return new IdPattern(true, [NumberShape(values, fixedWidth: null, numeric: true)]);
    }

    /// <summary>
    /// A sequence when the sorted numbers are evenly spaced, fairly dense, or stored in increasing order (a counter
    /// with gaps); random fixed-width digits when they are sparse in a fixed number of digits and unordered;
    /// otherwise a sequence from the same start with the average step, spanning the same range.
    /// </summary>
    private static IdSegment NumberShape(List<long> values, int? fixedWidth, bool numeric)
    {
        if (values.Count == 0) return new SequenceSegment(fixedWidth ?? 0, 1, 1);
        // Keys stored in increasing row order were handed out by a counter (auto-increment), even with gaps.
        int rises = 0;
        for (int i = 1; i < values.Count; i++) if (values[i] > values[i - 1]) rises++;
        bool assignedInOrder = values.Count >= 3 && rises >= 0.95 * (values.Count - 1);
        values.Sort();
        long min = values[0], max = values[^1];
        int n = values.Count;
        if (n == 1) return new SequenceSegment(fixedWidth ?? 0, min, 1);

        long firstStep = values[1] - values[0];
        bool evenlySpaced = firstStep > 0;
        for (int i = 2; i < n && evenlySpaced; i++) evenlySpaced = values[i] - values[i - 1] == firstStep;
        if (evenlySpaced) return new SequenceSegment(fixedWidth ?? 0, min, firstStep);

        double range = (double)max - min + 1;
        int digits = fixedWidth ?? (min >= 1 && DigitCount(min) == DigitCount(max) ? DigitCount(max) : 0);
        bool sparse = range > 4.0 * n;
        if (sparse && !assignedInOrder && digits >= 4 && (!numeric || digits <= 15))
            return new RandomSegment('d', digits);
        long step = Math.Max(1, (long)Math.Round((max - (double)min) / (n - 1)));
        return new SequenceSegment(fixedWidth ?? 0, min, step);
    }

    private static int DigitCount(long v) => v == 0 ? 1 : (int)Math.Floor(Math.Log10(Math.Abs((double)v))) + 1;

    private static IdPattern LearnText(Column column)
    {
        var keys = new List<string>(column.Length - column.MissingCount);
        for (int i = 0; i < column.Length; i++)
            if (column.FormatValue(i) is { } s) keys.Add(s);
        if (keys.Count == 0) return new IdPattern(false, [new SequenceSegment(0, 1, 1)]);
        return Uuid(keys) ?? PrefixNumber(keys) ?? Hex(keys) ?? ShapeMixture(keys) ?? PerPosition(keys) ?? Fallback(keys);
    }

    private static IdPattern? Uuid(List<string> keys)
    {
        char? format = keys[0].Length switch { 36 => 'D', 32 => 'N', 38 when keys[0][0] == '{' => 'B', 38 => 'P', _ => null };
        if (format is null) return null;
        bool anyUpper = false, anyLower = false;
        foreach (var k in keys)
        {
            if (k.Length != keys[0].Length || !Guid.TryParseExact(k, format.ToString(), out _)) return null;
            foreach (char c in k) { anyUpper |= c is >= 'A' and <= 'F'; anyLower |= c is >= 'a' and <= 'f'; }
        }
        return new IdPattern(false, [new UuidSegment(format.Value, anyUpper && !anyLower)]);
    }

    [GeneratedRegex(@"^([^0-9]*)([0-9]{1,18})([^0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixDigitsSuffix();

    /// <summary>Same non-digit prefix and suffix on every key around one run of digits (CUST-000123, 000123, INV7).</summary>
    private static IdPattern? PrefixNumber(List<string> keys)
    {
        var first = PrefixDigitsSuffix().Match(keys[0]);
        if (!first.Success) return null;
        string prefix = first.Groups[1].Value, suffix = first.Groups[3].Value;
        int width = first.Groups[2].Length;
        bool fixedWidth = true;
        var numbers = new List<long>(keys.Count);
        foreach (var k in keys)
        {
            if (!k.StartsWith(prefix, StringComparison.Ordinal) || !k.EndsWith(suffix, StringComparison.Ordinal)
                || k.Length <= prefix.Length + suffix.Length) return null;
            var digits = k.AsSpan(prefix.Length, k.Length - prefix.Length - suffix.Length);
            if (digits.Length > 18) return null;
            foreach (char c in digits) if (c is < '0' or > '9') return null;
            if (digits.Length != width) fixedWidth = false;
            numbers.Add(long.Parse(digits));
        }
        // Without zero padding a fixed width is a coincidence of the range, not part of the format.
        bool padded = fixedWidth && keys.Any(k => k[prefix.Length] == '0' && width > 1);
        var shape = NumberShape(numbers, fixedWidth ? width : null, numeric: false);
        if (shape is SequenceSegment q && !padded) shape = q with { Width = 0 };
        var segments = new List<IdSegment>();
        if (prefix.Length > 0) segments.Add(new LiteralSegment(prefix));
        segments.Add(shape);
        if (suffix.Length > 0) segments.Add(new LiteralSegment(suffix));
        return new IdPattern(false, segments);
    }

    private static IdPattern? Hex(List<string> keys)
    {
        int len = keys[0].Length;
        if (len < 8) return null;
        bool anyUpper = false, anyLower = false, anyLetter = false;
        foreach (var k in keys)
        {
            if (k.Length != len) return null;
            foreach (char c in k)
            {
                if (c is >= 'a' and <= 'f') { anyLower = true; anyLetter = true; }
                else if (c is >= 'A' and <= 'F') { anyUpper = true; anyLetter = true; }
                else if (c is < '0' or > '9') return null;
            }
        }
        if (!anyLetter || (anyUpper && anyLower)) return null;
        return new IdPattern(false, [new RandomSegment(anyUpper ? 'X' : 'x', len)]);
    }

    /// <summary>Fixed-width codes: per position either a shared literal or the narrowest character class seen there.</summary>
    private static IdPattern? PerPosition(List<string> keys) => PerPosition(keys, MinKeysForAlphanumericLiteral);

    private static IdPattern? PerPosition(List<string> keys, int literalsNeed)
    {
        int len = keys[0].Length;
        if (len > 64 || keys.Any(k => k.Length != len)) return null;
        var segments = new List<IdSegment>();
        for (int p = 0; p < len; p++)
        {
            char firstChar = keys[0][p];
            bool same = true, digit = false, upper = false, lower = false, other = false;
            foreach (var k in keys)
            {
                char c = k[p];
                same &= c == firstChar;
                if (char.IsAsciiDigit(c)) digit = true;
                else if (char.IsAsciiLetterUpper(c)) upper = true;
                else if (char.IsAsciiLetterLower(c)) lower = true;
                else other = true;
            }
            bool literal = same && (!char.IsAsciiLetterOrDigit(firstChar) || keys.Count >= literalsNeed);
            if (literal || (other && !digit && !upper && !lower))
            {
                char lit = literal ? firstChar : MostCommon(keys, p);
                if (segments.Count > 0 && segments[^1] is LiteralSegment l) segments[^1] = new LiteralSegment(l.Text + lit);
                else segments.Add(new LiteralSegment(lit.ToString()));
                continue;
            }
            char cls = ClassOf(digit, upper, lower);
            if (segments.Count > 0 && segments[^1] is RandomSegment r && r.Class == cls) segments[^1] = r with { Length = r.Length + 1 };
            else segments.Add(new RandomSegment(cls, 1));
        }
        return segments.Any(s => s is RandomSegment) ? new IdPattern(false, segments) : null;
    }

    /// <summary>A shape must cover at least this share of the keys to be kept as an alternative (rarer shapes could single a key out).</summary>
    private const double MinShapeShare = 0.01;
    private const int MaxShapes = 12;

    /// <summary>
    /// Keys written in a few shapes (tail numbers N10156, N102UW, N3AGAA; airport codes ABQ, 04G): one alternative per
    /// per-character class shape (digit, upper, lower, other), weighted by its share of the keys; within a shape, a
    /// position every key of the shape shares is a literal (the N of tail numbers), the rest random characters of
    /// their class. Shapes under 1 % of the keys are left out. Null when the keys are few, long, or too varied.
    /// </summary>
    private static IdPattern? ShapeMixture(List<string> keys)
    {
        if (keys.Count < MinKeysForAlphanumericLiteral || keys.Any(k => k.Length is 0 or > 32)) return null;
        var groups = keys.GroupBy(ShapeOf, StringComparer.Ordinal)
            .Where(g => g.Count() >= MinShapeShare * keys.Count)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        int covered = groups.Sum(g => g.Count());
        if (groups.Count == 0 || groups.Count > MaxShapes || covered < 0.9 * keys.Count) return null;
        var alternatives = new List<(int Weight, IReadOnlyList<IdSegment> Segments)>();
        foreach (var g in groups)
        {
            var members = g.ToList();
            var segments = PerPosition(members, literalsNeed: MinKeysForAlphanumericLiteral)?.Segments;
            if (segments is null) continue; // every position fixed: one key repeated by shape, nothing to draw
            alternatives.Add((members.Count, segments));
        }
        if (alternatives.Count == 0) return null;
        return alternatives.Count == 1 ? new IdPattern(false, alternatives[0].Segments) : IdPattern.Mixture(alternatives);
    }

    private static string ShapeOf(string key) => string.Create(key.Length, key, (span, k) =>
    {
        for (int i = 0; i < k.Length; i++)
            span[i] = char.IsAsciiDigit(k[i]) ? '9' : char.IsAsciiLetterUpper(k[i]) ? 'A' : char.IsAsciiLetterLower(k[i]) ? 'a' : k[i];
    });

    /// <summary>Keys of varying shape: random characters of the classes seen, as long as the longest key.</summary>
    private static IdPattern Fallback(List<string> keys)
    {
        bool digit = false, upper = false, lower = false;
        int maxLen = 1;
        foreach (var k in keys)
        {
            maxLen = Math.Max(maxLen, k.Length);
            foreach (char c in k)
            {
                digit |= char.IsAsciiDigit(c);
                upper |= char.IsAsciiLetterUpper(c);
                lower |= char.IsAsciiLetterLower(c);
            }
        }
        return new IdPattern(false, [new RandomSegment(ClassOf(digit, upper, lower), Math.Clamp(maxLen, 8, 64))]);
    }

    private static char ClassOf(bool digit, bool upper, bool lower) => (digit, upper, lower) switch
    {
        (true, false, false) => 'd',
        (false, true, false) => 'A',
        (false, false, true) => 'a',
        (false, true, true) => 'L',
        (true, true, false) => 'C',
        (true, false, true) => 'c',
        _ => 'w',
    };

    private static char MostCommon(List<string> keys, int position) =>
        keys.GroupBy(k => k[position]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
}
