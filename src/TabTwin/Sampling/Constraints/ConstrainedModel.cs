using System.Text.Json;
using System.Text.Json.Nodes;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Bundles;
using TabTwin.Randomness;

namespace TabTwin.Sampling.Constraints;

/// <summary>How one constrained sample went: rounds, rows drawn and rejected, and which rules rejected them.</summary>
public sealed record ConstrainedSampleReport(int Rows, int Rounds, long Drawn, long Rejected, IReadOnlyList<(string Constraint, long Rejected)> RejectedBy)
{
    public string Format() => Rejected == 0
        ? $"All {Rows:N0} rows satisfied the constraints in the first draw."
        : $"{Rejected:N0} of {Drawn:N0} drawn rows broke a constraint and were resampled ({Rounds} rounds): " +
          string.Join("; ", RejectedBy.Where(r => r.Rejected > 0).Select(r => $"{r.Constraint} rejected {r.Rejected:N0}"));
}

/// <summary>
/// A model fitted by <see cref="ConstrainedSynthesizer"/>: samples the inner model, reverses the learn-around
/// transforms and rejects and resamples rows that still break a rule, in a bounded number of rounds. Every row it
/// returns satisfies every constraint; when that is (nearly) impossible it throws <c>constraints.infeasible</c>.
/// Immutable and deterministic for a seed. Conditions are passed to the inner model when they touch only columns it
/// models unchanged, else met by rejection.
/// </summary>
public sealed class ConstrainedModel : IConditionalModel
{
    private const string Entry = "constrained";
    private const string InnerPrefix = "inner.";
    private const ulong RoundSalt = 0xC0175;

    internal ConstrainedModel(TableSchema schema, ConstraintSet constraints, IReadOnlyList<(int Index, ConstraintTransform Transform)> transforms,
        ISynthesizerModel inner, ConstraintOptions options)
    {
        Schema = schema; Constraints = constraints; Transforms = transforms; Inner = inner; Options = options;
    }

    /// <summary>
    /// A model whose samples also satisfy <paramref name="rules"/>, enforced by rejection only (no refit). Wrapping a
    /// constrained model adds the rules to its own. Fixed combinations without an allowed list cannot be learned here.
    /// </summary>
    public static ConstrainedModel Enforce(ISynthesizerModel model, ConstraintSet rules, ConstraintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rules);
        rules.CheckFeasible();
        foreach (var column in rules.SelectMany(r => r.Columns))
            _ = model.Schema[column]; // unknown columns fail now, naming the columns the model has
        if (model is ConstrainedModel c)
            return new ConstrainedModel(c.Schema, new ConstraintSet(c.Constraints.Concat(rules)), c.Transforms, c.Inner, options ?? c.Options);
        return new ConstrainedModel(model.Schema, rules, [], model, options ?? new ConstraintOptions());
    }

    /// <summary>
    /// Like <see cref="Enforce"/>, for a model fitted without ever seeing the rules or the rows' relation to them (a DP
    /// fit, where this is post-processing): formulas are written over their sampled column, which learns nothing from the
    /// data, and every other rule is met by rejection.
    /// </summary>
    internal static ConstrainedModel EnforceOnSamples(ISynthesizerModel model, ConstraintSet rules)
    {
        if (model is ConstrainedModel) throw new ArgumentException("The model already enforces constraints; give all the rules at once.", nameof(model));
        var plain = Enforce(model, rules);
        var rewrites = new List<(int Index, ConstraintTransform Transform)>();
        for (int i = 0; i < rules.Count; i++)
            if (rules[i].SampleOnlyTransform() is { } rewrite) rewrites.Add((i, rewrite));
        return new ConstrainedModel(plain.Schema, plain.Constraints, rewrites, model, plain.Options);
    }

    public string SynthesizerName => ConstrainedSynthesizer.RegistryName;
    public TableSchema Schema { get; }
    /// <summary>The rules enforced (fixed combinations carry the combinations learned from the data).</summary>
    public ConstraintSet Constraints { get; }
    public ISynthesizerModel Inner { get; }
    public ConstraintOptions Options { get; }
    internal IReadOnlyList<(int Index, ConstraintTransform Transform)> Transforms { get; }

    public Table Sample(int rows, ulong seed, SampleContext? context = null) => SampleWithReport(rows, seed, context).Table;

    public Table Sample(int rows, ConditionSet conditions, ulong seed, SampleContext? context = null) =>
        SampleWithReport(rows, seed, context, conditions).Table;

    /// <summary>Samples and reports how many rows were rejected and resampled, and by which rules.</summary>
    public (Table Table, ConstrainedSampleReport Report) SampleWithReport(int rows, ulong seed, SampleContext? context = null, ConditionSet? conditions = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        conditions ??= ConditionSet.Empty;
        var consumed = Transforms.SelectMany(t => t.Transform.Consumes).ToHashSet(StringComparer.Ordinal);
        bool native = !conditions.IsEmpty && Inner is IConditionalModel && conditions.Columns.All(c => !consumed.Contains(c));
        Table Draw(int n, ulong s) => Reverse(native ? ((IConditionalModel)Inner).Sample(n, conditions, s, context) : Inner.Sample(n, s, context));

        var rejectedBy = new long[Constraints.Count + 1]; // last slot: conditions met by rejection
        Table? accepted = null;
        long drawn = 0, rejected = 0;
        int have = 0, round = 0, lastBatch = 0;
        while (true)
        {
            int need = rows - have;
            double rate = drawn == 0 ? 1 : Math.Max((double)(drawn - rejected) / drawn, 1e-4);
            // Grow at most tenfold per round, so a hopeless rule costs a few small draws before it is called infeasible.
            int batch = round == 0 ? rows : (int)Math.Min(Math.Min(Math.Ceiling(need / rate * 1.2) + 16, Math.Max(need, 1000) * 50L),
                Math.Max(lastBatch, 100) * 10L);
            lastBatch = batch;
            // Round 0 uses the caller's seed, so with nothing to reject the output equals the inner model's.
            var candidates = Draw(batch, round == 0 ? seed : SeededRandom.Derive(seed, RoundSalt, (ulong)round));
            var ok = Accept(accepted, candidates, conditions, native, rejectedBy);
            var keep = Enumerable.Range(0, candidates.RowCount).Where(r => ok[r]).Take(need).ToArray();
            drawn += candidates.RowCount;
            rejected += candidates.RowCount - ok.Count(x => x);
            var kept = keep.Length == candidates.RowCount ? candidates : candidates.Take(keep);
            accepted = accepted is null ? kept : Table.Concat([accepted, kept]);
            have += keep.Length;
            round++;
            if (have >= rows) break;
            double acceptance = (double)(drawn - rejected) / Math.Max(1, drawn);
            // Enough draws to tell an acceptance below MinAcceptance from bad luck (20 expected acceptances at the threshold).
            bool hopeless = round >= 2 && drawn >= 20 / Options.MinAcceptance && acceptance < Options.MinAcceptance;
            if (round >= Options.MaxRounds || hopeless)
                throw Infeasible(rows, have, drawn, acceptance, round, rejectedBy, conditions);
        }
        var report = new ConstrainedSampleReport(rows, round, drawn, rejected,
            Enumerable.Range(0, rejectedBy.Length).Where(i => i < Constraints.Count || !conditions.IsEmpty)
                .Select(i => (i < Constraints.Count ? Constraints.Label(i) : $"conditions ({conditions})", rejectedBy[i])).ToArray());
        return (accepted!, report);
    }

    private TabTwinException Infeasible(int rows, int have, long drawn, double acceptance, int rounds, long[] rejectedBy, ConditionSet conditions)
    {
        var worst = Enumerable.Range(0, rejectedBy.Length).Where(i => rejectedBy[i] > 0).OrderByDescending(i => rejectedBy[i]).Take(3)
            .Select(i => $"{(i < Constraints.Count ? Constraints.Label(i) : $"the conditions ({conditions})")} rejected {rejectedBy[i]:N0}");
        return new TabTwinException("constraints.infeasible",
            $"Only {have:N0} of {rows:N0} requested rows satisfy the constraints after {rounds} rounds ({drawn:N0} rows drawn, " +
            $"{acceptance:P2} accepted). Most rejections: {string.Join("; ", worst)}.",
            hint: "The rules may contradict each other or the learned data; check them with 'tabtwin validate', loosen them, or request fewer rows.");
    }

    /// <summary>Per candidate row: satisfies every rule (uniqueness also against rows already accepted) and the conditions.</summary>
    private bool[] Accept(Table? accepted, Table candidates, ConditionSet conditions, bool nativeConditions, long[] rejectedBy)
    {
        var ok = Enumerable.Repeat(true, candidates.RowCount).ToArray();
        Table? combined = null;
        for (int i = 0; i < Constraints.Count; i++)
        {
            bool[] bad;
            if (Constraints[i] is UniqueConstraint u && accepted is not null)
            {
                combined ??= Table.Concat([accepted, candidates]);
                bad = u.FindViolations(combined)[accepted.RowCount..];
            }
            else bad = Constraints[i].FindViolations(candidates);
            for (int r = 0; r < ok.Length; r++) if (bad[r] && ok[r]) { ok[r] = false; rejectedBy[i]++; }
        }
        if (!conditions.IsEmpty && !nativeConditions)
            for (int r = 0; r < ok.Length; r++)
                if (ok[r] && !conditions.Matches(candidates, r)) { ok[r] = false; rejectedBy[^1]++; }
        return ok;
    }

    /// <summary>Undoes the transforms (last applied first) and restores the schema's column order.</summary>
    internal Table Reverse(Table sampled)
    {
        for (int k = Transforms.Count - 1; k >= 0; k--) sampled = Transforms[k].Transform.Reverse(sampled);
        return sampled.Select(Schema.Columns.Select(c => c.Name));
    }

    public void Write(ModelBundleWriter bundle)
    {
        for (int i = 0; i < Constraints.Count; i++)
            if (!Constraints[i].IsSerializable)
                throw new TabTwinException("constraints.not-serializable",
                    $"{Constraints.Label(i)} is C# code and cannot be saved in a model file.",
                    hint: "Write it as an \"expression\" constraint, or keep the model in memory instead of saving it.");
        var state = new JsonObject
        {
            ["inner"] = Inner.SynthesizerName,
            ["schema"] = JsonSerializer.SerializeToNode(Schema, ConstraintJson.Options),
            ["constraints"] = ConstraintJson.WriteArray(Constraints),
            ["transforms"] = new JsonArray(Transforms.Select(t => (JsonNode)new JsonObject { ["index"] = t.Index, ["state"] = t.Transform.State() }).ToArray()),
            ["options"] = JsonSerializer.SerializeToNode(Options, ConstraintJson.Options),
        };
        bundle.WriteJson(Entry, state);
        var inner = new ModelBundleWriter();
        Inner.Write(inner);
        bundle.AddPrefixed(InnerPrefix, inner);
    }

    /// <summary>
    /// Registry reader: the inner model is looked up by its registry name, never by a type name;
    /// <paramref name="innerReader"/> gives the registry's reader for a name (null when the name is unknown).
    /// </summary>
    public static ConstrainedModel Read(ModelBundleReader bundle, Func<string, Func<ModelBundleReader, ISynthesizerModel>?> innerReader)
    {
        ArgumentNullException.ThrowIfNull(innerReader);
        var state = bundle.ReadJson<JsonObject>(Entry);
        string innerName = (string?)state["inner"] ?? throw Bad(bundle, "it names no inner synthesizer");
        if (string.Equals(innerName, ConstrainedSynthesizer.RegistryName, StringComparison.OrdinalIgnoreCase) || innerReader(innerName) is not { } readInner)
            throw Bad(bundle, $"its inner synthesizer '{innerName}' is unknown");
        var schema = state["schema"].Deserialize<TableSchema>(ConstraintJson.Options) ?? throw Bad(bundle, "it has no schema");
        var constraints = ConstraintJson.ReadArray(JsonSerializer.SerializeToElement(state["constraints"], ConstraintJson.Options), bundle.File);
        var options = state["options"].Deserialize<ConstraintOptions>(ConstraintJson.Options) ?? new ConstraintOptions();
        var transforms = new List<(int, ConstraintTransform)>();
        foreach (var node in state["transforms"]?.AsArray() ?? [])
        {
            int index = (int)node!["index"]!;
            if (index < 0 || index >= constraints.Count) throw Bad(bundle, $"a transform refers to constraint {index}");
            transforms.Add((index, constraints[index].RestoreTransform(node["state"]!.AsObject())));
        }
        var inner = readInner(bundle.WithPrefix(InnerPrefix));
        return new ConstrainedModel(schema, constraints, transforms, inner, options);
    }

    private static ModelFileException Bad(ModelBundleReader bundle, string what) =>
        new("model.bad-entry", $"The constrained model in the file is inconsistent: {what}.", bundle.File);
}
