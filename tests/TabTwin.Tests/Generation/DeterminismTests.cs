using TabTwin.Generation;
using TabTwin.IO;
using TabTwin.Tests.Support;
using static TabTwin.Tests.Generation.GenerationTestKit;

namespace TabTwin.Tests.Generation;

/// <summary>Identical output for any thread count; shards whose concatenation is the single run, byte for byte.</summary>
public class DeterminismTests
{
    private const string Columns = """
        id: { type: id, format: "C{00000000}" }
        email: email
        code: { type: id, format: "{X:6}" }
        x: { type: normal, mean: 0, sd: 1, missing: 0.1 }
        n: poisson(3)
        k: { type: categorical, values: [a, b, c] }
        at: { type: datetime, from: 2024-01-01, to: 2024-02-01 }
        y: { formula: "x * 2 + n", round: 3 }
        """;

    // 2 full chunks and a partial one: over 4 shards one shard is empty, the others get one chunk each.
    private const long Rows = DataGenerator.ChunkRows * 2 + 5000;

    private static string CsvOf(GenerateOptions options, string file)
    {
        var path = Path.Combine(TestData.NewTempDir(), file);
        DataGenerator.GenerateTo(Spec(Columns, Rows), path, options: options with { Seed = 5 });
        return File.ReadAllText(path);
    }

    [Fact]
    public void Output_is_identical_for_any_thread_count_and_differs_by_seed()
    {
        var one = CsvOf(new GenerateOptions { Threads = 1 }, "a.csv");
        var three = CsvOf(new GenerateOptions { Threads = 3 }, "b.csv");
        Assert.Equal(one, three);
        var other = DataGenerator.Generate(Spec(Columns, 1000), options: new GenerateOptions { Seed = 6 });
        var same = DataGenerator.Generate(Spec(Columns, 1000), options: new GenerateOptions { Seed = 5 });
        Assert.NotEqual(same.FormatRow(10), other.FormatRow(10));
    }

    [Fact]
    public void Shards_concatenate_to_the_single_run_byte_for_byte()
    {
        var whole = CsvOf(new GenerateOptions(), "whole.csv");
        var parts = Enumerable.Range(1, 4).Select(k => CsvOf(new GenerateOptions { Shard = new Shard(k, 4) }, $"part{k}.csv")).ToList();
        // Every shard file has the header; the data lines of shards 1..n in order are the single run's.
        string header = whole[..(whole.IndexOf('\n') + 1)];
        Assert.All(parts, p => Assert.StartsWith(header, p));
        Assert.Equal(whole, header + string.Concat(parts.Select(p => p[header.Length..])));
        // Split by row index, not by 65,536-row chunk: the 3 chunks' rows are shared evenly by all 4 shards.
        var sizes = parts.Select(p => p.Count(c => c == '\n') - 1).ToArray();
        Assert.All(sizes, s => Assert.InRange(s, Rows / 4, (Rows + 3) / 4));
    }

    [Fact]
    public void Shard_ranges_cover_the_rows_exactly_once()
    {
        foreach (long rows in new long[] { 0, 1, 65536, 1_000_000, 10_000_000 })
            foreach (int n in new[] { 1, 3, 8, 200 })
            {
                long next = 0;
                for (int k = 1; k <= n; k++)
                {
                    var (first, count) = DataGenerator.ShardRange(rows, new Shard(k, n));
                    Assert.Equal(next, first);
                    Assert.InRange(count, rows / n, (rows + n - 1) / n); // even: sizes differ by at most one row
                    next += count;
                }
                Assert.Equal(rows, next);
            }
    }

    [Fact]
    public void Parquet_output_streams_and_reads_back_with_types()
    {
        var path = Path.Combine(TestData.NewTempDir(), "g.parquet");
        var result = DataGenerator.GenerateTo(Spec(Columns, 70_000), path, options: new GenerateOptions { Seed = 5 });
        Assert.Equal(70_000, result.Rows);
        var back = TableReader.Read(path);
        var direct = DataGenerator.Generate(Spec(Columns, 70_000), options: new GenerateOptions { Seed = 5 });
        Assert.Equal(direct.ColumnNames, back.ColumnNames);
        foreach (int row in new[] { 0, 1, 65535, 65536, 69_999 })
            Assert.Equal(direct.FormatRow(row), back.FormatRow(row));
        Assert.Equal(direct["x"].MissingCount, back["x"].MissingCount);
    }

    [Fact]
    public void Sqlite_output_holds_every_row()
    {
        var path = Path.Combine(TestData.NewTempDir(), "g.db");
        DataGenerator.GenerateTo(Spec(Columns, 70_000), "sqlite:" + path, options: new GenerateOptions { Seed = 5 });
        var back = TableReader.Read("sqlite:" + path, new ReadOptions { TableName = "data" });
        Assert.Equal(70_000, back.RowCount);
        var direct = DataGenerator.Generate(Spec(Columns, 70_000), options: new GenerateOptions { Seed = 5 });
        Assert.Equal(direct.FormatRow(66_000)[0], back.FormatRow(66_000)[0]);
    }
}
