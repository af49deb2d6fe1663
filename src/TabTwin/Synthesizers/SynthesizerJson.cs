using System.Text.Json;
using TabTwin.Bundles;

namespace TabTwin.Synthesizers;

/// <summary>JSON settings for synthesizer options and model parameters (camelCase, enums as strings).</summary>
public static class SynthesizerJson
{
    /// <summary>
    /// Reads a synthesizer's options record from JSON (null = defaults) with the model-file JSON settings;
    /// invalid JSON is a <see cref="TabTwinException"/> (<c>synthesizer.options</c>) naming the synthesizer.
    /// </summary>
    public static T ReadOptions<T>(string synthesizer, JsonElement? json) where T : new()
    {
        if (json is not { } el || el.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return new T();
        try
        {
            return el.Deserialize<T>(SynthesizerJson.Options) ?? new T();
        }
        catch (JsonException e)
        {
            throw new TabTwinException("synthesizer.options", $"The options for synthesizer '{synthesizer}' are not valid: {e.Message}",
                hint: "Check the option names and value types.", inner: e);
        }
    }

    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions(ModelJson.Options) { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
        o.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return o;
    }
}
