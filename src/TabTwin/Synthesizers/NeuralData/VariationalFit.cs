using MathNet.Numerics;

namespace TabTwin.Synthesizers.NeuralData;

/// <summary>
/// Coordinate-ascent variational inference for a 1-D Gaussian mixture with a truncated Dirichlet-process
/// (stick-breaking) prior on the weights and a Normal–Wishart prior on each component (E-step:
/// responsibilities; M-step: posterior parameters). Priors and updates follow scikit-learn's
/// BayesianGaussianMixture (mean prior = data mean, mean precision prior 1, degrees-of-freedom prior 1,
/// covariance prior = data variance, covariance regulariser 1e-6). Works on distinct values with counts.
/// </summary>
internal sealed class VariationalFit
{
    private const double RegCovar = 1e-6;                         // added to every component variance (standardised units)
    private const double MeanPrecisionPrior = 1;                  // β₀
    private const double DofPrior = 1;                            // ν₀ = number of features
    private const double MachineEpsilon = 2.220446049250313e-16;  // keeps empty components' counts non-zero

    private readonly WeightedValues _data;
    private readonly int _k;
    private readonly double _concentration, _meanPrior, _covariancePrior;
    private readonly double[] _resp;
    private readonly double[] _stickA, _stickB;

    public VariationalFit(WeightedValues data, int components, double concentration)
    {
        _data = data;
        _k = components;
        _concentration = concentration;
        _meanPrior = data.Mean();
        _covariancePrior = Math.Max(data.Variance(), 1e-12);
        _resp = new double[data.Length * components];
        _stickA = new double[components];
        _stickB = new double[components];
        Means = new double[components];
        Covariances = new double[components];
        DegreesOfFreedom = new double[components];
        MeanPrecisions = new double[components];
    }

    public int Components => _k;
    public double[] Means { get; }
    /// <summary>Expected covariance of each component (the inverse of its expected precision).</summary>
    public double[] Covariances { get; }
    public double[] DegreesOfFreedom { get; }
    public double[] MeanPrecisions { get; }

    /// <summary>Starts from the hard partition <paramref name="labels"/> and iterates until the lower bound settles.</summary>
    public void Run(int[] labels, int maxIterations, double tolerance)
    {
        for (int i = 0; i < labels.Length; i++) _resp[i * _k + labels[i]] = 1;
        MStep();
        double previous = double.NegativeInfinity;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            double rLogR = EStep();
            MStep();
            double bound = LowerBound(rLogR);
            if (Math.Abs(bound - previous) < tolerance) break;
            previous = bound;
        }
    }

    /// <summary>Responsibilities from the current posterior; returns Σ n·r·log r (for the lower bound).</summary>
    private double EStep()
    {
        var logConst = new double[_k];
        for (int c = 0; c < _k; c++)
            logConst[c] = ExpectedLogWeight(c) - 0.5 * Math.Log(Covariances[c]) - 0.5 * Math.Log(DegreesOfFreedom[c])
                          + 0.5 * (Math.Log(2) + SpecialFunctions.DiGamma(0.5 * DegreesOfFreedom[c]) - 1 / MeanPrecisions[c]);
        double rLogR = 0;
        var x = _data.Values;
        for (int i = 0; i < x.Length; i++)
        {
            var r = _resp.AsSpan(i * _k, _k);
            double max = double.NegativeInfinity;
            for (int c = 0; c < _k; c++)
            {
                double d = x[i] - Means[c];
                r[c] = logConst[c] - 0.5 * d * d / Covariances[c];
                if (r[c] > max) max = r[c];
            }
            double sum = 0;
            for (int c = 0; c < _k; c++) sum += Math.Exp(r[c] - max);
            double logNorm = max + Math.Log(sum), entropy = 0;
            for (int c = 0; c < _k; c++)
            {
                double logR = r[c] - logNorm;
                r[c] = Math.Exp(logR);
                entropy += r[c] * logR;
            }
            rLogR += _data.Counts[i] * entropy;
        }
        return rLogR;
    }

    private void MStep()
    {
        var x = _data.Values;
        var n = _data.Counts;
        var nk = new double[_k];
        var xk = new double[_k];
        var sk = new double[_k];
        for (int i = 0; i < x.Length; i++)
            for (int c = 0; c < _k; c++) { double r = n[i] * _resp[i * _k + c]; nk[c] += r; xk[c] += r * x[i]; }
        for (int c = 0; c < _k; c++) { nk[c] += 10 * MachineEpsilon; xk[c] /= nk[c]; }
        for (int i = 0; i < x.Length; i++)
            for (int c = 0; c < _k; c++) { double d = x[i] - xk[c]; sk[c] += n[i] * _resp[i * _k + c] * d * d; }
        double tail = 0;
        for (int c = _k - 1; c >= 0; c--)
        {
            // Stick-breaking Beta posterior: a = 1 + N_c, b = γ + Σ_{j>c} N_j.
            _stickA[c] = 1 + nk[c];
            _stickB[c] = _concentration + tail;
            tail += nk[c];
        }
        for (int c = 0; c < _k; c++)
        {
            sk[c] = sk[c] / nk[c] + RegCovar;
            MeanPrecisions[c] = MeanPrecisionPrior + nk[c];
            Means[c] = (MeanPrecisionPrior * _meanPrior + nk[c] * xk[c]) / MeanPrecisions[c];
            DegreesOfFreedom[c] = DofPrior + nk[c];
            double diff = xk[c] - _meanPrior;
            Covariances[c] = (_covariancePrior + nk[c] * sk[c] + nk[c] * MeanPrecisionPrior / MeanPrecisions[c] * diff * diff) / DegreesOfFreedom[c];
        }
    }

    /// <summary>The evidence lower bound up to constants (scikit-learn's convergence criterion).</summary>
    private double LowerBound(double rLogR)
    {
        double logWishart = 0, logNormWeight = 0, logMeanPrecision = 0;
        for (int c = 0; c < _k; c++)
        {
            double nu = DegreesOfFreedom[c];
            double logDetChol = -0.5 * Math.Log(Covariances[c]) - 0.5 * Math.Log(nu);
            logWishart += -(nu * logDetChol + nu * 0.5 * Math.Log(2) + SpecialFunctions.GammaLn(0.5 * nu));
            logNormWeight -= SpecialFunctions.BetaLn(_stickA[c], _stickB[c]);
            logMeanPrecision += Math.Log(MeanPrecisions[c]);
        }
        return -rLogR - logWishart - logNormWeight - 0.5 * logMeanPrecision;
    }

    /// <summary>E[log π_c] under stick-breaking: E[log v_c] + Σ_{j&lt;c} E[log(1 − v_j)].</summary>
    public double ExpectedLogWeight(int c)
    {
        double sum = 0;
        for (int j = 0; j < c; j++) sum += SpecialFunctions.DiGamma(_stickB[j]) - SpecialFunctions.DiGamma(_stickA[j] + _stickB[j]);
        return SpecialFunctions.DiGamma(_stickA[c]) - SpecialFunctions.DiGamma(_stickA[c] + _stickB[c]) + sum;
    }

    /// <summary>Log-likelihood of the data under the posterior-mean mixture (expected weights, means and covariances).</summary>
    public double LogLikelihood()
    {
        var w = ExpectedWeights();
        var logConst = new double[_k];
        for (int c = 0; c < _k; c++) logConst[c] = Math.Log(Math.Max(w[c], 1e-300)) - 0.5 * Math.Log(2 * Math.PI * Covariances[c]);
        double total = 0;
        var terms = new double[_k];
        var x = _data.Values;
        for (int i = 0; i < x.Length; i++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < _k; c++)
            {
                double d = x[i] - Means[c];
                terms[c] = logConst[c] - 0.5 * d * d / Covariances[c];
                max = Math.Max(max, terms[c]);
            }
            double sum = 0;
            for (int c = 0; c < _k; c++) sum += Math.Exp(terms[c] - max);
            total += _data.Counts[i] * (max + Math.Log(sum));
        }
        return total;
    }

    /// <summary>Expected weights E[π_c] of the stick-breaking posterior, normalised.</summary>
    public double[] ExpectedWeights()
    {
        var w = new double[_k];
        double remaining = 1;
        for (int c = 0; c < _k; c++)
        {
            double total = _stickA[c] + _stickB[c];
            w[c] = remaining * _stickA[c] / total;
            remaining *= _stickB[c] / total;
        }
        double s = w.Sum();
        for (int c = 0; c < _k; c++) w[c] /= s;
        return w;
    }
}
