using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TabTwin.Expressions;
using TabTwin.Schema;

namespace TabTwin.Sampling.Constraints;

/// <summary>
/// Reads the "constraints" array of a metadata JSON file. Every error names the constraint's index (1-based, as
/// people count), its type and the field at fault (<c>constraints.json</c>, <c>constraints.unknown-type</c>).
/// </summary>
public static class ConstraintJson
{
    internal static readonly JsonSerializerOptions Options = new(SchemaJson.Options) { WriteIndented = false };

    private static readonly string[] TypeNames =
        ["inequality", "range", "positive", "negative", "formula", "fixed-combinations", "one-hot", "date-parts", "unique", "expression"];

    /// <summary>Parses a JSON array of constraint objects.</summary>
    public static ConstraintSet ReadArray(JsonElement array, string? file = null)
    {
        if (array.ValueKind != JsonValueKind.Array)
            throw new SchemaException("constraints.json", $"\"constraints\" must be an array of objects, not {array.ValueKind}.", file: file);
        var list = new List<Constraint>();
        int index = 0;
        foreach (var item in array.EnumerateArray())
        {
            index++;
            list.Add(ReadOne(item, index, file));
        }
        return new ConstraintSet(list);
    }

    private static Constraint ReadOne(JsonElement o, int index, string? file)
    {
        string where = $"Constraint #{index}";
        if (o.ValueKind != JsonValueKind.Object)
            throw new SchemaException("constraints.json", $"{where} must be a JSON object, not {o.ValueKind}.", file: file);
        var rawType = Text(o, "type", where, file) ?? throw Missing(where, "type", file);
        var type = Normalize(rawType);
        where = $"Constraint #{index} ({rawType})";
        try
        {
            return type switch
            {
                "inequality" => new InequalityConstraint(Need(o, "low", where, file), Need(o, "high", where, file), Flag(o, "strict", where, file)),
                "range" => ReadRange(o, where, file),
                "positive" => RangeConstraint.Positive(Need(o, "column", where, file), Flag(o, "strict", where, file)),
                "negative" => RangeConstraint.Negative(Need(o, "column", where, file), Flag(o, "strict", where, file)),
                "formula" or "arithmeticequality" => new FormulaConstraint(Need(o, "column", where, file),
                    ParseExpr(Need(o, "expr", where, file), where, file), Number(o, "tolerance", where, file)),
                "fixedcombinations" => new FixedCombinationsConstraint(Names(o, "columns", where, file), Allowed(o, where, file)),
                "onehot" => new OneHotConstraint(Names(o, "columns", where, file)),
                "dateparts" => new DatePartsConstraint(Need(o, "year", where, file), Need(o, "month", where, file), Need(o, "day", where, file),
                    Text(o, "hour", where, file), Text(o, "minute", where, file)),
                "unique" => new UniqueConstraint(Names(o, "columns", where, file)),
                "expression" or "predicate" => new ExpressionConstraint(ParseExpr(Need(o, "expr", where, file), where, file), Text(o, "name", where, file)),
                _ => throw new SchemaException("constraints.unknown-type",
                    $"Constraint #{index} has unknown type '{rawType}'; the types are: {string.Join(", ", TypeNames)}.", file: file),
            };
        }
        catch (ArgumentException e)
        {
            throw new SchemaException("constraints.json", $"{where}: {e.Message}", file: file, inner: e);
        }
        catch (TabTwinException e) when (e is not SchemaException)
        {
            throw new SchemaException(e.Code, $"{where}: {e.Message}", column: e.Column, file: file, hint: e.Hint, inner: e);
        }
    }

    private static string Normalize(string type) => type.Replace("-", "").Replace("_", "").ToLowerInvariant();

    private static RangeConstraint ReadRange(JsonElement o, string where, string? file)
    {
        var column = Need(o, "column", where, file);
        bool strictMin = Flag(o, "strictMin", where, file), strictMax = Flag(o, "strictMax", where, file);
        o.TryGetProperty("min", out var min);
        o.TryGetProperty("max", out var max);
        bool dates = min.ValueKind == JsonValueKind.String || max.ValueKind == JsonValueKind.String;
        if (min.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null && max.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            throw new SchemaException("constraints.json", $"{where}: give \"min\", \"max\" or both.", file: file);
        if (dates) return new RangeConstraint(column, DateBound(min, "min", where, file), DateBound(max, "max", where, file), strictMin, strictMax);
        return new RangeConstraint(column, Number(o, "min", where, file), Number(o, "max", where, file), strictMin, strictMax);
    }

    private static DateTime? DateBound(JsonElement e, string field, string where, string? file)
    {
        if (e.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return null;
        if (e.ValueKind == JsonValueKind.String && Functions.TryParseDate(e.GetString(), out var d)) return d;
        throw new SchemaException("constraints.json", $"{where}: field '{field}' must be an ISO date such as \"2020-01-31\", not {e.GetRawText()}.", file: file);
    }

    private static Expression ParseExpr(string text, string where, string? file)
    {
        try { return Expression.Parse(text); }
        catch (ExpressionException e)
        {
            throw new SchemaException(e.Code, $"{where}: field 'expr': {e.Message}", file: file, hint: e.Hint, inner: e);
        }
    }

    private static SchemaException Missing(string where, string field, string? file) =>
        new("constraints.json", $"{where} lacks the required field '{field}'.", file: file);

    private static string? Text(JsonElement o, string field, string where, string? file)
    {
        if (!o.TryGetProperty(field, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(e.GetString()))
            throw new SchemaException("constraints.json", $"{where}: field '{field}' must be a non-empty string, not {e.GetRawText()}.", file: file);
        return e.GetString();
    }

    private static string Need(JsonElement o, string field, string where, string? file) => Text(o, field, where, file) ?? throw Missing(where, field, file);

    private static bool Flag(JsonElement o, string field, string where, string? file)
    {
        if (!o.TryGetProperty(field, out var e) || e.ValueKind == JsonValueKind.Null) return false;
        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new SchemaException("constraints.json", $"{where}: field '{field}' must be true or false, not {e.GetRawText()}.", file: file),
        };
    }

    private static double? Number(JsonElement o, string field, string where, string? file)
    {
        if (!o.TryGetProperty(field, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) && double.IsFinite(d)) return d;
        throw new SchemaException("constraints.json", $"{where}: field '{field}' must be a number, not {e.GetRawText()}.", file: file);
    }

    private static string[] Names(JsonElement o, string field, string where, string? file)
    {
        if (!o.TryGetProperty(field, out var e)) throw Missing(where, field, file);
        if (e.ValueKind != JsonValueKind.Array || e.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
            throw new SchemaException("constraints.json", $"{where}: field '{field}' must be an array of column names.", file: file);
        return e.EnumerateArray().Select(x => x.GetString()!).ToArray();
    }

    private static List<IReadOnlyList<string?>>? Allowed(JsonElement o, string where, string? file)
    {
        if (!o.TryGetProperty("allowed", out var e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind != JsonValueKind.Array)
            throw new SchemaException("constraints.json", $"{where}: field 'allowed' must be an array of value arrays.", file: file);
        var list = new List<IReadOnlyList<string?>>();
        foreach (var combo in e.EnumerateArray())
        {
            if (combo.ValueKind != JsonValueKind.Array)
                throw new SchemaException("constraints.json", $"{where}: field 'allowed' item {list.Count + 1} must be an array of values.", file: file);
            list.Add(combo.EnumerateArray().Select(v => v.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetDouble().ToString("R", CultureInfo.InvariantCulture),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => throw new SchemaException("constraints.json", $"{where}: field 'allowed' holds {v.GetRawText()}, not a value.", file: file),
            }).ToArray());
        }
        return list;
    }

    /// <summary>The constraints as a JSON array (for metadata files and model files).</summary>
    public static JsonArray WriteArray(IEnumerable<Constraint> constraints) => new(constraints.Select(c => (JsonNode)c.ToJson()).ToArray());
}
