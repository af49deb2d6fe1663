using TabTwin.Generation;
using TabTwin.Generation.Sampling;
using TabTwin.Generation.Spec;
using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using TabTwin.Randomness;
using TabTwin.Distributions;

namespace TabTwin.Tests.Generation;

/// <summary>
/// The generator's fast paths (SIMD inverse CDF, copula product and rounding, guide-table and normal-score lookups
/// for discrete marginals, branch-free label codes) against the plain scalar forms they replace: the values must be
/// the same bit for bit, edge cases (region boundaries, table entries and their neighbouring doubles) included, so
/// generated data is unchanged by the speed-up.
/// </summary>
public class GenerationFastPathTests
{
    private static double[] Uniforms(int n, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, n).Select(_ => rng.NextOpenUnit()).ToArray();
    }

    private static void AssertSameBits(double expected, double actual, string what) =>
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"{what}: expected {expected:R}, got {actual:R}");

    [Fact]
    public void Batch_inverse_cdf_equals_the_scalar_function_bit_for_bit()
    {
        var edges = new[] { 1e-300, 1e-16, 1e-10, 0.02425, Math.BitDecrement(0.02425), Math.BitIncrement(0.02425), 0.5, Math.BitIncrement(0.5),
            1 - 0.02425, Math.BitIncrement(1 - 0.02425), Math.BitDecrement(1 - 0.02425), 1 - 1e-16, 0.3, 0.7 };
        // 20,003 values: not a multiple of any vector width, so the scalar remainder is exercised too.
        var p = Uniforms(20_000, 11).Concat(edges).Concat(edges.Reverse()).Take(20_003).ToArray();
        var z = new double[p.Length];
        FastNormal.InverseCdf(p, z);
        for (int i = 0; i < p.Length; i++) AssertSameBits(NormalMath.InverseCdf(p[i]), z[i], $"Φ⁻¹({p[i]:R})");
    }

    [Fact]
    public void Copula_scores_equal_the_row_by_row_product()
    {
        const int d = 5, count = 1_001; // several 256-row blocks and a ragged end
        var l = new double[d * d];
        var fill = new SeededRandom(3);
        for (int k = 0; k < d; k++) for (int j = 0; j <= k; j++) l[k * d + j] = fill.NextDouble() * 2 - 1;
        var scores = Enumerable.Range(0, d).Select(_ => new double[count]).ToArray();
        CopulaScores.Draw(new SeededRandom(77), l, d, count, scores);

        var rng = new SeededRandom(77);
        var e = new double[d];
        for (int i = 0; i < count; i++)
        {
            for (int k = 0; k < d; k++) e[k] = NormalMath.InverseCdf(rng.NextOpenUnit());
            for (int k = 0; k < d; k++)
            {
                double sum = 0;
                for (int j = 0; j <= k; j++) sum += l[k * d + j] * e[j];
                AssertSameBits(sum, scores[k][i], $"row {i}, dimension {k}");
            }
        }
    }

    public static TheoryData<string> Discretes => new() { "poisson(4)", "poisson(12)", "binomial(n=20, p=0.3)", "zipf(s=1.2, n=50)", "poisson(0.01)" };

    private static NumericMarginal Marginal(string text) =>
        NumericMarginal.Create(SpecReader.FromYaml($"version: 1\ncolumns:\n  x: {text}\n").Tables[0].Columns[0].Distribution, null, null);

    /// <summary>The first value whose CDF reaches u, by walking the integers (what the binary search used to return).</summary>
    private static double Reference(NumericMarginal m, double u)
    {
        double k = 0;
        while (m.Cdf(k) < u && k < 100_000) k++;
        return k;
    }

    [Theory]
    [MemberData(nameof(Discretes))]
    public void Discrete_quantiles_by_guide_table_equal_the_first_value_reaching_u(string text)
    {
        var m = Marginal(text);
        var u = Uniforms(50_000, 5).ToList();
        for (int k = 0; k < 80; k++)
        {
            double c = m.Cdf(k);
            if (c is > 0 and < 1) u.AddRange([c, Math.BitIncrement(c), Math.BitDecrement(c)]);
        }
        foreach (double x in u) Assert.Equal(Reference(m, x), m.Quantile(x));
    }

    [Theory]
    [MemberData(nameof(Discretes))]
    public void Discrete_values_from_normal_scores_equal_those_through_the_uniform(string text)
    {
        var m = Marginal(text);
        Assert.True(m.FillsFromNormal);
        var z = Uniforms(50_000, 9).Select(NormalMath.InverseCdf).Concat([-12, -8.5, -3, 0, 3, 8.5, 12]).ToArray();
        var values = new double[z.Length];
        Assert.True(m.TryFillFromNormal(z, values));
        for (int i = 0; i < z.Length; i++) Assert.Equal(m.Quantile(FastNormal.Cdf(z[i])), values[i]);
    }

    [Fact]
    public void Vector_rounding_equals_Math_Round_to_even()
    {
        var rng = new SeededRandom(21);
        var values = Enumerable.Range(0, 4_003).Select(i => (rng.NextDouble() - 0.5) * Math.Pow(10, i % 19 - 3))
            .Concat([2.675, 0.125, -0.125, 2.5, -2.5, 1e16 + 2, -3e17, double.NaN, double.PositiveInfinity, -0.0, 0.005, 1.005]).ToArray();
        for (int digits = 0; digits <= 15; digits++)
        {
            var rounded = (double[])values.Clone();
            NumericPlan.RoundToEven(rounded, digits);
            for (int i = 0; i < values.Length; i++) AssertSameBits(Math.Round(values[i], digits, MidpointRounding.ToEven), rounded[i], $"{values[i]:R} to {digits} digits");
        }
    }

    [Fact]
    public void Label_codes_equal_the_scalar_lookup_with_zero_weights_and_boundaries()
    {
        var sampler = new CategoricalSampler(new Distribution.Categorical(["a", "b", "c", "d", "e"], [0.2, 0, 0.5, 0.3, 0]));
        var u = Uniforms(20_000, 4).Concat([0.2, Math.BitIncrement(0.2), 0.7, Math.BitIncrement(0.7), 1.0, 1e-300]).ToArray();
        var codes = new int[u.Length];
        sampler.Codes(u, codes);
        for (int i = 0; i < u.Length; i++) Assert.Equal(sampler.Code(u[i]), codes[i]);
        Assert.DoesNotContain(1, codes); // a zero-weight label is never drawn
    }

    [Fact]
    public void Parquet_sink_reads_back_chunks_with_changing_labels_and_missing_values()
    {
        // Two chunks large enough to be encoded column-parallel; the second has a different label list and gaps.
        const int n = 20_000;
        var rng = new SeededRandom(8);
        Table Chunk(string[] labels, bool gaps) => new([
            new CategoricalColumn("k", Enumerable.Range(0, n).Select(i => gaps && i % 7 == 0 ? -1 : (int)(rng.NextDouble() * labels.Length)).ToArray(), labels),
            new NumericColumn("x", Enumerable.Range(0, n).Select(_ => Math.Round(rng.NextDouble() * 100, 2)).ToArray(),
                gaps ? Bitmask.FromBools(Enumerable.Range(0, n).Select(i => i % 5 == 0).ToArray()) : null, isInteger: false, decimalPlaces: 2),
            new NumericColumn("n", Enumerable.Range(0, n).Select(i => (double)(i % 13)).ToArray(), isInteger: true),
            new BooleanColumn("b", Enumerable.Range(0, n).Select(i => i % 3 == 0).ToArray()),
        ]);
        var first = Chunk(["north", "south"], gaps: false);
        var second = Chunk(["ä-umlaut", "x y", "west, east"], gaps: true);
        var path = Path.Combine(TestData.NewTempDir(), "chunks.parquet");
        using (var sink = TableSinks.Open(path))
        {
            sink.Write(first);
            sink.Write(second);
            sink.Complete();
        }
        var back = TableReader.Read(path);
        Assert.Equal(2 * n, back.RowCount);
        foreach (int row in new[] { 0, 1, 6, 7, n - 1 })
        {
            Assert.Equal(first.FormatRow(row), back.FormatRow(row));
            Assert.Equal(second.FormatRow(row), back.FormatRow(n + row));
        }
        Assert.Equal(second["k"].MissingCount + second["x"].MissingCount, back["k"].MissingCount + back["x"].MissingCount);
    }
}
