namespace TabTwin.Generation.Spec;

/// <summary>
/// Reads a <see cref="GenerationSpec"/> from YAML or JSON. The layout (see docs/spec.schema.json):
/// <code>
/// version: 1
/// seed: 42
/// locale: en
/// tables:
///   - name: customers
///     rows: 10000
///     columns:
///       age: { type: normal, mean: 40, sd: 12, min: 18, round: 0 }
///       segment: { type: categorical, values: { gold: 0.1, silver: 0.3, bronze: 0.6 } }
///     correlations: { columns: [age, income], matrix: [[1, 0.4], [0.4, 1]] }
/// </code>
/// A single table may skip <c>tables:</c> and put <c>name</c>, <c>rows</c>, <c>columns</c> and <c>correlations</c> at the top.
/// Columns are a mapping name → column, or a list of columns with <c>name</c>. Every problem is a <see cref="SpecException"/>
/// naming the table, column, field and line. Only syntax and parameters are checked here; references, cycles and
/// correlation matrices are checked by <see cref="SpecValidator"/>.
/// </summary>
public static class SpecReader
{
    private static readonly string[] TopFields = ["version", "seed", "locale", "tables", "name", "rows", "columns", "correlations", "constraints"];
    private static readonly string[] TableFields = ["name", "rows", "locale", "columns", "correlations", "constraints", "parent"];
    private static readonly string[] CorrelationFields = ["method", "repair", "columns", "matrix", "pairs"];
    private static readonly string[] ParentFields = ["table", "key", "foreignKey", "children", "after"];

    /// <summary>Reads a spec file; <c>.json</c> is JSON, anything else YAML (a superset of JSON).</summary>
    public static GenerationSpec Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new SpecException("spec.not-found", $"Spec file '{path}' does not exist.", file: path);
        long length = new FileInfo(path).Length;
        if (length > SpecYamlParser.MaxChars)
            throw new SpecException("spec.too-large", $"Spec file '{path}' is {length:N0} bytes; at most {SpecYamlParser.MaxChars:N0} are read.", file: path);
        var text = File.ReadAllText(path);
        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? FromJson(text, path) : FromYaml(text, path);
    }

    public static GenerationSpec FromYaml(string yaml, string? file = null) => Bind(SpecTextParser.ParseYaml(yaml, file), file);

    public static GenerationSpec FromJson(string json, string? file = null) => Bind(SpecTextParser.ParseJson(json, file), file);

    private static GenerationSpec Bind(SpecNode root, string? file)
    {
        var at = new SpecLocation(file, null, null, null, root.Line);
        if (root is not SpecMap top) throw at.Error("spec.syntax", $"the spec must be a mapping (version, tables, …), got {root.Shape}.");
        CheckFields(top, TopFields, at);
        var p = new SpecParams(top, at);
        int version = p.Has("version") ? p.Integer("version", 1) : GenerationSpec.CurrentVersion;
        if (version != GenerationSpec.CurrentVersion)
            throw p.Location("version").Error("spec.version", $"spec version {version} is not supported; this TabTwin reads version {GenerationSpec.CurrentVersion}.");
        ulong? seed = p.Has("seed") ? (ulong)p.Long("seed", 0) : null;

        List<TableSpec> tables;
        if (top["tables"] is { } tablesNode)
        {
            if (top.Has("columns")) throw p.Fail("columns", "give either 'tables' or top-level 'columns' (one table), not both.");
            if (tablesNode is not SpecList list) throw p.Fail("tables", $"must be a list of tables, got {tablesNode.Shape}.");
            tables = list.Items.Select((t, i) => BindTable(t, at.At($"tables[{i}]", t.Line), null)).ToList();
        }
        else if (top.Has("columns"))
        {
            tables = [BindTable(new SpecMap(top.Entries.Where(e => e.Key is "name" or "rows" or "columns" or "correlations" or "constraints").ToList(), top.Line), at, "data")];
        }
        else throw at.Error("spec.missing-field", "the spec needs 'tables' (a list) or 'columns' (one table).");
        if (tables.Count == 0) throw p.Fail("tables", "needs at least one table.");
        var twice = tables.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw at.At("tables", twice.Last().Line).Error("spec.duplicate-table", $"the table name '{twice.Key}' appears twice.");
        return new GenerationSpec { Version = version, Seed = seed, Locale = p.OptionalText("locale"), Tables = tables, SourceFile = file };
    }

    private static TableSpec BindTable(SpecNode node, SpecLocation at, string? defaultName)
    {
        if (node is not SpecMap map) throw at.Error("spec.syntax", $"a table must be a mapping (name, rows, columns), got {node.Shape}.");
        var p = new SpecParams(map, at);
        string name = p.OptionalText("name") ?? defaultName ?? throw p.Fail("name", "every table in 'tables' needs a name.");
        at = at with { Table = name, Field = null };
        p = new SpecParams(map, at);
        CheckFields(map, defaultName is null ? TableFields : TopFields, at);
        long? rows = null;
        if (p.Has("rows"))
        {
            long r = p.Long("rows", 0);
            rows = r >= 0 ? r : throw p.Fail("rows", $"must not be negative, got {r}.");
        }
        var columnsNode = p.Node("columns") ?? throw at.At("columns", map.Line).Error("spec.missing-field", "the table needs 'columns'.");
        var columns = BindColumns(columnsNode, at);
        return new TableSpec
        {
            Name = name, Rows = rows, Locale = p.OptionalText("locale"), Columns = columns, Line = map.Line,
            Correlations = p.Node("correlations") is { } c ? BindCorrelations(c, at.At("correlations", c.Line)) : null,
            Constraints = p.Node("constraints") is { } k ? SpecConstraints.Bind(k, at.At("constraints", k.Line)) : null,
            Parent = p.Node("parent") is { } pa ? BindParent(pa, at.At("parent", pa.Line)) : null,
        };
    }

    private static List<ColumnSpec> BindColumns(SpecNode node, SpecLocation at)
    {
        IEnumerable<(string Name, SpecNode Body, int? Line)> items = node switch
        {
            SpecMap m => m.Entries.Select(e => (e.Key, e.Value, e.Value.Line)),
            SpecList l => l.Items.Select(i => (i is SpecMap im && im["name"] is SpecScalar { Text: { } n } ? n
                : throw at.At("columns", i.Line).Error("spec.missing-field", "every column in a list needs a 'name'."), i, i.Line)),
            _ => throw at.At("columns", node.Line).Error("spec.syntax", $"'columns' must be a mapping (name: column) or a list, got {node.Shape}."),
        };
        var columns = new List<ColumnSpec>();
        foreach (var (name, body, line) in items)
        {
            var cat = at.InColumn(name, line);
            if (columns.Any(c => c.Name == name)) throw cat.Error("spec.duplicate-column", "the column name appears twice.");
            columns.Add(BindColumn(name, body, cat));
        }
        if (columns.Count == 0) throw at.At("columns", node.Line).Error("spec.missing-field", "the table needs at least one column.");
        return columns;
    }

    private static ColumnSpec BindColumn(string name, SpecNode body, SpecLocation at)
    {
        var map = body switch
        {
            SpecScalar { IsNull: false } s => SpecDistributionBinder.Expand(s, at),
            SpecMap m => m,
            _ => throw at.Error("spec.syntax", $"a column must be a mapping (type and parameters) or e.g. normal(40, 12), got {body.Shape}."),
        };
        string type = SpecDistributionBinder.TypeOf(map, at);
        if (!SpecDistributionBinder.TypeNames.Contains(type) && type is not ("formula" or "conditional" or "person_name" or "name"))
            SpecDistributionBinder.Bind(map, at); // reports the unknown type (with a suggestion) before any field
        CheckFields(map, SpecDistributionBinder.AllowedFields(type), at);
        var p = new SpecParams(map, at);
        var distribution = SpecDistributionBinder.Bind(map, at);
        bool boundsAreParameters = type is "uniform";
        double missing = p.Probability("missing", 0);
        int? round = null;
        if (p.Has("round"))
        {
            double r = p.Number("round");
            round = r == Math.Floor(r) && r is >= 0 and <= 15 ? (int)r : throw p.Fail("round", $"must be a whole number of decimal places from 0 to 15, got {r}.");
        }
        double? min = !boundsAreParameters && p.Has("min") ? p.Number("min") : null;
        double? max = !boundsAreParameters && p.Has("max") ? p.Number("max") : null;
        if (min is { } lo && max is { } hi && !(hi > lo)) throw p.Fail("max", $"must be greater than min ({lo}), got {hi}.");
        if (type == "truncated_normal" && min is null && max is null) throw p.Fail("min", "a truncated normal needs 'min' and/or 'max'.");
        return new ColumnSpec
        {
            Name = name, Distribution = distribution, Missing = missing, Round = round, Min = min, Max = max,
            Format = p.OptionalText("format") is { } f && type != "id" ? f : null,
            Line = at.Line,
            FieldLines = map.Entries.Where(e => e.Value.Line is not null).ToDictionary(e => e.Key, e => e.Value.Line!.Value),
        };
    }

    private static CorrelationSpec BindCorrelations(SpecNode node, SpecLocation at)
    {
        if (node is not SpecMap map) throw at.Error("spec.syntax", $"'correlations' must be a mapping (columns + matrix, or pairs), got {node.Shape}.");
        CheckFields(map, CorrelationFields, at);
        var p = new SpecParams(map, at);
        var method = p.OptionalText("method") switch
        {
            null or "spearman" or "rank" => CorrelationMethod.Spearman,
            "gaussian" or "normal" => CorrelationMethod.Gaussian,
            var other => throw p.Fail("method", $"must be spearman or gaussian, got '{other}'."),
        };
        var columns = p.Node("columns") is SpecList cl ? cl.Items.Select(i => SpecValues.Text(i, p.Location("columns"))).ToList()
            : p.Has("columns") ? throw p.Fail("columns", "must be a list of column names.") : [];
        List<IReadOnlyList<double>>? matrix = null;
        if (p.Node("matrix") is { } mn)
        {
            if (mn is not SpecList rows) throw p.Fail("matrix", "must be a list of rows (lists of numbers).");
            matrix = rows.Items.Select(r => (IReadOnlyList<double>)SpecValues.Numbers(r, at.At("correlations.matrix", r.Line))).ToList();
            if (columns.Count == 0) throw p.Fail("columns", "a matrix needs 'columns' naming its rows and columns.");
        }
        var pairs = new List<CorrelationPair>();
        if (p.Node("pairs") is { } pn)
        {
            if (pn is not SpecList pl) throw p.Fail("pairs", "must be a list of [column, column, correlation] triples.");
            foreach (var item in pl.Items)
            {
                var pat = at.At("correlations.pairs", item.Line);
                if (item is not SpecList { Items.Count: 3 } triple) throw pat.Error("spec.bad-parameter", "each pair must be [column, column, correlation].");
                pairs.Add(new CorrelationPair(SpecValues.Text(triple.Items[0], pat), SpecValues.Text(triple.Items[1], pat), SpecValues.Number(triple.Items[2], pat)));
            }
        }
        if (matrix is null && pairs.Count == 0) throw at.Error("spec.missing-field", "'correlations' needs 'matrix' (with 'columns') or 'pairs'.");
        return new CorrelationSpec { Method = method, Repair = p.Bool("repair", true), Columns = columns, Matrix = matrix, Pairs = pairs, Line = map.Line };
    }

    private static ParentSpec BindParent(SpecNode node, SpecLocation at)
    {
        var map = node switch
        {
            SpecScalar { Text: { } t } s => new SpecMap([new("table", s)], s.Line),
            SpecMap m => m,
            _ => throw at.Error("spec.syntax", $"'parent' must be a table name or a mapping, got {node.Shape}."),
        };
        CheckFields(map, ParentFields, at);
        var p = new SpecParams(map, at);
        var after = new List<KeyValuePair<string, string>>();
        var gaps = new Dictionary<string, Distribution>();
        if (p.Node("after") is { } an)
        {
            if (an is not SpecMap am) throw p.Fail("after", "must be a mapping child column → parent column.");
            foreach (var e in am.Entries)
            {
                var eat = at.At($"after.{e.Key}", e.Value.Line);
                if (e.Value is SpecMap gm)
                {
                    // order_date: { column: signup_date, gap: exponential(mean=30) } — the gap is in days.
                    CheckFields(gm, ["column", "gap"], eat);
                    var gp = new SpecParams(gm, eat);
                    after.Add(new(e.Key, gp.Text("column")));
                    if (gp.Node("gap") is { } g) gaps[e.Key] = SpecDistributionBinder.Bind(g, eat.At($"after.{e.Key}.gap", g.Line), allowConditional: false);
                }
                else after.Add(new(e.Key, SpecValues.Text(e.Value, eat)));
            }
        }
        return new ParentSpec
        {
            Table = p.Text("table"), Key = p.OptionalText("key"), ForeignKey = p.OptionalText("foreignKey"),
            Children = p.Node("children") is { } c ? SpecDistributionBinder.Bind(c, at.At("parent.children", c.Line), allowConditional: false) : null,
            After = after, Gaps = gaps, Line = map.Line,
        };
    }

    private static void CheckFields(SpecMap map, IEnumerable<string> allowed, SpecLocation at)
    {
        var known = allowed.ToList();
        foreach (var (key, value) in map.Entries)
            if (!known.Contains(key))
                throw at.At(key, value.Line).Error("spec.unknown-field",
                    $"unknown field '{key}'{SpecValues.Suggest(key, known)}; allowed here: {string.Join(", ", known)}.");
    }
}
