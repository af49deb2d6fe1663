using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TabTwin.Generation.Spec;

namespace TabTwin.Generation.Describe;

/// <summary>
/// Writes a <see cref="GenerationSpec"/> in the layout <see cref="SpecReader"/> reads: YAML (block mappings, flow lists;
/// the default) or JSON. What is written reads back to an equal spec (round trip tested).
/// </summary>
public static partial class SpecYamlWriter
{
    /// <summary>The spec as YAML, optionally preceded by comment lines.</summary>
    public static string ToYaml(GenerationSpec spec, IEnumerable<string>? comments = null)
    {
        var sb = new StringBuilder();
        foreach (var line in comments ?? []) sb.Append("# ").AppendLine(line);
        WriteYamlMap(sb, Tree(spec), 0);
        return sb.ToString();
    }

    public static string ToJson(GenerationSpec spec)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            WriteJson(writer, Tree(spec));
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes YAML, or JSON when the path ends in <c>.json</c> (through a temporary file, then renamed).</summary>
    public static void Save(GenerationSpec spec, string path, IEnumerable<string>? comments = null)
    {
        var text = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ToJson(spec) : ToYaml(spec, comments);
        TabTwin.IO.AtomicFile.WriteAllText(path, text);
    }

    // ---- spec → ordered tree (maps are lists of key/value pairs so the order is kept) ----

    private sealed class Map : List<KeyValuePair<string, object?>>
    {
        public void Add(string key, object? value) => Add(new KeyValuePair<string, object?>(key, value));
        public void Put(string key, object? value) { if (value is not null) Add(key, value); }
    }

    private static Map Tree(GenerationSpec spec)
    {
        var top = new Map { { "version", (long)spec.Version } };
        top.Put("seed", spec.Seed is { } s ? (object)(long)s : null);
        top.Put("locale", spec.Locale);
        top.Put("tables", spec.Tables.Select(TableTree).ToList<object?>());
        return top;
    }

    private static Map TableTree(TableSpec table)
    {
        var map = new Map { { "name", table.Name } };
        map.Put("rows", table.Rows);
        map.Put("locale", table.Locale);
        if (table.Parent is { } p)
        {
            var parent = new Map { { "table", p.Table } };
            parent.Put("key", p.Key);
            parent.Put("foreignKey", p.ForeignKey);
            parent.Put("children", p.Children is null ? null : DistributionTree(p.Children));
            if (p.After.Count > 0)
            {
                var after = new Map();
                foreach (var (child, parentColumn) in p.After)
                    after.Add(child, p.Gaps.TryGetValue(child, out var gap) ? new Map { { "column", parentColumn }, { "gap", DistributionTree(gap) } } : parentColumn);
                parent.Add(new("after", after));
            }
            map.Add(new("parent", parent));
        }
        var columns = new Map();
        foreach (var c in table.Columns) columns.Add(new(c.Name, ColumnTree(c)));
        map.Add(new("columns", columns));
        if (table.Correlations is { } k)
        {
            var correlations = new Map { { "method", k.Method == CorrelationMethod.Spearman ? "spearman" : "gaussian" } };
            if (!k.Repair) correlations.Add(new("repair", false));
            if (k.Columns.Count > 0) correlations.Add(new("columns", k.Columns.ToList<object?>()));
            if (k.Matrix is not null) correlations.Add(new("matrix", k.Matrix.Select(r => (object?)r.Select(v => (object?)v).ToList()).ToList()));
            if (k.Pairs.Count > 0) correlations.Add(new("pairs", k.Pairs.Select(q => (object?)new List<object?> { q.A, q.B, q.Value }).ToList()));
            map.Add(new("correlations", correlations));
        }
        return map;
    }

    private static Map ColumnTree(ColumnSpec column)
    {
        var map = DistributionTree(column.Distribution);
        if (column.Missing > 0) map.Add(new("missing", column.Missing));
        map.Put("round", column.Round is { } r ? (long)r : null);
        if (column.Distribution is not Distribution.Uniform)
        {
            map.Put("min", column.Min);
            map.Put("max", column.Max);
        }
        if (column.Distribution is not Distribution.Id) map.Put("format", column.Format);
        return map;
    }

    private static Map DistributionTree(Distribution distribution)
    {
        var map = distribution is Distribution.Formula or Distribution.Conditional ? new Map() : new Map { { "type", distribution.TypeName } };
        static List<object?> Numbers(IEnumerable<double> values) => values.Select(v => (object?)v).ToList();
        switch (distribution)
        {
            case Distribution.Normal d: map.Add(new("mean", d.Mean)); map.Add(new("sd", d.Sd)); break;
            case Distribution.LogNormal d: map.Add(new("mu", d.Mu)); map.Add(new("sigma", d.Sigma)); break;
            case Distribution.Uniform d: map.Add(new("min", d.Min)); map.Add(new("max", d.Max)); break;
            case Distribution.Exponential d: map.Add(new("rate", d.Rate)); break;
            case Distribution.Gamma d: map.Add(new("shape", d.Shape)); map.Add(new("scale", d.Scale)); break;
            case Distribution.Beta d:
                map.Add(new("alpha", d.Alpha)); map.Add(new("beta", d.BetaParameter)); map.Add(new("low", d.Low)); map.Add(new("high", d.High));
                break;
            case Distribution.Histogram d: map.Add(new("bins", Numbers(d.Edges))); map.Add(new("weights", Numbers(d.Weights))); break;
            case Distribution.Empirical d: map.Add(new("values", Numbers(d.Values))); break;
            case Distribution.Constant d: map.Add(new("value", d.Value)); break;
            case Distribution.Poisson d: map.Add(new("lambda", d.Lambda)); break;
            case Distribution.Binomial d: map.Add(new("n", (long)d.N)); map.Add(new("p", d.P)); break;
            case Distribution.Zipf d: map.Add(new("s", d.S)); map.Add(new("n", (long)d.N)); break;
            case Distribution.Categorical d:
                var values = new Map();
                for (int i = 0; i < d.Values.Count; i++) values.Add(new(d.Values[i], d.Weights[i]));
                map.Add(new("values", values));
                break;
            case Distribution.Boolean d: map.Add(new("p", d.P)); break;
            case Distribution.DateTimeRange d: DateTimeTree(map, d); break;
            case Distribution.Sequence d: map.Add(new("start", d.Start)); map.Add(new("step", d.Step)); break;
            case Distribution.Id d:
                map.Add(new("format", d.Format));
                if (d.Start != 1) map.Add(new("start", d.Start));
                if (d.Step != 1) map.Add(new("step", d.Step));
                break;
            case Distribution.Uuid d: if (d.Upper) map.Add(new("upper", true)); break;
            case Distribution.Fake d:
                map.Put("locale", d.Locale);
                if (d.Person.Length > 0) map.Add(new("person", d.Person));
                map.Put("localeColumn", d.LocaleColumn);
                break;
            case Distribution.Formula d: map.Add(new("formula", d.Expression)); break;
            case Distribution.Conditional d:
                map.Add(new("dependsOn", d.DependsOn));
                var cases = new Map();
                foreach (var (key, value) in d.Cases) cases.Add(new(key, DistributionTree(value)));
                map.Add(new("cases", cases));
                map.Put("default", d.Default is null ? null : DistributionTree(d.Default));
                break;
            default: throw new ArgumentException($"Cannot write distribution {distribution.GetType().Name}.");
        }
        return map;
    }

    private static void DateTimeTree(Map map, Distribution.DateTimeRange d)
    {
        string format = d.DateOnly ? "yyyy-MM-dd" : d.From.Ticks % TimeSpan.TicksPerSecond == 0 && d.To.Ticks % TimeSpan.TicksPerSecond == 0
            ? "yyyy-MM-ddTHH:mm:ss" : "yyyy-MM-ddTHH:mm:ss.FFFFFFF";
        map.Add(new("from", d.From.ToString(format, CultureInfo.InvariantCulture)));
        // A date-only 'to' is read as inclusive (that whole day), so write the last day, not the exclusive end.
        map.Add(new("to", (d.DateOnly ? d.To.AddDays(-1) : d.To).ToString(format, CultureInfo.InvariantCulture)));
        var seasonality = new Map();
        seasonality.Put("month", d.MonthWeights is null ? null : d.MonthWeights.Select(w => (object?)w).ToList());
        seasonality.Put("weekday", d.WeekdayWeights is null ? null : d.WeekdayWeights.Select(w => (object?)w).ToList());
        if (!d.DateOnly) seasonality.Put("hour", d.HourWeights is null ? null : d.HourWeights.Select(w => (object?)w).ToList());
        if (seasonality.Count > 0) map.Add(new("seasonality", seasonality));
        if (!d.DateOnly && d.Resolution is { } r)
            map.Add(new("resolution", r == TimeSpan.FromSeconds(1) ? "second" : r == TimeSpan.FromMinutes(1) ? "minute" : r == TimeSpan.FromHours(1) ? "hour"
                : r == TimeSpan.FromDays(1) ? "day" : r == TimeSpan.FromMilliseconds(1) ? "millisecond" : r.TotalSeconds.ToString("R", CultureInfo.InvariantCulture)));
    }

    // ---- emitters ----

    private static void WriteYamlMap(StringBuilder sb, Map map, int indent)
    {
        foreach (var (key, value) in map)
        {
            sb.Append(' ', indent).Append(Scalar(key)).Append(':');
            WriteYamlValue(sb, value, indent);
        }
    }

    private static void WriteYamlValue(StringBuilder sb, object? value, int indent)
    {
        switch (value)
        {
            case Map { Count: 0 }: sb.AppendLine(" {}"); break;
            case Map m: sb.AppendLine(); WriteYamlMap(sb, m, indent + 2); break;
            case List<object?> list when list.All(i => i is not Map and not List<object?>):
                sb.Append(" [").Append(string.Join(", ", list.Select(Scalar))).AppendLine("]");
                break;
            case List<object?> list:
                sb.AppendLine();
                foreach (var item in list)
                {
                    sb.Append(' ', indent + 2).Append('-');
                    if (item is Map im)
                    {
                        // "- key: value" for the first entry, the rest aligned under it.
                        var first = true;
                        foreach (var (k, v) in im)
                        {
                            if (first) { sb.Append(' ').Append(Scalar(k)).Append(':'); first = false; }
                            else sb.Append(' ', indent + 4).Append(Scalar(k)).Append(':');
                            WriteYamlValue(sb, v, indent + 4);
                        }
                    }
                    else WriteYamlValue(sb, item, indent + 2);
                }
                break;
            default: sb.Append(' ').AppendLine(Scalar(value)); break;
        }
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-/]*( [A-Za-z0-9_.\-/]+)*$")]
    private static partial Regex PlainText();

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~" };

    private static string Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s when PlainText().IsMatch(s) && !Reserved.Contains(s) => s,
        string s => JsonSerializer.Serialize(s, QuotedStrings),
        _ => throw new ArgumentException($"Unexpected value {value.GetType().Name}."),
    };

    private static readonly JsonSerializerOptions QuotedStrings = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void WriteJson(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case Map m:
                writer.WriteStartObject();
                foreach (var (k, v) in m) { writer.WritePropertyName(k); WriteJson(writer, v); }
                writer.WriteEndObject();
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var item in list) WriteJson(writer, item);
                writer.WriteEndArray();
                break;
            case null: writer.WriteNullValue(); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: writer.WriteNumberValue(d); break;
            case string s: writer.WriteStringValue(s); break;
            default: throw new ArgumentException($"Unexpected value {value.GetType().Name}.");
        }
    }
}
