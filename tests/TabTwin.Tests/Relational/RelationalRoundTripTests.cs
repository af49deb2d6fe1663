using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using TabTwin.IO;
using TabTwin.Schema.Relational;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Relational;

/// <summary>
/// The whole chinook database written and read back — SQLite, DuckDB, the real PostgreSQL server and a folder — with
/// every key declared and enforced by the database itself (the self-reference Employee.ReportsTo and the composite key of
/// PlaylistTrack included), all or nothing.
/// </summary>
public sealed class RelationalRoundTripTests
{
    [Fact]
    public void Sqlite_round_trip_keeps_every_row_and_key_and_the_database_enforces_them()
    {
        var path = Path.Combine(TestData.NewTempDir(), "chinook.db");
        AssertRoundTrip(path);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA foreign_keys = ON");
        var e = Assert.Throws<SqliteException>(() => Execute(connection, "INSERT INTO InvoiceLine VALUES (99999, 1, 424242, 0.99, 1)"));
        Assert.Contains("FOREIGN KEY", e.Message);
        Assert.Throws<SqliteException>(() => Execute(connection, "INSERT INTO PlaylistTrack VALUES (1, 3402)"));   // the composite key is a primary key
    }

    [Fact]
    public void DuckDb_round_trip_keeps_every_row_and_key()
    {
        AssertRoundTrip("duckdb:" + Path.Combine(TestData.NewTempDir(), "chinook.duckdb"));
    }

    [SkippableFact]
    public void Postgres_round_trip_keeps_every_row_and_key_in_its_own_schema()
    {
        var connection = TestPostgres.Connection();
        string schema = "dbio_" + Guid.NewGuid().ToString("N")[..10];
        using var admin = new NpgsqlConnection(connection);
        admin.Open();
        Execute(admin, $"CREATE SCHEMA {schema}");
        try
        {
            var address = "pg:" + new NpgsqlConnectionStringBuilder(connection) { SearchPath = schema }.ConnectionString;
            AssertRoundTrip(address);
            var back = RelationalSource.Read("pg:" + connection, new RelationalReadOptions { Schema = schema, Tables = ["Employee", "Customer"] });
            Assert.Equal(8, back["Employee"].RowCount);
            var e = Assert.Throws<PostgresException>(() => Execute(admin, $"INSERT INTO {schema}.\"Track\" (\"TrackId\", \"Name\", \"AlbumId\", \"MediaTypeId\", \"Milliseconds\", \"UnitPrice\") VALUES (99999, 'x', 424242, 1, 1, 1)"));
            Assert.Equal("23503", e.SqlState);   // foreign_key_violation
        }
        finally
        {
            Execute(admin, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    [Fact]
    public void Folder_round_trip_writes_one_file_per_table_and_metadata_json()
    {
        var folder = Path.Combine(TestData.NewTempDir(), "out");
        var written = AssertRoundTrip(folder);
        Assert.Equal(12, written.Count);
        Assert.EndsWith("metadata.json", written[^1]);
        Assert.Contains("\"MULTI_TABLE_V1\"", File.ReadAllText(Path.Combine(folder, "metadata.json")));
    }

    [Fact]
    public void An_existing_output_is_kept_unless_overwrite_and_a_refused_row_leaves_nothing()
    {
        var dir = TestData.NewTempDir();
        var path = Path.Combine(dir, "chinook.db");
        var db = TestData.Chinook();
        RelationalSink.Write(db, path);
        var before = File.ReadAllBytes(path);
        var e = Assert.Throws<DataSourceException>(() => RelationalSink.Write(db, path));
        Assert.Equal("db.table-exists", e.Code);
        Assert.Equal(before, File.ReadAllBytes(path));
        RelationalSink.Write(db, path, new RelationalWriteOptions { Overwrite = true });

        // Orphans kept as they are: the database refuses the row, and the new file is removed again.
        var orphaned = RelationalSource.Read(OrphanedChinook(), new RelationalReadOptions { Orphans = OrphanPolicy.Keep });
        var fresh = Path.Combine(dir, "fresh.db");
        var refused = Assert.Throws<DataSourceException>(() => RelationalSink.Write(orphaned, fresh));
        Assert.Equal("db.write-failed", refused.Code);
        Assert.Contains("InvoiceLine", refused.Message);
        Assert.False(File.Exists(fresh));
        // Treated as missing (the default), the same data loads.
        RelationalSink.Write(RelationalSource.Read(OrphanedChinook()), fresh);
    }

    [Theory]
    [InlineData("cycle.db")]
    [InlineData("cycle.duckdb")]
    public void A_self_reference_cycle_loads_with_the_references_set_afterwards(string file)
    {
        var db = TestData.Chinook();
        var employees = db["Employee"];
        // Employee 1 (the general manager, who reports to nobody) now reports to employee 2, who reports to 1: a cycle.
        var reportsTo = (TabTwin.Tables.NumericColumn)employees["ReportsTo"];
        var values = reportsTo.Values.ToArray();
        values[0] = 2;
        var cyclic = employees.WithColumn(new TabTwin.Tables.NumericColumn("ReportsTo", values, null, true, 0));
        var tables = db.Tables.ToDictionary(p => p.Key, p => p.Key == "Employee" ? cyclic : p.Value);
        var path = Path.Combine(TestData.NewTempDir(), file);
        if (file.EndsWith(".duckdb", StringComparison.Ordinal))
        {
            // DuckDB updates a row as delete + insert, which a referenced row cannot pass: a clear error, nothing written.
            var e = Assert.Throws<DataSourceException>(() => RelationalSink.Write(new RelationalData(db.Metadata, tables), path));
            Assert.Equal("db.self-reference-cycle", e.Code);
            Assert.False(File.Exists(path));
            return;
        }
        RelationalSink.Write(new RelationalData(db.Metadata, tables), path);
        var back = RelationalSource.Read(path, new RelationalReadOptions { Tables = ["Employee"] });
        Assert.Empty(back.Orphans);
        var byId = Enumerable.Range(0, 8).ToDictionary(r => back["Employee"]["EmployeeId"].FormatValue(r)!, r => back["Employee"]["ReportsTo"].FormatValue(r));
        Assert.Equal("2", byId["1"]);
        Assert.Equal("1", byId["2"]);
    }

    private static string OrphanedChinook()
    {
        var folder = RelationalSourceTests.CopyChinook(withMetadata: true);
        var path = Path.Combine(folder, "InvoiceLine.csv");
        var lines = File.ReadAllLines(path);
        lines[5] = "5,2,424242,0.99,1";
        File.WriteAllLines(path, lines);
        return folder;
    }

    private static IReadOnlyList<string> AssertRoundTrip(string address)
    {
        var db = TestData.Chinook();
        var written = RelationalSink.Write(db, address);
        var back = RelationalSource.Read(address);
        Assert.Equal(db.Metadata.Tables.Order(), back.Metadata.Tables.Order());
        Assert.Empty(back.Orphans);
        Assert.All(back.Metadata.PrimaryKeyReasons.Values, r => Assert.False(r.Proposed));
        Assert.Equal(db.Metadata.ForeignKeys.Select(f => f.ToString()).Order(), back.Metadata.ForeignKeys.Select(f => f.ToString()).Order());
        foreach (var table in db.Metadata.Tables)
        {
            Assert.Equal(db.Metadata.PrimaryKeys[table], back.Metadata.PrimaryKeys[table]);
            Assert.Equal(db[table].ColumnNames, back[table].ColumnNames);
            Assert.Equal(Rows(db[table]), Rows(back[table]));
        }
        return written;
    }

    /// <summary>Every row as text, sorted (a self-referencing table is loaded in another order).</summary>
    private static List<string> Rows(TabTwin.Tables.Table table) =>
        [.. Enumerable.Range(0, table.RowCount).Select(r => string.Join("|", table.Columns.Select(c => c is TabTwin.Tables.NumericColumn n && !n.Missing[r] ? n[r].ToString("R", System.Globalization.CultureInfo.InvariantCulture) : c.FormatValue(r)))).Order(StringComparer.Ordinal)];

    private static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
