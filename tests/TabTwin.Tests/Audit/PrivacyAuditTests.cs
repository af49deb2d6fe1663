using TabTwin.Evaluation.Audit;
using TabTwin.Registry;
using TabTwin.Synthesizers;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Audit;

/// <summary>The one-run privacy audit end to end on the in-repo Adult sample (4,000 rows).</summary>
public class PrivacyAuditTests
{
    /// <summary>
    /// The audit can fail. Randomized response on each canary's presence at ε = 1 (<see cref="CanaryRandomizedResponse"/>)
    /// lets the best attacker be right with probability e/(1+e) = 0.731 per guess; guessing on all m = 1000 canaries it
    /// gets about 731 ± 14 right, and the bound, judged at β = 0.05/14 (union bound over the 14 guess sets), comes out
    /// near logit(0.731 − 2.7 · 0.014) ≈ 0.8 — below the claim, as it must (exceeding 1 would need about 760 right,
    /// 2 standard deviations beyond what β/14 already allows). The same mechanism with its noise scale halved has ε = 2
    /// (accuracy 0.881, about 881 ± 10 right) while still claiming 1: the bound comes out near logit(0.881 − 2.7 · 0.010)
    /// ≈ 1.75, far above the claim (falling to 1 would need fewer than about 731 right, 15 standard deviations low).
    /// Both hold for every seed tried (0–4; measured bounds are printed).
    /// </summary>
    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(4UL)]
    public void A_correct_mechanism_stays_below_its_claim_and_the_same_one_with_half_the_noise_is_caught(ulong seed)
    {
        var (table, schema) = AdultSample.First4000;
        var options = new AuditOptions { Canaries = 1000, Seed = seed };
        var canaries = CanaryRandomizedResponse.CanariesFor(table, schema, options);
        const double claimed = 1.0;

        var correct = PrivacyAudit.Run(table, schema, new CanaryRandomizedResponse(canaries, claimed, noiseScale: 1 / claimed), options);
        var broken = PrivacyAudit.Run(table, schema, new CanaryRandomizedResponse(canaries, claimed, noiseScale: 0.5 / claimed), options);
        Console.WriteLine($"seed {seed}: correct ε ≥ {correct.EpsilonLowerBound:0.000} ({correct.CorrectGuesses}/{correct.Guesses}), " +
                          $"broken ε ≥ {broken.EpsilonLowerBound:0.000} ({broken.CorrectGuesses}/{broken.Guesses})");

        Assert.Equal(claimed, correct.ClaimedEpsilon);
        Assert.InRange(correct.EpsilonLowerBound, 0.5, claimed);
        Assert.False(correct.ExceedsClaim);
        Assert.StartsWith("consistent with the claimed ε = 1", correct.Verdict);

        Assert.True(broken.EpsilonLowerBound > claimed * 1.4, $"broken mechanism: ε ≥ {broken.EpsilonLowerBound}");
        Assert.True(broken.ExceedsClaim);
        Assert.StartsWith("VIOLATION", broken.Verdict);
        Assert.Equal(1000, broken.Canaries);
        Assert.InRange(broken.Included, 430, 570);
        Assert.Equal(table.RowCount + broken.Included, broken.TrainingRows);
    }

    [Fact]
    public void A_non_dp_synthesizer_gets_a_finite_bound_and_a_verdict_saying_its_rules_are_not_dp_and_the_same_seed_repeats()
    {
        var (table, schema) = AdultSample.First4000;
        var options = new AuditOptions { Canaries = 400, Seed = 7 };
        var synthesizer = SynthesizerRegistry.Get("independent").Create(null);
        var steps = new List<StepProgress>();
        var result = PrivacyAudit.Run(table, schema, synthesizer, options with { Progress = new Collect(steps) });
        Assert.Equal(["planting canaries", "fitting", "sampling", "attacking", "done"], steps.Select(p => p.Step.Split(':')[0]).Distinct());
        Assert.Equal(1, steps[^1].Fraction);
        Console.WriteLine($"independent: {result.Verdict} ({result.CorrectGuesses}/{result.Guesses})");
        Assert.True(double.IsFinite(result.EpsilonLowerBound) && result.EpsilonLowerBound >= 0);
        Assert.Null(result.ClaimedEpsilon);
        Assert.False(result.ExceedsClaim);
        Assert.Contains("claims no differential privacy (its privacy rules are protections, not DP)", result.Verdict);
        Assert.Equal(table.RowCount + 200, result.SyntheticRows); // the expected training size, whoever was included
        Assert.Equal(PrivacyAudit.GuessSets(400).Count, result.GuessSets.Count);
        Assert.Equal(result.ToJson(), PrivacyAudit.Run(table, schema, synthesizer, options).ToJson());
        Assert.Contains("\"epsilonLowerBound\"", result.ToJson());
    }

    [Fact]
    public void Too_few_canaries_and_a_table_smaller_than_the_canaries_are_refused_naming_the_fix()
    {
        var (table, schema) = AdultSample.First4000;
        var synthesizer = SynthesizerRegistry.Get("independent").Create(null);
        var few = Assert.Throws<TabTwinException>(() => PrivacyAudit.Run(table, schema, synthesizer, new AuditOptions { Canaries = 20 }));
        Assert.Equal("audit.too-few-canaries", few.Code);
        Assert.Contains("--canaries 1000", few.Hint);
        var small = Assert.Throws<TabTwinException>(() => PrivacyAudit.Run(table.Head(300), schema, synthesizer, new AuditOptions()));
        Assert.Equal("audit.table-too-small", small.Code);
        Assert.Contains("--canaries 300 or fewer", small.Hint);
    }

    [Fact]
    public void Canaries_hold_real_values_in_combinations_no_real_row_has()
    {
        var (table, schema) = AdultSample.First4000;
        var canaries = CanaryRandomizedResponse.CanariesFor(table, schema, new AuditOptions { Canaries = 500, Seed = 3 });
        Assert.Equal(500, canaries.RowCount);
        string Key(TabTwin.Tables.Table t, int row) => string.Join("|", t.Columns.Select(c => c.FormatValue(row)));
        var real = Enumerable.Range(0, table.RowCount).Select(i => Key(table, i)).ToHashSet();
        var keys = Enumerable.Range(0, canaries.RowCount).Select(i => Key(canaries, i)).ToList();
        Assert.Equal(500, keys.Distinct().Count());
        Assert.DoesNotContain(keys, real.Contains);
        foreach (var column in canaries.Columns)
        {
            var values = Enumerable.Range(0, table.RowCount).Select(i => table[column.Name].FormatValue(i)).ToHashSet();
            Assert.All(Enumerable.Range(0, canaries.RowCount), i => Assert.Contains(column.FormatValue(i), values));
        }
        schema.Validate(canaries);
    }

    private sealed class Collect(List<StepProgress> steps) : IProgress<StepProgress>
    {
        public void Report(StepProgress value) => steps.Add(value);
    }
}
