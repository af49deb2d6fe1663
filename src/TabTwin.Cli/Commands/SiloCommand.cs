using System.CommandLine;
using System.Runtime.InteropServices;
using TabTwin.Cluster;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>tabtwin silo --cluster &lt;connection&gt;</c>: runs this machine as a worker of a TabTwin cluster (a Microsoft Orleans
/// silo) until Ctrl+C or SIGTERM, then leaves the cluster cleanly. Jobs given with <c>--cluster</c> run on the silos.
/// </summary>
internal static class SiloCommand
{
    public static Option<string?> Cluster(bool required) => new("--cluster")
    {
        Description = "The cluster: 'localhost' (silos on this machine, Orleans development clustering on 127.0.0.1), or a PostgreSQL "
            + "connection holding the membership table ('Host=…;Username=…;Password=…;Database=…' or postgres://user:pass@host/db; tables created on first use).",
        Required = required,
    };

    public static Option<string?> ClusterId() => new("--cluster-id")
    {
        Description = "Name of the cluster within its membership store (Orleans ClusterId and ServiceId; default: tabtwin). Silos and jobs must agree.",
    };

    public static Command Build(CliConsole console)
    {
        var cluster = Cluster(required: true);
        var clusterId = ClusterId();
        var port = new Option<int?>("--port")
        {
            Description = $"Silo-to-silo port (default: localhost clusters take the first free of {ClusterConnection.PrimarySiloPort}, {ClusterConnection.PrimarySiloPort + 1}, …, "
                + $"and the silo on {ClusterConnection.PrimarySiloPort} is the primary; PostgreSQL clusters use {ClusterConnection.PrimarySiloPort}).",
        };
        var gatewayPort = new Option<int?>("--gateway-port")
        {
            Description = $"Port clients connect to (default: localhost clusters take the first free of {ClusterConnection.FirstGatewayPort}, {ClusterConnection.FirstGatewayPort + 1}, …; PostgreSQL clusters use {ClusterConnection.FirstGatewayPort}).",
        };
        var address = new Option<string?>("--address")
        {
            Description = "IP address other silos and clients reach this one at (default: 127.0.0.1 for localhost, else this machine's first network address).",
        };
        var cores = new Option<int?>("--cores")
        {
            Description = "Cores this silo's jobs use at once (default: all of the machine's); lower it when several silos share one machine.",
        };
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("silo", "Run a cluster worker: a Microsoft Orleans silo that takes TabTwin jobs (fit/sample/generate … --cluster) until Ctrl+C or SIGTERM. "
            + "Input files, model files and output folders must be on storage every silo sees at the same path.")
            { cluster, clusterId, port, gatewayPort, address, cores, quiet };
        cmd.SetAction(r =>
        {
            console.Quiet = r.GetValue(quiet);
            var connection = ClusterConnection.Parse(r.GetValue(cluster)!, r.GetValue(clusterId));
            foreach (var (name, value) in new[] { ("--port", r.GetValue(port)), ("--gateway-port", r.GetValue(gatewayPort)) })
                if (value is < 1 or > 65535) throw new UsageException("cli.port", $"{name} must be a port number (1–65535), not {value}.");
            if (r.GetValue(cores) is < 1) throw new UsageException("cli.cores", $"--cores must be at least 1 (got {r.GetValue(cores)}).");
            var options = new SiloOptions
            {
                Port = r.GetValue(port), GatewayPort = r.GetValue(gatewayPort), Address = r.GetValue(address), Cores = r.GetValue(cores),
                Log = r.GetValue(quiet) ? null : Console.Error,
            };
            using var stop = new CancellationTokenSource();
            // Ctrl+C and SIGTERM leave the cluster cleanly instead of ending the process at once.
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            SiloHost.RunAsync(connection, options, joined => console.Out($"{joined}; Ctrl+C to stop."), stop.Token).GetAwaiter().GetResult();
            console.Info("silo stopped.");
            return CliApp.ExitOk;
        });
        return cmd;
    }
}
