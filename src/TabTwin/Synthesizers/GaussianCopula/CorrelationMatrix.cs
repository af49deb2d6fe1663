using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace TabTwin.Synthesizers.GaussianCopula;

/// <summary>
/// The copula's correlation of normal scores (row-major, <see cref="Dimension"/>²) and its lower Cholesky factor.
/// Built from pairwise-complete Pearson correlations, repaired to the nearest positive-definite correlation
/// matrix (eigenvalues floored, unit diagonal restored) and shrunk slightly towards the identity so the
/// factorisation is stable even for duplicated or perfectly dependent columns.
/// </summary>
internal sealed class CorrelationMatrix
{
    private const double EigenvalueFloor = 1e-6;

    internal CorrelationMatrix(int dimension, double[] values, double[] cholesky)
    {
        if (values.Length != dimension * dimension || cholesky.Length != dimension * dimension)
            throw new ArgumentException("Correlation arrays must hold dimension² values.");
        Dimension = dimension;
        Values = values;
        Cholesky = cholesky;
    }

    public int Dimension { get; }
    public double[] Values { get; }
    public double[] Cholesky { get; }
    public double this[int i, int j] => Values[i * Dimension + j];

    /// <param name="scores">Normal scores per dimension (NaN = missing).</param>
    /// <param name="bands">Per dimension, the probability bands its scores were drawn in (null or empty: continuous);
    /// correlations involving banded dimensions are corrected to the latent scale (see <see cref="LatentCorrelation"/>).</param>
    /// <param name="shrinkage">The weight (0–1) pulling the estimate toward the identity, which keeps it positive definite.</param>
    /// <param name="parallel">The degree of parallelism of the pairwise correlations.</param>
    public static CorrelationMatrix FromNormalScores(double[][] scores, LatentCorrelation.Bands?[]? bands, double shrinkage, ParallelOptions parallel)
    {
        if (scores.Length == 0) return new CorrelationMatrix(0, [], []);
        return FromPairwise(PairwisePearson(scores, parallel), scores.Length, bands, shrinkage);
    }

    /// <summary>
    /// The same from pairwise Pearson correlations of normal scores already computed (row-major d × d, unit diagonal; the
    /// streaming fit accumulates them over passes): corrected for bands, repaired, shrunk. <paramref name="r"/> is overwritten.
    /// </summary>
    internal static CorrelationMatrix FromPairwise(double[] r, int d, LatentCorrelation.Bands?[]? bands, double shrinkage)
    {
        if (d == 0) return new CorrelationMatrix(0, [], []);
        if (bands is not null) CorrectForBands(r, d, bands);
        var matrix = Matrix<double>.Build.Dense(d, d, (i, j) => r[i * d + j]);
        matrix = RepairToPositiveDefinite(matrix);
        matrix = matrix * (1 - shrinkage) + Matrix<double>.Build.DenseIdentity(d) * shrinkage;
        // Exactly symmetric with a unit diagonal (the eigen reconstruction leaves rounding noise), so the stored
        // matrix passes the reader's checks bit for bit.
        var values = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            values[i * d + i] = 1;
            for (int j = 0; j < i; j++) values[i * d + j] = values[j * d + i] = 0.5 * (matrix[i, j] + matrix[j, i]);
        }
        return FromValues(d, values);
    }

    public static CorrelationMatrix FromValues(int d, double[] values)
    {
        if (d == 0) return new CorrelationMatrix(0, [], []);
        var matrix = Matrix<double>.Build.Dense(d, d, (i, j) => values[i * d + j]);
        var factor = matrix.Cholesky().Factor;
        var cholesky = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j <= i; j++) cholesky[i * d + j] = factor[i, j];
        return new CorrelationMatrix(d, values, cholesky);
    }

    /// <summary>The eigenvector of the largest eigenvalue (used to order categories along the main latent factor).</summary>
    public static double[] LeadingEigenvector(double[][] scores, ParallelOptions parallel)
    {
        int d = scores.Length;
        var r = PairwisePearson(scores, parallel);
        var evd = Matrix<double>.Build.Dense(d, d, (i, j) => r[i * d + j]).Evd(Symmetricity.Symmetric);
        int best = 0;
        for (int i = 1; i < d; i++) if (evd.EigenValues[i].Real > evd.EigenValues[best].Real) best = i;
        return evd.EigenVectors.Column(best).ToArray();
    }

    private static void CorrectForBands(double[] r, int d, LatentCorrelation.Bands?[] bands)
    {
        var coefficients = bands.Select(b => b is null || b.IsEmpty ? null : LatentCorrelation.Coefficients(b)).ToArray();
        var continuous = new double[coefficients.Length > 0 ? 48 : 0];
        if (continuous.Length > 0) continuous[0] = 1;                 // a continuous score is Z itself: α̃₁ = 1, the rest 0
        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++)
            {
                if (coefficients[i] is null && coefficients[j] is null) continue;
                double latent = LatentCorrelation.Solve(r[i * d + j], coefficients[i] ?? continuous, coefficients[j] ?? continuous);
                r[i * d + j] = r[j * d + i] = latent;
            }
    }

    /// <summary>Row-major convenience form of the repair (for tests and diagnostics).</summary>
    internal static double[] RepairToPositiveDefinite(double[] values, int d)
    {
        var repaired = RepairToPositiveDefinite(Matrix<double>.Build.Dense(d, d, (i, j) => values[i * d + j]));
        var result = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) result[i * d + j] = repaired[i, j];
        return result;
    }

    private static Matrix<double> RepairToPositiveDefinite(Matrix<double> m)
    {
        int d = m.RowCount;
        var evd = m.Evd(Symmetricity.Symmetric);
        double smallest = Enumerable.Range(0, d).Min(i => evd.EigenValues[i].Real);
        if (smallest >= EigenvalueFloor) return m;
        var floored = Matrix<double>.Build.DenseOfDiagonalArray(
            Enumerable.Range(0, d).Select(i => Math.Max(evd.EigenValues[i].Real, EigenvalueFloor)).ToArray());
        var repaired = evd.EigenVectors * floored * evd.EigenVectors.Transpose();
        var scale = Enumerable.Range(0, d).Select(i => 1 / Math.Sqrt(repaired[i, i])).ToArray();
        return Matrix<double>.Build.Dense(d, d, (i, j) => i == j ? 1 : repaired[i, j] * scale[i] * scale[j]);
    }

    /// <summary>Pearson correlations over rows where both dimensions are present (NaN marks a missing score).</summary>
    internal static double[] PairwisePearson(double[][] scores, ParallelOptions parallel)
    {
        int d = scores.Length;
        var r = new double[d * d];
        var complete = scores.Select(s => !s.Any(double.IsNaN)).ToArray();
        var standardized = scores.Select((s, i) => complete[i] ? Standardize(s) : null).ToArray();
        Parallel.For(0, d, parallel, i =>
        {
            r[i * d + i] = 1;
            for (int j = 0; j < i; j++)
            {
                double c = standardized[i] is { } a && standardized[j] is { } b
                    ? Dot(a, b) / a.Length
                    : PearsonSkippingMissing(scores[i], scores[j]);
                c = double.IsFinite(c) ? Math.Clamp(c, -1, 1) : 0;
                r[i * d + j] = r[j * d + i] = c;
            }
        });
        return r;
    }

    private static double[]? Standardize(double[] s)
    {
        double mean = 0;
        foreach (var v in s) mean += v;
        mean /= s.Length;
        double ss = 0;
        foreach (var v in s) ss += (v - mean) * (v - mean);
        double sd = Math.Sqrt(ss / s.Length);
        var result = new double[s.Length];
        if (sd == 0) return result;                       // constant: correlation 0 with everything
        for (int i = 0; i < s.Length; i++) result[i] = (s[i] - mean) / sd;
        return result;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static double PearsonSkippingMissing(double[] a, double[] b)
    {
        double n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double x = a[i], y = b[i];
            if (double.IsNaN(x) || double.IsNaN(y)) continue;
            n++; sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y;
        }
        if (n < 2) return 0;
        double cov = sab - sa * sb / n, va = saa - sa * sa / n, vb = sbb - sb * sb / n;
        return va > 0 && vb > 0 ? cov / Math.Sqrt(va * vb) : 0;
    }
}
