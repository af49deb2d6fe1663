namespace TabTwin.IO;

/// <summary>Decides which raw fields are missing: the empty field always, plus the configured tokens (exact, case-sensitive).</summary>
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

    public bool IsMissing(ReadOnlySpan<char> field)
    {
        if (field.IsEmpty) return true;
        bool possible = field.Length < 64 ? (_lengths & (1UL << field.Length)) != 0 : _longTokens;
        return possible && _lookup.Contains(field);
    }
}
