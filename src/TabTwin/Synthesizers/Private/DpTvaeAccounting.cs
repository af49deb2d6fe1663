using TabTwin.DifferentialPrivacy;

namespace TabTwin.Synthesizers.Private;

/// <summary>
/// Rényi DP of the Poisson-subsampled Gaussian mechanism (one DP-SGD step: every row joins the batch independently with
/// probability q, the clipped sum gets N(0, σ²C²) noise), at integer orders, from Mironov, Talwar and Zhang (2019,
/// "Rényi Differential Privacy of the Sampled Gaussian Mechanism", Sec. 3.3):
/// <c>ε(α) = log A_α / (α − 1)</c>, <c>A_α = Σ_{k=0..α} C(α,k) (1−q)^(α−k) q^k exp((k² − k)/(2σ²))</c>, σ the noise
/// multiplier. The same quantity Opacus and TF Privacy compute for integer orders.
/// </summary>
internal static class SubsampledGaussian
{
    /// <summary>ε(α) of one step at integer order <paramref name="order"/> ≥ 2.</summary>
    public static double Renyi(double samplingRate, double noiseMultiplier, int order)
    {
        double q = samplingRate, sigma = noiseMultiplier;
        if (!(q is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(samplingRate), q, "The sampling rate must be in [0, 1].");
        if (!(sigma > 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(noiseMultiplier), sigma, "σ must be a finite number > 0.");
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 2);
        double plain = order / (2 * sigma * sigma);               // the unsampled Gaussian: subsampling never costs more
        if (q == 0) return 0;
        if (q == 1) return plain;
        // A_α = 1 + Σ_{k≥2} C(α,k)(1−q)^(α−k) q^k (exp((k²−k)/2σ²) − 1), because the binomial weights sum to 1 and the
        // k = 0, 1 terms carry exp(0). Summing only the excess keeps full precision when it is tiny (σ large, q small),
        // where log of a sum that includes the 1 would lose it to rounding. Everything is in log space: for small σ and
        // large α the exponent reaches millions.
        double logQ = Math.Log(q), log1MinusQ = Log1P(-q);
        double logBinomial = Math.Log(order);                     // log C(α, 1)
        double maxTerm = double.NegativeInfinity;
        var terms = new double[order + 1];
        for (int k = 2; k <= order; k++)
        {
            logBinomial += Math.Log(order - k + 1) - Math.Log(k);  // log C(α, k) from log C(α, k−1)
            double exponent = (k * (double)k - k) / (2 * sigma * sigma);
            terms[k] = logBinomial + k * logQ + (order - k) * log1MinusQ + LogExpm1(exponent);
            maxTerm = Math.Max(maxTerm, terms[k]);
        }
        double sum = 0;
        for (int k = 2; k <= order; k++) sum += Math.Exp(terms[k] - maxTerm);
        double logExcess = maxTerm + Math.Log(sum);
        // log A = log(1 + e^logExcess), written so that neither a tiny nor a huge excess overflows or rounds away.
        double logA = logExcess > 0 ? logExcess + Log1P(Math.Exp(-logExcess)) : Log1P(Math.Exp(logExcess));
        return Math.Min(plain, logA / (order - 1));
    }

    /// <summary>log(e^x − 1) for x &gt; 0 without overflow (large x) or cancellation (small x: a series, since .NET's ExpM1 is Exp − 1).</summary>
    private static double LogExpm1(double x) =>
        x > 30 ? x + Log1P(-Math.Exp(-x))
        : x < 1e-3 ? Math.Log(x * (1 + x / 2 * (1 + x / 3 * (1 + x / 4))))
        : Math.Log(Math.Exp(x) - 1);

    /// <summary>log(1 + x), accurate for tiny x (where the excess of A_α over 1 lives; .NET's LogP1 is Log(1 + x)).</summary>
    internal static double Log1P(double x) => Math.Abs(x) < 1e-4 ? x * (1 - x * (0.5 - x * (1.0 / 3 - x / 4))) : Math.Log(1 + x);

    /// <summary>The Rényi curve of <paramref name="steps"/> steps at rate q and noise multiplier σ (RDP composes by adding).</summary>
    public static RenyiCurve Curve(double samplingRate, double noiseMultiplier, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        return new RenyiCurve([.. RenyiCurve.IntegerOrders.Select(a => steps * Renyi(samplingRate, noiseMultiplier, a))]);
    }
}

/// <summary>
/// Chooses DP-SGD's noise multiplier from what the accountant has left: the smallest σ whose curve over all steps still
/// fits, found by bisection (the curve falls as σ grows). DP-SGD is the last reader of the data in a fit, so it spends
/// whatever budget remains.
/// </summary>
internal static class DpSgdCalibration
{
    /// <summary>No σ below this is tried: less noise than this gives no privacy worth the name and the bisection needs a floor.</summary>
    public const double MinNoiseMultiplier = 0.3;
    /// <summary>Largest σ tried; if even this does not fit, the budget is too small for DP-SGD with these settings.</summary>
    public const double MaxNoiseMultiplier = 1000;

    public static double NoiseMultiplier(PrivacyAccountant accountant, double samplingRate, int steps)
    {
        ArgumentNullException.ThrowIfNull(accountant);
        bool Fits(double sigma) => accountant.Fits(0, 0, SubsampledGaussian.Curve(samplingRate, sigma, steps));
        if (!Fits(MaxNoiseMultiplier))
        {
            double remainingDelta = accountant.Delta - accountant.SpentDelta;
            double needed = remainingDelta > 0
                ? PrivacyAccountant.EpsilonOf(accountant.Ledger, 0, SubsampledGaussian.Curve(samplingRate, MaxNoiseMultiplier, steps), remainingDelta)
                : double.PositiveInfinity;
            throw new TabTwinException("dp.budget-too-small",
                $"The privacy budget left for DP-SGD training (ε = {accountant.Epsilon:G4}, δ = {accountant.Delta:G3}, of which ε ≈ " +
                $"{accountant.SpentEpsilon:G4} is already spent) cannot pay for {steps} steps at sampling rate {samplingRate:G3} even with " +
                $"noise multiplier {MaxNoiseMultiplier:G4}; this fit needs at least ε ≈ {needed:G3}.",
                hint: "Give a larger --epsilon, fewer epochs, or a smaller batch size.");
        }
        if (Fits(MinNoiseMultiplier)) return MinNoiseMultiplier;
        // Bisection on log σ: the answer spans orders of magnitude across budgets.
        double lo = Math.Log(MinNoiseMultiplier), hi = Math.Log(MaxNoiseMultiplier);
        for (int i = 0; i < 40; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Fits(Math.Exp(mid))) hi = mid; else lo = mid;
        }
        return Math.Exp(hi);                                       // hi always fits
    }
}
