using Npgsql;
using TabTwin.IO;
using TabTwin.Schema.Relational;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Relational;

/// <summary>
/// A composite foreign key (lahman's Salaries.yearID,teamID → Teams) written with its constraints and read back from
/// each engine's catalogue in column order (a few real 1985–86 rows; the in-repo lahman tables hold neither Teams nor Salaries).
/// </summary>
public sealed class CompositeKeyRoundTripTests
{
    private static RelationalData Lahman()
    {
        var teams = new Table([
            new NumericColumn("yearID", [1985, 1985, 1986], isInteger: true),
            CategoricalColumn.FromStrings("teamID", ["ATL", "BOS", "ATL"]),
            CategoricalColumn.FromStrings("name", ["Atlanta Braves", "Boston Red Sox", "Atlanta Braves"])]);
        var salaries = new Table([
            CategoricalColumn.FromStrings("teamID", ["ATL", "ATL", "BOS", null]),
            new NumericColumn("yearID", [1985, 1986, 1985, 1986], isInteger: true),
            CategoricalColumn.FromStrings("playerID", ["barkele01", "bedrost01", "boggswa01", "clemero02"]),
            new NumericColumn("salary", [870_000, 550_000, 1_000_000, 400_000], isInteger: true)]);
        var metadata = new DatabaseMetadata(["Teams", "Salaries"],
            new Dictionary<string, IReadOnlyList<string>> { ["Teams"] = ["yearID", "teamID"] },
            [ForeignKey.Parse("Salaries.yearID,teamID -> Teams.yearID,teamID")]);
        return new RelationalData(metadata, new Dictionary<string, Table> { ["Teams"] = teams, ["Salaries"] = salaries });
    }

    private static void AssertRoundTrip(string address, RelationalReadOptions? options = null)
    {
        RelationalSink.Write(Lahman(), address);
        var back = RelationalSource.Read(address, options);
        Assert.Equal(["yearID", "teamID"], back.Metadata.PrimaryKeys["Teams"]);
        var fk = Assert.Single(back.Metadata.ForeignKeys);
        Assert.Equal("Salaries.yearID,teamID -> Teams.yearID,teamID", fk.ToString());
        Assert.Equal(4, back["Salaries"].RowCount);
        Assert.Equal(1, back["Salaries"]["teamID"].MissingCount);   // a missing part: the row references nothing, and is accepted
        Assert.Empty(back.Orphans);
    }

    [Fact]
    public void Sqlite() => AssertRoundTrip(Path.Combine(TestData.NewTempDir(), "lahman.db"));

    [Fact]
    public void DuckDb() => AssertRoundTrip("duckdb:" + Path.Combine(TestData.NewTempDir(), "lahman.duckdb"));

    [SkippableFact]
    public void Postgres()
    {
        var connection = TestPostgres.Connection();
        string schema = "dbio_" + Guid.NewGuid().ToString("N")[..10];
        using var admin = new NpgsqlConnection(connection);
        admin.Open();
        using (var create = admin.CreateCommand()) { create.CommandText = $"CREATE SCHEMA {schema}"; create.ExecuteNonQuery(); }
        try
        {
            RelationalSink.Write(Lahman(), "pg:" + new NpgsqlConnectionStringBuilder(connection) { SearchPath = schema }.ConnectionString);
            AssertRoundTripRead("pg:" + connection, new RelationalReadOptions { Schema = schema });
        }
        finally
        {
            using var drop = admin.CreateCommand();
            drop.CommandText = $"DROP SCHEMA {schema} CASCADE";
            drop.ExecuteNonQuery();
        }
    }

    private static void AssertRoundTripRead(string address, RelationalReadOptions options)
    {
        var back = RelationalSource.Read(address, options);
        Assert.Equal(["yearID", "teamID"], back.Metadata.PrimaryKeys["Teams"]);
        Assert.Equal("Salaries.yearID,teamID -> Teams.yearID,teamID", Assert.Single(back.Metadata.ForeignKeys).ToString());
        Assert.Equal(4, back["Salaries"].RowCount);
    }

    [Fact]
    public void An_orphan_of_a_composite_key_is_counted_and_set_missing()
    {
        var db = Lahman();
        var salaries = db["Salaries"].WithColumn(new NumericColumn("yearID", [1985, 1987, 1985, 1986], isInteger: true));
        var data = KeyIntegrity.Enforce(new RelationalData(db.Metadata, new Dictionary<string, Table> { ["Teams"] = db["Teams"], ["Salaries"] = salaries }));
        var report = Assert.Single(data.Orphans);
        Assert.Equal("row 2: (1987, ATL)", report.Example);
        // Both parts of the orphan's key become missing; the row whose teamID was already missing was no orphan.
        Assert.Equal(1, data["Salaries"]["yearID"].MissingCount);
        Assert.Equal(2, data["Salaries"]["teamID"].MissingCount);
    }
}
