using System.Text.Json;
using System.Text.Json.Nodes;
using TabTwin.Registry;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Synthesis;

/// <summary>The DP synthesizer a request chose, ready to fit, and why it was chosen (one line for the user).</summary>
public sealed record PrivateChoice(ISynthesizer Synthesizer, string Reason);

/// <summary>
/// The policy of a differentially private run (<c>--epsilon</c>): which synthesizer, with which options, and what the
/// fit may and may not do. A synthesizer that cannot honour ε is an error, never a silent non-private run; the fit skips
/// everything that would read the data outside the accountant: detected structures (one-hot groups, date parts) and
/// the privacy check (it refits on held-out rows) are not used. Constraints the metadata declares are public and are
/// enforced on the samples only (post-processing, no budget); a rule that would learn from the data is refused.
/// </summary>
public static class PrivateSynthesis
{
    public const double DefaultDelta = 1e-9;

    /// <summary>Beyond this many modelled columns the default is MST: AIM's rounds and candidate pairs grow with d².</summary>
    public const int AimMaxColumns = 40;

    /// <summary>The registered synthesizers that give a DP guarantee.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. SynthesizerRegistry.All.Where(e => e.Create(null) is IDifferentiallyPrivate).Select(e => e.Name)];

    /// <summary>Checks ε, δ and a requested synthesizer before any data is read; throws the error a user should see.</summary>
    public static void CheckRequest(double epsilon, double? delta, string? synthesizer)
    {
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
            throw new TabTwinException("dp.bad-epsilon", $"--epsilon must be a finite number greater than 0 (got {epsilon}).",
                hint: "Typical values: 0.1 (strong privacy, noisier data) to 10 (weak privacy); 1 is a common choice.");
        if (delta is { } d && !(d > 0 && d < 1))
            throw new TabTwinException("dp.bad-delta", $"--delta must be greater than 0 and less than 1 (got {d}).",
                hint: $"Leave it out for the default {DefaultDelta:G1}, or give a value well below 1 / rows.");
        if (synthesizer is not null && !Names.Contains(SynthesizerRegistry.Get(synthesizer).Name))
            throw new TabTwinException("dp.not-private",
                $"The '{synthesizer}' synthesizer cannot honour --epsilon: its privacy rules (rare values, leaf sizes, clipping) are protection, not differential privacy.",
                hint: $"Use one of the DP synthesizers: {string.Join(", ", Names)} (or leave out --synthesizer to let TabTwin choose).");
    }

    /// <summary>
    /// The DP synthesizer for <paramref name="schema"/>: the requested one, or AIM (the best quality; MST past
    /// <see cref="AimMaxColumns"/> modelled columns), with ε, δ and the target put into its options.
    /// </summary>
    public static PrivateChoice Choose(TableSchema schema, double epsilon, double? delta, string? synthesizer, JsonElement? options, string? target)
    {
        ArgumentNullException.ThrowIfNull(schema);
        CheckRequest(epsilon, delta, synthesizer);
        int modelled = schema.Columns.Count(c => c.Kind is not (ColumnKind.Id or ColumnKind.Pii));
        string name;
        string reason;
        if (synthesizer is not null)
        {
            name = SynthesizerRegistry.Get(synthesizer).Name;
            reason = $"{name}, as asked";
        }
        else if (modelled <= AimMaxColumns)
        {
            name = "aim";
            reason = $"aim: the most accurate DP synthesizer for a table of {modelled} modelled columns" + (target is null ? "" : $", its workload aimed at '{target}'");
        }
        else
        {
            name = "mst";
            reason = $"mst: {modelled} modelled columns are more than aim handles quickly ({AimMaxColumns})";
        }
        var json = options is { ValueKind: JsonValueKind.Object } o ? JsonNode.Parse(o.GetRawText())!.AsObject() : [];
        Put(json, "epsilon", epsilon);
        Put(json, "delta", delta ?? (json["delta"] is null ? DefaultDelta : null));
        if (target is not null && name == "aim" && json["target"] is null) json["target"] = target;
        using var doc = JsonDocument.Parse(json.ToJsonString());
        var created = SynthesizerRegistry.Get(name).Create(doc.RootElement.Clone());
        var dp = (IDifferentiallyPrivate)created;
        return new PrivateChoice(created, $"Differential privacy: (ε = {dp.Epsilon:G4}, δ = {dp.Delta:G3}) with {reason}.");
    }

    /// <summary>Puts a number into the options, refusing one --options already sets to something else.</summary>
    private static void Put(JsonObject json, string key, double? value)
    {
        if (value is null) return;
        if (json[key] is { } existing && existing.GetValue<double>() != value)
            throw new TabTwinException("dp.conflicting-options", $"--options sets {key} to {existing.GetValue<double>()}, but --{key} says {value}.",
                hint: $"Give {key} once: with --{key}, or in --options.");
        json[key] = value;
    }

    /// <summary>
    /// Fits a DP synthesizer on <paramref name="real"/>: no structure is detected and no privacy check refits on held-out
    /// rows. The metadata's constraints are public, so they cost no budget: the synthesizer fits without them and its
    /// model rejects and redraws the samples that break one (formulas are written over the sampled column), which is
    /// post-processing of a DP output. Nothing about them is learned from the rows: no learn-around transform (those
    /// fit their shape to the data), and the real rows are not checked against the rules (an error would tell which
    /// rows break them).
    /// </summary>
    public static ISynthesizerModel Fit(ISynthesizer synthesizer, Table real, TableSchema schema, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(synthesizer);
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(schema);
        if (synthesizer is not IDifferentiallyPrivate)
            throw new TabTwinException("dp.not-private", $"The '{synthesizer.Name}' synthesizer is not differentially private.",
                hint: $"Use one of: {string.Join(", ", Names)}.");
        var rules = PublicRules(schema);
        // The rules' columns and kinds are checked on no rows: the table's column types only, never a value.
        rules.Validate(real.Take([]), schema);
        var model = synthesizer.Fit(real, SchemaConstraints.Without(schema), context);
        return rules.IsEmpty ? model : ConstrainedModel.EnforceOnSamples(model, rules);
    }

    /// <summary>The privacy ledger of a DP model, also through the constraints enforced around it; null for a model without one.</summary>
    public static IPrivacyLedger? LedgerOf(ISynthesizerModel model) => model switch
    {
        IPrivacyLedger ledger => ledger,
        ConstrainedModel constrained => LedgerOf(constrained.Inner),
        _ => null,
    };

    /// <summary>Refuses what a DP fit cannot honour yet: constraints that learn from the data, sequences.</summary>
    public static void CheckSchema(TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        PublicRules(schema);
        if (schema.Sequence is not null)
            throw new TabTwinException("dp.sequences", "Sequences (histories per entity) cannot be synthesized with differential privacy yet: one person's history is many rows.",
                hint: "Run without --epsilon, or without the sequence in the metadata.");
    }

    /// <summary>
    /// The metadata's constraints, every one of which a DP fit can enforce without the data. Fixed combinations without
    /// an "allowed" list take theirs from the rows, which would publish every real combination: refused, naming it.
    /// </summary>
    private static ConstraintSet PublicRules(TableSchema schema)
    {
        var rules = SchemaConstraints.Of(schema);
        for (int i = 0; i < rules.Count; i++)
            if (rules[i] is FixedCombinationsConstraint { Allowed: null } learned)
                throw new TabTwinException("dp.constraints",
                    $"{rules.Label(i)} learns its combinations of {string.Join(", ", learned.Columns)} from the data, which would publish every real combination outside the privacy budget.",
                    hint: $"List the combinations in the constraint's \"allowed\" field (public, no budget), or drop it for a DP run.");
        return rules;
    }

    /// <summary>
    /// The error for rebalancing with --epsilon: the classes not named keep their real proportions, and every class's
    /// row count comes from exact real counts, a read of the data no budget pays for.
    /// </summary>
    public static TabTwinException RebalanceNotYet() =>
        new("dp.rebalance", "--rebalance cannot be combined with --epsilon yet: it sets each class's rows from the exact real class counts, outside the privacy budget.",
            hint: "Sample the DP model with --where (e.g. --where \"income = '>50K'\") for the rows of one class, or run without --epsilon.");

    /// <summary>The error for a whole database with --epsilon: one person's rows span tables, which needs a budget per person.</summary>
    public static TabTwinException DatabaseNotYet() =>
        new("dp.databases", "A whole database cannot be synthesized with differential privacy yet: one person's rows span several tables.",
            hint: "Synthesize one table with --epsilon (--table NAME), or the database without --epsilon.");
}
