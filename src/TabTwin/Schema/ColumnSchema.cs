using System.Text.Json.Serialization;

namespace TabTwin.Schema;

/// <summary>
/// What TabTwin knows (or was told) about one column. Serialized as one entry of the metadata JSON;
/// every field but <see cref="Name"/> and <see cref="Kind"/> is optional.
/// </summary>
public sealed record ColumnSchema
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("kind")] public required ColumnKind Kind { get; init; }
    /// <summary>The personal-data type when <see cref="Kind"/> is <see cref="ColumnKind.Pii"/>.</summary>
    [JsonPropertyName("pii")] public PiiType? Pii { get; init; }
    /// <summary>
    /// Datetime: the .NET custom format (e.g. <c>yyyy-MM-dd</c>). Id: the learned pattern
    /// (e.g. <c>CUST-{digits:6}</c>). Null means "as read".
    /// </summary>
    [JsonPropertyName("format")] public string? Format { get; init; }
    /// <summary>
    /// Public lower bound of a numerical column: values below it are clipped. Differentially private synthesizers use
    /// declared bounds as they are (no privacy budget is spent finding them), so declare only bounds that are public
    /// knowledge (e.g. age 0–120), never the data's own minimum.
    /// </summary>
    [JsonPropertyName("min")] public double? Min { get; init; }
    /// <summary>Public upper bound of a numerical column (see <see cref="Min"/>).</summary>
    [JsonPropertyName("max")] public double? Max { get; init; }
    /// <summary>
    /// Public list of a categorical (or boolean, text) column's values. Differentially private synthesizers use it as the
    /// column's domain instead of releasing the values seen in the data (which costs budget and drops rare ones).
    /// </summary>
    [JsonPropertyName("categories")] public IReadOnlyList<string>? Categories { get; init; }
    /// <summary>Why this kind was chosen, in one readable line (detection writes it; users may leave it empty).</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>Short display form such as <c>pii(email)</c> or <c>numerical</c>.</summary>
    [JsonIgnore]
    public string KindLabel => Kind == ColumnKind.Pii && Pii is { } p
        ? $"pii({SchemaJson.EnumName(p)})"
        : SchemaJson.EnumName(Kind);
}
