using TabTwin.Generation;
using TabTwin.IO;
using TabTwin.Sampling;
using TabTwin.Schema;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.GaussianCopula;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Sampling;

/// <summary>
/// <see cref="PartitionedSampling"/> under conditions (<c>sample --parts --where</c>): each global chunk is conditioned on
/// its own, so shards and thread counts give the same bytes, the run holds exactly its rows, every row satisfies the
/// conditions, and a condition too rare for a model that only rejects is refused as the in-memory path refuses it.
/// </summary>
public sealed class PartitionedWhereTests
{
    // More than two chunks, so parts begin and end inside chunks and a chunk is shared by two parts.
    private const long Rows = 150_000;

    private static Lazy<ISynthesizerModel> Cards => PartitionedSamplingTests.Cards;
    private static string[] PartFiles(string folder) => PartitionedSamplingTests.PartFiles(folder);
    private static Table ReadAll(string folder) => PartitionedSamplingTests.ReadAll(folder);

    [Fact]
    public void Shards_and_threads_give_the_same_bytes_every_row_matches_and_the_count_is_exact()
    {
        var dir = TestData.NewTempDir();
        var plan = new PartitionPlan(Rows, 5);
        var gold = ConditionParser.ParseAll(["type=gold"], Cards.Value.Schema);
        string whole = Path.Combine(dir, "whole"), sharded = Path.Combine(dir, "sharded");
        var result = PartitionedSampling.Sample(Cards.Value, plan, 7, whole, conditions: gold);
        Assert.Equal(Rows, result.Rows);
        foreach (var shard in new[] { new Shard(3, 3), new Shard(1, 3), new Shard(2, 3) })
            PartitionedSampling.Sample(Cards.Value, plan, 7, sharded, shard, maxThreads: 1, conditions: gold);
        Assert.True(File.Exists(Path.Combine(sharded, PartitionedSampling.SuccessMarker)));
        Assert.Equal(PartFiles(whole), PartFiles(sharded));
        foreach (var name in PartFiles(whole))
            Assert.True(File.ReadAllBytes(Path.Combine(whole, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(sharded, name))), name);

        var all = ReadAll(whole);
        Assert.Equal(Rows, all.RowCount);
        for (int i = 0; i < all.RowCount; i++) Assert.True(gold.Matches(all, i), $"row {i}: {string.Join(", ", all.FormatRow(i))}");
        // Keys still come from the global row numbers, so they stay distinct across parts under conditions too.
        var keys = all["card_id"];
        Assert.Equal(Rows, Enumerable.Range(0, keys.Length).Select(keys.FormatValue).Distinct().Count());

        // A row depends on its number only: two parts hold the same rows as five.
        string two = Path.Combine(dir, "two");
        PartitionedSampling.Sample(Cards.Value, new PartitionPlan(Rows, 2), 7, two, conditions: gold);
        Assert.Equal(Csv(all), Csv(ReadAll(two)));
        // And the conditions change the rows: the unconditioned run is not the same sample.
        string free = Path.Combine(dir, "free");
        PartitionedSampling.Sample(Cards.Value, plan, 7, free);
        Assert.NotEqual(Csv(all), Csv(ReadAll(free)));
    }

    [Fact]
    public void A_model_that_only_rejects_meets_common_conditions_and_refuses_impossible_ones_like_the_in_memory_path()
    {
        var dir = TestData.NewTempDir();
        var model = new RejectingOnly(Cards.Value);
        var notClassic = ConditionParser.ParseAll(["type!=classic"], model.Schema);
        string a = Path.Combine(dir, "a"), b = Path.Combine(dir, "b");
        PartitionedSampling.Sample(model, new PartitionPlan(Rows, 3), 2, a, conditions: notClassic);
        PartitionedSampling.Sample(model, new PartitionPlan(Rows, 4), 2, b, maxThreads: 1, conditions: notClassic);
        var rows = ReadAll(a);
        Assert.Equal(Rows, rows.RowCount);
        for (int i = 0; i < rows.RowCount; i++) Assert.True(notClassic.Matches(rows, i), $"row {i}");
        Assert.Equal(Csv(rows), Csv(ReadAll(b)));

        // A category the model never makes: no candidate matches, so the chunk gives up, as sample --where does.
        var never = ConditionParser.ParseAll(["type=platinum"], model.Schema);
        var inMemory = Assert.Throws<TabTwinException>(() => model.Sample(1_000, never, 2));
        string c = Path.Combine(dir, "c");
        var parts = Assert.Throws<TabTwinException>(() => PartitionedSampling.Sample(model, new PartitionPlan(Rows, 3), 2, c, conditions: never));
        Assert.Equal("sampling.condition-unreachable", inMemory.Code);
        Assert.Equal(inMemory.Code, parts.Code);
        Assert.StartsWith("Could not sample 65,536 rows where type = platinum", parts.Message, StringComparison.Ordinal);
        Assert.Contains("each chunk of 65,536 rows on its own", parts.Message, StringComparison.Ordinal);
        Assert.Equal(inMemory.Hint, parts.Hint);
        Assert.Empty(Directory.GetFileSystemEntries(c));   // no parts, no marker, no staging folder
    }

    [Fact]
    public void A_condition_the_schema_rules_out_is_refused_before_any_folder_is_made()
    {
        var dir = Path.Combine(TestData.NewTempDir(), "out");
        var onKey = ConditionSet.Of(new EqualsCondition("card_id", "5"));
        var e = Assert.Throws<TabTwinException>(() => PartitionedSampling.Sample(Cards.Value, new PartitionPlan(1_000, 2), 1, dir, conditions: onKey));
        Assert.Equal("condition.wrong-kind", e.Code);
        Assert.False(Directory.Exists(dir));
    }

    private static string Csv(Table table)
    {
        using var writer = new StringWriter();
        for (int i = 0; i < table.RowCount; i++) writer.WriteLine(string.Join(",", table.FormatRow(i)));
        return writer.ToString();
    }

    /// <summary>
    /// Samples like <paramref name="inner"/> but does not condition natively, so conditions go through the bounded
    /// rejection fallback. Its schema declares no keys (partitioned sampling knows the key formats of the library's models only).
    /// </summary>
    private sealed class RejectingOnly(ISynthesizerModel inner) : ISynthesizerModel
    {
        public string SynthesizerName => "rejecting-only";
        public TableSchema Schema { get; } = inner.Schema with
        {
            Columns = [.. inner.Schema.Columns.Select(c => c.Kind == ColumnKind.Id ? c with { Kind = ColumnKind.Categorical } : c)],
        };
        public void Write(TabTwin.Bundles.ModelBundleWriter bundle) => inner.Write(bundle);
        public Table Sample(int rows, ulong seed, SampleContext? context = null) => inner.Sample(rows, seed, context);
    }
}
