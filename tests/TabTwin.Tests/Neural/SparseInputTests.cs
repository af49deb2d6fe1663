using TabTwin.Neural;
using TabTwin.Randomness;

namespace TabTwin.Tests.Neural;

/// <summary>
/// Products restricted to index ranges, and dense layers that treat one-hot input columns as sparse or compute only
/// the leading columns of their input gradient: each must give what the plain dense computation gives.
/// </summary>
public class SparseInputTests
{
    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"{what}[{i}]: {expected[i]} vs {actual[i]}");
    }

    /// <summary>A batch whose last <paramref name="oneHot"/> columns of each of <paramref name="pac"/> slots hold one 1 (or an α/1−α mix).</summary>
    private static Matrix Conditioned(int rows, int slotWidth, int oneHot, int pac, ulong seed, bool mixed = false)
    {
        var x = GradientCheck.Random(rows, slotWidth * pac, seed);
        var r = new SeededRandom(seed + 100);
        for (int i = 0; i < rows; i++)
            for (int s = 0; s < pac; s++)
            {
                var tail = x.Row(i).Slice(s * slotWidth + slotWidth - oneHot, oneHot);
                tail.Clear();
                if (mixed) { float a = (float)r.NextDouble(); tail[r.NextInt(oneHot)] += a; tail[r.NextInt(oneHot)] += 1 - a; }
                else tail[r.NextInt(oneHot)] = 1f;
            }
        return x;
    }

    [Fact]
    public void Index_ranges_merge_neighbours_complement_and_repeat()
    {
        var ranges = new IndexRanges([(5, 8), (0, 2), (2, 3), (9, 9)]);
        Assert.Equal(2, ranges.Count);
        Assert.Equal((0, 3), (ranges.Start(0), ranges.End(0)));
        Assert.Equal((5, 8), (ranges.Start(1), ranges.End(1)));
        Assert.Equal(6, ranges.Total);
        var gaps = ranges.Complement(10);
        Assert.Equal([(3, 5), (8, 10)], Enumerable.Range(0, gaps.Count).Select(i => (gaps.Start(i), gaps.End(i))));
        var repeated = IndexRanges.Repeat(3, 5, 3, 10);
        Assert.Equal([(3, 5), (13, 15), (23, 25)], Enumerable.Range(0, repeated.Count).Select(i => (repeated.Start(i), repeated.End(i))));
        Assert.Throws<ArgumentException>(() => new IndexRanges([(0, 4), (3, 6)]));
        Assert.Throws<ArgumentException>(() => ranges.Complement(7));
    }

    [Theory]
    [InlineData(50, 2780, 256)]   // CTGAN's critic on Adult: few rows, column blocks
    [InlineData(37, 300, 45)]
    public void Products_over_ranges_equal_the_products_of_the_selected_parts(int n, int k, int m)
    {
        using var runner = new ParallelRunner(2);
        var ranges = IndexRanges.Repeat(100, 150, k / 300, 300);   // a part of every 300-column slot
        var a = GradientCheck.Random(n, k, 1);
        var b = GradientCheck.Random(k, m, 2);
        // A·B over the inner ranges = A·B with the other inner indices zeroed in A.
        var masked = new Matrix(n, k);
        a.AsSpan().CopyTo(masked.AsSpan());
        var outside = ranges.Complement(k);
        for (int i = 0; i < n; i++)
            for (int g = 0; g < outside.Count; g++) masked.Row(i)[outside.Start(g)..outside.End(g)].Clear();
        var bias = GradientCheck.Random(1, m, 3);
        var expected = new Matrix(0, 0); var actual = new Matrix(0, 0);
        MatMul.Multiply(masked, b, expected, bias, runner);
        MatMul.Multiply(a, b, actual, bias, runner, inner: ranges);
        AssertClose(expected.AsSpan(), actual.AsSpan(), "A·B over ranges");

        // Aᵀ·G on the selected rows only; the other rows keep what they held.
        var g2 = GradientCheck.Random(n, m, 4);
        var full = new Matrix(0, 0);
        MatMul.MultiplyTransposedA(a, g2, full, runner);
        var partial = GradientCheck.Random(k, m, 5);
        var before = partial.AsSpan().ToArray();
        MatMul.MultiplyTransposedA(a, g2, partial, runner, accumulate: true, rows: ranges);
        for (int row = 0; row < k; row++)
        {
            bool selected = Enumerable.Range(0, ranges.Count).Any(g => row >= ranges.Start(g) && row < ranges.End(g));
            for (int j = 0; j < m; j++)
            {
                float want = before[row * m + j] + (selected ? full[row, j] : 0f);
                Assert.True(Math.Abs(want - partial[row, j]) <= 1e-4 * (1 + Math.Abs(want)), $"Aᵀ·G row {row} ({selected}), col {j}");
            }
        }

        // A·Bᵀ for some columns only; the others keep what they held.
        var w = GradientCheck.Random(k, m, 6);
        var dense = new Matrix(0, 0);
        MatMul.MultiplyTransposedB(g2, w, dense, runner);
        var some = new IndexRanges([(0, k / 3), (k / 2, k / 2 + 7)]);
        var partialDx = new Matrix(n, k);
        MatMul.MultiplyTransposedB(g2, w, partialDx, runner, columns: some);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++)
            {
                bool selected = j < k / 3 || (j >= k / 2 && j < k / 2 + 7);
                float want = selected ? dense[i, j] : 0f;
                Assert.True(Math.Abs(want - partialDx[i, j]) <= 1e-4 * (1 + Math.Abs(want)), $"A·Bᵀ ({i},{j}) selected={selected}: {want} vs {partialDx[i, j]}");
            }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // interpolates: two nonzeros per slot
    public void A_linear_layer_with_sparse_condition_columns_matches_the_dense_layer(bool mixed)
    {
        using var runner = new ParallelRunner(2);
        const int slot = 40, oneHot = 15, pac = 4;
        var dense = new Linear(slot * pac, 24, new SeededRandom(7)) { Runner = runner };
        var sparse = new Linear(slot * pac, 24, new SeededRandom(7)) { Runner = runner, SparseInputColumns = IndexRanges.Repeat(slot - oneHot, slot, pac, slot) };
        var x = Conditioned(33, slot, oneHot, pac, 8, mixed);
        var dy = GradientCheck.Random(33, 24, 9);
        AssertClose(dense.Forward(x, true).AsSpan(), sparse.Forward(x, true).AsSpan(), "forward");
        AssertClose(dense.Backward(dy).AsSpan(), sparse.Backward(dy).AsSpan(), "input gradient");
        AssertClose(dense.Weight.Grad.AsSpan(), sparse.Weight.Grad.AsSpan(), "weight gradient");
        AssertClose(dense.Bias.Grad.AsSpan(), sparse.Bias.Grad.AsSpan(), "bias gradient");
        // Dense values in the "sparse" columns are still handled exactly, only slower.
        var noisy = GradientCheck.Random(33, slot * pac, 10);
        AssertClose(dense.Forward(noisy, true).AsSpan(), sparse.Forward(noisy, true).AsSpan(), "forward on dense input");
    }

    [Theory]
    [InlineData(true, false)]    // sparse real rows first (the critic's stacked batch)
    [InlineData(false, true)]    // sparse rows last
    [InlineData(true, true)]     // sparse rows at both ends
    public void Rows_that_are_sparse_everywhere_are_taken_whole_and_give_the_dense_result(bool first, bool last)
    {
        using var runner = new ParallelRunner(2);
        const int slot = 40, oneHot = 15, pac = 4, rows = 30;
        var x = Conditioned(rows, slot, oneHot, pac, 31);
        // One-hot "real" rows: a few nonzeros in the data columns as well.
        var r = new SeededRandom(32);
        for (int i = 0; i < rows; i++)
        {
            bool sparse = (first && i < 12) || (last && i >= rows - 9);
            if (!sparse) continue;
            for (int s = 0; s < pac; s++)
            {
                var data = x.Row(i).Slice(s * slot, slot - oneHot);
                data.Clear();
                data[r.NextInt(data.Length)] = 1f;
                data[r.NextInt(data.Length)] = (float)r.NextGaussian();
            }
        }
        var dense = new Linear(slot * pac, 24, new SeededRandom(7)) { Runner = runner };
        var sparseLayer = new Linear(slot * pac, 24, new SeededRandom(7)) { Runner = runner, SparseInputColumns = IndexRanges.Repeat(slot - oneHot, slot, pac, slot) };
        var dy = GradientCheck.Random(rows, 24, 33);
        for (int round = 0; round < 2; round++)   // twice: buffers from the first pass must not leak into the second
        {
            AssertClose(dense.Forward(x, true).AsSpan(), sparseLayer.Forward(x, true).AsSpan(), "forward");
            AssertClose(dense.Backward(dy).AsSpan(), sparseLayer.Backward(dy).AsSpan(), "input gradient");
            AssertClose(dense.Weight.Grad.AsSpan(), sparseLayer.Weight.Grad.AsSpan(), "weight gradient");
        }
    }

    [Fact]
    public void Input_gradients_follow_weight_changes_and_can_skip_columns()
    {
        using var runner = new ParallelRunner(2);
        var layer = new Linear(300, 64, new SeededRandom(21)) { Runner = runner };
        var x = GradientCheck.Random(40, 300, 22);
        var dy = GradientCheck.Random(40, 64, 23);
        var expected = new Matrix(0, 0);
        for (int round = 0; round < 3; round++)
        {
            layer.Forward(x, true);
            var dx = layer.Backward(dy);
            MatMul.MultiplyTransposedB(dy, layer.Weight.Value, expected);
            AssertClose(expected.AsSpan(), dx.AsSpan(), $"input gradient, round {round}");
            // An optimiser step changes the weights; the cached transpose must follow.
            var adam = new Adam([layer.Weight], 0.1f, 0.5f, 0.9f);
            adam.Step();
        }
        // Only the listed columns: the data part of each of 3 packed rows of 100 (as the critic under the generator loss).
        layer.InputGradientColumns = IndexRanges.Repeat(0, 60, 3, 100);
        var partial = layer.Backward(dy);
        MatMul.MultiplyTransposedB(dy, layer.Weight.Value, expected);
        for (int i = 0; i < 40; i++)
            for (int s = 0; s < 3; s++)
                AssertClose(expected.Row(i).Slice(s * 100, 60), partial.Row(i).Slice(s * 100, 60), $"row {i} slot {s}");
    }

    [Fact]
    public void Sparse_layers_are_bit_identical_for_one_and_two_threads()
    {
        using var two = new ParallelRunner(2);
        var results = new List<float[]>();
        foreach (var runner in new[] { ParallelRunner.Inline, two })
        {
            var layer = new Linear(2780, 256, new SeededRandom(3)) { Runner = runner, SparseInputColumns = IndexRanges.Repeat(162, 278, 10, 278) };
            var x = Conditioned(100, 278, 116, 10, 4);
            var y = layer.Forward(x, true).AsSpan().ToArray();
            var dx = layer.Backward(GradientCheck.Random(100, 256, 5)).AsSpan().ToArray();
            results.Add([.. y, .. dx, .. layer.Weight.Grad.AsSpan()]);
        }
        Assert.Equal(results[0], results[1]);
    }

    [Fact]
    public void A_generator_computes_the_hidden_input_gradients_it_needs_and_the_same_parameter_gradients()
    {
        // Two residual blocks and an output layer over noise (6) ⊕ one-hot condition (5), as CTGAN's generator.
        Sequential Build(bool trimmed)
        {
            var r = new SeededRandom(11);
            var b1 = new Residual(11, 8, r); var b2 = new Residual(19, 8, r); var output = new Linear(27, 7, r);
            if (trimmed)
            {
                b1.SparseInputColumns = new IndexRanges([(6, 11)]); b2.SparseInputColumns = new IndexRanges([(14, 19)]);
                output.SparseInputColumns = new IndexRanges([(22, 27)]);
                b2.InputGradientColumns = 8; output.InputGradientColumns = new IndexRanges([(0, 16)]);
            }
            return new Sequential(b1, b2, output) { NeedsInputGradient = false };
        }
        var x = Conditioned(32, 11, 5, 1, 12);
        var dy = GradientCheck.Random(32, 7, 13);
        var full = Build(false); var trimmed = Build(true);
        AssertClose(full.Forward(x, true).AsSpan(), trimmed.Forward(x, true).AsSpan(), "output");
        full.Backward(dy); trimmed.Backward(dy);
        var a = full.Parameters().ToArray(); var b = trimmed.Parameters().ToArray();
        for (int i = 0; i < a.Length; i++) AssertClose(a[i].Grad.AsSpan(), b[i].Grad.AsSpan(), $"parameter {i} gradient");
    }

    [Fact]
    public void Gradient_columns_beyond_the_inputs_are_refused()
    {
        var layer = new Linear(4, 2, new SeededRandom(1));
        Assert.Throws<ArgumentException>(() => layer.InputGradientColumns = new IndexRanges([(0, 5)]));
        Assert.Throws<ArgumentException>(() => layer.SparseInputColumns = new IndexRanges([(2, 6)]));
    }
}
