using MathNet.Numerics.LinearAlgebra;
using TabTwin.Tables;

namespace TabTwin.Tests.Generation;

/// <summary>Least squares and column access shared by the benchmark generator tests.</summary>
internal static class BenchmarkTestMath
{
    public static double[] Values(Table table, string column) => table.Get<NumericColumn>(column).Values.ToArray();

    /// <summary>Ordinary least squares of y on [1, x…]: returns (intercept, coefficients…) and the largest absolute residual.</summary>
    public static (double[] Beta, double MaxResidual, double ResidualSd) Fit(Table table, IReadOnlyList<string> predictors, string response)
    {
        int n = table.RowCount, p = predictors.Count + 1;
        var x = Matrix<double>.Build.Dense(n, p);
        for (int i = 0; i < n; i++) x[i, 0] = 1;
        for (int j = 0; j < predictors.Count; j++)
        {
            var v = table.Get<NumericColumn>(predictors[j]).Values;
            for (int i = 0; i < n; i++) x[i, j + 1] = v[i];
        }
        var y = Vector<double>.Build.DenseOfArray(Values(table, response));
        var beta = x.QR().Solve(y);
        var residual = y - x * beta;
        return (beta.ToArray(), residual.AbsoluteMaximum(), Math.Sqrt(residual.DotProduct(residual) / (n - p)));
    }

    public static float[][] Rows(Table table, IReadOnlyList<string> columns)
    {
        var cols = columns.Select(c => table.Get<NumericColumn>(c).Values.ToArray()).ToArray();
        return Enumerable.Range(0, table.RowCount).Select(i => cols.Select(c => (float)c[i]).ToArray()).ToArray();
    }

    public static int[] Labels(Table table, string column) => Values(table, column).Select(v => (int)v).ToArray();
}
