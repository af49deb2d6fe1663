using System.Collections;
using System.Text.Json;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>
/// An ordered, immutable list of constraints: read from the "constraints" array of a metadata JSON file or built in
/// code, checked against any table (<see cref="Check"/>), and honoured by <see cref="ConstrainedSynthesizer"/>.
/// </summary>
public sealed class ConstraintSet : IReadOnlyList<Constraint>
{
    private readonly Constraint[] _items;

    public ConstraintSet(IEnumerable<Constraint> constraints)
    {
        _items = constraints.ToArray();
        foreach (var c in _items) ArgumentNullException.ThrowIfNull(c);
    }

    public static ConstraintSet Empty { get; } = new([]);
    public static ConstraintSet Of(params Constraint[] constraints) => new(constraints);

    public int Count => _items.Length;
    public Constraint this[int index] => _items[index];
    public bool IsEmpty => _items.Length == 0;
    public IEnumerator<Constraint> GetEnumerator() => ((IEnumerable<Constraint>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <summary>"Constraint #2 (inequality admit &lt;= discharge)": how errors and reports name a rule.</summary>
    public string Label(int index) => $"Constraint #{index + 1} ({_items[index].Type} {_items[index].Describe()})";

    /// <summary>The "constraints" array of a metadata JSON document (empty when it has none).</summary>
    public static ConstraintSet FromMetadataJson(string json, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return Empty;
            foreach (var p in doc.RootElement.EnumerateObject())
                if (string.Equals(p.Name, "constraints", StringComparison.OrdinalIgnoreCase)) return ConstraintJson.ReadArray(p.Value, file);
            return Empty;
        }
        catch (JsonException e)
        {
            throw new SchemaException("schema.json", $"The metadata JSON is not valid: {e.Message}", file: file, inner: e);
        }
    }

    /// <summary>Whether a metadata JSON document has a "constraints" member (even an empty array: the user chose no rules).</summary>
    public static bool DeclaresConstraints(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return doc.RootElement.ValueKind == JsonValueKind.Object
                   && doc.RootElement.EnumerateObject().Any(p => string.Equals(p.Name, "constraints", StringComparison.OrdinalIgnoreCase));
        }
        catch (JsonException) { return false; }   // FromMetadataJson reports the broken file
    }

    /// <summary>Reads the constraints of a metadata JSON file.</summary>
    public static ConstraintSet FromMetadataFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new SchemaException("metadata.not-found", $"Metadata file '{path}' does not exist.", file: path);
        return FromMetadataJson(File.ReadAllText(path), path);
    }

    /// <summary>The set as a JSON array, as written under "constraints" in metadata.</summary>
    public string ToJson(bool indented = true) =>
        ConstraintJson.WriteArray(_items).ToJsonString(new JsonSerializerOptions(ConstraintJson.Options) { WriteIndented = indented });

    /// <summary>
    /// Checks every rule's columns against <paramref name="table"/> (and kinds against <paramref name="schema"/>) and
    /// that the set can be satisfied at all (no cycle of inequalities with a strict step, no empty range). Throws
    /// <c>constraints.unknown-column</c>, <c>constraints.column-kind</c> or <c>constraints.infeasible</c>.
    /// </summary>
    public void Validate(Table table, TableSchema? schema = null)
    {
        for (int i = 0; i < _items.Length; i++) _items[i].CheckColumns(table, schema, Label(i));
        CheckFeasible();
    }

    /// <summary>Finds contradictions that hold whatever the data: empty ranges and inequality cycles such as a &lt; b, b &lt; a.</summary>
    public void CheckFeasible()
    {
        for (int i = 0; i < _items.Length; i++)
            if (_items[i] is RangeConstraint { IsEmpty: true })
                throw Infeasible($"{Label(i)} admits no value.");
        var edges = _items.Select((c, i) => (c, i)).Where(p => p.c is InequalityConstraint).Select(p => (Rule: (InequalityConstraint)p.c, Index: p.i)).ToList();
        // A cycle low → high → ... → low is satisfiable only with all steps non-strict (all equal); one strict step makes it empty.
        foreach (var start in edges.Where(e => e.Rule.Strict))
        {
            var path = FindPath(edges, start.Rule.High, start.Rule.Low);
            if (path is not null)
                throw Infeasible($"{string.Join(" and ", new[] { start.Index }.Concat(path).Select(Label))} contradict each other: " +
                    $"together they require {start.Rule.Low} < {start.Rule.Low}.");
        }
    }

    private static List<int>? FindPath(List<(InequalityConstraint Rule, int Index)> edges, string from, string to)
    {
        var previous = new Dictionary<string, (string Node, int Edge)>(StringComparer.Ordinal);
        var queue = new Queue<string>([from]);
        var seen = new HashSet<string>([from], StringComparer.Ordinal);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (node == to)
            {
                var path = new List<int>();
                while (node != from) { var (p, e) = previous[node]; path.Add(e); node = p; }
                path.Reverse();
                return path;
            }
            foreach (var (rule, index) in edges)
                if (rule.Low == node && seen.Add(rule.High)) { previous[rule.High] = (node, index); queue.Enqueue(rule.High); }
        }
        return null;
    }

    internal static TabTwinException Infeasible(string message) => new("constraints.infeasible", message,
        hint: "Remove or correct one of the contradicting constraints.");

    /// <summary>Every rule checked against every row of <paramref name="table"/>; violations listed with their first rows.</summary>
    public ConstraintReport Check(Table table, int maxRowsPerConstraint = 5)
    {
        ArgumentNullException.ThrowIfNull(table);
        var violations = new List<ConstraintViolation>();
        for (int i = 0; i < _items.Length; i++)
        {
            _items[i].CheckColumns(table, null, Label(i));
            var bad = _items[i].FindViolations(table);
            var rows = new List<int>();
            int count = 0;
            for (int r = 0; r < bad.Length; r++)
                if (bad[r]) { if (count++ < maxRowsPerConstraint) rows.Add(r); }
            if (count > 0) violations.Add(new ConstraintViolation(i, _items[i], Label(i), count, rows, rows.Select(r => FormatRow(table, _items[i], r)).ToArray()));
        }
        return new ConstraintReport(table.RowCount, violations);
    }

    /// <summary>"row 12: admit=2020-01-05, discharge=2020-01-02" (1-based row number, header excluded).</summary>
    internal static string FormatRow(Table table, Constraint c, int row)
    {
        var columns = c.Columns.Count > 0 ? c.Columns.Where(table.Contains) : table.ColumnNames;
        return $"row {row + 1}: " + string.Join(", ", columns.Select(n => $"{n}={table[n].FormatValue(row) ?? "(missing)"}"));
    }

    /// <summary>Per row: true when every rule holds.</summary>
    public bool[] Satisfied(Table table)
    {
        var ok = Enumerable.Repeat(true, table.RowCount).ToArray();
        foreach (var c in _items)
        {
            var bad = c.FindViolations(table);
            for (int r = 0; r < ok.Length; r++) if (bad[r]) ok[r] = false;
        }
        return ok;
    }
}

/// <summary>One broken rule: how many rows break it and the first few, formatted with the rule's columns.</summary>
public sealed record ConstraintViolation(int Index, Constraint Constraint, string Label, int Count, IReadOnlyList<int> Rows, IReadOnlyList<string> FormattedRows);

/// <summary>The outcome of <see cref="ConstraintSet.Check"/>.</summary>
public sealed record ConstraintReport(int RowCount, IReadOnlyList<ConstraintViolation> Violations)
{
    public bool IsClean => Violations.Count == 0;

    /// <summary>Readable lines: one per broken rule with its count, then its first rows indented.</summary>
    public string Format()
    {
        if (IsClean) return $"All {RowCount:N0} rows satisfy every constraint.";
        var lines = new List<string>();
        foreach (var v in Violations)
        {
            lines.Add($"{v.Label}: {v.Count:N0} of {RowCount:N0} rows break it");
            lines.AddRange(v.FormattedRows.Select(r => "  " + r));
            if (v.Count > v.Rows.Count) lines.Add($"  ... and {v.Count - v.Rows.Count:N0} more");
        }
        return string.Join(Environment.NewLine, lines);
    }
}
