using System.Text.Json.Serialization;

namespace TabTwin.Schema;

/// <summary>
/// Declares a table as sequences in long format: every row is one step of one entity's history (a customer's
/// purchases, a stock's trading days). Metadata JSON: <c>"sequence": { "entity": "customer_id", "order": "date",
/// "context": ["segment"] }</c>.
/// </summary>
public sealed record SequenceSpec
{
    /// <summary>The column naming the entity a row belongs to (repeated across that entity's rows).</summary>
    [JsonPropertyName("entity")] public required string Entity { get; init; }

    /// <summary>The datetime or numeric column ordering an entity's steps (ties allowed: their input order is kept).</summary>
    [JsonPropertyName("order")] public required string Order { get; init; }

    /// <summary>
    /// Columns constant within each entity (a customer's segment, a stock's sector), learned once per entity. Null: every
    /// column that is constant within every entity in the data; empty: none.
    /// </summary>
    [JsonPropertyName("context")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Context { get; init; }
}
