using TabTwin.Evaluation.Audit;

namespace TabTwin.Tests.Audit;

/// <summary>The one-run audit's p-value and ε lower bound (Steinke, Nasr, Jagielski 2023, Theorem 3.1) against values computed here independently.</summary>
public class AuditBoundTests
{
    private static double Logit(double q) => Math.Log(q / (1 - q));

    /// <summary>P[Binomial(r, q) ≥ v] with exact binomial coefficients (decimal), as a check independent of the log-factorial code.</summary>
    private static double BinomialTail(int r, int v, double q)
    {
        double sum = 0;
        for (int k = v; k <= r; k++)
        {
            decimal c = 1;
            for (int i = 0; i < k; i++) c = c * (r - i) / (i + 1);
            sum += (double)c * Math.Pow(q, k) * Math.Pow(1 - q, r - k);
        }
        return sum;
    }

    [Theory]
    [InlineData(20, 15, 1.0)]
    [InlineData(40, 30, 0.5)]
    [InlineData(60, 60, 2.0)]
    [InlineData(50, 20, 0.3)]
    public void With_delta_zero_the_p_value_is_the_binomial_tail_of_randomized_response(int r, int v, double epsilon)
    {
        double q = Math.Exp(epsilon) / (1 + Math.Exp(epsilon));
        double expected = BinomialTail(r, v, q);
        Assert.Equal(expected, AuditBound.PValue(1000, r, v, epsilon, 0), expected * 1e-10);
    }

    [Theory]
    [InlineData(50, 0.95)]
    [InlineData(200, 0.95)]
    [InlineData(1000, 0.99)]
    public void Every_guess_right_gives_the_closed_form_logit_of_beta_to_the_one_over_r(int r, double confidence)
    {
        // q^r < β ⇔ q < β^(1/r): the largest rejected ε is logit(β^(1/r)).
        double expected = Logit(Math.Pow(1 - confidence, 1.0 / r));
        Assert.Equal(expected, AuditBound.EpsilonLowerBound(r, r, r, 0, confidence), 1e-9);
    }

    [Fact]
    public void The_bound_grows_with_correct_guesses_never_passes_the_all_correct_maximum_and_is_zero_at_chance()
    {
        const int m = 1000, r = 500;
        double max = AuditBound.EpsilonLowerBound(m, r, r, 0, 0.95);
        double previous = 0;
        for (int v = 0; v <= r; v += 5)
        {
            double bound = AuditBound.EpsilonLowerBound(m, r, v, 0, 0.95);
            Assert.True(bound >= previous - 1e-12, $"v = {v}: {bound} < {previous}");
            Assert.True(bound <= max + 1e-12, $"v = {v}: {bound} > {max}");
            if (v <= r / 2) Assert.Equal(0, bound);
            previous = bound;
        }
        // 400 of 500 right (80 %): above chance, below logit(0.8) = 1.386 (the accuracy ε-DP randomized response has).
        double b = AuditBound.EpsilonLowerBound(m, r, 400, 0, 0.95);
        Assert.InRange(b, 1.1, Logit(0.8));
    }

    [Fact]
    public void A_positive_delta_raises_the_p_value_and_lowers_the_bound()
    {
        const int m = 1000, r = 300, v = 250;
        Assert.True(AuditBound.PValue(m, r, v, 1, 1e-4) > AuditBound.PValue(m, r, v, 1, 0));
        double pure = AuditBound.EpsilonLowerBound(m, r, v, 0, 0.95);
        double tiny = AuditBound.EpsilonLowerBound(m, r, v, 1e-12, 0.95);
        double large = AuditBound.EpsilonLowerBound(m, r, v, 1e-4, 0.95);
        Assert.True(large < pure, $"{large} ≥ {pure}");
        Assert.Equal(pure, tiny, 1e-6); // 2mδ = 2e-9 moves nothing visible
    }

    [Fact]
    public void The_audit_tries_fixed_guess_sets_and_the_minimum_canaries_can_show_little()
    {
        var sets = PrivacyAudit.GuessSets(1000);
        Assert.Equal(14, sets.Count);
        Assert.Contains((500, 500), sets);
        Assert.Contains((10, 0), sets);
        // With the fewest canaries, even a perfect attacker (every one of 100 guesses right, each set judged at β/14) shows
        // only about ε ≥ 2.85: fewer canaries could not tell a leaky synthesizer from a private one.
        double best = AuditBound.EpsilonLowerBound(AuditOptions.MinimumCanaries, 100, 100, 0, 1 - 0.05 / sets.Count);
        Assert.InRange(best, 2.8, 2.9);
    }
}
