using TabTwin.Distributions;
namespace TabTwin.Synthesizers.GaussianCopula.Marginals;

/// <summary>
/// One continuous column's marginal as the copula uses it: maps a value to an interval of probabilities
/// (a point for continuous values, a band for point masses and for whole numbers, which stand for
/// [k − ½, k + ½]) and maps a normal score back to a value. Immutable and thread-safe.
/// </summary>
internal sealed class ContinuousMarginal
{
    private const int NormalScoreGridSize = 4097;
    private const double NormalScoreGridLimit = 8.3;
    private readonly Lazy<double[]>? _valueByNormalScore;

    public ContinuousMarginal(IDistribution distribution, bool isIntegerValued, double ksStatistic)
    {
        Distribution = distribution;
        IsIntegerValued = isIntegerValued;
        KsStatistic = ksStatistic;
        // Beta and gamma quantiles need iterative solvers; a fine table over normal scores makes sampling
        // a lookup (the quantile is smooth in z, so linear interpolation on 4,097 points is far below KS noise).
        if (distribution.Family is MarginalFamily.Beta or MarginalFamily.Gamma)
            _valueByNormalScore = new Lazy<double[]>(BuildNormalScoreTable, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public IDistribution Distribution { get; }
    public MarginalFamily Family => Distribution.Family;
    public bool IsIntegerValued { get; }
    /// <summary>Kolmogorov–Smirnov distance between the training values and this marginal (after rounding, for whole numbers).</summary>
    public double KsStatistic { get; }

    /// <summary>The probability band a training value occupies: its normal score is drawn inside it.</summary>
    public (double Lower, double Upper) Band(double x) => IsIntegerValued
        ? (Distribution.Cdf(x - 0.5), Distribution.Cdf(x + 0.5))
        : (Distribution.CdfLeft(x), Distribution.Cdf(x));

    /// <summary>The value whose probability is Φ(<paramref name="z"/>), rounded for whole-number columns.</summary>
    public double ValueAtNormalScore(double z)
    {
        double x;
        if (_valueByNormalScore is not null)
        {
            var table = _valueByNormalScore.Value;
            double position = (Math.Clamp(z, -NormalScoreGridLimit, NormalScoreGridLimit) + NormalScoreGridLimit)
                              / (2 * NormalScoreGridLimit) * (NormalScoreGridSize - 1);
            int i = Math.Min((int)position, NormalScoreGridSize - 2);
            double t = position - i;
            x = table[i] + t * (table[i + 1] - table[i]);
        }
        else x = Distribution.Quantile(NormalMath.Cdf(z));
        // Near the limits of double a parametric quantile can overflow; keep values finite (the encoding clips
        // them to the observed range on decode).
        if (!double.IsFinite(x)) x = double.IsNaN(x) ? Distribution.Quantile(0.5) : Math.Clamp(x, -double.MaxValue, double.MaxValue);
        return IsIntegerValued ? Math.Round(x) : x;
    }

    private double[] BuildNormalScoreTable()
    {
        var table = new double[NormalScoreGridSize];
        for (int i = 0; i < table.Length; i++)
        {
            double z = -NormalScoreGridLimit + 2 * NormalScoreGridLimit * i / (NormalScoreGridSize - 1);
            table[i] = Distribution.Quantile(NormalMath.Cdf(z));
        }
        return table;
    }
}
