using System.Globalization;

namespace TabTwin.Generation.Spec;

/// <summary>
/// Turns one column's (or one conditional case's) spec node into a <see cref="Distribution"/>: the flat form
/// <c>{ type: normal, mean: 40, sd: 12 }</c> or the compact string form <c>normal(40, 12)</c> /
/// <c>normal(mean=40, sd=12)</c>. Every parameter is checked here, so errors name the field and line.
/// </summary>
internal static class SpecDistributionBinder
{
    /// <summary>Parameter names per type, in the order the compact form's positional arguments take.</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> Parameters = new Dictionary<string, string[]>
    {
        ["normal"] = ["mean", "sd"],
        ["truncated_normal"] = ["mean", "sd", "min", "max"],
        ["lognormal"] = ["mu", "sigma", "mean", "sd"],
        ["uniform"] = ["min", "max"],
        ["exponential"] = ["rate", "mean"],
        ["gamma"] = ["shape", "scale", "rate"],
        ["beta"] = ["alpha", "beta", "low", "high"],
        ["histogram"] = ["bins", "weights"],
        ["empirical"] = ["values"],
        ["constant"] = ["value"],
        ["poisson"] = ["lambda"],
        ["binomial"] = ["n", "p"],
        ["zipf"] = ["s", "n"],
        ["categorical"] = ["values", "weights"],
        ["boolean"] = ["p"],
        ["datetime"] = ["from", "to", "seasonality", "businessHours", "resolution"],
        ["date"] = ["from", "to", "seasonality", "businessHours"],
        ["sequence"] = ["start", "step"],
        ["id"] = ["format", "start", "step"],
        ["uuid"] = ["upper"],
        ["conditional"] = ["dependsOn", "cases", "default"],
        ["formula"] = ["formula"],
    };

    /// <summary>Fields every column may have besides its type's parameters.</summary>
    internal static readonly string[] CommonFields = ["name", "type", "missing", "round", "min", "max", "format"];
    internal static readonly string[] FakeFields = ["locale", "person", "localeColumn"];

    public static IEnumerable<string> TypeNames => Parameters.Keys.Where(k => k != "formula").Concat(FakeKinds.All);

    /// <summary>The type a column node asks for: explicit <c>type</c>, or implied by <c>formula</c>/<c>dependsOn</c>.</summary>
    public static string TypeOf(SpecMap map, SpecLocation at)
    {
        if (map["type"] is { } t) return SpecValues.Text(t, at.At("type", t.Line));
        if (map.Has("formula")) return "formula";
        if (map.Has("dependsOn") || map.Has("cases")) return "conditional";
        throw at.Error("spec.missing-field", "the column has no 'type' (nor 'formula' or 'dependsOn').",
            hint: $"Add e.g. 'type: normal'. Types: {string.Join(", ", TypeNames)}.");
    }

    /// <summary>Expands the compact form <c>name(a, b, key=value)</c> (or a bare type name) into a map node.</summary>
    public static SpecMap Expand(SpecScalar scalar, SpecLocation at)
    {
        string text = (scalar.Text ?? "").Trim();
        int open = text.IndexOf('(');
        string type = open < 0 ? text : text[..open].Trim();
        var entries = new List<KeyValuePair<string, SpecNode>> { new("type", new SpecScalar(type, scalar.Line)) };
        if (open < 0) return new SpecMap(entries, scalar.Line);
        if (!text.EndsWith(')'))
            throw at.Error("spec.syntax", $"'{text}' must be written name(arguments), e.g. normal(40, 12).",
                hint: "Inside a YAML { … } mapping, quote it (\"normal(40, 12)\"): there a comma ends the value.");
        string inner = text[(open + 1)..^1];
        string[] positional = Parameters.TryGetValue(type, out var p) ? p : [];
        var args = inner.Trim().Length == 0 ? [] : inner.Split(',');
        for (int i = 0; i < args.Length; i++)
        {
            var arg = args[i].Trim();
            int eq = arg.IndexOf('=');
            string key;
            if (eq >= 0) { key = arg[..eq].Trim(); arg = arg[(eq + 1)..].Trim(); }
            else if (i < positional.Length) key = positional[i];
            else throw at.Error("spec.bad-parameter", $"'{text}' has more arguments than {type} takes ({string.Join(", ", positional)}).");
            entries.Add(new(key, new SpecScalar(arg.Trim('"', '\''), scalar.Line)));
        }
        return new SpecMap(entries, scalar.Line);
    }

    /// <summary>Binds a node that describes a distribution (a column body or a conditional case).</summary>
    public static Distribution Bind(SpecNode node, SpecLocation at, bool allowConditional = true)
    {
        var map = node switch
        {
            SpecScalar s when !s.IsNull => Expand(s, at),
            SpecMap m => m,
            _ => throw at.Error("spec.bad-parameter", $"expected a distribution (a mapping with 'type', or e.g. normal(40, 12)), got {node.Shape}."),
        };
        var p = new SpecParams(map, at);
        string type = TypeOf(map, at);
        if (type == "conditional" && !allowConditional)
            throw at.Error("spec.bad-parameter", "a conditional case cannot itself be conditional.");
        return type switch
        {
            "normal" => new Distribution.Normal(p.Number("mean"), p.Positive("sd")),
            "truncated_normal" => new Distribution.Normal(p.Number("mean"), p.Positive("sd")),
            "lognormal" => LogNormal(p),
            "uniform" => Uniform(p),
            "exponential" => new Distribution.Exponential(p.Has("mean") ? 1 / p.Positive("mean") : p.Positive("rate")),
            "gamma" => new Distribution.Gamma(p.Positive("shape"), p.Has("rate") ? 1 / p.Positive("rate") : p.Positive("scale", 1)),
            "beta" => Beta(p),
            "histogram" => Histogram(p),
            "empirical" => Empirical(p),
            "constant" => new Distribution.Constant(p.Number("value")),
            "poisson" => new Distribution.Poisson(p.Positive("lambda")),
            "binomial" => new Distribution.Binomial(p.Integer("n", min: 1), p.Probability("p")),
            "zipf" => new Distribution.Zipf(p.Positive("s"), p.Integer("n", min: 1)),
            "categorical" => Categorical(p),
            "boolean" => new Distribution.Boolean(p.Probability("p", 0.5)),
            "datetime" or "date" => SpecDateTimeBinder.Bind(p, type == "date"),
            "sequence" => new Distribution.Sequence(p.Long("start", 1), p.Long("step", 1)),
            "id" => new Distribution.Id(p.Text("format"), p.Long("start", 1), p.Long("step", 1)),
            "uuid" => new Distribution.Uuid(p.Bool("upper", false)),
            "formula" => new Distribution.Formula(p.Text("formula")),
            "conditional" => Conditional(map, p, at),
            _ when FakeKinds.TryParse(type, out var kind) => new Distribution.Fake(kind, p.OptionalText("locale"), p.OptionalText("person") ?? "", p.OptionalText("localeColumn")),
            _ => throw at.At("type", map["type"]?.Line).Error("spec.unknown-distribution",
                $"unknown distribution '{type}'{SpecValues.Suggest(type, TypeNames)}.", hint: $"Types: {string.Join(", ", TypeNames)}."),
        };
    }

    /// <summary>The fields a column of this type may have (for unknown-field checks).</summary>
    public static IEnumerable<string> AllowedFields(string type)
    {
        var fields = CommonFields.AsEnumerable();
        if (Parameters.TryGetValue(type, out var p)) fields = fields.Concat(p);
        if (FakeKinds.TryParse(type, out _)) fields = fields.Concat(FakeFields);
        return fields;
    }

    private static Distribution LogNormal(SpecParams p)
    {
        if (p.Has("mean") || p.Has("sd"))
        {
            // Parameterised by the mean and sd of the values themselves: convert to the log scale.
            double mean = p.Positive("mean"), sd = p.Positive("sd");
            double sigma2 = Math.Log(1 + sd * sd / (mean * mean));
            return new Distribution.LogNormal(Math.Log(mean) - sigma2 / 2, Math.Sqrt(sigma2));
        }
        return new Distribution.LogNormal(p.Number("mu"), p.Positive("sigma"));
    }

    private static Distribution Uniform(SpecParams p)
    {
        double min = p.Number("min"), max = p.Number("max");
        if (!(max > min)) throw p.Fail("max", $"must be greater than min ({min.ToString(CultureInfo.InvariantCulture)}), got {max.ToString(CultureInfo.InvariantCulture)}.");
        return new Distribution.Uniform(min, max);
    }

    private static Distribution Beta(SpecParams p)
    {
        double low = p.Number("low", 0), high = p.Number("high", 1);
        if (!(high > low)) throw p.Fail("high", "must be greater than low.");
        return new Distribution.Beta(p.Positive("alpha"), p.Positive("beta"), low, high);
    }

    private static Distribution Histogram(SpecParams p)
    {
        var edges = p.Numbers("bins");
        if (edges.Count < 2) throw p.Fail("bins", "needs at least two bin edges.");
        for (int i = 1; i < edges.Count; i++)
            if (!(edges[i] > edges[i - 1])) throw p.Fail("bins", "bin edges must increase strictly.");
        var weights = p.Has("weights") ? p.Numbers("weights") : Enumerable.Repeat(1.0, edges.Count - 1).ToList();
        if (weights.Count != edges.Count - 1) throw p.Fail("weights", $"needs one weight per bin ({edges.Count - 1}), got {weights.Count}.");
        SpecValues.CheckWeights(weights, p.Location("weights"));
        return new Distribution.Histogram(edges, weights);
    }

    private static Distribution Empirical(SpecParams p)
    {
        var values = p.Numbers("values");
        if (values.Count == 0) throw p.Fail("values", "needs at least one value.");
        return new Distribution.Empirical(values);
    }

    private static Distribution Categorical(SpecParams p)
    {
        var node = p.Node("values") ?? throw p.Fail("values", "is required: a list of labels or a mapping label → weight.");
        var at = p.Location("values");
        List<string> labels;
        List<double> weights;
        if (node is SpecMap m)
        {
            if (p.Has("weights")) throw p.Fail("weights", "is not used when 'values' is a mapping of label → weight.");
            labels = m.Entries.Select(e => e.Key).ToList();
            weights = m.Entries.Select(e => SpecValues.Number(e.Value, at.At($"values.{e.Key}", e.Value.Line))).ToList();
        }
        else if (node is SpecList l)
        {
            labels = l.Items.Select(i => SpecValues.Text(i, at)).ToList();
            weights = p.Has("weights") ? p.Numbers("weights") : Enumerable.Repeat(1.0, labels.Count).ToList();
            if (weights.Count != labels.Count) throw p.Fail("weights", $"needs one weight per value ({labels.Count}), got {weights.Count}.");
        }
        else throw p.Fail("values", $"must be a list of labels or a mapping label → weight, got {node.Shape}.");
        if (labels.Count == 0) throw p.Fail("values", "needs at least one label.");
        var duplicate = labels.GroupBy(x => x).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw p.Fail("values", $"the label '{duplicate.Key}' appears twice.");
        SpecValues.CheckWeights(weights, p.Location("weights"));
        return new Distribution.Categorical(labels, weights);
    }

    private static Distribution Conditional(SpecMap map, SpecParams p, SpecLocation at)
    {
        string dependsOn = p.Text("dependsOn");
        var casesNode = p.Node("cases") as SpecMap ?? throw p.Fail("cases", "must be a mapping from values of '" + dependsOn + "' to distributions.");
        var cases = casesNode.Entries
            .Select(e => new KeyValuePair<string, Distribution>(e.Key, Bind(e.Value, at.At($"cases.{e.Key}", e.Value.Line), allowConditional: false)))
            .ToList();
        if (cases.Count == 0) throw p.Fail("cases", "needs at least one case.");
        var defaultNode = map["default"];
        var fallback = defaultNode is null or SpecScalar { IsNull: true } ? null : Bind(defaultNode, at.At("default", defaultNode.Line), allowConditional: false);
        return new Distribution.Conditional(dependsOn, cases, fallback);
    }
}
