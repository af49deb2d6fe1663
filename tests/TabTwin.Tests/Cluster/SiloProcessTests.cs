using System.Diagnostics;
using TabTwin.Cluster;
using TabTwin.Synthesis;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cluster;

/// <summary>
/// Three silos as separate processes (<c>dotnet TabTwin.Cli.dll silo</c>) on 127.0.0.1 with PostgreSQL membership (env
/// TABTWIN_TEST_PG, default the server .ci/start-postgres.sh starts; skipped without a server, failed under
/// TABTWIN_REQUIRE_PG=1). One silo is killed (SIGKILL) once the job is under way: its parts are re-run on the others and
/// the committed folder still equals single-process sampling byte for byte, with nothing else left in it. A cluster id
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
            int silo = ClusterTestSupport.FreePortRange(3), gateway = ClusterTestSupport.FreePortRange(3);
            await Task.WhenAll(Enumerable.Range(0, 3).Select(i => StartSilo(server, connection.ClusterId, silo + i, gateway + i, timeout.Token)));
            await using var client = await ClusterClient.ConnectAsync(connection, cancel: timeout.Token);
            await ClusterTestSupport.WaitForSilos(client, 3, timeout.Token);

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
