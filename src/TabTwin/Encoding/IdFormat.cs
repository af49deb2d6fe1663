using System.Text.Json.Serialization;
using TabTwin.Tables;

namespace TabTwin.Encoding;

/// <summary>
/// The learned shape of a unique-key column (e.g. integers from 1, <c>CUST-</c> + 6 digits, UUIDs).
/// Serializable state; holds no real key. <see cref="Generate"/> makes new unique keys in that shape.
/// </summary>
public sealed record IdFormat
{
    [JsonPropertyName("pattern")] public required string Pattern { get; init; }

    public static IdFormat Learn(Column column)
        => throw new NotImplementedException("IdFormat: owned by the schema/PII work package.");

    /// <summary>A column of <paramref name="count"/> distinct keys in this format (same storage type as the source column).</summary>
    public Column Generate(string columnName, int count, ulong seed)
        => throw new NotImplementedException("IdFormat: owned by the schema/PII work package.");
}
