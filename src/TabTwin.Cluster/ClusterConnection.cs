using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using TabTwin.IO;

namespace TabTwin.Cluster;

/// <summary>How the silos of one cluster find each other: Orleans development clustering on this machine, or Orleans'
/// ADO.NET clustering with the membership table in PostgreSQL.</summary>
public enum ClusterMembership { Localhost, Postgres }

/// <summary>
/// The <c>--cluster</c> value, parsed: <c>localhost</c> (one machine, development clustering on 127.0.0.1: the silo on
/// <see cref="PrimarySiloPort"/> is the primary, clients try the gateways from <see cref="FirstGatewayPort"/> up), or a
/// PostgreSQL connection (<c>Host=…;Username=…;Database=…</c> or <c>postgres://user:pass@host:port/db</c>) whose
/// database holds Orleans' membership table (created on first use).
/// </summary>
public sealed record ClusterConnection
{
    /// <summary>Silo-to-silo port of the first (primary) silo of a localhost cluster; later silos take the next free one.</summary>
    public const int PrimarySiloPort = 11111;
    /// <summary>Client gateway port of the first localhost silo; later silos take the next free one.</summary>
    public const int FirstGatewayPort = 30000;
    /// <summary>How many silos one machine's localhost cluster can hold (ports 11111–11126 and 30000–30015).</summary>
    public const int MaxLocalSilos = 16;

    public ClusterMembership Membership { get; private init; }
    /// <summary>The Npgsql connection string (PostgreSQL membership only).</summary>
    internal string? PostgresConnection { get; private init; }
    /// <summary>The connection as messages show it: no password.</summary>
    public string Display { get; private init; } = "";

    /// <summary>Localhost clusters: the primary silo's port and the first gateway port (tests move them off the defaults).</summary>
    internal int LocalSiloBase { get; init; } = PrimarySiloPort;
    internal int LocalGatewayBase { get; init; } = FirstGatewayPort;

    /// <summary>Orleans ClusterId: silos and clients with the same id (and membership store) form one cluster.</summary>
    public string ClusterId { get; init; } = "tabtwin";
    /// <summary>Orleans ServiceId (stable across redeployments of the same service).</summary>
    public string ServiceId { get; init; } = "tabtwin";

    public static ClusterConnection Parse(string text, string? clusterId = null)
    {
        text = (text ?? "").Trim();
        var id = clusterId is null ? "tabtwin" : CheckId(clusterId);
        if (text.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return new ClusterConnection { Membership = ClusterMembership.Localhost, Display = "localhost", ClusterId = id, ServiceId = id };
        DbSource source;
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            source = DbSource.PostgresUrl(text);
        else if (text.Contains('=') && text.Contains("host", StringComparison.OrdinalIgnoreCase))
            source = DbSource.Postgres(text.StartsWith("pg:", StringComparison.OrdinalIgnoreCase) ? text[3..] : text);
        else
            throw new TabTwinException("cluster.bad-connection", $"'{TabTwinException.Clip(text)}' is not a cluster connection.",
                hint: "Use --cluster localhost (one machine), or a PostgreSQL connection: Host=…;Username=…;Password=…;Database=… or postgres://user:pass@host/db.");
        return new ClusterConnection { Membership = ClusterMembership.Postgres, PostgresConnection = source.Target, Display = source.Display, ClusterId = id, ServiceId = id };
    }

    /// <summary>Cluster ids go into the membership table's key (varchar(150)) and into log lines: short, plain characters.</summary>
    private static string CheckId(string id)
    {
        if (id.Length is >= 1 and <= 100 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return id;
        throw new TabTwinException("cluster.bad-id", $"'{TabTwinException.Clip(id)}' is not a cluster id.", hint: "Use 1–100 letters, digits, '-', '_' or '.'.");
    }

    /// <summary>
    /// The address other silos and clients reach this silo at: 127.0.0.1 on a localhost cluster; otherwise
    /// <paramref name="requested"/>, else this machine's first IPv4 address on an interface that is up (not loopback).
    /// </summary>
    internal IPAddress AdvertisedAddress(string? requested)
    {
        if (requested is not null)
        {
            if (IPAddress.TryParse(requested, out var ip)) return ip;
            throw new TabTwinException("cluster.bad-address", $"'{TabTwinException.Clip(requested)}' is not an IP address.", hint: "Give the address other machines reach this one at, e.g. --address 10.0.0.5.");
        }
        if (Membership == ClusterMembership.Localhost) return IPAddress.Loopback;
        var candidates = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(a => a.Address))
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        return candidates.FirstOrDefault() ?? IPAddress.Loopback;
    }

    /// <summary>
    /// The silo and gateway ports: the ones asked for, else (localhost) the first pair of the documented ranges that is
    /// free on this machine, else (PostgreSQL) Orleans' usual 11111 and 30000.
    /// </summary>
    internal (int Silo, int Gateway) Ports(int? siloPort, int? gatewayPort)
    {
        if (siloPort is not null && gatewayPort is not null) return (siloPort.Value, gatewayPort.Value);
        if (Membership == ClusterMembership.Postgres) return (siloPort ?? PrimarySiloPort, gatewayPort ?? FirstGatewayPort);
        for (int i = 0; i < MaxLocalSilos; i++)
        {
            int silo = siloPort ?? LocalSiloBase + i, gateway = gatewayPort ?? LocalGatewayBase + i;
            if (PortFree(silo) && PortFree(gateway)) return (silo, gateway);
        }
        throw new TabTwinException("cluster.no-port", $"No free silo port pair in {LocalSiloBase}–{LocalSiloBase + MaxLocalSilos - 1} / {LocalGatewayBase}–{LocalGatewayBase + MaxLocalSilos - 1}.",
            hint: "Stop a silo, or choose ports with --port and --gateway-port.");
    }

    /// <summary>
    /// The gateways a localhost client uses: the ports of the range a localhost silo may have taken that accept a
    /// connection now (Orleans' static gateway list would otherwise send requests to ports nobody listens on).
    /// </summary>
    internal int[] LocalGatewayPorts() => Enumerable.Range(LocalGatewayBase, MaxLocalSilos).Where(Listening).ToArray();

    private static bool Listening(int port)
    {
        // A blocking connect: on the loopback it is answered at once (accepted or refused), and it needs no pool thread,
        // which a busy process may not have to spare for an asynchronous one.
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException) { return false; }
    }

    private static bool PortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException) { return false; }
    }
}
