using System.Diagnostics;
using TabTwin.Cluster;
using TabTwin.IO;
using TabTwin.Models;
using TabTwin.Schema;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tests.Support;
using TabTwin.Tests.Synthesis;

namespace TabTwin.Tests.Cluster;

/// <summary>
/// Three silos as separate processes (<c>dotnet TabTwin.Cli.dll silo</c>) on 127.0.0.1 with PostgreSQL membership (env
/// TABTWIN_TEST_PG, default the server .ci/start-postgres.sh starts; skipped without a server, failed under
/// TABTWIN_REQUIRE_PG=1). One silo is killed (SIGKILL) once the job is under way: its parts (or a fit's work units) are
/// re-run on the others and the committed folder (the fitted model) still equals the single process's byte for byte, with
/// nothing else left beside it. A cluster id
/// of its own keeps earlier runs' membership rows out; every process is killed in Dispose.
/// </summary>
public sealed class SiloProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tabtwin-silos-").FullName;
    private readonly List<Process> _silos = [];

    public void Dispose()
    {
        foreach (var silo in _silos)
        {
            try { if (!silo.HasExited) silo.Kill(entireProcessTree: true); silo.WaitForExit(10_000); }
            catch (InvalidOperationException) { }
            silo.Dispose();
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [SkippableFact]
    public async Task A_silo_killed_mid_job_loses_its_parts_to_the_others_and_the_output_is_unchanged()
    {
        var server = TestPostgres.Connection();
        var (modelPath, model) = ClusterTestSupport.SavedModel(_dir);
        var plan = new PartitionPlan(TotalRows: 1_500_000, Parts: 30);
        var expected = Path.Combine(_dir, "expected");
        PartitionedSampling.Sample(model, plan, seed: 7, expected);

        var connection = ClusterConnection.Parse(server, "mp-" + Guid.NewGuid().ToString("N")[..10]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await using var client = await StartThreeSilos(server, connection, timeout.Token);

            // Kill the last silo as soon as a part is done: every silo then holds a batch in flight.
            var victim = _silos[^1];
            var output = Path.Combine(_dir, "out");
            var kill = new KillOnFirstPart(victim);
            var result = await ClusterSampling.SampleAsync(client, modelPath, plan, seed: 7, output, progress: kill, cancel: timeout.Token);

            Assert.True(kill.Killed, "the job ended before any part was reported done");
            Assert.True(victim.HasExited);
            Assert.Equal(3, result.Silos);
            Assert.True(result.Reassigned > 0, "no part was re-run after the kill");
            Assert.Equal(plan.TotalRows, result.Rows);
            ClusterTestSupport.AssertSameFolder(expected, output);
            ClusterTestSupport.AssertOnly(_dir, "model.tabtwin", "expected", "out");
        }
        finally
        {
            await ClusterTestSupport.ForgetCluster(server, connection.ClusterId);
        }
    }

    /// <summary>
    /// The streaming fit of a Parquet folder (Adult, 4 files of 1,000-row groups, 12 work units) through the three silos,
    /// the last one killed once the first pass's results arrive: its units are re-run on the others, the saved model equals
    /// the one-process streaming fit's entry for entry, nothing else is left beside it, and the fitted model then samples
    /// through the two silos left into the folder one process writes.
    /// </summary>
    [SkippableFact]
    public async Task A_silo_killed_mid_fit_loses_its_units_to_the_others_and_the_model_is_unchanged()
    {
        var server = TestPostgres.Connection();
        var table = TableReader.Read(TestData.Dataset("adult", "adult.csv")).Head(24_000);
        var data = Path.Combine(_dir, "data");
        Directory.Move(DistributedCartFitTests.ParquetFolder(table, files: 4, rowGroup: 1_000), data);
        var streaming = new StreamingFitOptions { ReservoirRows = 2_000, UnitRows = 2_000 };
        var local = StreamingSynthesis.Fit(TableChunks.Open(data), "cart", null, t => SchemaDetector.Detect(t), new FitContext(11), streaming, PrivacyCheckOptions.Off);

        var connection = ClusterConnection.Parse(server, "mpfit-" + Guid.NewGuid().ToString("N")[..10]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await using var client = await StartThreeSilos(server, connection, timeout.Token);

            var victim = _silos[^1];
            var kill = new KillOnFirstUnit(victim);
            var result = await ClusterFitting.FitAsync(client, data, "cart", null, t => SchemaDetector.Detect(t), new FitContext(11, Cancel: timeout.Token),
                streaming, kill, PrivacyCheckOptions.Off);
            var modelPath = Path.Combine(_dir, "model.tabtwin");
            ModelFile.Save(result.Fit.Model, modelPath);

            Assert.Equal(1, kill.KilledInPass);
            Assert.True(victim.HasExited);
            Assert.Equal(12, result.Units);
            Assert.Equal(3, result.Silos);
            // Whether the victim still held units of the first pass when it died is a race (its batch may be done and collected
            // by then; the statistics pass is fast): the re-run of a lost silo's items is asserted by the sampling test above,
            // which shares the scheduler. Here what must hold either way: the fit survives the loss with the same model.
            Assert.Equal(DistributedCartFitTests.ModelBytes(local.Model), DistributedCartFitTests.ModelBytes(ModelFile.Load(modelPath)));
            ClusterTestSupport.AssertOnly(_dir, "data", "model.tabtwin");

            var plan = new PartitionPlan(TotalRows: 60_000, Parts: 4);
            var expected = Path.Combine(_dir, "expected");
            PartitionedSampling.Sample(local.Model, plan, seed: 3, expected);
            var sampled = await ClusterSampling.SampleAsync(client, modelPath, plan, seed: 3, Path.Combine(_dir, "out"), cancel: timeout.Token);
            Assert.Equal(2, sampled.Silos);
            ClusterTestSupport.AssertSameFolder(expected, Path.Combine(_dir, "out"));
        }
        finally
        {
            await ClusterTestSupport.ForgetCluster(server, connection.ClusterId);
        }
    }

    /// <summary>Three silo processes of <paramref name="connection"/>'s cluster, and a client that sees all three.</summary>
    private async Task<ClusterClient> StartThreeSilos(string server, ClusterConnection connection, CancellationToken cancel)
    {
        int silo = ClusterTestSupport.FreePortRange(3), gateway = ClusterTestSupport.FreePortRange(3);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => StartSilo(server, connection.ClusterId, silo + i, gateway + i, cancel)));
        var client = await ClusterClient.ConnectAsync(connection, cancel: cancel);
        try { await ClusterTestSupport.WaitForSilos(client, 3, cancel); }
        catch { await client.DisposeAsync(); throw; }
        return client;
    }

    /// <summary>Starts <c>tabtwin silo</c> and waits for its "joined" line on stdout.</summary>
    private async Task StartSilo(string server, string clusterId, int port, int gatewayPort, CancellationToken cancel)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "TabTwin.Cli.dll");
        var info = new ProcessStartInfo("dotnet", ["exec", cli, "silo", "--cluster", server, "--cluster-id", clusterId, "--address", "127.0.0.1",
            "--port", port.ToString(), "--gateway-port", gatewayPort.ToString(), "--quiet"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var process = Process.Start(info)!;
        lock (_silos) _silos.Add(process);
        var errors = process.StandardError.ReadToEndAsync(cancel);
        while (await process.StandardOutput.ReadLineAsync(cancel) is { } line)
            if (line.Contains("joined cluster", StringComparison.Ordinal)) return;
        throw new InvalidOperationException($"The silo on port {port} ended without joining: {await errors}");
    }

    private sealed class KillOnFirstUnit(Process victim) : IProgress<ClusterFitProgress>
    {
        public int KilledInPass { get; private set; }

        public void Report(ClusterFitProgress value)
        {
            lock (this)
            {
                if (KilledInPass > 0 || value.UnitsDone == 0) return;
                victim.Kill(entireProcessTree: true);
                victim.WaitForExit();
                KilledInPass = value.Pass;
            }
        }
    }

    private sealed class KillOnFirstPart(Process victim) : IProgress<ClusterProgress>
    {
        public bool Killed { get; private set; }

        public void Report(ClusterProgress value)
        {
            lock (this)
            {
                if (Killed || value.PartsDone == 0) return;
                victim.Kill(entireProcessTree: true);
                victim.WaitForExit();
                Killed = true;
            }
        }
    }
}
