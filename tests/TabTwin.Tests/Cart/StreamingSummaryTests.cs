using CsCheck;
using TabTwin.IO;
using TabTwin.Synthesizers.Cart;
using TabTwin.Synthesizers.Cart.Streaming;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using Xunit;

namespace TabTwin.Tests.Cart;

/// <summary>The summaries a streaming fit keeps instead of rows: the quantile sketch, the exact tails, the reservoir.</summary>
public sealed class StreamingSummaryTests
{
    [Fact]
    public void Sketch_ranks_are_within_the_bound_on_a_real_skewed_column()
    {
        // Beijing pm2.5 (skewed, many ties) repeated to 400 k values: ranks off by at most n·log2(n/k)/k.
        var table = TableReader.Read(TestData.Dataset("beijing_pm25", "beijing_pm25.csv"));
        var pm = (NumericColumn)table["pm"];
        var values = Enumerable.Range(0, 10).SelectMany(_ => Enumerable.Range(0, pm.Length).Where(i => !pm.IsMissing(i)).Select(i => pm[i])).ToArray();
        var sketch = new QuantileSketch(256);
        foreach (double v in values) sketch.Add(v);
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        double bound = n * Math.Log2((double)n / 256) / 256;
        foreach (double q in new[] { 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99 })
        {
            long rank = (long)(q * (n - 1));
            double v = sketch.ValueAtRank(rank);
            int below = Array.BinarySearch(sorted, v) is var i && i >= 0 ? LowerBound(sorted, v) : ~i;
            int upTo = UpperBound(sorted, v) - 1;
            double off = rank < below ? below - rank : rank > upTo ? rank - upTo : 0;
            Assert.True(off <= bound, $"q={q}: value {v} spans ranks {below}–{upTo}, {off} from {rank} (bound {bound:F0})");
        }
    }

    [Fact]
    public void Sketch_is_deterministic_and_merges_in_order()
    {
        Gen.Double[-1e6, 1e6].Array[1, 5_000].Sample(values =>
        {
            var a = new QuantileSketch(64);
            var b = new QuantileSketch(64);
            foreach (double v in values) { a.Add(v); b.Add(v); }
            Assert.Equal(a.ValueAtRank(values.Length / 2), b.ValueAtRank(values.Length / 2));
            var left = new QuantileSketch(64); var right = new QuantileSketch(64);
            for (int i = 0; i < values.Length; i++) (i < values.Length / 2 ? left : right).Add(values[i]);
            left.Merge(right);
            Assert.Equal(values.Length, left.Count);
            var sorted = values.Order().ToArray();
            double median = left.ValueAtRank(values.Length / 2);
            Assert.InRange(median, sorted[0], sorted[^1]);
        }, iter: 200);
    }

    [Fact]
    public void Tails_are_exact_whatever_the_order()
    {
        Gen.Double[-1e3, 1e3].Array[1, 3_000].Select(Gen.Int[1, 40]).Sample((values, tail) =>
        {
            var stats = new ContinuousColumnStats(tail, 64);
            var mask = new Bitmask.Builder(values.Length).Build();
            stats.Add(values, mask, values.Length);
            var sorted = values.Order().ToArray();
            for (int i = 0; i < Math.Min(tail, values.Length); i++)
            {
                Assert.Equal(sorted[i], stats.Smallest(i));
                Assert.Equal(sorted[^(i + 1)], stats.LargestAt(i));
            }
        }, iter: 200);
    }

    [Fact]
    public void Reservoir_is_uniform_seeded_and_independent_of_chunking()
    {
        var table = TableReader.Read(TestData.Dataset("titanic", "titanic3.csv"));
        var (a, rows) = TableReservoir.Read(new InMemoryChunks(table, 100), 300, seed: 5);
        var (b, _) = TableReservoir.Read(new InMemoryChunks(table, 1_000), 300, seed: 5);
        var (c, _) = TableReservoir.Read(new InMemoryChunks(table, 100), 300, seed: 6);
        Assert.Equal(table.RowCount, rows);
        Assert.Equal(300, a.RowCount);
        Assert.Equal(Rows(a), Rows(b));
        Assert.NotEqual(Rows(a), Rows(c));
        // Uniform: the sample's survival rate and mean age match the table's within sampling error (3 standard errors).
        double Rate(Table t) => ((NumericColumn)t["survived"]).Values.ToArray().Average();
        double p = Rate(table);
        Assert.InRange(Rate(a), p - 3 * Math.Sqrt(p * (1 - p) / 300), p + 3 * Math.Sqrt(p * (1 - p) / 300));
        // Smaller than the capacity: every row, in order.
        var (all, _) = TableReservoir.Read(new InMemoryChunks(table, 64), 5_000, seed: 1);
        Assert.Equal(Rows(table), Rows(all));
    }

    private static List<string> Rows(Table t) => Enumerable.Range(0, t.RowCount).Select(i => string.Join("|", t.FormatRow(i))).ToList();

    private static int LowerBound(double[] sorted, double v) { int i = 0; while (i < sorted.Length && sorted[i] < v) i++; return i; }
    private static int UpperBound(double[] sorted, double v) { int i = LowerBound(sorted, v); while (i < sorted.Length && sorted[i] <= v) i++; return i; }
}
