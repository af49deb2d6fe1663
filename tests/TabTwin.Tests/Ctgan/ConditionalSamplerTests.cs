using TabTwin.Encoding;
using TabTwin.Synthesizers.Ctgan;
using TabTwin.Synthesizers.NeuralData;
using TabTwin.Randomness;

namespace TabTwin.Tests.Ctgan;

public class ConditionalSamplerTests
{
    // Two discrete columns (3 and 2 categories) around a continuous one: [α][2 modes][a: 3][b: 2].
    private static readonly OutputSpan[] Spans =
    [
        new(0, 1, SpanActivation.Tanh, 0, SpanRole.Alpha),
        new(1, 2, SpanActivation.Softmax, 0, SpanRole.Mode),
        new(3, 3, SpanActivation.Softmax, 1, SpanRole.Category),
        new(6, 2, SpanActivation.Softmax, 2, SpanRole.Category),
    ];

    /// <summary>Rows with column a = 0 (900×), 1 (90×), 2 (10×) and b = row parity.</summary>
    private static (float[] Matrix, int Rows) Data()
    {
        const int rows = 1000, width = 8;
        var m = new float[rows * width];
        for (int i = 0; i < rows; i++)
        {
            int a = i < 900 ? 0 : i < 990 ? 1 : 2;
            m[i * width + 1] = 1;
            m[i * width + 3 + a] = 1;
            m[i * width + 6 + i % 2] = 1;
        }
        return (m, rows);
    }

    [Fact]
    public void Training_conditions_pick_columns_uniformly_and_categories_by_log_frequency()
    {
        var (matrix, rows) = Data();
        var sampler = ConditionalSampler.ForTraining(Spans, matrix, rows, 8);
        Assert.Equal(5, sampler.Width);
        Assert.Equal(2, sampler.DiscreteColumns);
        Assert.Equal([900L, 90, 10], sampler.Counts[0]);
        Assert.Equal(3, sampler.Offset(1));

        double z = Math.Log(901) + Math.Log(91) + Math.Log(11);
        double[] expected = [Math.Log(901) / z, Math.Log(91) / z, Math.Log(11) / z]; // ≈ 0.53, 0.35, 0.18
        var p = sampler.TrainingProbabilities(0);
        for (int k = 0; k < 3; k++) Assert.Equal(expected[k], p[k], 12);

        var random = new SeededRandom(1);
        var counts = new int[2, 3];
        const int draws = 200_000;
        for (int n = 0; n < draws; n++) { var (c, k) = sampler.SampleTraining(random); counts[c, k]++; }
        int firstColumn = counts[0, 0] + counts[0, 1] + counts[0, 2];
        Assert.InRange(firstColumn / (double)draws, 0.49, 0.51);
        for (int k = 0; k < 3; k++) Assert.InRange(counts[0, k] / (double)firstColumn, expected[k] - 0.01, expected[k] + 0.01);
        // The rare category (1 % of rows) is conditioned on in ~18 % of column-a draws: training-by-sampling.
    }

    [Fact]
    public void Generation_conditions_follow_the_real_frequencies()
    {
        var (matrix, rows) = Data();
        var sampler = ConditionalSampler.ForTraining(Spans, matrix, rows, 8);
        var random = new SeededRandom(2);
        var counts = new int[3];
        int total = 0;
        for (int n = 0; n < 100_000; n++)
        {
            var (c, k) = sampler.SampleOriginal(random);
            if (c == 0) { counts[k]++; total++; }
        }
        Assert.InRange(counts[0] / (double)total, 0.89, 0.91);
        Assert.InRange(counts[2] / (double)total, 0.007, 0.013);
    }

    [Fact]
    public void Real_rows_are_drawn_among_the_rows_holding_the_condition()
    {
        var (matrix, rows) = Data();
        var sampler = ConditionalSampler.ForTraining(Spans, matrix, rows, 8);
        var random = new SeededRandom(3);
        var seen = new HashSet<int>();
        for (int n = 0; n < 2000; n++)
        {
            int row = sampler.SampleRow(0, 2, random);
            Assert.InRange(row, 990, 999);
            seen.Add(row);
        }
        Assert.Equal(10, seen.Count); // uniform over the 10 rows: all of them appear
        for (int n = 0; n < 200; n++) Assert.Equal(1, sampler.SampleRow(1, 1, random) % 2);
    }

    [Fact]
    public void A_sampler_without_training_rows_cannot_draw_rows_and_counts_must_fit_the_spans()
    {
        var sampler = new ConditionalSampler(Spans, [[5L, 1, 0], [3L, 3]]);
        Assert.Throws<InvalidOperationException>(() => sampler.SampleRow(0, 0, new SeededRandom(1)));
        Assert.Throws<ArgumentException>(() => new ConditionalSampler(Spans, [[5L, 1], [3L, 3]]));
        // A category never seen is never drawn.
        var random = new SeededRandom(4);
        for (int n = 0; n < 1000; n++) Assert.NotEqual((0, 2), sampler.SampleTraining(random));
    }
}
