using System.Globalization;
using TabTwin.Randomness;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Audit;

/// <summary>
/// An empirical lower bound on ε for any synthesizer, DP or not, from one fit (one-run auditing, Steinke, Nasr and
/// Jagielski 2023; the statistics are in <see cref="AuditBound"/>):
/// <list type="number">
/// <item>plant m canaries (<see cref="AuditCanaries"/>: real values in combinations no real row has), each included in
/// the training table independently with probability 1/2 (seeded);</item>
/// <item>fit the synthesizer once on the real rows plus the included canaries, and sample as many rows as it is trained on
/// in expectation (real rows + m/2);</item>
/// <item>score every canary with a black-box membership attack on the synthetic table (<see cref="MembershipAttack"/>);</item>
/// <item>guess "in" for the k₊ highest scores, "out" for the k₋ lowest, abstain on the rest, and turn r = k₊ + k₋ guesses
/// with v right into the largest ε the observation rejects at the confidence.</item>
/// </list>
/// The guess counts are not fixed in advance: the audit tries a fixed list of (k₊, k₋) (<see cref="GuessSets"/>) and reports
/// the largest bound. Picking the best after seeing which guesses were right uses the inclusion bits, which the theorem
/// does not allow for free, so each set is judged at confidence 1 − β/K (K sets; a union bound): the maximum then holds at
/// 1 − β. The guesses themselves depend on the output alone (scores, seeded tie-breaks), as the theorem requires.
/// </summary>
public static class PrivacyAudit
{
    public static AuditResult Run(Table data, TableSchema schema, ISynthesizer synthesizer, AuditOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(synthesizer);
        options ??= new AuditOptions();
        var claim = synthesizer as IDifferentiallyPrivate;
        double delta = options.Delta ?? claim?.Delta ?? 0;
        Check(data, schema, options, delta);
        int m = options.Canaries;
        ulong seed = options.Seed;
        var progress = options.Progress;

        progress?.Report(new StepProgress("planting canaries", 0));
        var canaries = AuditCanaries.Create(data, schema, m, seed);
        var inclusion = SeededRandom.For(seed, 0x1AC1);
        var included = new bool[m];
        for (int i = 0; i < m; i++) included[i] = inclusion.NextBernoulli(0.5);
        var includedRows = Enumerable.Range(0, m).Where(i => included[i]).ToArray();
        var training = Table.Concat(data, canaries.Take(includedRows));
        // Canaries are spread through the table, not appended, so no synthesizer sees them as a block.
        var order = Enumerable.Range(0, training.RowCount).ToArray();
        SeededRandom.For(seed, 0x5A0F).Shuffle(order.AsSpan());
        training = training.Take(order);

        progress?.Report(new StepProgress("fitting", 0.05));
        options.Cancel.ThrowIfCancellationRequested();
        var model = synthesizer.Fit(training, schema, new FitContext(SeededRandom.Derive(seed, 0xF17), progress is null ? null : new Scaled(progress, "fitting", 0.05, 0.8), options.Cancel) { MaxThreads = NullWhenAll(options.MaxThreads) });
        progress?.Report(new StepProgress("sampling", 0.8));
        // As many rows as the training table holds in expectation (real rows + m/2), fixed before the inclusion bits are
        // drawn: sampling exactly the training size would publish how many canaries went in, a release no DP guarantee
        // covers, and the theorem needs the attacker's whole view to come from the mechanism.
        int syntheticRows = data.RowCount + m / 2;
        var synthetic = model.Sample(syntheticRows, SeededRandom.Derive(seed, 0x5A3), new SampleContext(null, options.Cancel) { MaxThreads = NullWhenAll(options.MaxThreads) });

        progress?.Report(new StepProgress("attacking", 0.9));
        var scores = MembershipAttack.Scores(data, canaries, synthetic, schema, options.MaxThreads);
        var ranking = MembershipAttack.Ranking(scores, SeededRandom.Derive(seed, 0x7A1));
        var sets = GuessSets(m);
        double setConfidence = 1 - (1 - options.Confidence) / sets.Count;
        var results = new List<AuditGuessSet>(sets.Count);
        foreach (var (kIn, kOut) in sets)
        {
            int correct = 0;
            for (int i = 0; i < kIn; i++) if (included[ranking[i]]) correct++;
            for (int i = m - kOut; i < m; i++) if (!included[ranking[i]]) correct++;
            results.Add(new AuditGuessSet(kIn, kOut, correct, AuditBound.EpsilonLowerBound(m, kIn + kOut, correct, delta, setConfidence)));
        }
        // The best set; among equal bounds the one with most guesses (ties are common at 0).
        var best = results.OrderByDescending(g => g.EpsilonLowerBound).ThenByDescending(g => g.Guesses).First();
        progress?.Report(new StepProgress("done", 1));
        return new AuditResult
        {
            Synthesizer = synthesizer.Name,
            EpsilonLowerBound = best.EpsilonLowerBound,
            Confidence = options.Confidence,
            Delta = delta,
            Canaries = m,
            Included = includedRows.Length,
            Guesses = best.Guesses,
            CorrectGuesses = best.Correct,
            ClaimedEpsilon = claim?.Epsilon,
            ClaimedDelta = claim?.Delta,
            GuessSets = results,
            TrainingRows = training.RowCount,
            SyntheticRows = synthetic.RowCount,
            Seed = seed,
        };
    }

    /// <summary>
    /// The (k₊, k₋) tried, fixed before any score is seen: k₊ = 1, 2, 5, 10, 20, 30 and 50 % of the canaries, each once
    /// guessing only "in" (memorisation evidence is one-sided: a near copy says "in", its absence says little) and once
    /// with as many "out" guesses from the bottom (two-sided noise such as randomized response; 50 % + 50 % guesses on
    /// every canary).
    /// </summary>
    public static IReadOnlyList<(int GuessedIn, int GuessedOut)> GuessSets(int canaries)
    {
        var sets = new List<(int, int)>();
        foreach (double share in new[] { 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5 })
        {
            int k = Math.Max(1, (int)Math.Round(share * canaries));
            foreach (int kOut in new[] { 0, k })
                if (k + kOut <= canaries && !sets.Contains((k, kOut))) sets.Add((k, kOut));
        }
        return sets;
    }

    private static int? NullWhenAll(int maxThreads) => maxThreads > 0 ? maxThreads : null;

    /// <summary>The fit's own progress shown as the part [from, to] of the audit's.</summary>
    private sealed class Scaled(IProgress<StepProgress> outer, string step, double from, double to) : IProgress<StepProgress>
    {
        public void Report(StepProgress value) =>
            outer.Report(new StepProgress(string.IsNullOrEmpty(value.Step) ? step : $"{step}: {value.Step}", from + (to - from) * Math.Clamp(value.Fraction, 0, 1)));
    }

    private static void Check(Table data, TableSchema schema, AuditOptions options, double delta)
    {
        CheckCanaries(options.Canaries, data.RowCount);
        if (!(options.Confidence > 0 && options.Confidence < 1))
            throw new TabTwinException("audit.confidence", $"The confidence must lie strictly between 0 and 1, not {options.Confidence.ToString(CultureInfo.InvariantCulture)}.", hint: "Use 0.95.");
        if (!(delta >= 0 && delta < 1))
            throw new TabTwinException("audit.delta", $"δ must lie in [0, 1), not {delta.ToString(CultureInfo.InvariantCulture)}.", hint: "Use a δ well below 1/rows, e.g. 1e-9.");
        if (schema.Sequence is not null)
            throw new TabTwinException("audit.sequence", "The audit plants single rows as canaries; a table of histories (a metadata 'sequence') would need whole entities as canaries, which it does not plant.",
                hint: "Audit the table without the 'sequence' in its metadata.");
        if (schema.ConstraintCount > 0)
            throw new TabTwinException("audit.constraints", "The audit's canaries combine real values freely, which the metadata's constraints may forbid.",
                hint: "Audit with metadata that declares no constraints; the synthesizer's privacy does not depend on them.");
        schema.Validate(data);
        if (!schema.Columns.Any(c => Privacy.MixedDistance.IsCompared(c.Kind)))
            throw new TabTwinException("audit.no-columns", "The metadata has no numerical, datetime, categorical or boolean column; the audit's attack compares rows on those (ids are regenerated and personal data faked, never copied).",
                hint: "Declare the columns' kinds in the metadata (tabtwin inspect writes them).");
    }

    /// <summary>
    /// Enough canaries for a meaningful bound, and no more than the real rows (about half are trained on, so they never
    /// outnumber them); <paramref name="option"/> is how the caller lets the user set the count, for the hint.
    /// </summary>
    internal static void CheckCanaries(int m, int rows, string option = "--canaries")
    {
        if (m < AuditOptions.MinimumCanaries)
            throw new TabTwinException("audit.too-few-canaries",
                $"An audit with {m.ToString(CultureInfo.InvariantCulture)} canaries cannot show a meaningful bound; it needs at least {AuditOptions.MinimumCanaries} (the default is {AuditOptions.DefaultCanaries}).",
                hint: $"Use {option} {AuditOptions.DefaultCanaries} (or at least {AuditOptions.MinimumCanaries}).");
        if (rows < m)
            throw new TabTwinException("audit.table-too-small",
                $"The table has {rows:N0} rows; an audit with {m:N0} canaries needs at least as many real rows, so the canaries (about half of them trained on) do not outnumber the real rows.",
                hint: rows >= AuditOptions.MinimumCanaries
                    ? $"Use {option} {rows} or fewer (at least {AuditOptions.MinimumCanaries}), or audit a larger table."
                    : $"Audit a table of at least {AuditOptions.MinimumCanaries} rows.");
    }
}
