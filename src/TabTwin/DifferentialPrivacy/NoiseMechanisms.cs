using TabTwin.Randomness;

namespace TabTwin.DifferentialPrivacy;

/// <summary>
/// The Gaussian mechanism in zCDP terms: adding N(0, σ²) to a query of L2 sensitivity Δ is ρ-zCDP with
/// ρ = Δ² / (2σ²) (Bun and Steinke 2016, Prop. 1.6); on counts the noise is the discrete Gaussian N_Z(0, σ²), which has the
/// same ρ (Canonne, Kamath, Steinke 2020, Thm. 4) and no floating-point leak. Noise comes from the caller's seeded stream, so a fit is
/// reproducible for a seed (the seed is secret in production use: a user who shares it gives the noise away).
/// </summary>
public static class GaussianMechanism
{
    /// <summary>σ that makes one query of L2 sensitivity <paramref name="sensitivity"/> cost exactly <paramref name="rho"/>.</summary>
    public static double Sigma(double rho, double sensitivity = 1)
    {
        if (!(rho > 0) || double.IsInfinity(rho)) throw new ArgumentOutOfRangeException(nameof(rho), rho, "ρ must be a finite number > 0.");
        if (!(sensitivity > 0)) throw new ArgumentOutOfRangeException(nameof(sensitivity), sensitivity, "Sensitivity must be > 0.");
        return sensitivity / Math.Sqrt(2 * rho);
    }

    /// <summary>ρ of one query of L2 sensitivity <paramref name="sensitivity"/> answered with noise σ.</summary>
    public static double Rho(double sigma, double sensitivity = 1)
    {
        if (!(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ must be > 0.");
        return sensitivity * sensitivity / (2 * sigma * sigma);
    }

    /// <summary>
    /// Adds independent discrete Gaussian noise N_Z(0, σ²) to every entry of <paramref name="values"/>, which must be
    /// integers (counts): exact noise on integer queries, same ρ as the continuous mechanism (see <see cref="DiscreteGaussian"/>).
    /// Real-valued queries (DP-SGD's gradients) keep continuous noise and do not come here.
    /// </summary>
    public static void AddNoise(Span<double> values, double sigma, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var noise = new DiscreteGaussian(sigma);
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != Math.Floor(values[i]) || Math.Abs(values[i]) > MaxExactCount)
                throw new ArgumentException($"Entry {i} ({values[i]}) is not an integer count: discrete Gaussian noise is for counts.", nameof(values));
            values[i] += noise.Next(random);
        }
    }

    /// <summary>Largest count whose noisy value a double still holds exactly (2⁵², leaving room for the noise).</summary>
    private const double MaxExactCount = 4503599627370496;
}

/// <summary>
/// The exponential mechanism: picks candidate i with probability ∝ exp(ε·score_i / (2Δ)). For scores of sensitivity Δ it
/// is ε-DP and, better, ε²/8-zCDP (bounded range: Cesar and Rogers 2021), which is how it is charged here.
/// Sampled with the Gumbel-max trick, so one uniform draw per candidate and no overflow for large scores.
/// </summary>
public static class ExponentialMechanism
{
    /// <summary>The ε whose selection costs <paramref name="rho"/> in zCDP (ρ = ε²/8).</summary>
    public static double EpsilonFor(double rho) => Math.Sqrt(8 * rho);

    /// <summary>The zCDP cost ρ = ε²/8 of one selection at <paramref name="epsilon"/>.</summary>
    public static double RhoFor(double epsilon) => epsilon * epsilon / 8;

    /// <summary>Index of the selected candidate.</summary>
    public static int Select(ReadOnlySpan<double> scores, double epsilon, double sensitivity, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (scores.Length == 0) throw new ArgumentException("There must be at least one candidate.", nameof(scores));
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be > 0.");
        if (!(sensitivity > 0)) throw new ArgumentOutOfRangeException(nameof(sensitivity), sensitivity, "Sensitivity must be > 0.");
        double factor = epsilon / (2 * sensitivity), best = double.NegativeInfinity;
        int chosen = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            // Gumbel-max: argmax of logit + Gumbel noise is a draw from the softmax of the logits.
            double gumbel = -Math.Log(-Math.Log(random.NextOpenUnit()));
            double key = factor * scores[i] + gumbel;
            if (key > best) { best = key; chosen = i; }
        }
        return chosen;
    }
}
