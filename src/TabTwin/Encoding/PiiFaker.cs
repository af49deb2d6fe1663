using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Encoding;

/// <summary>Realistic fake personal data from Bogus, in a chosen locale, deterministic for a seed. Never derived from real values.</summary>
public static class PiiFaker
{
    /// <summary>A text column of <paramref name="count"/> fake values of <paramref name="type"/>.</summary>
    public static Column Generate(string columnName, PiiType type, string locale, int count, ulong seed)
        => throw new NotImplementedException("PiiFaker: owned by the schema/PII work package.");
}
