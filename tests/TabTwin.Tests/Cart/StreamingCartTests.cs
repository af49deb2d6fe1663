using TabTwin.Encoding;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Synthesizers.Cart.Streaming;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using Xunit;

namespace TabTwin.Tests.Cart;

/// <summary>
/// The streaming CART fit (issue 18): passes over chunks give the in-memory fit's model on the same bins — same trees,
/// byte-identical samples — whatever the chunk size, thread count or histogram budget.
/// </summary>
public sealed class StreamingCartTests
{
    private static readonly Lazy<Table> Titanic = new(() => TableReader.Read(TestData.Dataset("titanic", "titanic3.csv"))
        .Select(["pclass", "survived", "sex", "age", "sibsp", "parch", "fare", "embarked", "boat", "home.dest"]));

    private static readonly Lazy<Table> Beijing = new(() => TableReader.Read(TestData.Dataset("beijing_pm25", "beijing_pm25.csv")));

    private static (CartModel Model, StreamingCartFitter.Result Result) Streamed(Table table, CartOptions options, int chunkRows, int threads, long histogramBytes,
        bool spill = true)
    {
        var schema = SchemaDetector.Detect(table);
        var encoding = TableEncoding.Fit(table, schema, options.EffectiveEncoding);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        var result = StreamingCartFitter.Fit(new InMemoryChunks(table, chunkRows), encoding, table.RowCount, options,
            new StreamingFitOptions { HistogramBytes = histogramBytes, Spill = spill }, parallel, null);
        return (new CartModel(encoding, options, result.Order, result.Columns), result);
    }

    private static CartModel InMemoryOnSameBins(Table table, CartOptions options, CartBinning?[] binning)
    {
        var schema = SchemaDetector.Detect(table);
        var encoding = TableEncoding.Fit(table, schema, options.EffectiveEncoding);
        var (order, columns) = CartFitter.Fit(encoding.Encode(table), options, new ParallelOptions { MaxDegreeOfParallelism = 2 }, null, binning);
        return new CartModel(encoding, options, order, columns);
    }

    private static void AssertSameModel(CartModel expected, CartModel actual)
    {
        Assert.Equal(expected.Order, actual.Order);
        for (int j = 0; j < expected.Columns.Length; j++)
        {
            var (e, a) = (expected.Columns[j], actual.Columns[j]);
            Assert.Equal(e.Edges, a.Edges);
            Assert.Equal((e.Low, e.High), (a.Low, a.High));
            AssertSameTree(e.Tree, a.Tree, e.Name);
            Assert.Equal(e.MissingTree is null, a.MissingTree is null);
            if (e.MissingTree is not null) AssertSameTree(e.MissingTree, a.MissingTree!, e.Name + " (missing)");
        }
        var sampleA = CsvText(expected.Sample(3_000, 7));
        var sampleB = CsvText(actual.Sample(3_000, 7));
        Assert.Equal(sampleA, sampleB);
    }

    private static void AssertSameTree(CartTree e, CartTree a, string column)
    {
        Assert.True(e.PackInts().SequenceEqual(a.PackInts()), $"{column}: the streamed tree's nodes differ ({e.NodeCount} vs {a.NodeCount} nodes).");
        Assert.True(e.LeafValues.SequenceEqual(a.LeafValues), $"{column}: the streamed tree's leaves differ.");
    }

    private static string CsvText(Table table)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tabtwin-stream-{Guid.NewGuid():N}.csv");
        try { TableWriter.Write(table, path); return File.ReadAllText(path); }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData(257, 1, 256L << 20)]
    [InlineData(1_000, 2, 256L << 20)]
    [InlineData(5_000, 2, 64L << 10)] // a budget of a few nodes: a level takes several passes
    public void Titanic_streamed_model_equals_the_in_memory_fit_on_the_same_bins(int chunkRows, int threads, long budget)
    {
        var options = new CartOptions();
        var (streamed, result) = Streamed(Titanic.Value, options, chunkRows, threads, budget);
        Assert.True(result.Passes >= 3);
        AssertSameModel(InMemoryOnSameBins(Titanic.Value, options, result.Binning), streamed);
        Assert.True(streamed.Columns.Sum(c => c.Tree.NodeCount) > 2 * streamed.Columns.Length, "the trees must actually split");
    }

    [Fact]
    public void Beijing_streamed_model_equals_the_in_memory_fit_with_interval_grids_and_missing_values()
    {
        var table = Beijing.Value;
        var options = new CartOptions();
        var (streamed, result) = Streamed(table, options, 3_001, 2, 256L << 20);
        // pm2.5 has missing values and hundreds of distinct values: a missing tree and an interval leaf grid.
        Assert.Contains(streamed.Columns, c => c.MissingTree is not null);
        Assert.Contains(result.Binning, b => b?.Grid is { HasPoints: false });
        AssertSameModel(InMemoryOnSameBins(table, options, result.Binning), streamed);
    }

    [Fact]
    public void Chunking_does_not_change_the_model()
    {
        var options = new CartOptions();
        var (a, _) = Streamed(Titanic.Value, options, 100, 1, 256L << 20);
        var (b, _) = Streamed(Titanic.Value, options, 1_309, 2, 1L << 20);
        AssertSameModel(a, b);
        var (c, _) = Streamed(Titanic.Value, options, 500, 2, 256L << 20, spill: false); // every tree pass reads the source again
        AssertSameModel(a, c);
    }

    [Fact]
    public void Streamed_bins_stay_close_to_the_exact_ones()
    {
        // The sketch's edges: each bin of the exact in-memory fit holds 1/64 of the rows; the sketch's within half a bin.
        var table = Beijing.Value;
        var options = new CartOptions();
        var (streamed, _) = Streamed(table, options, 2_000, 2, 256L << 20);
        var exact = new CartSynthesizer(options).Fit(table, SchemaDetector.Detect(table), new FitContext());
        int checkedColumns = 0;
        foreach (var column in exact.Columns.Where(c => c.Kind == EncodedKind.Continuous))
        {
            var values = table[column.Name] is NumericColumn n ? Enumerable.Range(0, n.Length).Where(i => !n.IsMissing(i)).Select(i => n[i]).Order().ToArray() : null;
            if (values is null || values.Distinct().Count() <= options.MaxBins) continue; // few values: each its own bin, exactly
            var mine = streamed.Columns.Single(c => c.Name == column.Name).Edges;
            foreach (double edge in mine)
            {
                // The ranks the edge's value occupies (ties span many), and the distance from them to the nearest 1/64 quantile.
                int below = values.Count(v => v < edge), upTo = values.Count(v => v <= edge) - 1;
                double nearest = Enumerable.Range(1, options.MaxBins - 1).Select(b => (double)b * values.Length / options.MaxBins)
                    .Select(q => q < below ? below - q : q > upTo ? q - upTo : 0).Min();
                Assert.True(nearest <= 0.5 * values.Length / options.MaxBins, $"{column.Name}: edge {edge} (ranks {below}–{upTo}) is {nearest} rows from a 1/64 quantile");
            }
            checkedColumns++;
        }
        Assert.True(checkedColumns >= 2, "pm and Iws have more distinct values than bins");
    }

    [Fact]
    public void Streamed_shapes_match_the_in_memory_fit_on_point_masses()
    {
        // credit_default_taiwan's amounts: thousands of distinct values with a large share at exactly 0 (at the minimum of
        // PAY_AMT*). The leaf grid keeps each cut value exact; spreading them over their bin cost 0.03 of shape score.
        var table = TableReader.Read(TestData.Dataset("credit_default_taiwan", "credit_default_taiwan.csv")).Without("ID");
        var schema = SchemaDetector.Detect(table);
        var options = new CartOptions();
        var (streamed, result) = Streamed(table, options, 1_000, 2, 256L << 20);
        Assert.Contains(result.Binning, b => b?.Grid is { HasPoints: false });
        var inMemory = new CartSynthesizer(options).Fit(table, schema, new FitContext());
        double Shapes(ISynthesizerModel m) => TabTwin.Evaluation.Quality.QualityReport.Compute(table, m.Sample(table.RowCount, 3), schema).ColumnShapes;
        double exact = Shapes(inMemory), stream = Shapes(streamed);
        Assert.True(stream >= exact - 0.01, $"streamed shapes {stream:F3} against {exact:F3} in memory");
    }
}
