using MathNet.Numerics;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.NeuralData;

/// <summary>
/// One kept component of a <see cref="VariationalGaussianMixture"/>: its mixing weight and Gaussian (in the
/// column's own units), plus the variational quantities the posterior over modes needs.
/// </summary>
/// <param name="Weight">Expected mixing weight (the kept weights are renormalised to sum to 1).</param>
/// <param name="Mean">Posterior mean of the component's mean.</param>
/// <param name="StdDev">Square root of the component's expected covariance (the scale used by mode-specific normalisation).</param>
/// <param name="ExpectedLogWeight">E[log π_k] under the variational stick-breaking posterior.</param>
/// <param name="DegreesOfFreedom">Wishart degrees of freedom ν_k.</param>
/// <param name="MeanPrecision">Precision scale β_k of the Normal posterior of the mean.</param>
internal sealed record MixtureMode(double Weight, double Mean, double StdDev, double ExpectedLogWeight, double DegreesOfFreedom, double MeanPrecision);

/// <summary>
/// A one-dimensional Bayesian Gaussian mixture fitted by variational inference with a truncated
/// Dirichlet-process (stick-breaking) prior on the weights — the model CTGAN's mode-specific normalisation
/// uses (the same priors and update equations as scikit-learn's BayesianGaussianMixture with
/// weight_concentration_prior_type "dirichlet_process"; our own implementation). The small concentration
/// prior drives unneeded components' weights towards zero and components with weight ≤ the threshold are
/// dropped. The truncation level (1..MaxModes components) is chosen by BIC over fits of increasing size, so
/// the number of modes is chosen by the data (see SelectFit for why). Each fit starts from seeded k-means++
/// then Lloyd's iterations, on a seeded subsample of at most <see cref="ModeSpecificOptions.MaxFitValues"/> values.
/// Immutable once fitted; <see cref="Posterior"/> is thread-safe.
/// </summary>
internal sealed class VariationalGaussianMixture
{
    private readonly double[] _logConst;         // per-mode constant of the log posterior
    private readonly double[] _halfPrecision;    // 0.5 / variance

    public VariationalGaussianMixture(IReadOnlyList<MixtureMode> modes)
    {
        ArgumentNullException.ThrowIfNull(modes);
        if (modes.Count == 0) throw new ArgumentException("A mixture needs at least one mode.");
        foreach (var m in modes)
            if (!(m.StdDev > 0) || !double.IsFinite(m.Mean) || !double.IsFinite(m.StdDev) || !(m.DegreesOfFreedom > 0) || !(m.MeanPrecision > 0)
                || !double.IsFinite(m.ExpectedLogWeight) || !(m.Weight >= 0))
                throw new ArgumentException($"Mixture mode {m} has non-finite or out-of-range parameters.");
        Modes = modes.ToArray();
        _logConst = new double[Modes.Count];
        _halfPrecision = new double[Modes.Count];
        for (int k = 0; k < Modes.Count; k++)
        {
            var m = Modes[k];
            double variance = m.StdDev * m.StdDev;
            _halfPrecision[k] = 0.5 / variance;
            // E[log N(x | μ, Λ⁻¹)] under the Normal-Wishart posterior, without the terms common to all modes.
            _logConst[k] = m.ExpectedLogWeight - 0.5 * Math.Log(variance) - 0.5 * Math.Log(m.DegreesOfFreedom)
                           + 0.5 * (Math.Log(2) + SpecialFunctions.DiGamma(0.5 * m.DegreesOfFreedom) - 1 / m.MeanPrecision);
        }
    }

    /// <summary>The kept modes, in the order of the fitted components.</summary>
    public IReadOnlyList<MixtureMode> Modes { get; }

    public int ModeCount => Modes.Count;

    /// <summary>Writes the posterior probability of each kept mode for value <paramref name="x"/> into <paramref name="probabilities"/>.</summary>
    public void Posterior(double x, Span<double> probabilities)
    {
        if (probabilities.Length != Modes.Count) throw new ArgumentException($"Expected {Modes.Count} probabilities, got {probabilities.Length}.");
        double max = double.NegativeInfinity;
        for (int k = 0; k < probabilities.Length; k++)
        {
            double d = x - Modes[k].Mean;
            probabilities[k] = _logConst[k] - _halfPrecision[k] * d * d;
            if (probabilities[k] > max) max = probabilities[k];
        }
        double sum = 0;
        for (int k = 0; k < probabilities.Length; k++) sum += probabilities[k] = Math.Exp(probabilities[k] - max);
        for (int k = 0; k < probabilities.Length; k++) probabilities[k] /= sum;
    }

    /// <summary>
    /// Fits the mixture to the finite <paramref name="values"/> (at least one). Every random choice (subsample,
    /// k-means++ seeds) comes from <paramref name="seed"/>.
    /// </summary>
    public static VariationalGaussianMixture Fit(ReadOnlySpan<double> values, ulong seed, ModeSpecificOptions? options = null)
    {
        options ??= new ModeSpecificOptions();
        options.Check();
        if (values.Length == 0) throw new ArgumentException("Cannot fit a mixture to no values.");
        var random = new SeededRandom(seed);
        var sample = Subsample(values, options.MaxFitValues, random);

        // Standardise so the fixed covariance regulariser is relative to the column's spread (datetimes are ~1e9 s).
        double center = sample.Average(), variance = sample.Sum(v => (v - center) * (v - center)) / Math.Max(1, sample.Length - 1);
        double scale = variance > 0 && double.IsFinite(variance) ? Math.Sqrt(variance) : 1;
        for (int i = 0; i < sample.Length; i++) sample[i] = (sample[i] - center) / scale;
        var data = WeightedValues.Of(sample);

        var fit = SelectFit(data, Math.Min(options.MaxModes, sample.Length), options, seed);
        int k = fit.Components;
        var weights = fit.ExpectedWeights();
        var kept = Enumerable.Range(0, k).Where(c => weights[c] > options.WeightThreshold).ToList();
        if (kept.Count == 0) kept.Add(Array.IndexOf(weights, weights.Max()));
        double keptSum = kept.Sum(c => weights[c]);
        var modes = kept.Select(c => new MixtureMode(
            weights[c] / keptSum,
            center + scale * fit.Means[c],
            scale * Math.Sqrt(fit.Covariances[c]),
            fit.ExpectedLogWeight(c),
            fit.DegreesOfFreedom[c],
            fit.MeanPrecisions[c])).ToList();
        return new VariationalGaussianMixture(modes);
    }

    /// <summary>
    /// Variational fits with 1, 2, … components, keeping the one with the lowest BIC of its posterior-mean mixture.
    /// Why not one fit with all components: coordinate ascent from a k-means start prunes redundant components only
    /// over thousands of iterations (a single Gaussian stays split in 10 after 100), so the truncation level is
    /// chosen explicitly; the scan stops after two truncation levels in a row fail to improve.
    /// </summary>
    private static VariationalFit SelectFit(WeightedValues data, int maxComponents, ModeSpecificOptions options, ulong seed)
    {
        VariationalFit? best = null;
        double bestBic = double.PositiveInfinity;
        for (int k = 1, worse = 0; k <= maxComponents && worse < 2; k++)
        {
            var fit = new VariationalFit(data, k, options.WeightConcentration);
            fit.Run(KMeans.Labels(data, k, SeededRandom.For(seed, (ulong)k)), options.MaxIterations, options.Tolerance);
            double bic = -2 * fit.LogLikelihood() + (3 * k - 1) * Math.Log(data.Total);
            if (bic < bestBic) { (best, bestBic, worse) = (fit, bic, 0); }
            else worse++;
        }
        return best!;
    }

    private static double[] Subsample(ReadOnlySpan<double> values, int max, SeededRandom random)
    {
        if (values.Length <= max) return values.ToArray();
        // Partial Fisher–Yates over indices: a uniform sample without replacement.
        var index = new int[values.Length];
        for (int i = 0; i < index.Length; i++) index[i] = i;
        var sample = new double[max];
        for (int i = 0; i < max; i++)
        {
            int j = i + random.NextInt(index.Length - i);
            (index[i], index[j]) = (index[j], index[i]);
            sample[i] = values[index[i]];
        }
        return sample;
    }
}
