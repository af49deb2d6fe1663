using System.Text.Json;
using System.Text.Json.Serialization;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>What fitting does when the real data itself breaks a constraint.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataViolationHandling>))]
public enum DataViolationHandling
{
    /// <summary>Throw <c>constraints.violated-by-data</c> listing the first violating rows (default).</summary>
    [JsonStringEnumMemberName("error")] Error,
    /// <summary>Fit on the rows that satisfy every constraint (the count is in the fit report).</summary>
    [JsonStringEnumMemberName("drop-rows")] DropRows,
}

/// <summary>Settings of <see cref="ConstrainedSynthesizer"/>.</summary>
public sealed record ConstraintOptions
{
    /// <summary>The most sampling rounds (each draws fresh rows to replace rejected ones) before giving up.</summary>
    [JsonPropertyName("maxRounds")] public int MaxRounds { get; init; } = 12;
    /// <summary>Below this share of accepted rows (measured over at least 20 / MinAcceptance drawn rows) sampling stops as infeasible.</summary>
    [JsonPropertyName("minAcceptance")] public double MinAcceptance { get; init; } = 0.001;
    [JsonPropertyName("onDataViolation")] public DataViolationHandling OnDataViolation { get; init; } = DataViolationHandling.Error;
    /// <summary>Use learn-around transforms (false = rejection only; for comparison and debugging).</summary>
    [JsonPropertyName("learnAround")] public bool LearnAround { get; init; } = true;
}

/// <summary>
/// Makes any synthesizer honour a <see cref="ConstraintSet"/>: <see cref="Fit"/> checks the rules against the real
/// data, rewrites the table so the inner synthesizer learns around them (gaps, bounded transforms, merged columns,
/// dropped formula columns), and returns a <see cref="ConstrainedModel"/> that reverses the rewrite and rejects and
/// resamples whatever rows still break a rule. Registry name <c>constrained</c>.
/// </summary>
public sealed class ConstrainedSynthesizer : ISynthesizer
{
    public const string RegistryName = "constrained";
    public const string DefaultInner = "cart";

    public ConstrainedSynthesizer(ISynthesizer inner, ConstraintSet constraints, ConstraintOptions? options = null)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Constraints = constraints ?? throw new ArgumentNullException(nameof(constraints));
        Options = options ?? new ConstraintOptions();
        if (Options.MaxRounds < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxRounds must be at least 1.");
        if (inner is ConstrainedSynthesizer) throw new ArgumentException("Wrap the inner synthesizer once; combine the constraints into one set.");
    }

    public string Name => RegistryName;
    public ISynthesizer Inner { get; }
    public ConstraintSet Constraints { get; }
    public ConstraintOptions Options { get; }

    /// <summary>
    /// Registry factory. Options JSON: <c>{"inner": "cart", "innerOptions": {...}, "constraints": [...], "maxRounds": 12,
    /// "onDataViolation": "error"|"drop-rows"}</c>; all optional. <paramref name="createInner"/> makes the inner synthesizer
    /// from its registry name and options (the registry passes its own lookup: constraints sit below the registry).
    /// </summary>
    public static ConstrainedSynthesizer Create(JsonElement? json, Func<string, JsonElement?, ISynthesizer> createInner)
    {
        ArgumentNullException.ThrowIfNull(createInner);
        string inner = DefaultInner;
        JsonElement? innerOptions = null;
        var constraints = ConstraintSet.Empty;
        var options = new ConstraintOptions();
        if (json is { ValueKind: JsonValueKind.Object } o)
        {
            if (o.TryGetProperty("inner", out var i) && i.ValueKind == JsonValueKind.String) inner = i.GetString()!;
            if (o.TryGetProperty("innerOptions", out var io)) innerOptions = io;
            if (o.TryGetProperty("constraints", out var c)) constraints = ConstraintJson.ReadArray(c);
            options = SynthesizerJson.ReadOptions<ConstraintOptions>(RegistryName, o, Check, ["inner", "innerOptions", "constraints"]);
        }
        if (string.Equals(inner, RegistryName, StringComparison.OrdinalIgnoreCase))
            throw new TabTwinException("synthesizer.options", "A constrained synthesizer cannot wrap another constrained one.");
        return new ConstrainedSynthesizer(createInner(inner, innerOptions), constraints, options);
    }

    private static void Check(ConstraintOptions o)
    {
        if (o.MaxRounds < 1) throw new ArgumentException($"maxRounds must be at least 1 (got {o.MaxRounds}).");
        if (!(o.MinAcceptance is >= 0 and < 1)) throw new ArgumentException($"minAcceptance must be in [0, 1) (got {o.MinAcceptance}).");
    }

    /// <summary>The inner synthesizer's minimum: it learns from the (transformed) rows one for one.</summary>
    public int MinimumRows => Inner.MinimumRows;

    public ISynthesizerModel Fit(Table table, TableSchema schema, FitContext context) => FitWithReport(table, schema, context).Model;

    /// <summary>Fits and says what was done: transforms used, rules left to rejection, real rows dropped.</summary>
    public (ConstrainedModel Model, ConstrainedFitReport Report) FitWithReport(Table table, TableSchema schema, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        // The rules given in code plus those the schema declares; the inner synthesizer then sees a schema without them.
        var rules = new ConstraintSet(Constraints.Concat(SchemaConstraints.Of(schema)));
        rules.Validate(table, schema);
        // Fixed combinations without a list learn theirs from the data, so sampling can check them later.
        var learned = new ConstraintSet(rules.Select(c => c is FixedCombinationsConstraint f ? f.LearnFrom(table) : c));
        int dropped = 0;
        var check = learned.Check(table);
        if (!check.IsClean)
        {
            if (Options.OnDataViolation == DataViolationHandling.Error)
                throw new TabTwinException("constraints.violated-by-data",
                    $"The real data breaks {check.Violations.Count} constraint(s), so no model can learn them:{Environment.NewLine}{check.Format()}",
                    row: check.Violations[0].Rows[0] + 1,
                    hint: "Fix those rows, drop the rule, or fit with onDataViolation = drop-rows to learn from the rows that satisfy every rule.");
            var ok = learned.Satisfied(table);
            var keep = Enumerable.Range(0, table.RowCount).Where(r => ok[r]).ToArray();
            if (keep.Length == 0)
                throw new TabTwinException("constraints.violated-by-data", $"No real row satisfies every constraint:{Environment.NewLine}{check.Format()}");
            dropped = table.RowCount - keep.Length;
            table = table.Take(keep);
        }

        var (transformed, innerSchema, plan) = Options.LearnAround ? PlanTransforms(learned, table, schema) : (table, schema, []);
        var innerModel = Inner.Fit(transformed, SchemaConstraints.Without(innerSchema), context);
        var model = new ConstrainedModel(schema, learned, plan, innerModel, Options);
        var transformedRules = plan.Select(p => p.Index).ToHashSet();
        var report = new ConstrainedFitReport(
            plan.Select(p => $"{learned.Label(p.Index)}: {p.Transform.Describe()}").ToArray(),
            Enumerable.Range(0, learned.Count).Where(i => !transformedRules.Contains(i)).Select(learned.Label).ToArray(),
            dropped);
        return (model, report);
    }

    /// <summary>
    /// Applies learn-around transforms in an order where none removes a column another still reads (a &lt; b &lt; c:
    /// c's gap from b first, then b's gap from a). Rules left without a transform are enforced by rejection.
    /// </summary>
    internal static (Table, TableSchema, List<(int Index, ConstraintTransform Transform)>) PlanTransforms(ConstraintSet rules, Table table, TableSchema schema)
    {
        var plan = new List<(int, ConstraintTransform)>();
        var remaining = Enumerable.Range(0, rules.Count).ToList();
        while (true)
        {
            var candidates = new List<(int Index, ConstraintTransform Transform)>();
            foreach (int i in remaining)
                if (rules[i].Columns.All(table.Contains) && rules[i].PlanTransform(table, schema) is { } t) candidates.Add((i, t));
            remaining = candidates.Select(c => c.Index).ToList();
            var pick = candidates.OrderBy(c => c.Transform.Priority).ThenBy(c => c.Index).FirstOrDefault(c => !candidates.Any(o => o.Index != c.Index && o.Transform.Reads.Intersect(c.Transform.Consumes).Any()));
            if (pick.Transform is null) break;
            (table, schema) = pick.Transform.Apply(table, schema);
            plan.Add(pick);
            remaining.Remove(pick.Index);
        }
        return (table, schema, plan);
    }
}

/// <summary>What <see cref="ConstrainedSynthesizer.FitWithReport"/> did.</summary>
public sealed record ConstrainedFitReport(IReadOnlyList<string> Transforms, IReadOnlyList<string> EnforcedByRejection, int DroppedRealRows);
