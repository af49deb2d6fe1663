using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.GaussianCopula;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.GaussianCopula;

/// <summary>
/// <see cref="GaussianCopulaSynthesizer.FitStreaming"/>: with the whole table as its sample it is the in-memory fit up to
/// the rounding of the correlation sums; its model does not depend on the chunk size or thread count; and from a small
/// sample its missing rates are still the whole table's, exactly, and its category shares the table's.
/// </summary>
public sealed class StreamingCopulaTests
{
    // Missing ages, fares and embarkation ports, categories, whole numbers and a long-tailed fare.
    private static readonly Lazy<Table> Titanic = new(() => TableReader.Read(TestData.Dataset("titanic", "titanic3.csv"))
        .Select(["pclass", "survived", "sex", "age", "sibsp", "parch", "fare", "embarked", "body"]));

    private static readonly Lazy<TableSchema> Schema = new(() => SchemaDetector.Detect(Titanic.Value));

    private static GaussianCopulaModel Streamed(Table sample, int chunkRows, int threads = 2) =>
        new GaussianCopulaSynthesizer().FitStreaming(new InMemoryChunks(Titanic.Value, chunkRows), sample, Schema.Value,
            new FitContext(4) { MaxThreads = threads });

    private static double[] Correlations(GaussianCopulaModel model)
    {
        int d = model.DimensionNames.Length;
        return [.. Enumerable.Range(0, d * d).Select(k => model.Correlation(k / d, k % d))];
    }

    [Fact]
    public void With_the_whole_table_as_sample_it_is_the_in_memory_fit()
    {
        var inMemory = new GaussianCopulaSynthesizer().Fit(Titanic.Value, Schema.Value, new FitContext(4));
        var streamed = Streamed(Titanic.Value, 300);
        Assert.Equal(inMemory.DimensionNames.AsEnumerable(), streamed.DimensionNames.AsEnumerable());
        Assert.Equal(inMemory.Marginals.AsEnumerable(), streamed.Marginals.AsEnumerable());
        var (a, b) = (Correlations(inMemory), Correlations(streamed));
        double worst = a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(worst < 1e-9, $"largest correlation difference {worst}");
        Assert.Contains(a, v => Math.Abs(v) > 0.2 && v < 1);   // there is dependence to get right
    }

    [Fact]
    public void The_model_does_not_depend_on_the_chunk_size_or_the_threads()
    {
        var sample = TableReservoir.Read(new InMemoryChunks(Titanic.Value, 500), 600, 4).Sample;
        var reference = Streamed(sample, 1_309, threads: 1);
        foreach (var (chunk, threads) in new[] { (100, 2), (777, 1), (5_000, 2) })
        {
            var other = Streamed(sample, chunk, threads);
            Assert.Equal(Correlations(reference), Correlations(other));
            Assert.Equal(Csv(reference.Sample(500, 9)), Csv(other.Sample(500, 9)));
        }
    }

    [Fact]
    public void From_a_small_sample_missing_rates_and_category_shares_are_the_whole_table_s()
    {
        var table = Titanic.Value;
        var sample = TableReservoir.Read(new InMemoryChunks(table, 500), 300, 4).Sample;
        var inMemory = new GaussianCopulaSynthesizer().Fit(table, Schema.Value, new FitContext(4));
        var fromSample = new GaussianCopulaSynthesizer().Fit(sample, Schema.Value, new FitContext(4));
        var streamed = Streamed(sample, 200);
        for (int c = 0; c < inMemory.Marginals.Length; c++)
            Assert.Equal(inMemory.Marginals[c].MissingFraction, streamed.Marginals[c].MissingFraction, 12);
        Assert.NotEqual(inMemory.Marginals.Select(m => m.MissingFraction), fromSample.Marginals.Select(m => m.MissingFraction));
        // Drawn rows follow the whole table's shares: the port shares of 20,000 rows sit within sampling noise of the table's.
        var drawn = streamed.Sample(20_000, 1)["embarked"];
        var real = table["embarked"];
        foreach (var port in new[] { "S", "C", "Q" })
        {
            double want = Share(real, port), got = Share(drawn, port);
            Assert.True(Math.Abs(want - got) < 0.015, $"{port}: table {want:0.000}, streamed model {got:0.000}");
        }
    }

    /// <summary>
    /// From a sample, the correlations still come from every row; among numerical columns they match memory's up to the
    /// sample's marginals (a discrete column's sign follows its category order, learned on the sample, so it may flip and
    /// is not compared). Adult with a 4,000-row sample, as a large table with a 200,000-row sample would be.
    /// </summary>
    [Fact]
    public void From_a_sample_the_correlations_of_numbers_are_close_to_the_in_memory_fit_s()
    {
        var table = AdultData.Table;
        var schema = AdultData.Schema;
        var sample = TableReservoir.Read(new InMemoryChunks(table, 5_000), 4_000, 2).Sample;
        var inMemory = new GaussianCopulaSynthesizer().Fit(table, schema, new FitContext(2));
        var streamed = new GaussianCopulaSynthesizer().FitStreaming(new InMemoryChunks(table, 5_000), sample, schema, new FitContext(2));
        var names = inMemory.DimensionNames;
        Assert.Equal(names.AsEnumerable(), streamed.DimensionNames.AsEnumerable());
        var numbers = Enumerable.Range(0, names.Length).Where(i => AdultData.NumericalColumns.Contains(names[i])).ToArray();
        Assert.Equal(6, numbers.Length);
        double worst = 0;
        foreach (int i in numbers)
            foreach (int j in numbers)
            {
                double gap = Math.Abs(inMemory.Correlation(i, j) - streamed.Correlation(i, j));
                worst = Math.Max(worst, gap);
                Assert.True(gap < 0.05, $"{names[i]} × {names[j]}: in memory {inMemory.Correlation(i, j):0.000}, streamed {streamed.Correlation(i, j):0.000}");
            }
        Assert.True(numbers.Any(i => numbers.Any(j => Math.Abs(inMemory.Correlation(i, j)) is > 0.05 and < 1)), "no dependence to get right");
    }

    private static double Share(Column column, string value) =>
        Enumerable.Range(0, column.Length).Count(i => column.FormatValue(i) == value) / (double)column.Length;

    private static string Csv(Table table) =>
        string.Join("\n", Enumerable.Range(0, table.RowCount).Select(i => string.Join(",", table.FormatRow(i))));
}
