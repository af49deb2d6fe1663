using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using TabTwin.Bundles;

namespace TabTwin.Synthesizers;

/// <summary>JSON settings for synthesizer options and model parameters (camelCase, enums as strings).</summary>
public static class SynthesizerJson
{
    /// <summary>
    /// The one validated path from options JSON to a synthesizer's options record (null = defaults). Every option name
    /// must exist (at any depth, e.g. <c>encoding.rareCategoryThreshold</c>) — an unknown one is an error with a
    /// did-you-mean — the values must read as their types, and <paramref name="check"/> (the record's range checks)
    /// must pass. Every failure is one <see cref="TabTwinException"/> with code <c>synthesizer.options</c> naming the
    /// synthesizer, so a typo or an out-of-range value stops before any data is read, never silently or as a crash.
    /// </summary>
    /// <param name="synthesizer">The registry name, for messages.</param>
    /// <param name="json">The options object, or null for the defaults.</param>
    /// <param name="check">The record's range checks; an <see cref="ArgumentException"/> it throws becomes the error.</param>
    /// <param name="otherNames">Names the caller reads itself from the same object (the constraints wrapper's <c>inner</c>, …).</param>
    public static T ReadOptions<T>(string synthesizer, JsonElement? json, Action<T>? check = null, IReadOnlyCollection<string>? otherNames = null)
        where T : new()
    {
        T options;
        if (json is not { } el || el.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) options = new T();
        else
        {
            if (el.ValueKind != JsonValueKind.Object)
                throw Invalid(synthesizer, $"options must be a JSON object such as {{\"name\": value}}, not {el.ValueKind.ToString().ToLowerInvariant()}");
            CheckNames(synthesizer, typeof(T), el, "", otherNames ?? []);
            try
            {
                options = el.Deserialize<T>(Options) ?? new T();
            }
            catch (JsonException e)
            {
                throw new TabTwinException("synthesizer.options", $"The options for synthesizer '{synthesizer}' are not valid: {e.Message}",
                    hint: "Check the option value types.", inner: e);
            }
        }
        if (check is null) return options;
        try { check(options); }
        catch (ArgumentException e) { throw Invalid(synthesizer, FirstLine(e.Message)); }
        return options;
    }

    private static TabTwinException Invalid(string synthesizer, string why) =>
        new("synthesizer.options", $"The options for synthesizer '{synthesizer}' are not valid: {why}",
            hint: "See the synthesizer's options in the README; --options takes JSON such as '{\"maxDepth\":10}'.");

    private static string FirstLine(string message)
    {
        int cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        int newline = message.IndexOfAny(['\r', '\n']);
        return newline > 0 ? message[..newline] : message;
    }

    /// <summary>Every property of <paramref name="el"/> must name an option of <paramref name="type"/>; nested option records are checked too.</summary>
    private static void CheckNames(string synthesizer, Type type, JsonElement el, string path, IReadOnlyCollection<string> otherNames)
    {
        var known = OptionProperties(type);
        foreach (var p in el.EnumerateObject())
        {
            if (otherNames.Contains(p.Name, StringComparer.OrdinalIgnoreCase)) continue;
            var match = known.FirstOrDefault(k => string.Equals(k.Name, p.Name, StringComparison.OrdinalIgnoreCase));
            if (match.Property is null)
            {
                var names = known.Select(k => k.Name).Concat(otherNames).ToList();
                string? guess = Closest(p.Name, names);
                throw new TabTwinException("synthesizer.options",
                    $"Synthesizer '{synthesizer}' has no option '{path}{p.Name}'" + (guess is null ? "." : $"; did you mean '{path}{guess}'?"),
                    hint: $"Its {(path.Length == 0 ? "" : path.TrimEnd('.') + " ")}options are: {string.Join(", ", names)}.");
            }
            var t = Nullable.GetUnderlyingType(match.Property.PropertyType) ?? match.Property.PropertyType;
            if (p.Value.ValueKind == JsonValueKind.Object && IsOptionRecord(t))
                CheckNames(synthesizer, t, p.Value, path + match.Name + ".", []);
        }
    }

    /// <summary>A nested settings record (not a string, collection or dictionary), whose names are checked like the top level's.</summary>
    private static bool IsOptionRecord(Type t) =>
        t.IsClass && t != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(t);

    private static List<(string Name, PropertyInfo Property)> OptionProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name), p))
            .ToList();

    /// <summary>The known name within edit distance 2 (or a third of its length) of <paramref name="name"/>, ignoring case; null if none is that close.</summary>
    internal static string? Closest(string name, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var k in known)
        {
            int d = EditDistance(name.ToLowerInvariant(), k.ToLowerInvariant());
            if (d < bestDistance) (best, bestDistance) = (k, d);
        }
        return best is not null && bestDistance <= Math.Max(2, best.Length / 3) ? best : null;
    }

    /// <summary>Edits (insert, delete, replace, swap of two neighbours as in "maxDepht") turning a into b.</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }

    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions(ModelJson.Options) { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
        o.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return o;
    }
}
