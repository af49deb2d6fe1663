using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TabTwin.Sampling.Constraints;

namespace TabTwin.Generation.Spec;

/// <summary>
/// A table's <c>constraints:</c> list: the same rules, in the same shape, as the "constraints" array of a metadata
/// JSON file (see <see cref="ConstraintSet.FromMetadataJson"/>), so one reader and one set of error messages serve both.
/// YAML scalars carry no type, so numbers and flags are recognised by field name (min, max, tolerance; strict…).
/// </summary>
internal static class SpecConstraints
{
    private static readonly HashSet<string> NumberFields = new(StringComparer.OrdinalIgnoreCase) { "min", "max", "tolerance" };

    public static ConstraintSet Bind(SpecNode node, SpecLocation at)
    {
        if (node is not SpecList list) throw at.Error("spec.syntax", $"'constraints' must be a list of rules, got {node.Shape}.");
        var json = new JsonArray(list.Items.Select(item => ToJson(item, null)).ToArray());
        try
        {
            using var doc = JsonDocument.Parse(json.ToJsonString());
            return ConstraintJson.ReadArray(doc.RootElement, at.File);
        }
        catch (TabTwinException e)
        {
            throw at.Error(e.Code, e.Message, e.Hint);
        }
    }

    private static JsonNode? ToJson(SpecNode node, string? field) => node switch
    {
        SpecMap m => new JsonObject(m.Entries.Select(e => KeyValuePair.Create(e.Key, ToJson(e.Value, e.Key)))),
        SpecList l => new JsonArray(l.Items.Select(i => ToJson(i, null)).ToArray()),
        SpecScalar { IsNull: true } => null,
        SpecScalar s when field is not null && field.StartsWith("strict", StringComparison.OrdinalIgnoreCase)
            && bool.TryParse(s.Text, out bool flag) => JsonValue.Create(flag),
        SpecScalar s when field is not null && NumberFields.Contains(field)
            && double.TryParse(s.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => JsonValue.Create(d),
        SpecScalar s => JsonValue.Create(s.Text),
        _ => null,
    };
}
