using TabTwin.Cluster;
using TabTwin.Generation;
using TabTwin.Generation.Spec;
using TabTwin.IO;
using TabTwin.Synthesis;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cluster;

/// <summary>
/// <c>generate spec -n N -o out/ --parts P --cluster</c> on two in-process silos: part p is byte for byte the file
/// <c>--shard p+1/P</c> writes on one machine, the parts in order hold the single run's rows, and _SUCCESS is written.
/// </summary>
public sealed class ClusterGenerationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tabtwin-cluster-gen-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Parts_are_the_generator_s_shards_and_together_the_single_run()
    {
        var specPath = Path.Combine(_dir, "customers.yaml");
        File.Copy(Path.Combine(TestData.RepoRoot, "examples", "customers.yaml"), specPath);
        var spec = SpecReader.Load(specPath);
        const long rows = 30_011;
        const int parts = 5;
        var connection = ClusterTestSupport.LocalCluster();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var primary = await SiloHost.StartAsync(connection, cancel: timeout.Token);
        await using var secondary = await SiloHost.StartAsync(connection, cancel: timeout.Token);
        await using var client = await ClusterClient.ConnectAsync(connection, cancel: timeout.Token);
        await ClusterTestSupport.WaitForSilos(client, 2, timeout.Token);

        var output = Path.Combine(_dir, "out");
        var result = await ClusterGeneration.GenerateAsync(client, specPath, parts, output, rows: rows, seed: 11, cancel: timeout.Token);
        Assert.Equal(rows, result.Rows);
        Assert.True(File.Exists(Path.Combine(output, PartitionedSampling.SuccessMarker)));

        var shards = Directory.CreateDirectory(Path.Combine(_dir, "shards")).FullName;
        for (int p = 0; p < parts; p++)
        {
            var local = Path.Combine(shards, PartitionPlan.PartFileName(p));
            DataGenerator.GenerateTo(spec, local, null, new GenerateOptions { Rows = rows, Seed = 11, Shard = new Shard(p + 1, parts), Threads = 1 });
            Assert.True(File.ReadAllBytes(local).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, PartitionPlan.PartFileName(p)))), $"part {p} differs");
        }
        var whole = DataGenerator.Generate(spec, null, new GenerateOptions { Rows = rows, Seed = 11 });
        var union = TableConcat.Rows([.. Enumerable.Range(0, parts).Select(p => TableReader.Read(Path.Combine(output, PartitionPlan.PartFileName(p))))]);
        Assert.Equal(SampleTables.Rows(whole), SampleTables.Rows(union));
    }

    [Fact]
    public void A_child_table_or_an_unnamed_table_of_several_is_refused_on_the_client()
    {
        var shop = SpecReader.Load(Path.Combine(TestData.RepoRoot, "examples", "shop.yaml"));
        Assert.Equal("cluster.generate-table", Assert.Throws<TabTwinException>(() => ClusterGeneration.Plan(shop, 2, 100, null, null)).Code);
        var child = shop.Tables.First(t => t.Parent is not null).Name;
        Assert.Equal("cluster.generate-related", Assert.Throws<TabTwinException>(() => ClusterGeneration.Plan(shop, 2, 100, null, child)).Code);
    }
}
