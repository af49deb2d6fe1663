using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using TabTwin.Cluster.Hosting;

namespace TabTwin.Cluster;

/// <summary>A connection to a running cluster from outside it (the CLI's side of a distributed job).</summary>
public sealed class ClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterClient(IHost host, ClusterConnection connection)
    {
        _host = host;
        Connection = connection;
    }

    public ClusterConnection Connection { get; }
    internal IClusterClient Orleans => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>Connects through any gateway of the cluster; no silo answering is a <see cref="TabTwinException"/>.</summary>
    public static async Task<ClusterClient> ConnectAsync(ClusterConnection connection, TextWriter? log = null, CancellationToken cancel = default)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        OrleansSetup.Logging(builder.Logging, log, LogLevel.Error);
        builder.UseOrleansClient(client => OrleansSetup.Membership(client, connection));
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancel);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new TabTwinException("cluster.unreachable", $"No silo of cluster '{connection.ClusterId}' answered ({connection.Display}): {e.Message}",
                hint: "Start workers first with 'tabtwin silo --cluster …' (same connection and --cluster-id).", inner: e);
        }
        return new ClusterClient(host, connection);
    }

    /// <summary>The silos the cluster counts as active now.</summary>
    public async Task<IReadOnlyList<SiloAddress>> ActiveSilosAsync()
    {
        var hosts = await Orleans.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return hosts.Keys.OrderBy(s => s.ToString(), StringComparer.Ordinal).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await _host.StopAsync(timeout.Token); }
        catch (OperationCanceledException) { }
        _host.Dispose();
    }
}
