using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Encoding;

/// <summary>
/// The learned shape of a unique-key column (e.g. integers from 1, <c>CUST-</c> + 6 digits, UUIDs).
/// Serializable state; holds no real key. <see cref="Generate"/> makes new unique keys in that shape.
/// </summary>
internal sealed record IdFormat
{
    /// <summary>
    /// The whole state, as text. Grammar:
    /// <code>
    /// pattern     := ("num:" | "text:") template | "text:" mixture
    /// template    := ( literal | placeholder )+
    /// literal     := any character but '{' and '}'; write "{{" and "}}" for braces
    /// mixture     := ( "{or:" WEIGHT "}" template )+           "text:" only: each key takes one template, drawn by WEIGHT
    /// placeholder := "{seq:" WIDTH ":" START ":" STEP "}"   START + i·STEP for the i-th key (i = 0, 1, …),
    ///                                                    zero-padded to at least WIDTH digits (0 = no padding)
    ///              | "{" CLASS ":" LENGTH "}"             LENGTH random characters of CLASS
    ///              | "{uuid:" F "}" | "{UUID:" F "}"      random v4 GUID, .NET format F ∈ D N B P, lower/upper case
    /// CLASS       := d (0-9) | A (A-Z) | a (a-z) | L (A-Za-z) | C (A-Z0-9) | c (a-z0-9) | w (A-Za-z0-9)
    ///              | x (0-9a-f) | X (0-9A-F)
    /// </code>
    /// "num:" patterns make a numeric (integer) column and are exactly one placeholder: <c>{seq:0:START:STEP}</c>
    /// or <c>{d:n}</c> (n digits, first digit 1-9, n ≤ 15). "text:" patterns make a text column.
    /// Examples: <c>num:{seq:0:1:1}</c> (1, 2, 3, …), <c>text:CUST-{seq:6:1:1}</c> (CUST-000001, …),
    /// <c>num:{d:8}</c>, <c>text:{uuid:D}</c>, <c>text:{A:2}{d:4}-{X:2}</c>,
    /// <c>text:{or:60}N{d:5}{or:40}N{d:3}{A:2}</c> (tail numbers: N10156 or N102UW).
    /// A pattern holds at most the first key and the average step of a sequence, the fixed literal parts
    /// shared by every key, and character classes; never a whole real key.
    /// </summary>
    [JsonPropertyName("pattern")] public required string Pattern { get; init; }

    /// <summary>Whether <see cref="Generate"/> makes a numeric column (else text).</summary>
    [JsonIgnore] public bool IsNumeric => Pattern.StartsWith("num:", StringComparison.Ordinal);

    /// <summary>Checks a user-written pattern; throws a <see cref="SchemaException"/> (code <c>id.pattern</c>) when invalid.</summary>
    public static IdFormat Parse(string pattern) => new() { Pattern = IdPattern.Parse(pattern).ToString() };

    /// <summary>Learns the key shape of a numeric, categorical or text column (see <see cref="Pattern"/>).</summary>
    public static IdFormat Learn(Column column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return new IdFormat { Pattern = IdFormatLearner.Learn(column).ToString() };
    }

    /// <summary>A column of <paramref name="count"/> distinct keys in this format (same storage type as the source column).</summary>
    /// <exception cref="TabTwinException">Code <c>id.space-too-small</c> when the random part cannot hold that many distinct keys,
    /// <c>id.out-of-range</c> when a numeric sequence leaves the exactly representable integer range.</exception>
    public Column Generate(string columnName, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(columnName);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var pattern = IdPattern.Parse(Pattern);
        var rng = new IdKeyRandom(seed);

        if (pattern.Numeric) return GenerateNumeric(columnName, pattern.Segments[0], count, rng);
        if (pattern.Alternatives is { } alternatives) return GenerateMixture(columnName, alternatives, count, rng);

        var values = new string?[count];
        if (pattern.HasSequence)
        {
            // The sequence alone makes keys distinct; random parts only decorate.
            for (int i = 0; i < count; i++) values[i] = Render(pattern, i, null, rng);
        }
        else
        {
            double space = pattern.RandomSpace();
            if (space < count) throw TooSmall(columnName, space, count);
            if (space <= 1e18)
            {
                // Small enough to enumerate: draw distinct indices of the whole space, then spell each one out.
                var indices = IdKeyRandom.DistinctIndices((long)Math.Round(space), count, rng);
                var radices = Radices(pattern);
                for (int i = 0; i < count; i++) values[i] = Render(pattern, i, DecomposeIndex(radices, indices[i]), rng);
            }
            else
            {
                // The space dwarfs any table: draw freely and redraw the (astronomically rare) repeats.
                var seen = new HashSet<string>(count, StringComparer.Ordinal);
                for (int i = 0; i < count; i++)
                {
                    string key;
                    do key = Render(pattern, i, null, rng); while (!seen.Add(key));
                    values[i] = key;
                }
            }
        }
        return new TextColumn(columnName, values);
    }

    /// <summary>
    /// Keys of several shapes: each key picks an alternative by weight and fills it at random; a key already made is
    /// drawn again (from the same alternative a few times, then from the others, heaviest first), so keys stay distinct
    /// even when one shape's space runs low.
    /// </summary>
    private TextColumn GenerateMixture(string columnName, IReadOnlyList<(int Weight, IdPattern Pattern)> alternatives, int count, IdKeyRandom rng)
    {
        double space = alternatives.Sum(a => a.Pattern.RandomSpace());
        if (space < count) throw TooSmall(columnName, space, count);
        long total = alternatives.Sum(a => (long)a.Weight);
        var seen = new HashSet<string>(count, StringComparer.Ordinal);
        var values = new string?[count];
        for (int i = 0; i < count; i++)
        {
            long pick = (long)rng.NextBelow((ulong)total);
            int chosen = 0;
            while (pick >= alternatives[chosen].Weight) pick -= alternatives[chosen++].Weight;
            values[i] = Draw(alternatives[chosen].Pattern, i) ?? alternatives.Select(a => Draw(a.Pattern, i)).FirstOrDefault(k => k is not null)
                ?? throw TooSmall(columnName, seen.Count, count);
        }
        return new TextColumn(columnName, values);

        string? Draw(IdPattern alternative, int i)
        {
            for (int attempt = 0; attempt < 64; attempt++)
            {
                var key = Render(alternative, i, null, rng);
                if (seen.Add(key)) return key;
            }
            return null;
        }
    }

    private Column GenerateNumeric(string columnName, IdSegment segment, int count, IdKeyRandom rng)
    {
        var values = new double[count];
        const double exactLimit = 9007199254740992d; // 2^53
        if (segment is SequenceSegment q)
        {
            double last = q.Start + (double)q.Step * Math.Max(0, count - 1);
            if (Math.Abs(q.Start) > exactLimit || Math.Abs(last) > exactLimit)
                throw new TabTwinException("id.out-of-range",
                    $"Column '{columnName}': {count:N0} keys from {q.Start} in steps of {q.Step} go beyond ±2^53, which numbers cannot hold exactly.",
                    column: columnName, hint: "Store this key as text, or use a smaller start/step in the metadata format.");
            for (int i = 0; i < count; i++) values[i] = q.Start + (double)q.Step * i;
        }
        else
        {
            int digits = ((RandomSegment)segment).Length;
            long low = (long)Math.Pow(10, digits - 1), space = 9 * low;
            if (digits == 1) { low = 1; space = 9; }
            if (space < count) throw TooSmall(columnName, space, count);
            int i = 0;
            foreach (var index in IdKeyRandom.DistinctIndices(space, count, rng)) values[i++] = low + index;
        }
        return new NumericColumn(columnName, values, isInteger: true);
    }

    private TabTwinException TooSmall(string columnName, double space, int count) =>
        new("id.space-too-small",
            $"Column '{columnName}': ID pattern '{Pattern}' can make only {space:N0} distinct keys, but {count:N0} were asked for.",
            column: columnName,
            hint: "Give the column a wider pattern in the metadata (more characters, or a {seq:…} part), or declare it categorical.");

    /// <summary>The alphabet size of every random character, in order.</summary>
    private static int[] Radices(IdPattern pattern) =>
        pattern.Segments.OfType<RandomSegment>().SelectMany(r => Enumerable.Repeat(r.Alphabet.Length, r.Length)).ToArray();

    /// <summary>Splits an index of the whole random space into per-character alphabet positions (mixed radix, last character fastest).</summary>
    private static int[] DecomposeIndex(int[] radices, long index)
    {
        var digits = new int[radices.Length];
        for (int k = radices.Length - 1; k >= 0; k--) { digits[k] = (int)(index % radices[k]); index /= radices[k]; }
        return digits;
    }

    /// <summary>
    /// Writes the i-th key. <paramref name="positions"/> gives the random characters as alphabet positions
    /// (in order); when null they are drawn from <paramref name="rng"/>.
    /// </summary>
    private static string Render(IdPattern pattern, int i, int[]? positions, IdKeyRandom rng)
    {
        var sb = new StringBuilder();
        int p = 0;
        foreach (var s in pattern.Segments)
        {
            switch (s)
            {
                case LiteralSegment l: sb.Append(l.Text); break;
                case SequenceSegment q:
                    long v = q.Start + q.Step * (long)i;
                    if (v < 0) sb.Append('-');
                    sb.Append(Math.Abs(v).ToString(CultureInfo.InvariantCulture).PadLeft(q.Width, '0'));
                    break;
                case RandomSegment r:
                    var alphabet = r.Alphabet;
                    for (int k = 0; k < r.Length; k++)
                        sb.Append(alphabet[positions is null ? (int)rng.NextBelow((ulong)alphabet.Length) : positions[p++]]);
                    break;
                case UuidSegment u:
                    var g = rng.NextGuid().ToString(u.Format.ToString());
                    sb.Append(u.Upper ? g.ToUpperInvariant() : g);
                    break;
            }
        }
        return sb.ToString();
    }
}
