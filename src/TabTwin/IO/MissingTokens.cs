namespace TabTwin.IO;

/// <summary>Decides which raw fields are missing: the empty field always, plus the configured tokens (exact, case-sensitive).</summary>
internal sealed class MissingTokens
{
    private readonly HashSet<string> _tokens;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public MissingTokens(IEnumerable<string>? tokens)
    {
        _tokens = new HashSet<string>(tokens ?? [], StringComparer.Ordinal);
        _lookup = _tokens.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public bool IsMissing(ReadOnlySpan<char> field) => field.IsEmpty || (_tokens.Count > 0 && _lookup.Contains(field));
}
