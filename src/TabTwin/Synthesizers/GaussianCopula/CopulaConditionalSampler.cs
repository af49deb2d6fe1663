using MathNet.Numerics.LinearAlgebra;
using TabTwin.Encoding;
using TabTwin.Synthesizers.Conditioning;
using TabTwin.Tables;
using TabTwin.Randomness;
using TabTwin.Distributions;

namespace TabTwin.Synthesizers.GaussianCopula;

/// <summary>
/// Exact conditioning of the Gaussian copula. Every condition is a set of intervals of its column's latent normal
/// dimension(s): a category is its frequency band, a range is the normal scores whose marginal value falls in it,
/// missing is the band of the missing dimension. The conditioned dimensions are drawn from the multivariate normal
/// truncated to those intervals by Gibbs sampling (each row its own chain from a valid start; a single conditioned
/// dimension is drawn exactly), the others from the Gaussian conditional on them. Conditioned cells are written
/// from the interval they were drawn in, so they satisfy the conditions exactly. Rows come in blocks with their own
/// seed streams, so the output does not depend on the thread count.
/// </summary>
internal sealed class CopulaConditionalSampler
{
    private const ulong BlockSalt = 0xC0B10C;
    private const int MinimumSweeps = 8, MaximumSweeps = 60;
    private const double Edge = 9;            // |z| beyond this decodes like the extremes (Φ is 1 − 1e−19 there)

    private readonly CopulaParameters _copula;
    private readonly ColumnConstraint?[] _constraints;
    private readonly DimRule[] _rules;
    private readonly DimRule[] _startOrder;      // missing dimensions first, so coupled rules see them
    private readonly int[] _conditioned, _free;
    private readonly double[] _precision;      // of the conditioned block, k×k
    private readonly double[] _regression;     // |free|×k: E[z_free | z_cond] = A z_cond
    private readonly double[] _residualCholesky; // |free|×|free| lower factor of the conditional covariance
    private readonly int _sweeps;

    public CopulaConditionalSampler(CopulaParameters copula, ColumnConstraint?[] constraints)
    {
        _copula = copula;
        _constraints = constraints;
        var rules = new List<DimRule>();
        foreach (var c in constraints) if (c is not null) rules.AddRange(RulesFor(copula.Columns[c.Index], c));
        _rules = rules.ToArray();
        _startOrder = _rules.OrderBy(r => r.IsMissingDim ? 0 : 1).ToArray();
        for (int r = 0; r < _rules.Length; r++) _rules[r].Position = r;
        foreach (var r in _rules) if (r.PartnerDim >= 0) r.Partner = _rules.First(p => p.Dim == r.PartnerDim);
        _conditioned = _rules.Select(r => r.Dim).ToArray();
        int d = copula.Correlation.Dimension;
        _free = Enumerable.Range(0, d).Except(_conditioned).ToArray();
        (_precision, _regression, _residualCholesky) = Conditional(copula.Correlation, _conditioned, _free);
        // A Gibbs sweep shrinks the dependence on the start by about ρ² for the strongest correlation ρ between the
        // conditioned dimensions: sweep until that factor is below 10⁻³ (at least 8 sweeps; ~33 for ρ = 0.9).
        double rho = 0;
        for (int i = 0; i < _conditioned.Length; i++)
            for (int j = 0; j < i; j++) rho = Math.Max(rho, Math.Abs(copula.Correlation[_conditioned[i], _conditioned[j]]));
        _sweeps = rho <= 0 ? MinimumSweeps : (int)Math.Clamp(Math.Ceiling(Math.Log(1e-3) / Math.Log(Math.Min(rho * rho, 0.99))), MinimumSweeps, MaximumSweeps);
    }

    public EncodedTable Sample(int rows, ulong seed, ParallelOptions parallel)
    {
        var columns = _copula.Columns;
        var values = columns.Select(c => c.Kind == EncodedKind.Continuous ? new double[rows] : null).ToArray();
        var codes = columns.Select(c => c.Kind == EncodedKind.Discrete ? new int[rows] : null).ToArray();
        var missing = columns.Select(_ => new bool[rows]).ToArray();
        int blocks = (rows + CopulaSampler.BlockSize - 1) / CopulaSampler.BlockSize;
        Parallel.For(0, blocks, parallel, block =>
        {
            var rng = new SeededRandom(SeededRandom.Derive(seed, BlockSalt, (ulong)block));
            int d = _copula.Correlation.Dimension, k = _conditioned.Length, f = _free.Length;
            var z = new double[d];
            var zc = new double[k];
            var eps = new double[f];
            int end = Math.Min(rows, (block + 1) * CopulaSampler.BlockSize);
            for (int row = block * CopulaSampler.BlockSize; row < end; row++)
            {
                DrawConditioned(rng, zc);
                for (int i = 0; i < k; i++) z[_conditioned[i]] = zc[i];
                for (int i = 0; i < f; i++) eps[i] = rng.NextGaussian();
                for (int i = 0; i < f; i++)
                {
                    double mean = 0, noise = 0;
                    for (int j = 0; j < k; j++) mean += _regression[i * k + j] * zc[j];
                    for (int j = 0; j <= i; j++) noise += _residualCholesky[i * f + j] * eps[j];
                    z[_free[i]] = mean + noise;
                }
                for (int c = 0; c < columns.Count; c++)
                {
                    CopulaSampler.WriteCell(columns[c], z, row, values[c], codes[c], missing[c]);
                    if (_constraints[c] is { } constraint) Overwrite(columns[c], constraint, z, row, values[c], codes[c], missing[c]);
                }
            }
        });
        var encoded = new EncodedColumn[columns.Count];
        for (int c = 0; c < columns.Count; c++)
        {
            var mask = Bitmask.FromBools(missing[c]);
            encoded[c] = columns[c].Kind == EncodedKind.Continuous
                ? EncodedColumn.Continuous(columns[c].Name, values[c]!, mask)
                : EncodedColumn.Discrete(columns[c].Name, codes[c]!, columns[c].Cardinality, mask);
        }
        return new EncodedTable(encoded, rows);
    }

    /// <summary>Gibbs sampling of the truncated normal of the conditioned dimensions (exact for one dimension).</summary>
    private void DrawConditioned(SeededRandom rng, double[] zc)
    {
        int k = zc.Length;
        // A valid start: each dimension from its own truncated standard normal (missing bands first, so coupled rules hold).
        for (int i = 0; i < k; i++) zc[i] = double.NaN;
        foreach (var r in _startOrder) zc[r.Position] = TruncatedNormal(rng, 0, 1, r.Allowed(zc));
        if (k == 1) return;
        for (int sweep = 0; sweep < _sweeps; sweep++)
            for (int i = 0; i < k; i++)
            {
                double pii = _precision[i * k + i], s = 0;
                for (int j = 0; j < k; j++) if (j != i) s += _precision[i * k + j] * zc[j];
                zc[i] = TruncatedNormal(rng, -s / pii, 1 / Math.Sqrt(pii), _rules[i].Allowed(zc));
            }
    }

    /// <summary>A draw from N(μ, σ²) restricted to a union of intervals, by inverse CDF on the side of the smaller tail.</summary>
    internal static double TruncatedNormal(SeededRandom rng, double mu, double sigma, (double Lo, double Hi)[] intervals)
    {
        Span<double> cumulative = stackalloc double[intervals.Length];
        double total = 0;
        for (int r = 0; r < intervals.Length; r++)
            cumulative[r] = total += Mass((intervals[r].Lo - mu) / sigma, (intervals[r].Hi - mu) / sigma);
        if (!(total > 0))
        {
            // Every interval is far in the tails (mass below double precision): the closest allowed point.
            double best = double.NaN, distance = double.PositiveInfinity;
            foreach (var (lo, hi) in intervals)
            {
                double x = Math.Clamp(mu, lo, hi);
                if (Math.Abs(x - mu) < distance) { distance = Math.Abs(x - mu); best = x; }
            }
            return best;
        }
        int pick = rng.NextWeighted(cumulative);
        double a = (intervals[pick].Lo - mu) / sigma, b = (intervals[pick].Hi - mu) / sigma;
        double u = rng.NextOpenUnit(), x2;
        if (a > 0)
        {
            double pb = Phi(-b), pa = Phi(-a);
            x2 = -NormalMath.InverseCdf(pb + u * (pa - pb));
        }
        else
        {
            double pa = Phi(a), pb = Phi(b);
            x2 = NormalMath.InverseCdf(pa + u * (pb - pa));
        }
        return Math.Clamp(mu + sigma * Math.Clamp(x2, a, b), intervals[pick].Lo, intervals[pick].Hi);
    }

    /// <summary>Φ, with the infinite and far-tail bounds of open intervals answered directly (erfc is slow out there).</summary>
    private static double Phi(double x) => x <= -40 ? 0 : x >= 40 ? 1 : NormalMath.Cdf(x);

    private static double Mass(double a, double b) => a > 0 ? Phi(-a) - Phi(-b) : Phi(b) - Phi(a);

    /// <summary>Writes a conditioned cell from the interval its latent score lies in, so it satisfies the conditions exactly.</summary>
    private void Overwrite(CopulaColumn column, ColumnConstraint c, double[] z, int row, double[]? values, int[]? codes, bool[] missing)
    {
        var valueRule = _rules.FirstOrDefault(r => r.Dim == column.ValueDimension && !r.IsMissingDim);
        var missingRule = column.MissingDimension >= 0 ? _rules.FirstOrDefault(r => r.Dim == column.MissingDimension) : null;
        if (column.Kind == EncodedKind.Discrete)
        {
            int code = valueRule!.LabelAt(z[column.ValueDimension]);
            missing[row] = code == column.Cardinality;
            if (!missing[row]) codes![row] = code;
            return;
        }
        if (column.AlwaysMissing) { missing[row] = true; return; }
        bool isMissing = missingRule is not null ? missingRule.LabelAt(z[column.MissingDimension]) == 1 : false;
        if (isMissing && c.AllowMissing) { missing[row] = true; return; }
        missing[row] = false;
        double v = column.Continuous!.ValueAtNormalScore(z[column.ValueDimension]);
        int interval = valueRule!.LabelAt(z[column.ValueDimension]);
        var allowed = c.Intervals[Math.Clamp(interval, 0, c.Intervals.Length - 1)];
        values![row] = Math.Clamp(v, allowed.Low, allowed.High);
    }

    /// <summary>The latent intervals of one conditioned column (one rule per constrained dimension).</summary>
    private static IEnumerable<DimRule> RulesFor(CopulaColumn column, ColumnConstraint c)
    {
        if (column.Kind == EncodedKind.Discrete)
        {
            if (column.AlwaysMissing)
            {
                if (!c.AllowedCodes![column.Cardinality]) throw c.Never(GaussianCopulaSynthesizer.RegistryName, "the column was missing in every training row");
                yield break;
            }
            var bands = new List<(double, double)>();
            var labels = new List<int>();
            foreach (int code in column.Discrete!.Order)
            {
                if (!c.AllowedCodes![code]) continue;
                var (lo, hi) = column.Discrete.Band(code);
                if (!(hi > lo)) continue;
                bands.Add((ToZ(lo), ToZ(hi)));
                labels.Add(code);
            }
            if (bands.Count == 0) throw c.Never(GaussianCopulaSynthesizer.RegistryName, c.AllowedCodes![column.Cardinality] ? "it was never missing in training" : "no such value was seen in training");
            yield return new DimRule(column.ValueDimension, bands.ToArray(), labels.ToArray());
            yield break;
        }
        if (column.AlwaysMissing)
        {
            if (!c.AllowMissing) throw c.Never(GaussianCopulaSynthesizer.RegistryName, "the column was missing in every training row");
            yield break;
        }
        var zIntervals = new List<(double, double)>();
        var zLabels = new List<int>();
        for (int i = 0; i < c.Intervals.Length; i++)
            if (LatentInterval(column.Continuous!, c.Intervals[i]) is { } zi) { zIntervals.Add(zi); zLabels.Add(i); }
        bool canMissing = c.AllowMissing && column.MissingDimension >= 0, canPresent = zIntervals.Count > 0;
        if (!canMissing && !canPresent)
            throw c.Never(GaussianCopulaSynthesizer.RegistryName, c.AllowMissing && c.Intervals.Length == 0
                ? "it was never missing in training" : "its marginal puts no mass there");
        var present = canPresent ? new DimRule(column.ValueDimension, zIntervals.ToArray(), zLabels.ToArray()) : null;
        if (column.MissingDimension >= 0)
        {
            var (plo, phi) = column.MissingFlag!.Band(0);
            var (mlo, mhi) = column.MissingFlag!.Band(1);
            var presentBand = (ToZ(plo), ToZ(phi));
            var missingBand = (ToZ(mlo), ToZ(mhi));
            if (canMissing && canPresent)
            {
                // Missing or an allowed value: the value is free while the row is missing, and the row may be present
                // only while its value is allowed.
                var m = new DimRule(column.MissingDimension, [missingBand, presentBand], [1, 0], isMissingDim: true)
                    { PartnerDim = column.ValueDimension, FreeUnlessPartnerAllowed = true };
                present!.PartnerDim = column.MissingDimension;
                present.FreeWhenPartnerMissing = true;
                yield return m;
                yield return present;
            }
            else if (canMissing) yield return new DimRule(column.MissingDimension, [missingBand], [1], isMissingDim: true);
            else
            {
                yield return new DimRule(column.MissingDimension, [presentBand], [0], isMissingDim: true);
                yield return present!;
            }
        }
        else yield return present!;
    }

    private static double ToZ(double u) => u <= 0 ? double.NegativeInfinity : u >= 1 ? double.PositiveInfinity : NormalMath.InverseCdf(u);

    /// <summary>The normal scores whose marginal value lies in <paramref name="target"/> (the value is monotone in z), or null.</summary>
    private static (double Lo, double Hi)? LatentInterval(Marginals.ContinuousMarginal marginal, Interval target)
    {
        double First(Func<double, bool> predicate)
        {
            double a = -Edge, b = Edge;
            if (predicate(a)) return a;
            if (!predicate(b)) return double.NaN;
            for (int i = 0; i < 80; i++) { double mid = 0.5 * (a + b); if (predicate(mid)) b = mid; else a = mid; }
            return b;
        }
        double lo = First(z => marginal.ValueAtNormalScore(z) >= target.Low);
        double hiStart = First(z => marginal.ValueAtNormalScore(z) > target.High);
        if (double.IsNaN(lo)) return null;
        double hi = double.IsNaN(hiStart) ? Edge : hiStart;
        if (!(lo < hi) || hi <= -Edge) return null;
        return (lo <= -Edge ? double.NegativeInfinity : lo, hi >= Edge ? double.PositiveInfinity : hi);
    }

    /// <summary>Precision of the conditioned block, regression of the free dims on it, and the Cholesky factor of the residual covariance.</summary>
    private static (double[], double[], double[]) Conditional(CorrelationMatrix correlation, int[] conditioned, int[] free)
    {
        int k = conditioned.Length, f = free.Length;
        var m = Matrix<double>.Build;
        var scc = m.Dense(k, k, (i, j) => correlation[conditioned[i], conditioned[j]]);
        var sfc = m.Dense(f, k, (i, j) => correlation[free[i], conditioned[j]]);
        var sff = m.Dense(f, f, (i, j) => correlation[free[i], free[j]]);
        var precision = k > 0 ? scc.Inverse() : m.Dense(0, 0);
        var a = k > 0 ? sfc * precision : m.Dense(f, 0);
        var residual = sff - a * sfc.Transpose();
        residual = 0.5 * (residual + residual.Transpose());
        double[] chol = new double[f * f];
        if (f > 0)
        {
            Matrix<double> factor;
            try { factor = residual.Cholesky().Factor; }
            catch (ArgumentException) { factor = (residual + m.DenseIdentity(f) * 1e-9).Cholesky().Factor; }
            for (int i = 0; i < f; i++) for (int j = 0; j <= i; j++) chol[i * f + j] = factor[i, j];
        }
        var p = new double[k * k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) p[i * k + j] = precision[i, j];
        var reg = new double[f * k];
        for (int i = 0; i < f; i++) for (int j = 0; j < k; j++) reg[i * k + j] = a[i, j];
        return (p, reg, chol);
    }

    /// <summary>The allowed latent intervals of one conditioned dimension, with a label per interval (code, or interval index).</summary>
    private sealed class DimRule
    {
        private static readonly (double, double)[] Everything = [(double.NegativeInfinity, double.PositiveInfinity)];
        private readonly (double Lo, double Hi)[] intervals;
        private readonly int[] labels;

        public DimRule(int dim, (double Lo, double Hi)[] intervals, int[] labels, bool isMissingDim = false)
        {
            Dim = dim; this.intervals = intervals; this.labels = labels; IsMissingDim = isMissingDim;
        }

        public int Dim { get; }
        public bool IsMissingDim { get; }
        public int Position { get; set; }
        public int PartnerDim { get; set; } = -1;
        public DimRule? Partner { get; set; }
        /// <summary>Value dimension of "missing or allowed value": free while the partner (missing) dimension says missing.</summary>
        public bool FreeWhenPartnerMissing { get; set; }
        /// <summary>Missing dimension of "missing or allowed value": present is allowed only while the partner value is allowed.</summary>
        public bool FreeUnlessPartnerAllowed { get; set; }

        public (double Lo, double Hi)[] Allowed(double[] zc)
        {
            if (Partner is null) return intervals;
            double partner = zc[Partner.Position];
            if (FreeWhenPartnerMissing) return double.IsNaN(partner) || Partner.LabelAt(partner) == 1 ? Everything : intervals;
            // Missing dimension: both bands while the value is allowed (or not drawn yet), else only the missing band.
            return double.IsNaN(partner) || Partner.Contains(partner) ? intervals : [intervals[0]];
        }

        public bool Contains(double z)
        {
            foreach (var (lo, hi) in intervals) if (z >= lo && z <= hi) return true;
            return false;
        }

        /// <summary>The label of the interval holding z (the nearest one when z sits outside through rounding).</summary>
        public int LabelAt(double z)
        {
            int best = 0; double distance = double.PositiveInfinity;
            for (int i = 0; i < intervals.Length; i++)
            {
                var (lo, hi) = intervals[i];
                double dd = z < lo ? lo - z : z > hi ? z - hi : 0;
                if (dd < distance) { distance = dd; best = i; }
            }
            return labels[best];
        }
    }
}
