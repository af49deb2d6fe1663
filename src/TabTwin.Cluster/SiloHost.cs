using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using TabTwin.Cluster.Hosting;
using TabTwin.Cluster.Membership;
using TabTwin.Cluster.Fitting;
using TabTwin.Cluster.Sampling;
using TabTwin.Cluster.Scheduling;

namespace TabTwin.Cluster;

/// <summary>How to start one silo: ports (null = the defaults of <see cref="ClusterConnection.Ports"/>), the address
/// other silos and clients reach it at (null = <see cref="ClusterConnection.AdvertisedAddress"/>), the cores its workers
/// use (null = all the machine's), and where Orleans' warnings go (null = nowhere).</summary>
public sealed record SiloOptions
{
    public int? Port { get; init; }
    public int? GatewayPort { get; init; }
    public string? Address { get; init; }
    public int? Cores { get; init; }
    public TextWriter? Log { get; init; }
}

/// <summary>
/// A running Orleans silo hosting TabTwin's workers (distributed sampling and streaming fits). Start one per machine (or several on one
/// machine with a localhost cluster); clients (<see cref="ClusterSampling"/>) reach them through the same connection.
/// </summary>
public sealed class SiloHost : IAsyncDisposable
{
    private readonly IHost _host;

    private SiloHost(IHost host, string endpoint, string connection)
    {
        _host = host;
        Endpoint = endpoint;
        Description = connection;
    }

    /// <summary>This silo's address as Orleans names it (ip:port@generation).</summary>
    public string Endpoint { get; }
    /// <summary>One line saying which cluster the silo joined, through which membership.</summary>
    public string Description { get; }

    /// <summary>Starts the silo and returns once it has joined the cluster (membership table written, gateway open).</summary>
    public static async Task<SiloHost> StartAsync(ClusterConnection connection, SiloOptions? options = null, CancellationToken cancel = default)
    {
        options ??= new SiloOptions();
        var address = connection.AdvertisedAddress(options.Address);
        var (siloPort, gatewayPort) = connection.Ports(options.Port, options.GatewayPort);
        if (connection.Membership == ClusterMembership.Postgres)
            await MembershipSchema.EnsureAsync(connection.PostgresConnection!, connection.Display, cancel);

        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        OrleansSetup.Logging(builder.Logging, options.Log, LogLevel.Warning);
        builder.Services.AddSingleton<ModelCache>();
        builder.Services.AddSingleton<SpecCache>();
        builder.Services.AddSingleton<SourceCache>();
        builder.Services.AddSingleton(WorkerSlots.Of(options.Cores));
        builder.UseOrleans(silo => OrleansSetup.Membership(silo, connection, address, siloPort, gatewayPort));
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancel);
        }
        catch (Exception e) when (e is not OperationCanceledException and not TabTwinException)
        {
            host.Dispose();
            throw new TabTwinException("cluster.silo-start", $"The silo could not join cluster '{connection.ClusterId}' ({connection.Display}) on {address}:{siloPort}: {e.Message}",
                hint: connection.Membership == ClusterMembership.Localhost
                    ? $"On a localhost cluster the first silo must be on port {ClusterConnection.PrimarySiloPort}; is another program using the ports?"
                    : "Check that the PostgreSQL server is reachable and the ports are free.", inner: e);
        }
        var self = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        return new SiloHost(host, self.ToString(),
            $"silo {address}:{siloPort} (gateway {gatewayPort}) joined cluster '{connection.ClusterId}' via {connection.Display}");
    }

    /// <summary>Runs a silo until <paramref name="stop"/> fires, then leaves the cluster cleanly; <paramref name="joined"/> is told once.</summary>
    public static async Task RunAsync(ClusterConnection connection, SiloOptions options, Action<string> joined, CancellationToken stop)
    {
        await using var silo = await StartAsync(connection, options, stop);
        joined(silo.Description);
        _ = Task.Run(SiloWarmup.Run, stop); // compiles the sampling path before the first job asks for it
        try { await Task.Delay(Timeout.Infinite, stop); }
        catch (OperationCanceledException) { }
    }

    /// <summary>Leaves the cluster (declared dead at once, its grains move on) and stops, within a bounded time.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _host.StopAsync(timeout.Token); }
        catch (OperationCanceledException) { }
        _host.Dispose();
    }
}
