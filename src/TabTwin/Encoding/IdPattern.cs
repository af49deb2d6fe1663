using System.Globalization;
using System.Text;

namespace TabTwin.Encoding;

/// <summary>One piece of a parsed <see cref="IdFormat.Pattern"/> template.</summary>
internal abstract record IdSegment;

/// <summary>Fixed text copied into every key.</summary>
internal sealed record LiteralSegment(string Text) : IdSegment;

/// <summary>start + i·step for the i-th key, left-padded with zeros to at least <paramref name="Width"/> digits (0 = no padding).</summary>
internal sealed record SequenceSegment(int Width, long Start, long Step) : IdSegment;

/// <summary><paramref name="Length"/> random characters drawn from the class <paramref name="Class"/>.</summary>
internal sealed record RandomSegment(char Class, int Length) : IdSegment
{
    public string Alphabet => IdPattern.Alphabet(Class);
}

/// <summary>Starts one alternative of a mixture pattern, drawn with probability proportional to <paramref name="Weight"/> (parsing only).</summary>
internal sealed record OrSegment(int Weight) : IdSegment;

/// <summary>A random (version 4) GUID written with a .NET format letter (D, N, B, P), upper case when <paramref name="Upper"/>.</summary>
internal sealed record UuidSegment(char Format, bool Upper) : IdSegment;

/// <summary>
/// Parser and printer for the <see cref="IdFormat.Pattern"/> grammar (see there). Kept apart from
/// <see cref="IdFormat"/> so learning, generating and validating user-written patterns share one definition.
/// </summary>
internal sealed record IdPattern(bool Numeric, IReadOnlyList<IdSegment> Segments)
{
    /// <summary>
    /// A mixture of key shapes (<c>text:{or:W}…{or:W}…</c>): each key follows one alternative, drawn by weight. Null for a
    /// single-shape pattern. <see cref="Segments"/> is then the heaviest alternative's.
    /// </summary>
    public IReadOnlyList<(int Weight, IdPattern Pattern)>? Alternatives { get; private init; }

    /// <summary>A text pattern whose keys take one of several shapes, each with a weight (heaviest first).</summary>
    public static IdPattern Mixture(IReadOnlyList<(int Weight, IReadOnlyList<IdSegment> Segments)> alternatives)
    {
        var ordered = alternatives.OrderByDescending(a => a.Weight).Select(a => (a.Weight, new IdPattern(false, a.Segments))).ToList();
        return new IdPattern(false, ordered[0].Item2.Segments) { Alternatives = ordered };
    }

    public const string Digits = "0123456789";
    public const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public const string Lower = "abcdefghijklmnopqrstuvwxyz";

    public static string Alphabet(char cls) => cls switch
    {
        'd' => Digits,
        'A' => Upper,
        'a' => Lower,
        'L' => Upper + Lower,
        'C' => Digits + Upper,
        'c' => Digits + Lower,
        'w' => Digits + Upper + Lower,
        'x' => Digits + "abcdef",
        'X' => Digits + "ABCDEF",
        _ => throw new ArgumentException($"Unknown character class '{cls}'."),
    };

    public const string Classes = "dAaLCcwxX";

    public bool HasSequence => Segments.Any(s => s is SequenceSegment);
    public bool HasUuid => Segments.Any(s => s is UuidSegment);

    /// <summary>Parses a pattern string; throws a <see cref="SchemaException"/> (code <c>id.pattern</c>) saying what is wrong.</summary>
    public static IdPattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        bool numeric;
        string body;
        if (pattern.StartsWith("num:", StringComparison.Ordinal)) { numeric = true; body = pattern[4..]; }
        else if (pattern.StartsWith("text:", StringComparison.Ordinal)) { numeric = false; body = pattern[5..]; }
        else throw Bad(pattern, "it must start with 'num:' or 'text:'");

        var segments = new List<IdSegment>();
        var literal = new StringBuilder();
        for (int i = 0; i < body.Length; i++)
        {
            char ch = body[i];
            if (ch == '}' )
            {
                if (i + 1 < body.Length && body[i + 1] == '}') { literal.Append('}'); i++; continue; }
                throw Bad(pattern, $"unmatched '}}' at position {i + 1} (write '}}}}' for a literal brace)");
            }
            if (ch != '{') { literal.Append(ch); continue; }
            if (i + 1 < body.Length && body[i + 1] == '{') { literal.Append('{'); i++; continue; }
            int close = body.IndexOf('}', i);
            if (close < 0) throw Bad(pattern, $"unclosed '{{' at position {i + 1}");
            if (literal.Length > 0) { segments.Add(new LiteralSegment(literal.ToString())); literal.Clear(); }
            segments.Add(ParsePlaceholder(pattern, body[(i + 1)..close]));
            i = close;
        }
        if (literal.Length > 0) segments.Add(new LiteralSegment(literal.ToString()));

        if (segments.Count > 0 && segments[0] is OrSegment)
        {
            if (numeric) throw Bad(pattern, "only 'text:' patterns can have {or:W} alternatives");
            var alternatives = new List<(int, IReadOnlyList<IdSegment>)>();
            for (int i = 0; i < segments.Count;)
            {
                int end = segments.FindIndex(i + 1, x => x is OrSegment);
                if (end < 0) end = segments.Count;
                var part = segments.GetRange(i + 1, end - i - 1);
                Check(pattern, false, part);
                alternatives.Add((((OrSegment)segments[i]).Weight, part));
                i = end;
            }
            return Mixture(alternatives);
        }
        if (segments.Any(x => x is OrSegment)) throw Bad(pattern, "an {or:W} alternative must start the pattern and every later alternative");
        Check(pattern, numeric, segments);
        return new IdPattern(numeric, segments);
    }

    private static void Check(string pattern, bool numeric, List<IdSegment> segments)
    {
        if (segments.Count == 0) throw Bad(pattern, "it has no placeholder");
        if (numeric && (segments.Count != 1 || segments[0] is not (SequenceSegment or RandomSegment { Class: 'd' })))
            throw Bad(pattern, "a 'num:' pattern must be exactly one {seq:…} or {d:n} placeholder");
        if (numeric && segments[0] is RandomSegment { Length: > 15 })
            throw Bad(pattern, "numeric keys can have at most 15 random digits (doubles hold integers exactly up to 2^53)");
        if (!segments.Any(s => s is not LiteralSegment)) throw Bad(pattern, "it has no placeholder, so every key would be the same");
    }

    private static IdSegment ParsePlaceholder(string pattern, string inner)
    {
        var parts = inner.Split(':');
        var inv = CultureInfo.InvariantCulture;
        if (parts[0] == "seq")
        {
            if (parts.Length != 4 || !int.TryParse(parts[1], NumberStyles.None, inv, out int width) || width > 18
                || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, inv, out long start)
                || !long.TryParse(parts[3], NumberStyles.None, inv, out long step) || step < 1)
                throw Bad(pattern, $"'{{{inner}}}' must be {{seq:WIDTH:START:STEP}} with WIDTH 0-18 and STEP ≥ 1");
            return new SequenceSegment(width, start, step);
        }
        if (parts[0] == "or")
        {
            if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, inv, out int weight) || weight < 1)
                throw Bad(pattern, $"'{{{inner}}}' must be {{or:W}} with a whole weight W ≥ 1");
            return new OrSegment(weight);
        }
        if (parts[0] is "uuid" or "UUID")
        {
            if (parts.Length != 2 || parts[1].Length != 1 || !"DNBP".Contains(parts[1][0]))
                throw Bad(pattern, $"'{{{inner}}}' must be {{uuid:F}} or {{UUID:F}} with F one of D, N, B, P");
            return new UuidSegment(parts[1][0], parts[0] == "UUID");
        }
        if (parts.Length == 2 && parts[0].Length == 1 && Classes.Contains(parts[0][0])
            && int.TryParse(parts[1], NumberStyles.None, inv, out int length) && length is >= 1 and <= 256)
            return new RandomSegment(parts[0][0], length);
        throw Bad(pattern, $"'{{{inner}}}' is not a placeholder; use {{seq:W:START:STEP}}, {{uuid:F}}, or {{C:n}} with C one of {Classes}");
    }

    private static SchemaException Bad(string pattern, string why) =>
        new("id.pattern", $"ID pattern '{pattern}' is not valid: {why}.",
            hint: "See IdFormat.Pattern for the grammar, e.g. 'text:CUST-{seq:6:1:1}' or 'num:{d:8}'.");

    /// <summary>Writes the pattern back in canonical form (literal braces doubled).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Numeric ? "num:" : "text:");
        if (Alternatives is { } alternatives)
        {
            foreach (var (weight, alternative) in alternatives)
                AppendSegments(sb.Append(CultureInfo.InvariantCulture, $"{{or:{weight}}}"), alternative.Segments);
            return sb.ToString();
        }
        AppendSegments(sb, Segments);
        return sb.ToString();
    }

    private static void AppendSegments(StringBuilder sb, IReadOnlyList<IdSegment> segments)
    {
        foreach (var s in segments)
        {
            switch (s)
            {
                case LiteralSegment l: sb.Append(l.Text.Replace("{", "{{").Replace("}", "}}")); break;
                case SequenceSegment q: sb.Append(CultureInfo.InvariantCulture, $"{{seq:{q.Width}:{q.Start}:{q.Step}}}"); break;
                case RandomSegment r: sb.Append(CultureInfo.InvariantCulture, $"{{{r.Class}:{r.Length}}}"); break;
                case UuidSegment u: sb.Append(u.Upper ? "{UUID:" : "{uuid:").Append(u.Format).Append('}'); break;
            }
        }
    }

    /// <summary>
    /// How many distinct keys the random part can produce (infinity when it exceeds double range); sequences and
    /// UUIDs count as unbounded. A numeric {d:n} excludes a leading zero so every key has n digits.
    /// </summary>
    public double RandomSpace()
    {
        if (Alternatives is { } alternatives) return alternatives.Sum(a => a.Pattern.RandomSpace());
        if (HasSequence || HasUuid) return double.PositiveInfinity;
        double space = 1;
        foreach (var s in Segments)
            if (s is RandomSegment r) space *= Math.Pow(r.Alphabet.Length, r.Length);
        if (Numeric) space *= 0.9;
        return space;
    }
}
