using System.Text.Json;
using System.Text.Json.Serialization;
using TabTwin.Tables;

namespace TabTwin.Schema;

/// <summary>
/// The metadata of a table: one <see cref="ColumnSchema"/> per column, in table order, and the locale used
/// for fake personal data. Immutable; the single source of truth every synthesizer reads.
/// </summary>
public sealed record TableSchema
{
    public const int CurrentVersion = 1;

    [JsonPropertyName("version")] public int Version { get; init; } = CurrentVersion;
    /// <summary>Bogus locale for generated personal data (e.g. <c>en</c>, <c>de</c>, <c>fr</c>).</summary>
    [JsonPropertyName("locale")] public string Locale { get; init; } = "en";
    [JsonPropertyName("columns")] public required IReadOnlyList<ColumnSchema> Columns { get; init; }

    /// <summary>
    /// The rules every row must satisfy, as the metadata's "constraints" array declares them (kept as written; null when
    /// there are none). They belong to the schema so that whoever fits with it honours them: the constraints layer
    /// (SchemaConstraints) reads them and wraps fitting and sampling; a plain synthesizer refuses a schema that has them
    /// rather than silently ignoring them.
    /// </summary>
    [JsonPropertyName("constraints")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Constraints { get; init; }

    /// <summary>
    /// Set when the table holds sequences (rows are steps of an entity's history, see <see cref="SequenceSpec"/>); the
    /// sequence synthesizer then learns whole histories instead of independent rows. Null for an ordinary table.
    /// </summary>
    [JsonPropertyName("sequence")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SequenceSpec? Sequence { get; init; }

    /// <summary>How many constraints <see cref="Constraints"/> declares.</summary>
    [JsonIgnore]
    public int ConstraintCount => Constraints is { ValueKind: JsonValueKind.Array } a ? a.GetArrayLength() : 0;

    /// <summary>
    /// Throws when this schema declares constraints, for code that would otherwise ignore them (a plain synthesizer's fit).
    /// </summary>
    public void RejectUnappliedConstraints(string who)
    {
        if (ConstraintCount == 0) return;
        throw new SchemaException("constraints.not-applied",
            $"The metadata declares {ConstraintCount} constraint(s), which {who} on its own would ignore.",
            hint: "Fit through SchemaConstraints.Fit (or SyntheticData / the CLI), which applies them, or remove \"constraints\" from the metadata.");
    }

    public ColumnSchema this[string name] => Find(name)
        ?? throw new SchemaException("schema.unknown-column",
            $"The metadata has no column '{name}'; it has: {string.Join(", ", Columns.Select(c => c.Name))}.", column: name);

    public ColumnSchema? Find(string name) => Columns.FirstOrDefault(c => c.Name == name);

    public TableSchema WithColumn(ColumnSchema column)
    {
        var list = Columns.ToList();
        int i = list.FindIndex(c => c.Name == column.Name);
        if (i >= 0) list[i] = column; else list.Add(column);
        return this with { Columns = list };
    }

    /// <summary>
    /// Checks that this schema describes <paramref name="table"/>: every schema column exists in the table
    /// and every table column has a schema entry, and storage types suit the declared kinds.
    /// Throws a <see cref="SchemaException"/> naming the first problem.
    /// </summary>
    public void Validate(Table table)
    {
        foreach (var c in Columns)
        {
            if (!table.TryGetColumn(c.Name, out var col))
                throw new SchemaException("schema.unknown-column",
                    $"The metadata names column '{c.Name}', which the table does not have (it has: {string.Join(", ", table.ColumnNames)}).",
                    column: c.Name, hint: "Fix the column name in the metadata JSON or remove that entry.");
            if (!SchemaJson.Suits(c.Kind, col.Type))
                throw new SchemaException("schema.kind-mismatch",
                    $"Column '{c.Name}' is declared {c.KindLabel} but holds {col.Type} values.", column: c.Name,
                    hint: $"Use a kind that suits {col.Type} data, or fix the data.");
        }
        foreach (var col in table.Columns)
            if (Find(col.Name) is null)
                throw new SchemaException("schema.missing-column",
                    $"Column '{col.Name}' is in the table but not in the metadata.", column: col.Name,
                    hint: "Add an entry for it to the metadata JSON.");
        if (Sequence is not null) ValidateSequence();
    }

    /// <summary>
    /// Checks the "sequence" against this metadata's columns: entity, order and context columns must be among them (the
    /// error names the missing one), be different columns, and the order must be a datetime or numerical column (the
    /// values that can be sorted into a history). Whether context columns really are constant within each entity is a
    /// property of the data, checked where the table is grouped (<see cref="SequenceLayout.Of"/>).
    /// </summary>
    public void ValidateSequence()
    {
        if (Sequence is not { } s) return;
        SchemaJson.CheckSequence(s, null);
        foreach (var (name, role) in new[] { (s.Entity, "entity") , (s.Order, "order") }.Concat((s.Context ?? []).Select(c => (c, "context"))))
            if (Find(name) is null)
                throw new SchemaException("sequence.unknown-column",
                    $"The metadata's \"sequence\" names {role} column '{TabTwinException.Clip(name)}', which the metadata does not have (it has: {TabTwinException.Clip(string.Join(", ", Columns.Select(c => c.Name)))}).",
                    column: name, hint: "Fix the column name in \"sequence\" (names are case-sensitive).");
        var order = this[s.Order];
        if (order.Kind is not (ColumnKind.Datetime or ColumnKind.Numerical))
            throw new SchemaException("sequence.order-kind",
                $"The sequence's order column '{order.Name}' is declared {order.KindLabel}; it must be datetime or numerical to order each entity's steps.",
                column: order.Name, hint: "Name a date/time or number column as \"order\", or declare this column's kind datetime or numerical.");
    }
}
