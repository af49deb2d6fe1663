namespace TabTwin.Evaluation.Audit;

/// <summary>
/// The statistics of one-run privacy auditing (Steinke, Nasr and Jagielski, "Privacy Auditing with One (1) Training
/// Run", NeurIPS 2023). m canaries are each included in the training data independently with probability 1/2; after one
/// fit an attacker, seeing only the output, guesses "in" or "out" for r of them and abstains on the rest; v guesses are
/// right. Their Theorem 3.1: if the mechanism is (ε, δ)-DP, then for every v
/// <code>
/// P[W ≥ v] ≤ f(v) + 2mδ · max_{i = 1..v} (f(v − i) − f(v)) / i,   f(u) = P[Binomial(r, e^ε / (e^ε + 1)) ≥ u],
/// </code>
/// the number of correct guesses of a good attacker is stochastically dominated by that of ε-DP randomized response
/// (accuracy e^ε/(e^ε+1) per guess) up to a δ term. That right-hand side is the p-value of the observation (v of r
/// right) under the null hypothesis "the mechanism is (ε, δ)-DP" (their Algorithm 2 / appendix code); it grows with ε,
/// so the largest ε whose p-value is still below β = 1 − confidence is rejected with that confidence: the mechanism is
/// not (ε', δ)-DP for any ε' below it. That ε is the empirical lower bound.
/// With δ = 0 the p-value is exactly the binomial tail f(v), and with every guess right (v = r) the bound has the closed
/// form ε = logit(β^(1/r)): r guesses can never show more than that, whatever the mechanism.
/// </summary>
public static class AuditBound
{
    /// <summary>
    /// P-value of v correct guesses out of r (of m canaries) under the hypothesis that the mechanism is
    /// (<paramref name="epsilon"/>, <paramref name="delta"/>)-DP; at most 1.
    /// </summary>
    public static double PValue(int canaries, int guesses, int correct, double epsilon, double delta)
    {
        Check(canaries, guesses, correct, delta);
        if (!(epsilon >= 0) || double.IsPositiveInfinity(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be finite and ≥ 0.");
        if (guesses == 0) return 1; // no guess, no evidence
        var pmf = BinomialPmf(guesses, epsilon);
        // f(v) = P[Bin ≥ v], summed from the small end of the tail upward for accuracy.
        double tail = 0;
        for (int k = guesses; k >= correct; k--) tail += pmf[k];
        double p = tail;
        if (delta > 0 && correct > 0)
        {
            // α = max_i (f(v−i) − f(v)) / i = max_i P[v−i ≤ Bin < v] / i.
            double alpha = 0, window = 0;
            for (int i = 1; i <= correct; i++)
            {
                window += pmf[correct - i];
                alpha = Math.Max(alpha, window / i);
            }
            p += 2.0 * canaries * delta * alpha;
        }
        return Math.Min(1, p);
    }

    /// <summary>
    /// The largest ε such that "the mechanism is (ε, δ)-DP" is rejected at <paramref name="confidence"/> by v correct of r
    /// guesses (of m canaries); 0 when even ε = 0 is not rejected. Bisection on the p-value, which increases with ε; the
    /// returned value is the lower end of the final bracket, so it never overstates the bound.
    /// </summary>
    public static double EpsilonLowerBound(int canaries, int guesses, int correct, double delta, double confidence)
    {
        Check(canaries, guesses, correct, delta);
        if (!(confidence > 0 && confidence < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence must lie strictly between 0 and 1.");
        double beta = 1 - confidence;
        if (guesses == 0 || PValue(canaries, guesses, correct, 0, delta) >= beta) return 0;
        double lo = 0, hi = 1;
        while (PValue(canaries, guesses, correct, hi, delta) < beta)
        {
            lo = hi;
            hi *= 2;
            if (hi > 1e4) return lo; // unreachable for r ≤ int.MaxValue guesses: β^(1/r) < 1 − e^−1e4
        }
        for (int i = 0; i < 60 && hi - lo > 1e-12 * hi; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (PValue(canaries, guesses, correct, mid, delta) < beta) lo = mid; else hi = mid;
        }
        return lo;
    }

    /// <summary>P[Binomial(r, q) = k] for k = 0..r with q = e^ε/(1 + e^ε), from log-factorials (stable for any r and ε).</summary>
    private static double[] BinomialPmf(int r, double epsilon)
    {
        double logQ = -Log1PExp(-epsilon);            // ln(e^ε / (1 + e^ε))
        double logNotQ = -epsilon - Log1PExp(-epsilon); // ln(1 / (1 + e^ε))
        var logFactorial = new double[r + 1];
        for (int k = 2; k <= r; k++) logFactorial[k] = logFactorial[k - 1] + Math.Log(k);
        var pmf = new double[r + 1];
        for (int k = 0; k <= r; k++)
            pmf[k] = Math.Exp(logFactorial[r] - logFactorial[k] - logFactorial[r - k] + k * logQ + (r - k) * logNotQ);
        return pmf;
    }

    /// <summary>ln(1 + e^x) without overflow.</summary>
    private static double Log1PExp(double x) => x > 0 ? x + double.LogP1(Math.Exp(-x)) : double.LogP1(Math.Exp(x));

    private static void Check(int canaries, int guesses, int correct, double delta)
    {
        if (!(0 <= correct && correct <= guesses && guesses <= canaries))
            throw new ArgumentOutOfRangeException(nameof(correct), $"Need 0 ≤ correct ({correct}) ≤ guesses ({guesses}) ≤ canaries ({canaries}).");
        if (!(delta >= 0 && delta <= 1)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must lie in [0, 1].");
    }
}
