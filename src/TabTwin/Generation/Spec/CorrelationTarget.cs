using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace TabTwin.Generation.Spec;

/// <summary>
/// A table's correlation target made ready for the Gaussian copula: the columns involved, the latent (normal-scores)
/// correlation matrix — converted from Spearman ρ with r = 2·sin(πρ/6), exact for a Gaussian copula with continuous
/// marginals — and its Cholesky factor. An invalid matrix is repaired to the nearest valid one by clipping eigenvalues
/// and rescaling the diagonal to 1 (with a warning naming the table), or rejected with <c>spec.correlation-invalid</c>.
/// </summary>
internal sealed record CorrelationTarget(int[] Columns, double[] Latent, double[] Cholesky)
{
    private const double EigenvalueFloor = 1e-6;

    public int Dimension => Columns.Length;

    public static CorrelationTarget Resolve(CorrelationSpec spec, TableSpec table, IReadOnlyDictionary<string, int> index,
        SpecLocation at, List<SpecWarning> warnings)
    {
        var names = spec.InvolvedColumns().ToList();
        foreach (var name in names)
        {
            if (!index.TryGetValue(name, out int ci))
                throw at.Error("spec.unknown-column", $"names column '{name}', which the table does not have{SpecValues.Suggest(name, index.Keys)}.");
            var column = table.Columns[ci];
            if (!column.Distribution.UsesUniform)
                throw at.Error("spec.correlation-column",
                    $"column '{name}' ({column.Distribution.TypeName}) cannot be correlated: only columns drawn from a distribution can (not ids, sequences, UUIDs, personal data or formulas).");
        }
        if (names.Count < 2) throw at.Error("spec.correlation-invalid", "needs at least two distinct columns.");
        int d = names.Count;
        var target = new double[d * d];
        for (int i = 0; i < d; i++) target[i * d + i] = 1;

        if (spec.Matrix is { } m)
        {
            int k = spec.Columns.Count;
            if (spec.Columns.Distinct().Count() != k) throw at.At("correlations.columns", at.Line).Error("spec.bad-parameter", "a column is listed twice.");
            if (m.Count != k || m.Any(r => r.Count != k))
                throw at.At("correlations.matrix", at.Line).Error("spec.correlation-invalid", $"must be {k}×{k} (one row and column per listed column), got {m.Count} rows of {string.Join("/", m.Select(r => r.Count).Distinct())}.");
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                {
                    double v = m[i][j];
                    string cell = $"{spec.Columns[i]}/{spec.Columns[j]}";
                    if (i == j && Math.Abs(v - 1) > 1e-9) throw at.At("correlations.matrix", at.Line).Error("spec.correlation-invalid", $"the diagonal must be 1, got {Fmt(v)} at {cell}.");
                    if (!(Math.Abs(v) <= 1)) throw at.At("correlations.matrix", at.Line).Error("spec.correlation-invalid", $"correlations must lie in [-1, 1], got {Fmt(v)} at {cell}.");
                    if (Math.Abs(v - m[j][i]) > 1e-9) throw at.At("correlations.matrix", at.Line).Error("spec.correlation-invalid", $"must be symmetric: {cell} is {Fmt(v)} but {spec.Columns[j]}/{spec.Columns[i]} is {Fmt(m[j][i])}.");
                    target[names.IndexOf(spec.Columns[i]) * d + names.IndexOf(spec.Columns[j])] = v;
                }
        }
        foreach (var pair in spec.Pairs)
        {
            var pat = at.At("correlations.pairs", at.Line);
            if (pair.A == pair.B) throw pat.Error("spec.correlation-invalid", $"pairs a column with itself ('{pair.A}').");
            if (!(Math.Abs(pair.Value) <= 1)) throw pat.Error("spec.correlation-invalid", $"correlations must lie in [-1, 1], got {Fmt(pair.Value)} for {pair.A}/{pair.B}.");
            int a = names.IndexOf(pair.A), b = names.IndexOf(pair.B);
            target[a * d + b] = target[b * d + a] = pair.Value;
        }

        var latent = new double[d * d];
        for (int i = 0; i < d * d; i++)
            latent[i] = spec.Method == CorrelationMethod.Spearman ? 2 * Math.Sin(Math.PI * target[i] / 6) : target[i];

        var matrix = Matrix<double>.Build.Dense(d, d, (i, j) => latent[i * d + j]);
        var evd = matrix.Evd(Symmetricity.Symmetric);
        double smallest = evd.EigenValues.Select(e => e.Real).Min();
        if (smallest < EigenvalueFloor)
        {
            if (!spec.Repair)
                throw at.Error("spec.correlation-invalid",
                    $"the correlation matrix is impossible (not positive definite; smallest eigenvalue {Fmt(smallest)}): no data can have all these correlations at once.",
                    hint: "Lower the conflicting correlations, or set 'repair: true' to use the nearest valid matrix.");
            var repaired = Repair(evd, d);
            double change = 0;
            for (int i = 0; i < d * d; i++) change = Math.Max(change, Math.Abs(repaired[i] - latent[i]));
            latent = repaired;
            matrix = Matrix<double>.Build.Dense(d, d, (i, j) => latent[i * d + j]);
            warnings.Add(new SpecWarning("spec.correlation-repaired",
                $"{at.Describe()}: the correlation matrix is impossible (smallest eigenvalue {Fmt(smallest)}); using the nearest valid one (largest change {Fmt(change)}).",
                at.Table, null, "correlations"));
        }
        var l = matrix.Cholesky().Factor;
        var chol = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j <= i; j++) chol[i * d + j] = l[i, j];
        return new CorrelationTarget(names.Select(n => index[n]).ToArray(), latent, chol);
    }

    /// <summary>Nearest valid correlation matrix in the eigenvalue-clipping sense: floor the eigenvalues, rebuild, rescale to unit diagonal.</summary>
    private static double[] Repair(Evd<double> evd, int d)
    {
        var floored = Matrix<double>.Build.DenseOfDiagonalArray(evd.EigenValues.Select(e => Math.Max(e.Real, EigenvalueFloor * 10)).ToArray());
        var rebuilt = evd.EigenVectors * floored * evd.EigenVectors.Transpose();
        var result = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                result[i * d + j] = i == j ? 1 : rebuilt[i, j] / Math.Sqrt(rebuilt[i, i] * rebuilt[j, j]);
        return result;
    }

    private static string Fmt(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
