using System.Text.Json.Nodes;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>
/// The values of <see cref="Columns"/> only appear together in combinations from <see cref="Allowed"/> (e.g. a city
/// belongs to its country). Without an explicit list, the allowed combinations are the ones the training data holds.
/// Learned around by merging the columns into one categorical column of combinations and splitting it back.
/// Like every rule, a row with a missing value in these columns is not judged (the merge still reproduces such rows).
/// </summary>
public sealed class FixedCombinationsConstraint : Constraint
{
    internal const char Separator = '\u001F';
    internal const string MissingMark = "\u0000";

    public FixedCombinationsConstraint(IEnumerable<string> columns, IEnumerable<IReadOnlyList<string?>>? allowed = null)
    {
        var list = columns.ToArray();
        if (list.Length < 2) throw new ArgumentException("Fixed combinations need at least two columns.");
        if (list.Distinct().Count() != list.Length) throw new ArgumentException("Fixed combinations list a column twice.");
        _columns = list;
        if (allowed is not null)
        {
            Allowed = allowed.Select(a => a.Count == list.Length ? a : throw new ArgumentException(
                $"An allowed combination has {a.Count} values for {list.Length} columns ({string.Join(", ", list)}).")).ToArray();
            _allowedKeys = Allowed.Select(Key).ToHashSet(StringComparer.Ordinal);
        }
    }

    private readonly string[] _columns;
    private readonly HashSet<string>? _allowedKeys;

    public override string Type => "fixed-combinations";
    public override IReadOnlyList<string> Columns => _columns;
    /// <summary>The allowed value combinations as written (null = missing), or null when learned from the data.</summary>
    public IReadOnlyList<IReadOnlyList<string?>>? Allowed { get; }
    public override string Describe() =>
        $"({string.Join(", ", _columns)}) only in {(Allowed is null ? "combinations seen in the data" : $"{Allowed.Count} listed combinations")}";

    internal static string Key(IReadOnlyList<string?> values) => string.Join(Separator, values.Select(v => v ?? MissingMark));

    internal static string[] Keys(Table table, IReadOnlyList<string> columns)
    {
        var cols = columns.Select(c => table[c]).ToArray();
        var keys = new string[table.RowCount];
        var parts = new string?[cols.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            for (int j = 0; j < cols.Length; j++) parts[j] = cols[j].FormatValue(i);
            keys[i] = Key(parts);
        }
        return keys;
    }

    public override bool[] FindViolations(Table table)
    {
        if (_allowedKeys is null) return new bool[table.RowCount];
        var cols = _columns.Select(c => table[c]).ToArray();
        var keys = Keys(table, _columns);
        var bad = new bool[keys.Length];
        for (int i = 0; i < bad.Length; i++) bad[i] = !_allowedKeys.Contains(keys[i]) && !cols.Any(c => c.IsMissing(i));
        return bad;
    }

    /// <summary>This rule with the combinations of <paramref name="table"/> as its allowed list (when it has none).</summary>
    internal FixedCombinationsConstraint LearnFrom(Table table)
    {
        if (Allowed is not null) return this;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var combos = new List<IReadOnlyList<string?>>();
        foreach (var key in Keys(table, _columns))
            if (seen.Add(key)) combos.Add(key.Split(Separator).Select(v => v == MissingMark ? null : v).ToArray());
        return new FixedCombinationsConstraint(_columns, combos);
    }

    internal override void CheckColumns(Table table, TableSchema? schema, string label)
    {
        for (int i = 0; i < _columns.Length; i++)
        {
            var c = RequireColumn(table, _columns[i], label, $"columns[{i}]");
            if (schema?.Find(c.Name)?.Kind == ColumnKind.Id) throw WrongKind(label, $"columns[{i}]", c, "a non-id column (ids are unique; they have no fixed combinations)");
        }
    }

    internal override JsonObject ToJson()
    {
        var o = new JsonObject { ["type"] = Type, ["columns"] = new JsonArray(_columns.Select(c => (JsonNode)c!).ToArray()) };
        if (Allowed is not null)
            o["allowed"] = new JsonArray(Allowed.Select(a => (JsonNode)new JsonArray(a.Select(v => v is null ? null : (JsonNode)v).ToArray())).ToArray());
        return o;
    }

    internal override ConstraintTransform? PlanTransform(Table table, TableSchema schema) =>
        new MergeTransform(_columns, MergedColumnsTransform.TemplatesOf(table, _columns), ConstraintTransformNames.Unique(table, string.Join("+", _columns)));

    internal override ConstraintTransform RestoreTransform(JsonObject state)
    {
        var (templates, column) = MergedColumnsTransform.ReadState(state);
        return new MergeTransform(_columns, templates, column);
    }

    /// <summary>Merges columns into one categorical column of joined values and splits it back (exact for any column type).</summary>
    internal sealed class MergeTransform(string[] columns, ColumnTemplate[] templates, string name)
        : MergedColumnsTransform(columns, templates, name)
    {
        public override string Describe() => $"models ({string.Join(", ", Merged)}) as one categorical column";

        public override (Table Table, TableSchema Schema) Apply(Table table, TableSchema schema) =>
            Replace(table, schema, Consumes, CategoricalColumn.FromStrings(InternalColumn, Keys(table, Merged)), ColumnKind.Categorical);

        public override Table Reverse(Table sampled)
        {
            var merged = sampled[InternalColumn];
            var parts = new string?[Merged.Length][];
            for (int j = 0; j < parts.Length; j++) parts[j] = new string?[sampled.RowCount];
            for (int i = 0; i < sampled.RowCount; i++)
            {
                var key = merged.FormatValue(i);
                var values = key?.Split(Separator);
                for (int j = 0; j < parts.Length; j++)
                    parts[j][i] = values is null || values.Length != Merged.Length || values[j] == MissingMark ? null : values[j];
            }
            return Restore(sampled, InternalColumn, Templates.Select((t, j) => t.BuildFromText(parts[j])).ToArray());
        }
    }
}
