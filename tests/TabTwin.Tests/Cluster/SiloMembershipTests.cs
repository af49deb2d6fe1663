using Npgsql;
using TabTwin.Cluster;
using TabTwin.Cluster.Membership;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cluster;

/// <summary>
/// Silos hosted in this process join one cluster through each membership: localhost development clustering (free ports)
/// and Orleans' ADO.NET clustering in PostgreSQL (env TABTWIN_TEST_PG, default the server .ci/start-postgres.sh starts;
/// skipped without a server, failed under TABTWIN_REQUIRE_PG=1), whose tables are created on first use.
/// </summary>
public sealed class SiloMembershipTests
{
    [Fact]
    public async Task Two_localhost_silos_form_one_cluster_and_a_leaving_silo_is_seen()
    {
        var connection = ClusterTestSupport.LocalCluster();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var primary = await SiloHost.StartAsync(connection, cancel: timeout.Token);
        var secondary = await SiloHost.StartAsync(connection, cancel: timeout.Token);
        await using var client = await ClusterClient.ConnectAsync(connection, cancel: timeout.Token);
        var silos = await ClusterTestSupport.WaitForSilos(client, 2, timeout.Token);
        Assert.Equal(new[] { primary.Endpoint, secondary.Endpoint }.Order(), silos.Select(s => s.ToString()).Order());
        await secondary.DisposeAsync();
        while ((await client.ActiveSilosAsync()).Count != 1) await Task.Delay(100, timeout.Token);
        Assert.Equal(primary.Endpoint, (await client.ActiveSilosAsync()).Single().ToString());
    }

    [Fact]
    public async Task A_client_with_no_silo_running_fails_with_a_hint()
    {
        var e = await Assert.ThrowsAsync<TabTwinException>(() => ClusterClient.ConnectAsync(ClusterTestSupport.LocalCluster()));
        Assert.Equal("cluster.unreachable", e.Code);
        Assert.Contains("tabtwin silo", e.Hint);
    }

    [SkippableFact]
    public async Task PostgreSQL_membership_tables_are_made_once_even_by_silos_starting_together()
    {
        var server = TestPostgres.Connection();
        await using var scratch = await ScratchSchema.CreateAsync(server);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => MembershipSchema.EnsureAsync(scratch.Connection, "test", timeout.Token)));
        await MembershipSchema.EnsureAsync(scratch.Connection, "test", timeout.Token);
        Assert.Equal(MembershipSchema.QueryKeys.Length, await scratch.CountAsync("SELECT count(*) FROM OrleansQuery"));
        Assert.Equal(3, await scratch.CountAsync($"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{scratch.Name}'"));
    }

    [SkippableFact]
    public async Task Two_silos_join_through_PostgreSQL_and_the_table_lists_them_active()
    {
        var server = TestPostgres.Connection();
        await using var scratch = await ScratchSchema.CreateAsync(server);
        var connection = ClusterConnection.Parse(scratch.Connection, "test-" + Guid.NewGuid().ToString("N")[..8]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        int silo = ClusterTestSupport.FreePortRange(2), gateway = ClusterTestSupport.FreePortRange(2);
        await using var first = await SiloHost.StartAsync(connection, new SiloOptions { Address = "127.0.0.1", Port = silo, GatewayPort = gateway }, timeout.Token);
        await using var second = await SiloHost.StartAsync(connection, new SiloOptions { Address = "127.0.0.1", Port = silo + 1, GatewayPort = gateway + 1 }, timeout.Token);
        await using var client = await ClusterClient.ConnectAsync(connection, cancel: timeout.Token);
        Assert.Equal(2, (await ClusterTestSupport.WaitForSilos(client, 2, timeout.Token)).Count);
        // Status 3 is Orleans' SiloStatus.Active.
        Assert.Equal(2, await scratch.CountAsync($"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{connection.ClusterId}' AND Status = 3"));
    }

    /// <summary>A schema of its own on the test server (search_path set in the connection), dropped afterwards.</summary>
    private sealed class ScratchSchema : IAsyncDisposable
    {
        private readonly string _server;
        public string Name { get; }
        public string Connection { get; }

        private ScratchSchema(string server, string name)
        {
            _server = server;
            Name = name;
            Connection = new NpgsqlConnectionStringBuilder(server) { SearchPath = name }.ConnectionString;
        }

        public static async Task<ScratchSchema> CreateAsync(string server)
        {
            var schema = new ScratchSchema(server, "orleans_" + Guid.NewGuid().ToString("N")[..10]);
            await schema.ExecuteAsync(server, $"CREATE SCHEMA {schema.Name}");
            return schema;
        }

        public async Task<long> CountAsync(string sql)
        {
            await using var c = new NpgsqlConnection(Connection);
            await c.OpenAsync();
            await using var command = new NpgsqlCommand(sql, c);
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }

        private async Task ExecuteAsync(string connection, string sql)
        {
            await using var c = new NpgsqlConnection(connection);
            await c.OpenAsync();
            await using var command = new NpgsqlCommand(sql, c);
            await command.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync() => await ExecuteAsync(_server, $"DROP SCHEMA IF EXISTS {Name} CASCADE");
    }
}
