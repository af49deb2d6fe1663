using ParquetSharp;
using TabTwin.Generation;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.GaussianCopula;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Sampling;

/// <summary>
/// <see cref="PartitionedSampling"/>: shards' parts are the whole run's parts byte for byte; a row depends on its number only
/// (not on threads or the number of parts); keys stay unique across parts; a failed or cancelled job leaves no staging folder
/// and no marker; an existing output is replaced only with overwrite.
/// </summary>
public sealed class PartitionedSamplingTests
{
    // More than two chunks, so parts begin and end inside chunks and some span a chunk boundary.
    private const long Rows = 150_000;

    /// <summary>Berka's cards (card_id and disp_id are keys), fitted once with the copula (which also conditions natively).</summary>
    internal static readonly Lazy<ISynthesizerModel> Cards = new(() =>
    {
        var table = TableReader.Read(TestData.Dataset("berka_financial", "card.csv"));
        var detected = SchemaDetector.Detect(table);
        var schema = detected with
        {
            Columns = [.. detected.Columns.Select(c => c.Name is "card_id" or "disp_id" ? c with { Kind = ColumnKind.Id } : c)],
        };
        return new GaussianCopulaSynthesizer().Fit(table, schema, new FitContext(5));
    });

    internal static string[] PartFiles(string folder) =>
        [.. Directory.GetFiles(folder, "part-*.parquet").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    internal static Table ReadAll(string folder) =>
        TableConcat.Rows([.. PartFiles(folder).Select(f => TableReader.Read(Path.Combine(folder, f)))]);

    private static void AssertNoLeftovers(string folder)
    {
        if (!Directory.Exists(folder)) return;
        Assert.Empty(Directory.GetDirectories(folder, PartitionedSampling.StagingPrefix + "*"));
        Assert.Empty(Directory.GetFiles(folder, "_SUCCESS*"));
        Assert.Empty(Directory.GetFiles(folder, "*" + AtomicFile.TempSuffix, SearchOption.AllDirectories));
    }

    [Fact]
    public void Shards_write_the_whole_run_s_parts_byte_for_byte_and_keys_never_repeat_across_parts()
    {
        var dir = TestData.NewTempDir();
        var plan = new PartitionPlan(Rows, 5);
        string whole = Path.Combine(dir, "whole"), sharded = Path.Combine(dir, "sharded");
        var result = PartitionedSampling.Sample(Cards.Value, plan, 11, whole);
        Assert.Equal(Rows, result.Rows);
        Assert.Equal(5, result.PartsWritten);
        Assert.True(File.Exists(Path.Combine(whole, PartitionedSampling.SuccessMarker)));

        // Shard 2 commits first: the order shards finish in must not matter.
        PartitionedSampling.Sample(Cards.Value, plan, 11, sharded, new Shard(2, 2));
        Assert.False(File.Exists(Path.Combine(sharded, PartitionedSampling.SuccessMarker)));   // shard 1 is still missing
        PartitionedSampling.Sample(Cards.Value, plan, 11, sharded, new Shard(1, 2));
        Assert.True(File.Exists(Path.Combine(sharded, "_SUCCESS.shard-1-of-2")));
        Assert.True(File.Exists(Path.Combine(sharded, "_SUCCESS.shard-2-of-2")));
        Assert.True(File.Exists(Path.Combine(sharded, PartitionedSampling.SuccessMarker)));

        Assert.Equal(Enumerable.Range(0, 5).Select(PartitionPlan.PartFileName), PartFiles(whole));
        Assert.Equal(PartFiles(whole), PartFiles(sharded));
        foreach (var name in PartFiles(whole))
            Assert.True(File.ReadAllBytes(Path.Combine(whole, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(sharded, name))), name);

        var all = ReadAll(whole);
        Assert.Equal(Rows, all.RowCount);
        Assert.Equal(Cards.Value.Schema.Columns.Select(c => c.Name), all.ColumnNames);
        foreach (var key in new[] { "card_id", "disp_id" })
        {
            var column = all[key];
            var values = Enumerable.Range(0, column.Length).Select(column.FormatValue).ToList();
            Assert.All(values, v => Assert.NotNull(v));
            Assert.Equal(values.Count, values.Distinct(StringComparer.Ordinal).Count());
        }
        AssertNoLeftovers(Path.Combine(dir, "none"));
        Assert.Empty(Directory.GetDirectories(whole));
    }

    [Fact]
    public void A_row_depends_on_its_number_only_not_on_threads_or_the_number_of_parts()
    {
        var dir = TestData.NewTempDir();
        string one = Path.Combine(dir, "one"), many = Path.Combine(dir, "many"), seven = Path.Combine(dir, "seven");
        PartitionedSampling.Sample(Cards.Value, new PartitionPlan(Rows, 3), 7, one, maxThreads: 1);
        PartitionedSampling.Sample(Cards.Value, new PartitionPlan(Rows, 3), 7, many, maxThreads: 4);
        foreach (var name in PartFiles(one))
            Assert.True(File.ReadAllBytes(Path.Combine(one, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(many, name))), name);

        PartitionedSampling.Sample(Cards.Value, new PartitionPlan(Rows, 7), 7, seven);
        Assert.Equal(7, PartFiles(seven).Length);
        Assert.Equal(SampleTables.Rows(ReadAll(one)), SampleTables.Rows(ReadAll(seven)));

        // Another seed is other rows (the test above would pass for a model that ignored the seed otherwise).
        var other = Path.Combine(dir, "other");
        PartitionedSampling.Sample(Cards.Value, new PartitionPlan(Rows, 3), 8, other);
        Assert.NotEqual(SampleTables.Rows(ReadAll(one)), SampleTables.Rows(ReadAll(other)));
    }

    [Fact]
    public void Every_storage_type_goes_into_parts_text_keys_stay_unique_and_offsets_survive()
    {
        var (table, schema) = SampleTables.Mixed();
        var model = new GaussianCopulaSynthesizer().Fit(table, schema, new FitContext(2));
        var dir = Path.Combine(TestData.NewTempDir(), "mixed");
        PartitionedSampling.Sample(model, new PartitionPlan(70_000, 3), 4, dir);
        var back = ReadAll(dir);
        Assert.Equal(70_000, back.RowCount);
        Assert.Equal(table.ColumnNames, back.ColumnNames);
        var keys = Enumerable.Range(0, back.RowCount).Select(back["customer_id"].FormatValue).ToList();
        Assert.All(keys, k => Assert.Matches("^C-[0-9]{6}$", k!));
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.True(back.Get<DateTimeColumn>("stamp").HasOffset);
        Assert.InRange(back["email"].MissingCount / 70_000.0, 0.08, 0.25);
    }

    [Fact]
    public void A_part_is_written_one_row_group_per_chunk_it_touches()
    {
        var dir = TestData.NewTempDir();
        var plan = new PartitionPlan(Rows, 5);   // part 2 holds rows 60,000–89,999: the end of chunk 0 and the start of chunk 1
        Assert.Equal((60_000L, 30_000L), plan.PartRange(2));
        Assert.Equal(30_000, PartitionedSampling.WritePart(Cards.Value, plan, 2, 3, dir));
        using var reader = new ParquetFileReader(Path.Combine(dir, "part-00002.parquet"));
        Assert.Equal(2, reader.FileMetaData.NumRowGroups);
        Assert.Equal(30_000, reader.FileMetaData.NumRows);
    }

    [Fact]
    public void Cancelling_leaves_no_staging_folder_no_parts_and_no_marker()
    {
        var dir = Path.Combine(TestData.NewTempDir(), "out");
        using var cancel = new CancellationTokenSource();
        var progress = new Immediate(p => { if (p.Fraction > 0) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            PartitionedSampling.Sample(Cards.Value, new PartitionPlan(Rows, 4), 1, dir, progress: progress, maxThreads: 1, cancel: cancel.Token));
        AssertNoLeftovers(dir);
        Assert.Empty(Directory.GetFiles(dir, "*", SearchOption.AllDirectories));
        Assert.DoesNotContain(OutputCleanup.TrackedFolders, f => f.StartsWith(dir, StringComparison.Ordinal));
    }

    [Fact]
    public void A_failing_model_leaves_no_staging_folder_no_parts_and_no_marker()
    {
        var dir = Path.Combine(TestData.NewTempDir(), "out");
        var failing = new FailingAfter(Cards.Value, calls: 2);
        var e = Assert.Throws<TabTwinException>(() => PartitionedSampling.Sample(failing, new PartitionPlan(Rows, 3), 1, dir, maxThreads: 1));
        Assert.Equal("test.broken", e.Code);
        AssertNoLeftovers(dir);
        Assert.Empty(Directory.GetFiles(dir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void An_existing_output_is_replaced_only_with_overwrite_and_then_holds_only_the_new_parts()
    {
        var dir = Path.Combine(TestData.NewTempDir(), "out");
        PartitionedSampling.Sample(Cards.Value, new PartitionPlan(1000, 7), 1, dir);
        var e = Assert.Throws<DataSourceException>(() => PartitionedSampling.Sample(Cards.Value, new PartitionPlan(1000, 3), 1, dir));
        Assert.Equal("io.exists", e.Code);
        Assert.Equal(7, PartFiles(dir).Length);   // untouched

        File.WriteAllText(Path.Combine(dir, "README.txt"), "not ours");
        PartitionedSampling.Sample(Cards.Value, new PartitionPlan(1000, 3), 1, dir, overwrite: true);
        Assert.Equal(3, PartFiles(dir).Length);   // the old parts 3–6 are gone: the folder is one run
        Assert.True(File.Exists(Path.Combine(dir, "README.txt")));   // what is not ours stays
        Assert.Equal(1000, ReadAll(dir).RowCount);

        var file = Path.Combine(dir, "README.txt");
        Assert.Equal("io.exists", Assert.Throws<DataSourceException>(() => PartitionedSampling.CreateStaging(file, overwrite: true)).Code);
    }

    [Fact]
    public void A_shard_may_commit_beside_other_shards_but_not_over_its_own_parts()
    {
        var dir = Path.Combine(TestData.NewTempDir(), "out");
        var plan = new PartitionPlan(1000, 4);
        PartitionedSampling.Sample(Cards.Value, plan, 1, dir, new Shard(1, 2));
        Assert.Equal("io.exists", Assert.Throws<DataSourceException>(() => PartitionedSampling.Sample(Cards.Value, plan, 1, dir, new Shard(1, 2))).Code);
        PartitionedSampling.Sample(Cards.Value, plan, 1, dir, new Shard(1, 2), overwrite: true);
        PartitionedSampling.Sample(Cards.Value, plan, 1, dir, new Shard(2, 2));
        Assert.Equal(4, PartFiles(dir).Length);
        Assert.True(File.Exists(Path.Combine(dir, PartitionedSampling.SuccessMarker)));
    }

    [Fact]
    public void A_staging_folder_left_by_a_dead_process_is_removed_but_another_machine_s_only_after_a_quiet_day()
    {
        var dir = TestData.NewTempDir();
        string Staging(string pid, string host, TimeSpan age)
        {
            var path = Path.Combine(dir, $"{PartitionedSampling.StagingPrefix}{pid}-{host}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(path);
            var part = Path.Combine(path, "part-00000.parquet");
            File.WriteAllText(part, "x");
            File.SetLastWriteTimeUtc(part, DateTime.UtcNow - age);
            Directory.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
            return path;
        }
        var dead = Staging("999999999", OutputCleanup.HostTag, TimeSpan.FromMinutes(5));
        var alive = Staging(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), OutputCleanup.HostTag, TimeSpan.FromMinutes(5));
        var remoteBusy = Staging("999999999", "0badf00d", TimeSpan.FromHours(2));
        var remoteQuiet = Staging("999999999", "0badf00d", TimeSpan.FromDays(2));
        var deadButWriting = Staging("999999999", OutputCleanup.HostTag, TimeSpan.FromMinutes(5));
        File.WriteAllText(Path.Combine(deadButWriting, ".part-00001.parquet.1.x.tabtwin-tmp"), "fresh");   // a file written just now
        Directory.SetLastWriteTimeUtc(deadButWriting, DateTime.UtcNow - TimeSpan.FromMinutes(5));          // (writing to a file leaves the folder's time)

        Assert.Equal(2, OutputCleanup.RemoveStaleFolders(dir, PartitionedSampling.StagingPrefix));
        Assert.False(Directory.Exists(dead));
        Assert.False(Directory.Exists(remoteQuiet));
        Assert.True(Directory.Exists(alive));
        Assert.True(Directory.Exists(remoteBusy));
        Assert.True(Directory.Exists(deadButWriting));
    }

    [Fact]
    public void A_plan_tiles_the_rows_evenly_and_its_shards_tile_the_parts()
    {
        var plan = new PartitionPlan(1_000_000_007, 64);
        long next = 0;
        var sizes = new List<long>();
        for (int p = 0; p < plan.Parts; p++)
        {
            var (first, rows) = plan.PartRange(p);
            Assert.Equal(next, first);
            next += rows;
            sizes.Add(rows);
        }
        Assert.Equal(plan.TotalRows, next);
        Assert.True(sizes.Max() - sizes.Min() <= 1);
        Assert.Equal(Enumerable.Range(0, 64), Enumerable.Range(1, 5).SelectMany(k => plan.PartsOfShard(new Shard(k, 5))));
        Assert.Equal("part-00042.parquet", PartitionPlan.PartFileName(42));
        Assert.Equal("sample.parts", Assert.Throws<TabTwinException>(() => new PartitionPlan(0, 1)).Code);
        Assert.Equal("sample.parts", Assert.Throws<TabTwinException>(() => new PartitionPlan(10, 11)).Code);
        Assert.Equal("sample.parts", Assert.Throws<TabTwinException>(() => new PartitionPlan(10_000_000, PartitionPlan.MaxParts + 1)).Code);
    }

    [Fact]
    public void A_model_whose_key_format_is_unknown_is_refused_before_any_folder_is_made()
    {
        var dir = Path.Combine(TestData.NewTempDir(), "out");
        var e = Assert.Throws<TabTwinException>(() => PartitionedSampling.Sample(new Unknown(Cards.Value), new PartitionPlan(100, 2), 1, dir));
        Assert.Equal("sample.parts-unsupported", e.Code);
        Assert.Contains("card_id", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }

    /// <summary>A model type partitioned sampling does not know, with key columns.</summary>
    private sealed class Unknown(ISynthesizerModel inner) : ISynthesizerModel
    {
        public string SynthesizerName => "unknown";
        public TableSchema Schema => inner.Schema;
        public void Write(TabTwin.Bundles.ModelBundleWriter bundle) => inner.Write(bundle);
        public Table Sample(int rows, ulong seed, SampleContext? context = null) => inner.Sample(rows, seed, context);
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, too late to cancel at a known point).</summary>
    private sealed class Immediate(Action<StepProgress> report) : IProgress<StepProgress>
    {
        public void Report(StepProgress value) => report(value);
    }

    /// <summary>
    /// Samples like <paramref name="inner"/> for <paramref name="calls"/> − 1 calls, then fails as a broken disk or model would.
    /// Its schema declares no keys (partitioned sampling knows the key formats of the library's models only).
    /// </summary>
    private sealed class FailingAfter(ISynthesizerModel inner, int calls) : ISynthesizerModel
    {
        private int _calls;
        public string SynthesizerName => inner.SynthesizerName;
        public TableSchema Schema { get; } = inner.Schema with
        {
            Columns = [.. inner.Schema.Columns.Select(c => c.Kind == ColumnKind.Id ? c with { Kind = ColumnKind.Categorical } : c)],
        };
        public void Write(TabTwin.Bundles.ModelBundleWriter bundle) => inner.Write(bundle);
        public Table Sample(int rows, ulong seed, SampleContext? context = null) =>
            Interlocked.Increment(ref _calls) >= calls ? throw new TabTwinException("test.broken", "broken") : inner.Sample(rows, seed, context);
    }
}
