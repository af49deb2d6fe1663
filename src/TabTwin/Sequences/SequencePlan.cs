using System.Text.Json.Serialization;
using TabTwin.Schema;

namespace TabTwin.Sequences;

/// <summary>How a numeric step column is written back: whole numbers or a number of decimals, as in the real column.</summary>
internal sealed record NumericShape(
    [property: JsonPropertyName("column")] string Column,
    [property: JsonPropertyName("integer")] bool Integer,
    [property: JsonPropertyName("decimals")] int Decimals);

/// <summary>
/// What a sequence model knows about the table's layout (saved in the model file; holds no real value): the entity,
/// order, context and step columns, each numeric step column's transform, how the order column is kept, and the shape
/// new entity ids take. The two inner models read and write tables with the column names <see cref="StepFeatures"/> gives.
/// </summary>
internal sealed record SequencePlan
{
    [JsonPropertyName("entity")] public required string Entity { get; init; }
    [JsonPropertyName("order")] public required string Order { get; init; }
    /// <summary>Every column of the table in its order (output keeps it).</summary>
    [JsonPropertyName("columns")] public required string[] Columns { get; init; }
    [JsonPropertyName("context")] public required string[] Context { get; init; }
    [JsonPropertyName("steps")] public required string[] Steps { get; init; }
    [JsonPropertyName("dynamics")] public required ColumnDynamics[] Dynamics { get; init; }
    /// <summary>Step columns that are categories or yes/no: the previous step's value is a history feature.</summary>
    [JsonPropertyName("categoricalLags")] public required string[] CategoricalLags { get; init; }
    [JsonPropertyName("numericShapes")] public required NumericShape[] NumericShapes { get; init; }
    /// <summary>The order column holds dates/times (else numbers).</summary>
    [JsonPropertyName("orderIsDate")] public bool OrderIsDate { get; init; }
    /// <summary>The order column's date format (dates only).</summary>
    [JsonPropertyName("orderFormat")] public string? OrderFormat { get; init; }
    /// <summary>Gaps are whole units (whole days of a date-only column, whole numbers of an integer column).</summary>
    [JsonPropertyName("wholeGaps")] public bool WholeGaps { get; init; }
    /// <summary>The real data has repeated order values within an entity (same-day events), so a gap of 0 may be drawn.</summary>
    [JsonPropertyName("ties")] public bool Ties { get; init; }
    /// <summary>Learned shape of new entity ids (see the encoding's id format grammar).</summary>
    [JsonPropertyName("entityIds")] public required string EntityIds { get; init; }
    /// <summary>The real entity column stores categories (new ids are written as categories too, not as free text).</summary>
    [JsonPropertyName("entityCategorical")] public bool EntityCategorical { get; init; }
    /// <summary>The entity column's schema entry and the order column's (output columns are decoded like the real ones).</summary>
    [JsonPropertyName("entitySchema")] public required ColumnSchema EntitySchema { get; init; }
    [JsonPropertyName("orderSchema")] public required ColumnSchema OrderSchema { get; init; }
    /// <summary>Entities in the training data, and their longest history (bounds sampling work).</summary>
    [JsonPropertyName("entities")] public int Entities { get; init; }
    [JsonPropertyName("maxLength")] public int MaxLength { get; init; }
    /// <summary>Leading columns of the entity model (context) and of the step model (history features), in visiting order.</summary>
    [JsonPropertyName("entityLeading")] public required string[] EntityLeading { get; init; }
    [JsonPropertyName("stepLeading")] public required string[] StepLeading { get; init; }
}
