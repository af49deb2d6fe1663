using System.Text.Json;
using System.Text.Json.Serialization;
using TabTwin.Tables;
using TabTwin.Bundles;

namespace TabTwin.Encoding;

/// <summary>
/// The fitted state of one column's encoder: plain data serialized to JSON with a closed <c>kind</c>
/// discriminator (never a CLR type name). The subclasses are sealed and live in this assembly only, so a
/// model file can name nothing but these kinds.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind",
    UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(NumericalEncoderState), "numerical")]
[JsonDerivedType(typeof(DatetimeEncoderState), "datetime")]
[JsonDerivedType(typeof(CategoricalEncoderState), "categorical")]
[JsonDerivedType(typeof(BooleanEncoderState), "boolean")]
[JsonDerivedType(typeof(TextEncoderState), "text")]
[JsonDerivedType(typeof(IdEncoderState), "id")]
[JsonDerivedType(typeof(PiiEncoderState), "pii")]
internal abstract record ColumnEncoderState
{
    private protected ColumnEncoderState() { }

    /// <summary>The column name (as in the schema).</summary>
    public required string Name { get; init; }

    /// <summary>How the source column was stored, so decoding restores the same storage type and spelling.</summary>
    public required StorageSpec Storage { get; init; }

    /// <summary>Whether the column appears in the <see cref="EncodedTable"/> (id and pii columns are generated instead).</summary>
    [JsonIgnore] public virtual bool IsModelled => true;

    /// <summary>The encoded form (continuous or discrete) of modelled columns.</summary>
    [JsonIgnore] public virtual EncodedKind EncodedKind => EncodedKind.Discrete;

    /// <summary>Number of codes of a discrete encoded column (0 for continuous).</summary>
    [JsonIgnore] public virtual int Cardinality => 0;

    /// <summary>
    /// What makes this state unusable (read from a model file that was edited and re-hashed), or null when it is
    /// consistent: arrays present and of matching lengths, counts non-negative, ranges ordered and finite.
    /// </summary>
    internal virtual string? Problem() =>
        Name is null || Storage is null ? "its name or storage is missing"
        : !Enum.IsDefined(Storage.Type) ? "its storage type is unknown" : null;

    /// <summary>Whether <paramref name="values"/> can be written in this column's storage (what decoding will do with them).</summary>
    private protected string? Unstorable(string?[] values, IReadOnlyList<string>? dictionary)
    {
        try
        {
            ColumnStorage.FromStrings(Name, values, Storage, dictionary);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or InvalidOperationException or TabTwinException)
        {
            return $"its values cannot be stored as {Storage.Type}";
        }
    }

    internal abstract EncodedColumn Encode(Column column);

    /// <summary>
    /// As <see cref="Encode"/>, for rows the encoding was not fitted on (a streaming fit learns its encoding from a sample of
    /// the rows): a value it has not seen is pooled like a rare one rather than refused.
    /// </summary>
    internal virtual EncodedColumn EncodeUnseen(Column column) => Encode(column);

    /// <summary>Restores the column from its encoded form (null for columns that are not modelled).</summary>
    internal abstract Column Decode(EncodedColumn? encoded, int rowCount, EncodingOptions options, ulong seed);
}

/// <summary>Serializer settings for encoder states (camelCase on top of the shared model settings).</summary>
internal static class EncodingJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions(ModelJson.Options) { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return o;
    }
}

/// <summary>The user-facing errors raised while fitting or applying an encoding (one place for codes and wording).</summary>
internal static class EncodingErrors
{
    /// <summary>A model (damaged weights, an edited model file, or a diverged fit) produced NaN where a value is present.</summary>
    public static TabTwinException NotANumber(string column) => new("model.non-finite",
        $"Column '{column}': the model produced NaN for a present value; its parameters are damaged or its training diverged.", column: column,
        hint: "Use an undamaged copy of the model file, or fit the model again (for neural synthesizers, with a lower learning rate).");

    public static SchemaException EmptyTable() => new("table.empty",
        "The table has no rows; there is nothing to learn from.", hint: "Check the input file or query returns data.");

    public static SchemaException AllMissing(string column, int rows) => new("column.all-missing",
        $"Column '{column}' is missing in all {rows} rows, so nothing about it can be learned.", column: column,
        hint: "Drop the column, or declare it in the metadata as an id/pii column to have it generated.");

    public static SchemaException Unsuitable(string column, string kindLabel, string what, long? row = null) => new("column.kind-unsuitable",
        $"Column '{column}' is declared {kindLabel} but {what}.", column: column, row: row,
        hint: "Declare a kind that suits the data in the metadata JSON, or fix the data.");

    public static SchemaException StorageChanged(string column, ColumnType expected, ColumnType actual) => new("encoding.column-type",
        $"Column '{column}' was fitted as {expected} data but now holds {actual} values.", column: column,
        hint: "Encode tables with the same column types as the table the model was fitted on.");

    public static SchemaException UnknownValue(string column, string value, long row) => new("encoding.unknown-value",
        $"Column '{column}' row {row}: the value '{value}' was not seen when the encoding was fitted.", column: column, row: row,
        hint: "Encode only tables whose categories were present in the training table.");
}
