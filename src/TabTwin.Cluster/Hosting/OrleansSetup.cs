using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;

namespace TabTwin.Cluster.Hosting;

/// <summary>The membership and logging setup silos and clients share.</summary>
internal static class OrleansSetup
{
    /// <summary>The ADO.NET invariant Orleans looks the PostgreSQL provider up by.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// The largest message body silos and clients accept (Orleans closes the connection above it; its default is 100 MB).
    /// A streaming fit's level pass returns a unit's node histograms, up to the fit's histogram budget (32 MB on a cluster,
    /// <see cref="ClusterFitting.HistogramBytes"/>), in one message; the limit is stated here so it holds whatever Orleans' default.
    /// </summary>
    public const int MaxMessageBodyBytes = 128 << 20;

    /// <summary>Orleans' ADO.NET storage finds the provider through DbProviderFactories, which .NET leaves empty.</summary>
    public static void RegisterNpgsql()
    {
        if (!DbProviderFactories.TryGetFactory(NpgsqlInvariant, out _)) DbProviderFactories.RegisterFactory(NpgsqlInvariant, NpgsqlFactory.Instance);
    }

    public static void Membership(ISiloBuilder silo, ClusterConnection connection, System.Net.IPAddress address, int siloPort, int gatewayPort)
    {
        silo.Configure<SiloMessagingOptions>(o => o.MaxMessageBodySize = MaxMessageBodyBytes);
        if (connection.Membership == ClusterMembership.Localhost)
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, connection.LocalSiloBase),
                connection.ServiceId, connection.ClusterId);
            return;
        }
        RegisterNpgsql();
        silo.UseAdoNetClustering(o => { o.Invariant = NpgsqlInvariant; o.ConnectionString = connection.PostgresConnection; });
        silo.Configure<ClusterOptions>(o => { o.ClusterId = connection.ClusterId; o.ServiceId = connection.ServiceId; });
        // Listen on every interface, advertise the one address other machines reach this one at.
        silo.ConfigureEndpoints(address, siloPort, gatewayPort, listenOnAnyHostAddress: !System.Net.IPAddress.IsLoopback(address));
    }

    public static void Membership(IClientBuilder client, ClusterConnection connection)
    {
        client.Configure<ClientMessagingOptions>(o => o.MaxMessageBodySize = MaxMessageBodyBytes);
        if (connection.Membership == ClusterMembership.Localhost)
        {
            var gateways = connection.LocalGatewayPorts();
            if (gateways.Length == 0)
                throw new TabTwinException("cluster.unreachable", $"No silo is running on this machine (no gateway on ports {connection.LocalGatewayBase}–{connection.LocalGatewayBase + ClusterConnection.MaxLocalSilos - 1}).",
                    hint: "Start workers first with 'tabtwin silo --cluster localhost'.");
            client.UseLocalhostClustering(gateways, connection.ServiceId, connection.ClusterId);
            return;
        }
        RegisterNpgsql();
        client.UseAdoNetClustering(o => { o.Invariant = NpgsqlInvariant; o.ConnectionString = connection.PostgresConnection; });
        client.Configure<ClusterOptions>(o => { o.ClusterId = connection.ClusterId; o.ServiceId = connection.ServiceId; });
    }

    /// <summary>Orleans' own log lines at <paramref name="minimum"/> and above, one line each on <paramref name="writer"/>.</summary>
    public static void Logging(ILoggingBuilder logging, TextWriter? writer, LogLevel minimum)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(writer is null ? LogLevel.None : minimum);
        if (writer is null) return;
        logging.AddProvider(new LineLoggerProvider(writer, minimum));
        // Orleans' start-up advice (server GC) and its watchdog's first check, which reports the time since the process
        // started as a stall, are noise for a worker that runs one job at a time: errors only from those.
        logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
    }

    private sealed class LineLoggerProvider(TextWriter writer, LogLevel minimum) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new LineLogger(writer, minimum, categoryName[(categoryName.LastIndexOf('.') + 1)..]);
        public void Dispose() { }
    }

    private sealed class LineLogger(TextWriter writer, LogLevel minimum, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var message = formatter(state, exception).ReplaceLineEndings(" ");
            if (logLevel < LogLevel.Error && message.Contains("ServerGC", StringComparison.Ordinal)) return;
            if (exception is not null) message += $" ({exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")})";
            lock (writer) writer.WriteLine($"orleans {logLevel.ToString().ToLowerInvariant()} [{category}]: {message}");
        }
    }
}
