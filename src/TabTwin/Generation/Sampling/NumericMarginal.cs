using MathNet.Numerics.Distributions;
using TabTwin.Generation.Spec;
using TabTwin.Distributions;

namespace TabTwin.Generation.Sampling;

/// <summary>
/// A numeric distribution drawn by inverse CDF: a uniform u in (0, 1) becomes F⁻¹(u). Going through u for every
/// marginal is what lets the Gaussian copula correlate any mix of marginals. Bounds truncate (u is mapped into
/// [F(min), F(max)]) rather than clip, so no probability piles up at a bound.
/// </summary>
internal abstract class NumericMarginal
{
    /// <summary>Whether values are whole numbers.</summary>
    public virtual bool IsDiscrete => false;

    public abstract double Quantile(double u);
    public abstract double Cdf(double x);

    /// <summary>P(X &lt; x) — the same as <see cref="Cdf"/> for continuous distributions.</summary>
    public virtual double CdfBelow(double x) => Cdf(x);

    /// <summary>Fills <paramref name="values"/> from <paramref name="uniforms"/> (batch form of <see cref="Quantile"/>).</summary>
    public virtual void Fill(ReadOnlySpan<double> uniforms, Span<double> values)
    {
        for (int i = 0; i < uniforms.Length; i++) values[i] = Quantile(uniforms[i]);
    }

    /// <summary>
    /// When the marginal is an affine or exponential map of a standard normal, the copula can skip Φ and Φ⁻¹:
    /// fills values straight from normal scores and returns true.
    /// </summary>
    public virtual bool TryFillFromNormal(ReadOnlySpan<double> scores, Span<double> values) => false;

    /// <summary>Whether <see cref="TryFillFromNormal"/> succeeds (so a copula column need not compute its uniforms at all).</summary>
    public virtual bool FillsFromNormal => false;

    /// <summary>
    /// Whether <paramref name="d"/> is a distribution of numbers this class draws (not labels, keys, fakes, formulas or
    /// a per-case choice). A number column may be described by labels (a 0/1 flag or a code read as categories), so
    /// callers that take number columns must ask this rather than assume.
    /// </summary>
    public static bool Supports(Distribution d) => d is Distribution.Normal or Distribution.LogNormal or Distribution.Uniform
        or Distribution.Exponential or Distribution.Gamma or Distribution.Beta or Distribution.Histogram or Distribution.Empirical
        or Distribution.Poisson or Distribution.Binomial or Distribution.Zipf;

    public static NumericMarginal Create(Distribution d, double? min, double? max)
    {
        NumericMarginal m = d switch
        {
            Distribution.Normal n => new NormalMarginal(n.Mean, n.Sd, log: false),
            Distribution.LogNormal l => new NormalMarginal(l.Mu, l.Sigma, log: true),
            Distribution.Uniform u => new MathNetMarginal(new ContinuousUniform(u.Min, u.Max)),
            Distribution.Exponential e => new MathNetMarginal(new MathNet.Numerics.Distributions.Exponential(e.Rate)),
            Distribution.Gamma g => new MathNetMarginal(new MathNet.Numerics.Distributions.Gamma(g.Shape, 1 / g.Scale)),
            Distribution.Beta b => new MathNetMarginal(new MathNet.Numerics.Distributions.Beta(b.Alpha, b.BetaParameter), b.Low, b.High - b.Low),
            Distribution.Histogram h => new HistogramMarginal(h.Edges.ToArray(), h.Weights.ToArray()),
            Distribution.Empirical e => new EmpiricalMarginal(e.Values.ToArray()),
            Distribution.Constant c => new ConstantMarginal(c.Value),
            Distribution.Poisson p => DiscreteMarginal.Poisson(p.Lambda),
            Distribution.Binomial b => DiscreteMarginal.Binomial(b.N, b.P),
            Distribution.Zipf z => DiscreteMarginal.Zipf(z.S, z.N),
            _ => throw new ArgumentException($"{d.TypeName} is not a numeric distribution."),
        };
        return min is null && max is null ? m : new TruncatedMarginal(m, min, max);
    }
}

/// <summary>Normal (or log-normal: exp of a normal) by Acklam's Φ⁻¹.</summary>
internal sealed class NormalMarginal(double mean, double sd, bool log) : NumericMarginal
{
    public override double Quantile(double u)
    {
        double x = mean + sd * NormalMath.InverseCdf(u);
        return log ? Math.Exp(x) : x;
    }

    public override double Cdf(double x)
    {
        if (log) { if (x <= 0) return 0; x = Math.Log(x); }
        return NormalMath.Cdf((x - mean) / sd);
    }

    public override bool FillsFromNormal => true;

    public override bool TryFillFromNormal(ReadOnlySpan<double> scores, Span<double> values)
    {
        if (log) for (int i = 0; i < scores.Length; i++) values[i] = Math.Exp(mean + sd * scores[i]);
        else for (int i = 0; i < scores.Length; i++) values[i] = mean + sd * scores[i];
        return true;
    }
}

/// <summary>
/// Continuous distributions from MathNet, optionally rescaled (x → offset + scale·x). MathNet's inverse CDFs for
/// gamma and beta are iterative (tens of microseconds), so the body of the quantile function is tabulated once on
/// 8,192 equal steps of u and interpolated linearly (error far below sampling noise); the outer 0.1% on each side,
/// where the quantile curves sharply, is computed exactly.
/// </summary>
internal sealed class MathNetMarginal : NumericMarginal
{
    private const int Steps = 8192;
    private const double TailShare = 1e-3;
    private readonly IContinuousDistribution _distribution;
    private readonly Func<double, double> _inverse;
    private readonly double _offset, _scale;
    private readonly double[]? _table;

    public MathNetMarginal(IContinuousDistribution distribution, double offset = 0, double scale = 1)
    {
        _distribution = distribution;
        _offset = offset;
        _scale = scale;
        _inverse = distribution switch
        {
            ContinuousUniform u => p => u.LowerBound + p * (u.UpperBound - u.LowerBound),
            MathNet.Numerics.Distributions.Exponential e => p => -Math.Log(1 - p) / e.Rate,
            MathNet.Numerics.Distributions.Gamma g => g.InverseCumulativeDistribution,
            MathNet.Numerics.Distributions.Beta b => b.InverseCumulativeDistribution,
            _ => throw new ArgumentException("No inverse CDF for " + distribution.GetType().Name),
        };
        if (distribution is MathNet.Numerics.Distributions.Gamma or MathNet.Numerics.Distributions.Beta)
        {
            _table = new double[Steps + 1];
            for (int i = 0; i <= Steps; i++) _table[i] = _inverse(Math.Clamp((double)i / Steps, TailShare / 2, 1 - TailShare / 2));
        }
    }

    public override double Quantile(double u)
    {
        double x;
        if (_table is null || u < TailShare || u > 1 - TailShare) x = _inverse(u);
        else
        {
            double pos = u * Steps;
            int i = (int)pos;
            x = _table[i] + (pos - i) * (_table[i + 1] - _table[i]);
        }
        return _offset + _scale * x;
    }

    public override double Cdf(double x) => _distribution.CumulativeDistribution((x - _offset) / _scale);
}

/// <summary>Piecewise-uniform bins.</summary>
internal sealed class HistogramMarginal : NumericMarginal
{
    private readonly double[] _edges;
    private readonly double[] _cumulative; // cumulative share at each edge, 0 … 1

    public HistogramMarginal(double[] edges, double[] weights)
    {
        _edges = edges;
        _cumulative = new double[edges.Length];
        double total = weights.Sum();
        for (int i = 0; i < weights.Length; i++) _cumulative[i + 1] = _cumulative[i] + weights[i] / total;
        _cumulative[^1] = 1;
    }

    public override double Quantile(double u)
    {
        int i = Array.BinarySearch(_cumulative, u);
        if (i < 0) i = ~i;
        i = Math.Clamp(i, 1, _edges.Length - 1);
        while (i < _edges.Length - 1 && _cumulative[i] == _cumulative[i - 1]) i++; // skip empty bins
        double width = _cumulative[i] - _cumulative[i - 1];
        double t = width > 0 ? (u - _cumulative[i - 1]) / width : 0.5;
        return _edges[i - 1] + Math.Clamp(t, 0, 1) * (_edges[i] - _edges[i - 1]);
    }

    public override double Cdf(double x)
    {
        if (x <= _edges[0]) return 0;
        if (x >= _edges[^1]) return 1;
        int i = Array.BinarySearch(_edges, x);
        if (i >= 0) return _cumulative[i];
        i = ~i;
        double t = (x - _edges[i - 1]) / (_edges[i] - _edges[i - 1]);
        return _cumulative[i - 1] + t * (_cumulative[i] - _cumulative[i - 1]);
    }
}

/// <summary>The distribution of a list of values: linear interpolation between order statistics (u = (i + 0.5)/n at value i).</summary>
internal sealed class EmpiricalMarginal : NumericMarginal
{
    private readonly double[] _sorted;

    public EmpiricalMarginal(double[] values)
    {
        _sorted = (double[])values.Clone();
        Array.Sort(_sorted);
    }

    public override double Quantile(double u)
    {
        int n = _sorted.Length;
        if (n == 1) return _sorted[0];
        double pos = Math.Clamp(u * n - 0.5, 0, n - 1);
        int lo = (int)pos;
        if (lo >= n - 1) return _sorted[n - 1];
        return _sorted[lo] + (pos - lo) * (_sorted[lo + 1] - _sorted[lo]);
    }

    public override double Cdf(double x)
    {
        int n = _sorted.Length;
        if (x < _sorted[0]) return 0;
        if (x >= _sorted[^1]) return 1;
        int i = Array.BinarySearch(_sorted, x);
        if (i < 0) i = ~i - 1;
        while (i + 1 < n && _sorted[i + 1] <= x) i++;
        double next = _sorted[i + 1], cur = _sorted[i];
        double t = next > cur ? (x - cur) / (next - cur) : 0;
        return Math.Clamp((i + 0.5 + t) / n, 0, 1);
    }
}

internal sealed class ConstantMarginal(double value) : NumericMarginal
{
    public override double Quantile(double u) => value;
    public override double Cdf(double x) => x >= value ? 1 : 0;
}

/// <summary>The inner distribution restricted to [min, max]: u is squeezed into [F(min⁻), F(max)] before inverting.</summary>
internal sealed class TruncatedMarginal : NumericMarginal
{
    private readonly NumericMarginal _inner;
    private readonly double _low, _width, _min, _max;

    public TruncatedMarginal(NumericMarginal inner, double? min, double? max)
    {
        _inner = inner;
        _min = min ?? double.NegativeInfinity;
        _max = max ?? double.PositiveInfinity;
        _low = min is { } a ? inner.CdfBelow(inner.IsDiscrete ? Math.Ceiling(a) : a) : 0;
        double high = max is { } b ? inner.Cdf(inner.IsDiscrete ? Math.Floor(b) : b) : 1;
        _width = high - _low;
        if (!(_width > 1e-12))
            throw new SpecException("spec.bad-parameter", $"the distribution has (almost) no probability between min {_min} and max {_max}.", field: "min");
    }

    public override bool IsDiscrete => _inner.IsDiscrete;
    public override double Quantile(double u) => Math.Clamp(_inner.Quantile(_low + u * _width), _min, _max);
    public override double Cdf(double x) => x < _min ? 0 : x >= _max ? 1 : Math.Clamp((_inner.Cdf(x) - _low) / _width, 0, 1);
    public override double CdfBelow(double x) => x <= _min ? 0 : x > _max ? 1 : Math.Clamp((_inner.CdfBelow(x) - _low) / _width, 0, 1);
}
