using System.Globalization;

namespace TabTwin.Generation.Spec;

/// <summary>Typed access to spec scalars, with errors that name the field and line.</summary>
internal static class SpecValues
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Text(SpecNode node, SpecLocation at) => node is SpecScalar { Text: { } t }
        ? t
        : throw at.Error("spec.bad-parameter", $"must be text, got {node.Shape}.");

    public static double Number(SpecNode node, SpecLocation at)
    {
        if (node is SpecScalar { Text: { } t } && double.TryParse(t, NumberStyles.Float, Inv, out var v) && double.IsFinite(v)) return v;
        throw at.Error("spec.bad-parameter", $"must be a number, got {node.Shape}.");
    }

    public static bool Bool(SpecNode node, SpecLocation at) => node is SpecScalar { Text: { } t } && (t is "true" or "True" or "false" or "False")
        ? t is "true" or "True"
        : throw at.Error("spec.bad-parameter", $"must be true or false, got {node.Shape}.");

    public static List<double> Numbers(SpecNode node, SpecLocation at) => node is SpecList l
        ? l.Items.Select(i => Number(i, at.At(at.Field, i.Line))).ToList()
        : throw at.Error("spec.bad-parameter", $"must be a list of numbers, got {node.Shape}.");

    public static void CheckWeights(IReadOnlyList<double> weights, SpecLocation at)
    {
        if (weights.Any(w => w < 0)) throw at.Error("spec.bad-parameter", "weights must not be negative.");
        if (!(weights.Sum() > 0)) throw at.Error("spec.bad-parameter", "at least one weight must be positive.");
    }

    /// <summary>" (did you mean 'x'?)" for the closest candidate within a small edit distance, else "".</summary>
    public static string Suggest(string given, IEnumerable<string> candidates)
    {
        var best = candidates.Select(c => (c, d: Distance(given.ToLowerInvariant(), c.ToLowerInvariant()))).OrderBy(x => x.d).FirstOrDefault();
        return best.c is not null && best.d <= Math.Max(2, given.Length / 3) ? $" (did you mean '{best.c}'?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}

/// <summary>The parameters of one distribution node, read with defaults and range checks.</summary>
internal sealed class SpecParams(SpecMap map, SpecLocation at)
{
    public SpecMap Map => map;
    public bool Has(string key) => map[key] is { } n && n is not SpecScalar { IsNull: true };
    public SpecNode? Node(string key) => Has(key) ? map[key] : null;
    public SpecLocation Location(string key) => at.At(key, map[key]?.Line ?? map.Line);
    public SpecException Fail(string key, string what) => Location(key).Error("spec.bad-parameter", what);

    private SpecNode Required(string key) => Node(key) ?? throw Location(key).Error("spec.missing-field", $"is required for type '{TypeName}'.");
    private string TypeName => map["type"] is SpecScalar { Text: { } t } ? t : "this column";

    public double Number(string key) => SpecValues.Number(Required(key), Location(key));
    public double Number(string key, double fallback) => Has(key) ? Number(key) : fallback;

    public double Positive(string key)
    {
        double v = Number(key);
        return v > 0 ? v : throw Fail(key, $"must be greater than 0, got {v.ToString(CultureInfo.InvariantCulture)}.");
    }

    public double Positive(string key, double fallback) => Has(key) ? Positive(key) : fallback;

    public double Probability(string key, double? fallback = null)
    {
        if (!Has(key) && fallback is { } f) return f;
        double v = Number(key);
        return v is >= 0 and <= 1 ? v : throw Fail(key, $"must be a probability between 0 and 1, got {v.ToString(CultureInfo.InvariantCulture)}.");
    }

    public int Integer(string key, int min)
    {
        double v = Number(key);
        return v == Math.Floor(v) && v >= min && v <= int.MaxValue ? (int)v : throw Fail(key, $"must be a whole number ≥ {min}, got {v.ToString(CultureInfo.InvariantCulture)}.");
    }

    public long Long(string key, long fallback)
    {
        if (!Has(key)) return fallback;
        double v = Number(key);
        return v == Math.Floor(v) && Math.Abs(v) < 9e15 ? (long)v : throw Fail(key, $"must be a whole number, got {v.ToString(CultureInfo.InvariantCulture)}.");
    }

    public string Text(string key) => SpecValues.Text(Required(key), Location(key));
    public string? OptionalText(string key) => Has(key) ? Text(key) : null;
    public bool Bool(string key, bool fallback) => Has(key) ? SpecValues.Bool(map[key]!, Location(key)) : fallback;
    public List<double> Numbers(string key) => SpecValues.Numbers(Required(key), Location(key));
}
