using System.Text.Json.Serialization;

namespace TabTwin.MultiTable;

/// <summary>How one foreign key of a table gets its values when the table is sampled.</summary>
internal enum KeyRole
{
    /// <summary>The primary parent: each synthetic parent row gets its learned number of children, sampled given its values.</summary>
    Primary,
    /// <summary>Another parent: each synthetic child row is matched to the nearest synthetic parent row (with capacity) on joined columns.</summary>
    Reference,
    /// <summary>A self-reference: a hierarchy drawn over the table's own rows, keeping the share without a parent.</summary>
    Self,
    /// <summary>Every column already comes from another foreign key of the table; only checked.</summary>
    Implied,
}

/// <summary>The plan of one foreign key of a child table (the child side).</summary>
internal sealed record KeyPlan
{
    [JsonPropertyName("fk")] public required int ForeignKey { get; init; }
    [JsonPropertyName("role")] public required KeyRole Role { get; init; }
    /// <summary>Columns of the child's model joined from the parent (leading for the primary parent, drawn for a reference).</summary>
    [JsonPropertyName("joined")] public string[] Joined { get; init; } = [];
    /// <summary>The parent's model column each joined column copies.</summary>
    [JsonPropertyName("from")] public string[] From { get; init; } = [];
    /// <summary>The parent's count column of this key (children per parent row), or null.</summary>
    [JsonPropertyName("count")] public string? Count { get; init; }
    /// <summary>Reference: the child's boolean model column "has a parent" (only when the real key was sometimes missing).</summary>
    [JsonPropertyName("presence")] public string? Presence { get; init; }
    /// <summary>Share of real rows whose key was missing (or an orphan read as missing).</summary>
    [JsonPropertyName("missingShare")] public double MissingShare { get; init; }
    /// <summary>Primary: real children with a parent per real parent row; the sampled counts are rescaled to this mean, so a small or
    /// skewed parent table (8 employees, 3 of them with all the customers) does not double the child table by chance.</summary>
    [JsonPropertyName("perParent")] public double ChildrenPerParent { get; init; }
    /// <summary>
    /// Share of the real parent rows that had a child through this key. A reference without counts (children on under 5 %
    /// of the parents: weather on 3 of 1,458 airports) goes to this share of the synthetic parents only.
    /// </summary>
    [JsonPropertyName("referenced")] public double ReferencedShare { get; init; }
    /// <summary>Such a reference's real children per referenced parent, largest first (8,7xx weather rows at each of 3 airports): the hubs' shares.</summary>
    [JsonPropertyName("hubCounts")] public int[] HubCounts { get; init; } = [];
    /// <summary>Reference: a primary parent never gets the same parent twice (link tables whose key is both foreign keys).</summary>
    [JsonPropertyName("distinct")] public bool Distinct { get; init; }
}

/// <summary>A key column regenerated in its learned format (unique).</summary>
internal sealed record IdPlan
{
    [JsonPropertyName("column")] public required string Column { get; init; }
    [JsonPropertyName("pattern")] public required string Pattern { get; init; }
}

/// <summary>A real column that was missing in every row: written back all missing, with its storage type.</summary>
internal sealed record EmptyColumnPlan
{
    [JsonPropertyName("column")] public required string Column { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }
}

/// <summary>Everything the sampler needs about one table besides its fitted model. Serialized into the model file.</summary>
internal sealed record TablePlan
{
    [JsonPropertyName("table")] public required string Table { get; init; }
    /// <summary>The table's columns in their real order.</summary>
    [JsonPropertyName("columns")] public required string[] Columns { get; init; }
    [JsonPropertyName("ids")] public IdPlan[] Ids { get; init; } = [];
    [JsonPropertyName("keys")] public KeyPlan[] Keys { get; init; } = [];
    [JsonPropertyName("empty")] public EmptyColumnPlan[] Empty { get; init; } = [];
    /// <summary>Column sets that must stay unique (a composite or foreign-key primary key, a composite key children reference).</summary>
    [JsonPropertyName("unique")] public string[][] Unique { get; init; } = [];
    /// <summary>The real distribution of each children-per-row count column of this table (sampled counts are put back on it).</summary>
    [JsonPropertyName("counts")] public CountShape[] Counts { get; init; } = [];
    /// <summary>Real rows (a root table's rows at scale 1).</summary>
    [JsonPropertyName("rows")] public int Rows { get; init; }
    /// <summary>Real rows without a primary parent (missing key), sampled on their own and scaled like a root.</summary>
    [JsonPropertyName("freeRows")] public int FreeRows { get; init; }
    /// <summary>The registry name of the table's model, null when nothing is modelled (a table of keys only).</summary>
    [JsonPropertyName("synthesizer")] public string? Synthesizer { get; init; }

    [JsonIgnore] public KeyPlan? Primary => Keys.FirstOrDefault(k => k.Role == KeyRole.Primary);

    /// <summary>The name of the count column a parent's model holds for foreign key <paramref name="fk"/>.</summary>
    public static string CountColumn(int fk) => $"@n{fk}";
    public static string LeadingColumn(string parentColumn) => "@p." + parentColumn;
    public static string ReferenceColumn(int fk, string parentColumn) => $"@r{fk}.{parentColumn}";
    public static string PresenceColumn(int fk) => $"@r{fk}?";
}
