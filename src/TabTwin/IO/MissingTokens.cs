namespace TabTwin.IO;

/// <summary>
/// Decides which raw fields are missing: the empty field always, plus the configured tokens (exact, case-sensitive), plus
/// numbers no model can use: infinities (<c>inf</c>, <c>-Infinity</c>, …) and magnitudes above <see cref="MaxMagnitude"/>
/// (<c>1e308</c>), whose squares and differences overflow. Read as missing, such a column stays numeric and no infinity
/// or overflow-sized value reaches a synthesizer or an output.
/// </summary>
internal sealed class MissingTokens
{
    private readonly HashSet<string> _tokens;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly ulong _lengths; // bit n set = some token has length n (n < 64): most fields skip the hash lookup

    public MissingTokens(IEnumerable<string>? tokens)
    {
        _tokens = new HashSet<string>(tokens ?? [], StringComparer.Ordinal);
        _lookup = _tokens.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var t in _tokens) _lengths |= t.Length < 64 ? 1UL << t.Length : 0;
        _longTokens = _tokens.Any(t => t.Length >= 64);
    }

    private readonly bool _longTokens;

    /// <summary>Largest magnitude read as a number; beyond it squares overflow a double.</summary>
    public const double MaxMagnitude = 1e150;

    private static readonly HashSet<string> Infinities = new(StringComparer.OrdinalIgnoreCase) { "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity", "∞", "-∞" };
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> InfinityLookup = Infinities.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly HashSet<string> NotANumbers = new(StringComparer.OrdinalIgnoreCase) { "nan", "-nan", "+nan" };
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> NotANumberLookup = NotANumbers.GetAlternateLookup<ReadOnlySpan<char>>();

    public bool IsMissing(ReadOnlySpan<char> field) => Classify(field) != FieldClass.Present;

    /// <summary>
    /// Whether a field is a value, missing (empty or a configured token: the user's word, never counted), or an unusable
    /// number read as missing (counted, so the reader can say how many it dropped).
    /// </summary>
    public FieldClass Classify(ReadOnlySpan<char> field)
    {
        if (field.IsEmpty) return FieldClass.Missing;
        bool possible = field.Length < 64 ? (_lengths & (1UL << field.Length)) != 0 : _longTokens;
        if (possible && _lookup.Contains(field)) return FieldClass.Missing;
        return UnusableKind(field);
    }

    /// <summary>An infinity, a NaN, or a number (with an exponent, or over 150 digits) beyond ±<see cref="MaxMagnitude"/>.</summary>
    public static bool IsUnusableNumber(ReadOnlySpan<char> field) => UnusableKind(field) != FieldClass.Present;

    private static FieldClass UnusableKind(ReadOnlySpan<char> field)
    {
        if (field.Length <= 9 && InfinityLookup.Contains(field)) return FieldClass.Infinite;
        if (field.Length <= 4 && NotANumberLookup.Contains(field)) return FieldClass.NotANumber;
        if (field.Length <= 150 && field.IndexOfAny('e', 'E') < 0) return FieldClass.Present;
        bool huge = (ValueShapes.IsNumber(field, out _, out _) || field.IndexOfAny('e', 'E') > 0)
            && double.TryParse(field, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v)
            && (!double.IsFinite(v) || Math.Abs(v) > MaxMagnitude);
        return huge ? FieldClass.Huge : FieldClass.Present;
    }
}

/// <summary>What a raw field is to a reader: see <see cref="MissingTokens.Classify"/>.</summary>
internal enum FieldClass { Present, Missing, Infinite, NotANumber, Huge }
