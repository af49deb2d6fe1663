namespace TabTwin.Generation.Spec;

/// <summary>
/// A declarative description of data to generate: one or more tables, each with columns, their distributions and
/// dependencies. Read from YAML or JSON with <see cref="SpecReader"/> (see docs/spec.schema.json), or built in C#.
/// Check it with <see cref="SpecValidator.Validate(GenerationSpec)"/> before use (generation does so too).
/// </summary>
public sealed record GenerationSpec
{
    public const int CurrentVersion = 1;

    /// <summary>Spec format version (1).</summary>
    public int Version { get; init; } = CurrentVersion;
    /// <summary>Default seed when the caller gives none (the same seed gives identical output).</summary>
    public ulong? Seed { get; init; }
    /// <summary>Default Bogus locale for fake personal data (e.g. <c>en</c>, <c>de</c>, <c>fr</c>); "en" when null.</summary>
    public string? Locale { get; init; }
    /// <summary>The tables, in spec order.</summary>
    public required IReadOnlyList<TableSpec> Tables { get; init; }
    /// <summary>The file the spec was read from (for messages), when there is one.</summary>
    public string? SourceFile { get; init; }

    /// <summary>The table with this name; throws a <see cref="SpecException"/> (<c>spec.unknown-table</c>) naming the known tables.</summary>
    public TableSpec Table(string name) => Tables.FirstOrDefault(t => t.Name == name)
        ?? throw new SpecException("spec.unknown-table",
            $"The spec has no table '{name}'; it has: {string.Join(", ", Tables.Select(t => t.Name))}.", table: name, file: SourceFile);

    /// <summary>A single-table spec.</summary>
    public static GenerationSpec Single(TableSpec table, ulong? seed = null, string? locale = null) =>
        new() { Tables = [table], Seed = seed, Locale = locale };
}

/// <summary>One table to generate.</summary>
public sealed record TableSpec
{
    public TableSpec() { }

    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    public TableSpec(string name, long? rows, params IReadOnlyList<ColumnSpec> columns)
    {
        Name = name;
        Rows = rows;
        Columns = columns;
    }

    public required string Name { get; init; }
    /// <summary>Row count (overridable at generation time); for child tables the parent decides (see <see cref="Parent"/>).</summary>
    public long? Rows { get; init; }
    /// <summary>Bogus locale for this table's fake personal data; null = the spec's.</summary>
    public string? Locale { get; init; }
    public required IReadOnlyList<ColumnSpec> Columns { get; init; } = [];
    /// <summary>Target rank correlations between columns, or null for none.</summary>
    public CorrelationSpec? Correlations { get; init; }
    /// <summary>
    /// Rules every generated row satisfies (same rules and JSON shape as a metadata file's "constraints"); rows that
    /// break one are redrawn per chunk. Null or empty = none.
    /// </summary>
    public TabTwin.Sampling.Constraints.ConstraintSet? Constraints { get; init; }
    /// <summary>
    /// The parent table this one is a child of (foreign key, children per parent, dates after the parent's), or null
    /// for a top-level table. Generation of related tables is done by the multi-table generator.
    /// </summary>
    public ParentSpec? Parent { get; init; }
    /// <summary>Spec line of the table, when read from a file.</summary>
    public int? Line { get; init; }

    public ColumnSpec? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);
}

/// <summary>One column: how its values are made and what happens to them afterwards (bounds, rounding, missing values).</summary>
public sealed record ColumnSpec
{
    public ColumnSpec() { }

    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    public ColumnSpec(string name, Distribution distribution)
    {
        Name = name;
        Distribution = distribution;
    }

    public required string Name { get; init; }
    public required Distribution Distribution { get; init; }
    /// <summary>Share of rows left missing (0–1), chosen at random independently of the value.</summary>
    public double Missing { get; init; }
    /// <summary>Numbers: decimal places to round to (0 = integers). Datetimes: ignored (use the resolution).</summary>
    public int? Round { get; init; }
    /// <summary>Numbers: lower bound. Continuous and discrete distributions are truncated (not clipped) to [Min, Max].</summary>
    public double? Min { get; init; }
    /// <summary>Numbers: upper bound (see <see cref="Min"/>).</summary>
    public double? Max { get; init; }
    /// <summary>Datetimes: .NET output format (default ISO 8601, date-only for dates). Booleans: ignored.</summary>
    public string? Format { get; init; }
    /// <summary>Spec line of the column, when read from a file.</summary>
    public int? Line { get; init; }
    /// <summary>Spec lines of the column's fields (for error messages), when read from a file.</summary>
    public IReadOnlyDictionary<string, int>? FieldLines { get; init; }

    internal int? LineOf(string field) => FieldLines is not null && FieldLines.TryGetValue(field, out var l) ? l : Line;
}

/// <summary>How to read a correlation target: as Spearman rank correlations (default) or as the Gaussian copula's latent correlations.</summary>
public enum CorrelationMethod { Spearman, Gaussian }

/// <summary>
/// Target correlations between columns: a full matrix over <see cref="Columns"/>, or pairs (the rest 0). Applied through a
/// Gaussian copula on the columns' uniforms, so any marginal keeps its distribution. A matrix that is not a valid
/// correlation matrix is repaired to the nearest valid one (with a warning) unless <see cref="Repair"/> is false.
/// </summary>
public sealed record CorrelationSpec
{
    public CorrelationMethod Method { get; init; } = CorrelationMethod.Spearman;
    /// <summary>Repair an invalid (not positive semi-definite) matrix with a warning; false = reject it.</summary>
    public bool Repair { get; init; } = true;
    /// <summary>The columns of <see cref="Matrix"/>, in order.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];
    /// <summary>Row-major square matrix over <see cref="Columns"/>, or null when <see cref="Pairs"/> are used.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Matrix { get; init; }
    /// <summary>Pairwise targets (unlisted pairs are 0).</summary>
    public IReadOnlyList<CorrelationPair> Pairs { get; init; } = [];
    public int? Line { get; init; }

    /// <summary>The columns involved, in first-mention order.</summary>
    public IReadOnlyList<string> InvolvedColumns() =>
        Columns.Concat(Pairs.SelectMany(p => new[] { p.A, p.B })).Distinct(StringComparer.Ordinal).ToList();
}

public sealed record CorrelationPair(string A, string B, double Value);

/// <summary>
/// A child table's link to its parent: the foreign key column, the parent's key, how many children each parent has,
/// and datetime columns that must fall after a parent datetime. Filled by the related-tables generator.
/// </summary>
public sealed record ParentSpec
{
    /// <summary>The parent table's name.</summary>
    public required string Table { get; init; }
    /// <summary>The parent's key column (default: its first id/sequence column).</summary>
    public string? Key { get; init; }
    /// <summary>This table's foreign-key column (default: the parent key's name).</summary>
    public string? ForeignKey { get; init; }
    /// <summary>Number of children per parent (a discrete distribution, e.g. Poisson), or null.</summary>
    public Distribution? Children { get; init; }
    /// <summary>Pairs (child datetime column, parent datetime column): the child's value is after the parent's.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> After { get; init; } = [];
    /// <summary>
    /// Per child column of <see cref="After"/>: the gap after the parent's value, in days (e.g. exponential(mean=30)).
    /// A column without a gap keeps its own draw when that is on or after the parent's, else is redrawn between the
    /// parent's value and the end of its range.
    /// </summary>
    public IReadOnlyDictionary<string, Distribution> Gaps { get; init; } = new Dictionary<string, Distribution>();
    public int? Line { get; init; }
}
