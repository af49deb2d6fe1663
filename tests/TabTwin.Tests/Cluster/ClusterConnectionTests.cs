using TabTwin.Cluster;

namespace TabTwin.Tests.Cluster;

/// <summary>The <c>--cluster</c> forms: localhost, an Npgsql connection string, a postgres:// URL; anything else is refused.</summary>
public sealed class ClusterConnectionTests
{
    [Fact]
    public void Localhost_is_development_clustering_on_the_loopback()
    {
        var c = ClusterConnection.Parse(" LocalHost ");
        Assert.Equal(ClusterMembership.Localhost, c.Membership);
        Assert.Equal("tabtwin", c.ClusterId);
        Assert.Equal(System.Net.IPAddress.Loopback, c.AdvertisedAddress(null));
        Assert.Null(c.PostgresConnection);
    }

    [Theory]
    [InlineData("Host=db.example;Username=u;Password=secret;Database=d")]
    [InlineData("pg:Host=db.example;Username=u;Password=secret;Database=d")]
    [InlineData("postgres://u:secret@db.example/d")]
    [InlineData("postgresql://u:secret@db.example:5432/d")]
    public void PostgreSQL_connections_become_one_Npgsql_string_shown_without_the_password(string text)
    {
        var c = ClusterConnection.Parse(text, "jobs-1");
        Assert.Equal(ClusterMembership.Postgres, c.Membership);
        Assert.Equal("jobs-1", c.ClusterId);
        Assert.Equal("jobs-1", c.ServiceId);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(c.PostgresConnection);
        Assert.Equal(("db.example", "u", "secret", "d", 5432), (builder.Host, builder.Username, builder.Password, builder.Database, builder.Port));
        Assert.DoesNotContain("secret", c.Display);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("silo-host")]
    [InlineData("")]
    public void Other_text_is_refused_with_the_forms_in_the_hint(string text)
    {
        var e = Assert.Throws<TabTwinException>(() => ClusterConnection.Parse(text));
        Assert.Equal("cluster.bad-connection", e.Code);
        Assert.Contains("localhost", e.Hint);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("x;drop")]
    [InlineData("")]
    public void Cluster_ids_are_plain_names(string id) =>
        Assert.Equal("cluster.bad-id", Assert.Throws<TabTwinException>(() => ClusterConnection.Parse("localhost", id)).Code);

    [Fact]
    public void Asked_for_ports_and_addresses_are_kept_and_a_bad_address_is_refused()
    {
        var c = ClusterConnection.Parse("postgres://u@h/d");
        Assert.Equal((12345, 23456), c.Ports(12345, 23456));
        Assert.Equal((ClusterConnection.PrimarySiloPort, ClusterConnection.FirstGatewayPort), c.Ports(null, null));
        Assert.Equal("10.1.2.3", c.AdvertisedAddress("10.1.2.3").ToString());
        Assert.Equal("cluster.bad-address", Assert.Throws<TabTwinException>(() => c.AdvertisedAddress("not-an-ip")).Code);
    }
}
