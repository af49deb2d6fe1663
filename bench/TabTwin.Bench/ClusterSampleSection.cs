using System.Diagnostics;
using System.Globalization;
using System.Text;
using TabTwin.Cluster;
using TabTwin.IO;
using TabTwin.Models;
using TabTwin.Schema;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;

namespace TabTwin.Bench;

/// <summary>
/// Cluster overhead on one machine (issue 18): <c>sample -n N -o out/ --parts P --cluster localhost</c> on three silo
/// processes (<c>tabtwin silo</c>) against <see cref="PartitionedSampling.Sample"/> in one process, same model, rows, parts
/// and seed (the folders are compared byte for byte). The silos need the localhost ports 11111–11113 and 30000–30002.
/// </summary>
internal sealed class ClusterSampleSection : BenchSection
{
    public override string Key => "cluster";
    private const long Rows = 3_000_000;
    private const int Parts = 48;

    public override Dictionary<string, string>? RunCase(string name, string[] args)
    {
        if (name != "cluster") return null;
        string mode = args[0], demo = args[1];
        var work = Path.Combine(Path.GetTempPath(), "tabtwin-bench-cluster");
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        Directory.CreateDirectory(work);
        var real = TableReader.Read(demo);
        var modelPath = Path.Combine(work, "model.tabtwin");
        ModelFile.Save(new CartSynthesizer().Fit(real, SchemaDetector.Detect(real), new FitContext(1)), modelPath);
        var plan = new PartitionPlan(Rows, Parts);
        try
        {
            if (mode == "single")
            {
                var model = ModelFile.Load(modelPath);
                var sw = Stopwatch.StartNew();
                PartitionedSampling.Sample(model, plan, 3, Path.Combine(work, "out"));
                return new() { ["seconds"] = F(sw.Elapsed.TotalSeconds) };
            }
            return RunCluster(work, modelPath, plan, demo).GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<Dictionary<string, string>> RunCluster(string work, string modelPath, PartitionPlan plan, string demo)
    {
        var clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var silos = new List<Process>();
        try
        {
            await using var client = await StartSilos(clusterId, silos);
            var result = new Dictionary<string, string>();
            foreach (var run in new[] { "cold", "warm" })
            {
                var output = Path.Combine(work, run);
                var sw = Stopwatch.StartNew();
                await ClusterSampling.SampleAsync(client, modelPath, plan, 3, output);
                result[run] = F(sw.Elapsed.TotalSeconds);
            }
            var expected = Path.Combine(work, "expected");
            PartitionedSampling.Sample(ModelFile.Load(modelPath), plan, 3, expected);
            result["identical"] = Directory.GetFiles(expected).All(f => File.ReadAllBytes(f).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(work, "warm", Path.GetFileName(f))))) ? "yes" : "NO";
            return result;
        }
        finally
        {
            StopSilos(silos);
        }
    }

    /// <summary>Starts three <c>tabtwin silo --cluster localhost</c> processes (into <paramref name="silos"/>) and connects once all are active.</summary>
    internal static async Task<ClusterClient> StartSilos(string clusterId, List<Process> silos)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "TabTwin.Cli.dll");
        for (int i = 0; i < 3; i++)
        {
            var silo = Process.Start(new ProcessStartInfo("dotnet", ["exec", cli, "silo", "--cluster", "localhost", "--cluster-id", clusterId, "--quiet"])
                { RedirectStandardOutput = true, UseShellExecute = false })!;
            silos.Add(silo);
            // One at a time: the first must take the primary's port before the others look for free ones.
            while (await silo.StandardOutput.ReadLineAsync() is { } line && !line.Contains("joined", StringComparison.Ordinal)) { }
        }
        var client = await ClusterClient.ConnectAsync(ClusterConnection.Parse("localhost", clusterId));
        while ((await client.ActiveSilosAsync()).Count < 3) await Task.Delay(200);
        return client;
    }

    internal static void StopSilos(List<Process> silos)
    {
        foreach (var silo in silos)
        {
            if (!silo.HasExited) silo.Kill(entireProcessTree: true);
            silo.WaitForExit(10_000);
            silo.Dispose();
        }
    }

    public override void Write(StringBuilder sb, BenchContext context)
    {
        sb.AppendLine("## Cluster overhead: `sample --parts P --cluster localhost` on three silo processes against one process");
        sb.AppendLine();
        var demo = Path.Combine(context.Repo, "src", "TabTwin.Cli", "Demo", "adult_demo.csv");
        var single = context.Child("cluster", "single", demo);
        var cluster = context.Child("cluster", "cluster", demo);
        double one = double.Parse(single["seconds"], CultureInfo.InvariantCulture), cold = double.Parse(cluster["cold"], CultureInfo.InvariantCulture),
            warm = double.Parse(cluster["warm"], CultureInfo.InvariantCulture);
        int cores = Environment.ProcessorCount;
        sb.AppendLine($"A cart model of the demo Adult table (4,000 rows), {Rows:N0} rows in {Parts} parts, seed 3. One process: `PartitionedSampling.Sample` " +
                      $"(parts side by side on the {cores} cores). Cluster: three `tabtwin silo --cluster localhost` processes on the same {cores} cores and " +
                      "`ClusterSampling.SampleAsync` from a client in the bench process; the first job after the silos start (cold: each silo loads the " +
                      "model and compiles the sampling code) and a second one (warm). Both columns time the job only (process and silo start-up excluded). " +
                      $"The warm job's folder equals the one-process folder byte for byte: {cluster["identical"]}.");
        sb.AppendLine();
        sb.AppendLine("| run | wall time (s) | against one process |");
        sb.AppendLine("|---|---:|---:|");
        sb.AppendLine($"| one process | {one:0.00} | 1.00× |");
        sb.AppendLine($"| 3 silos, cold | {cold:0.00} | {cold / one:0.00}× |");
        sb.AppendLine($"| 3 silos, warm | {warm:0.00} | {warm / one:0.00}× |");
        sb.AppendLine();
        double perPart = one * cores / Parts;
        sb.AppendLine($"Target: ≤ 1.3× (issue 18). Projection for m machines of c cores (shared storage fast enough): a part costs t = wall × cores / P = " +
                      $"{perPart:0.00} core-seconds here, so T(m) ≈ s + ⌈P / (m·c)⌉ · t, where s is the cold start (model load and compilation, " +
                      $"≈ {Math.Max(0, cold - warm):0.0} s, paid once per silo in parallel) plus one 100 ms poll per batch; the client's commit is renames. " +
                      $"For P = 256 parts on c = {cores}: 8 machines ≈ {Math.Max(0, cold - warm) + Math.Ceiling(256.0 / (8 * cores)) * perPart:0.0} s, " +
                      $"32 machines ≈ {Math.Max(0, cold - warm) + Math.Ceiling(256.0 / (32 * cores)) * perPart:0.0} s (one process: {256 * perPart / cores:0.0} s).");
    }
}
