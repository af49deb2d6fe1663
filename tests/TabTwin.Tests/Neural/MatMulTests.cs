using TabTwin.Neural;

namespace TabTwin.Tests.Neural;

public class MatMulTests
{
    private static float[,] Naive(Matrix a, Matrix b, bool ta, bool tb)
    {
        int n = ta ? a.Cols : a.Rows, k = ta ? a.Rows : a.Cols, m = tb ? b.Rows : b.Cols;
        var c = new float[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)(ta ? a[p, i] : a[i, p]) * (tb ? b[j, p] : b[p, j]);
                c[i, j] = (float)s;
            }
        return c;
    }

    private static void AssertClose(float[,] expected, Matrix actual)
    {
        Assert.Equal(expected.GetLength(0), actual.Rows);
        Assert.Equal(expected.GetLength(1), actual.Cols);
        for (int i = 0; i < actual.Rows; i++)
            for (int j = 0; j < actual.Cols; j++)
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= 1e-4 * (1 + Math.Abs(expected[i, j])), $"({i},{j}): {expected[i, j]} vs {actual[i, j]}");
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 5, 3)]
    [InlineData(37, 19, 29)]
    [InlineData(300, 70, 45)]
    [InlineData(129, 128, 131)]
    public void All_three_products_match_the_naive_product(int n, int k, int m)
    {
        using var runner = new ParallelRunner(2);
        var a = GradientCheck.Random(n, k, 1);
        var b = GradientCheck.Random(k, m, 2);
        var c = new Matrix(0, 0);
        MatMul.Multiply(a, b, c, runner);
        AssertClose(Naive(a, b, false, false), c);

        var b2 = GradientCheck.Random(n, m, 3);
        MatMul.MultiplyTransposedA(a, b2, c, runner);
        AssertClose(Naive(a, b2, true, false), c);

        var b3 = GradientCheck.Random(m, k, 4);
        MatMul.MultiplyTransposedB(a, b3, c, runner);
        AssertClose(Naive(a, b3, false, true), c);

        // Accumulating adds the product to what is there.
        var twice = Naive(a, b3, false, true);
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) twice[i, j] *= 2;
        MatMul.MultiplyTransposedB(a, b3, c, runner, accumulate: true);
        AssertClose(twice, c);
    }

    [Theory]
    [InlineData(9, 37, 11)]
    [InlineData(50, 256, 20)]
    public void The_row_dot_kernel_matches_the_naive_product(int n, int k, int m)
    {
        // MultiplyTransposedB uses it only on CPUs without 512-bit units, so it is called directly here.
        var a = GradientCheck.Random(n, k, 8);
        var b = GradientCheck.Random(m, k, 9);
        var c = new Matrix(n, m);
        DotKernel.Run(a.Data, b.Data, c.Data, 0, n, 0, m, k, m, acc: false);
        AssertClose(Naive(a, b, false, true), c);
        // A block of it, accumulating: the rest of C is untouched.
        var before = c.AsSpan().ToArray();
        DotKernel.Run(a.Data, b.Data, c.Data, 1, n - 2, 3, m - 1, k, m, acc: true);
        var expected = Naive(a, b, false, true);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                bool inside = i >= 1 && i < n - 2 && j >= 3 && j < m - 1;
                float want = inside ? 2 * expected[i, j] : before[i * m + j];
                Assert.True(Math.Abs(want - c[i, j]) <= 1e-4 * (1 + Math.Abs(want)), $"({i},{j}) inside={inside}: {want} vs {c[i, j]}");
            }
    }

    [Fact]
    public void Products_are_bit_identical_for_one_and_two_threads()
    {
        using var two = new ParallelRunner(2);
        var a = GradientCheck.Random(500, 150, 5);
        var b = GradientCheck.Random(150, 128, 6);
        var g = GradientCheck.Random(500, 128, 7);
        var c1 = new Matrix(0, 0); var c2 = new Matrix(0, 0);
        MatMul.Multiply(a, b, c1, ParallelRunner.Inline);
        MatMul.Multiply(a, b, c2, two);
        Assert.Equal(c1.AsSpan().ToArray(), c2.AsSpan().ToArray());
        MatMul.MultiplyTransposedA(a, g, c1, ParallelRunner.Inline);
        MatMul.MultiplyTransposedA(a, g, c2, two);
        Assert.Equal(c1.AsSpan().ToArray(), c2.AsSpan().ToArray());
        MatMul.MultiplyTransposedB(g, b, c1, ParallelRunner.Inline);
        MatMul.MultiplyTransposedB(g, b, c2, two);
        Assert.Equal(c1.AsSpan().ToArray(), c2.AsSpan().ToArray());
    }

    [Fact]
    public void Shape_mismatch_is_an_argument_error()
    {
        var e = Assert.Throws<ArgumentException>(() => MatMul.Multiply(new Matrix(2, 3), new Matrix(4, 2), new Matrix(0, 0)));
        Assert.Contains("A's columns (3)", e.Message);
    }
}
