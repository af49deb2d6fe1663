namespace TabTwin.Randomness;

/// <summary>A stable 64-bit FNV-1a hash of a name (for deriving per-table/column random streams).</summary>
internal static class StableHash
{
    public static ulong Of(string text)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in text) { h ^= c; h *= 1099511628211UL; }
        return h;
    }
}
