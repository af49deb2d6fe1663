using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.IO;

public class DatabaseTests
{
    private static void Sql(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteConnection OpenSqlite(string path)
    {
        var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        return c;
    }

    [Fact]
    public void Sqlite_round_trip_is_exact_including_formats_offsets_and_tokens()
    {
        var table = SampleTables.Mixed();
        var path = Path.Combine(TestData.NewTempDir(), "mixed.db");
        TableWriter.Write(table, path, new WriteOptions { TableName = "people" });
        var back = TableReader.Read(path); // the file holds exactly one table
        SampleTables.AssertSameContent(table, back, textMayBecomeCategorical: true);
        Assert.Equal("yes", back.Get<BooleanColumn>("member").TrueToken);
        Assert.True(back.Get<DateTimeColumn>("seen").HasOffset);
        Assert.Equal(2, back.Get<NumericColumn>("price").DecimalPlaces);
        // Prefix addressing and a query read the same data.
        var query = TableReader.Read("sqlite:" + path, new ReadOptions { Query = "SELECT \"count\", city FROM people WHERE city = 'Zürich'" });
        Assert.Equal(2, query.RowCount);
        Assert.Equal(["count", "city"], query.ColumnNames);
    }

    [Fact]
    public void Sqlite_text_columns_are_inferred_and_native_types_map_directly()
    {
        var path = Path.Combine(TestData.NewTempDir(), "native.sqlite");
        using (var c = OpenSqlite(path))
        {
            Sql(c, "CREATE TABLE t (id INTEGER, score REAL, joined TEXT, flag TEXT, code TEXT)");
            Sql(c, "INSERT INTO t VALUES (1, 2.0, '2024-01-31', 'Y', '00123'), (2, NULL, '1999-12-01', 'N', '00456'), (NULL, 3.5, NULL, NULL, NULL)");
        }
        var t = TableReader.Read(path, new ReadOptions { TableName = "t" });
        Assert.True(t.Get<NumericColumn>("id").IsInteger);
        Assert.True(t["id"].IsMissing(2));
        Assert.False(t.Get<NumericColumn>("score").IsInteger); // a REAL column stays non-integer even with whole values
        Assert.Equal("yyyy-MM-dd", t.Get<DateTimeColumn>("joined").Format);
        Assert.Equal("Y", t.Get<BooleanColumn>("flag").TrueToken);
        Assert.Equal("00123", t["code"].FormatValue(0)); // leading zeros are not numbers
    }

    [Fact]
    public void Sqlite_columns_with_mixed_storage_classes_are_read_as_text_and_inferred()
    {
        var path = Path.Combine(TestData.NewTempDir(), "mixed.sqlite");
        using (var c = OpenSqlite(path))
        {
            Sql(c, "CREATE TABLE t (anything, nums)");
            Sql(c, "INSERT INTO t VALUES (NULL, 1), (1, 2.5), ('abc', '3'), (2.5, NULL)");
        }
        var t = TableReader.Read(path);
        Assert.Equal([null, "1", "abc", "2.5"], Enumerable.Range(0, 4).Select(r => t["anything"].FormatValue(r)));
        var nums = t.Get<NumericColumn>("nums"); // integer, real and numeric text all parse as numbers
        Assert.Equal([1.0, 2.5, 3.0], new[] { 0, 1, 2 }.Select(r => nums[r]));
        Assert.True(nums.IsMissing(3));
    }

    [Fact]
    public void Sqlite_errors_name_table_column_and_type()
    {
        var path = Path.Combine(TestData.NewTempDir(), "two.db");
        using (var c = OpenSqlite(path))
        {
            Sql(c, "CREATE TABLE a (x INTEGER); CREATE TABLE b (blobby BLOB); INSERT INTO a VALUES (1); INSERT INTO b VALUES (x'0102')");
        }
        var required = Assert.Throws<DataSourceException>(() => TableReader.Read(path));
        Assert.Equal("db.table-required", required.Code);
        Assert.Contains("2 tables (a, b)", required.Message);
        var unsupported = Assert.Throws<DataSourceException>(() => TableReader.Read(path, new ReadOptions { TableName = "b" }));
        Assert.Equal("db.unsupported-type", unsupported.Code);
        Assert.Equal("blobby", unsupported.Column);
        Assert.Contains("column 'blobby' has database type 'BLOB'", unsupported.Message);
        var notFound = Assert.Throws<DataSourceException>(() => TableReader.Read(path, new ReadOptions { TableName = "c\"; DROP TABLE a; --" }));
        Assert.Equal("db.table-not-found", notFound.Code);
        var badQuery = Assert.Throws<DataSourceException>(() => TableReader.Read(path, new ReadOptions { Query = "SELECT nope FROM a" }));
        Assert.Equal("db.query-failed", badQuery.Code);
        Assert.Equal("io.not-found", Assert.Throws<DataSourceException>(() => TableReader.Read(Path.Combine(TestData.NewTempDir(), "none.db"))).Code);
        Assert.Equal(1, TableReader.Read(path, new ReadOptions { TableName = "a" }).RowCount); // still there
    }

    [Fact]
    public void Sqlite_overwrite_replaces_and_no_overwrite_refuses()
    {
        var path = Path.Combine(TestData.NewTempDir(), "w.db");
        var table = SampleTables.Mixed();
        TableWriter.Write(table, path, new WriteOptions { TableName = "t" });
        var e = Assert.Throws<DataSourceException>(() => TableWriter.Write(table.Head(2), path, new WriteOptions { TableName = "t" }));
        Assert.Equal("db.table-exists", e.Code);   // refusing is the default
        Assert.Equal(table.RowCount, TableReader.Read(path).RowCount);
        TableWriter.Write(table.Head(2), path, new WriteOptions { TableName = "t", Overwrite = true });
        Assert.Equal(2, TableReader.Read(path).RowCount);
    }

    [Fact]
    public void Failed_database_write_leaves_no_new_file()
    {
        var path = Path.Combine(TestData.NewTempDir(), "fails.db");
        var bad = new Table([new TextColumn("a", ["x"]), new TextColumn("A", ["y"])]); // SQLite names are case-insensitive
        var e = Assert.Throws<DataSourceException>(() => TableWriter.Write(bad, path));
        Assert.Equal("db.write-failed", e.Code);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void DuckDb_round_trip_keeps_values_and_types()
    {
        var table = SampleTables.Mixed();
        var path = Path.Combine(TestData.NewTempDir(), "mixed.duckdb");
        TableWriter.Write(table, path, new WriteOptions { TableName = "mixed" });
        var back = TableReader.Read(path);
        Assert.Equal(table.ColumnNames, back.ColumnNames);
        Assert.Equal(table.Columns.Select(c => c.Type == ColumnType.Text ? ColumnType.Categorical : c.Type),
            back.Columns.Select(c => c.Type == ColumnType.Text ? ColumnType.Categorical : c.Type));
        foreach (var name in new[] { "count", "price", "city", "note", "day", "stamp" })
            for (int r = 0; r < table.RowCount; r++)
                Assert.Equal(table[name].FormatValue(r), back[name].FormatValue(r));
        // Native BOOLEAN / TIMESTAMPTZ keep values (as instants), not spellings or offsets.
        Assert.Equal(table["member"].GetValue(0), back["member"].GetValue(0));
        Assert.Equal(table["member"].Missing.ToBools(), back["member"].Missing.ToBools());
        var seen = back.Get<DateTimeColumn>("seen");
        for (int r = 0; r < table.RowCount; r++)
            if (!table["seen"].IsMissing(r))
                Assert.Equal(((DateTimeOffset)table["seen"].GetValue(r)!).UtcDateTime, ((DateTimeOffset)seen.GetValue(r)!).UtcDateTime);
    }

    [Fact]
    public void DuckDb_native_and_text_columns_map_and_unsupported_types_fail()
    {
        var path = Path.Combine(TestData.NewTempDir(), "native.duckdb");
        using (var c = new DuckDBConnection($"Data Source={path}"))
        {
            c.Open();
            Sql(c, "CREATE TABLE t (i INTEGER, d DECIMAL(10,2), day DATE, ts TIMESTAMP, txt VARCHAR, b BOOLEAN, iv INTERVAL)");
            Sql(c, "INSERT INTO t VALUES (1, 12.34, DATE '2024-01-31', TIMESTAMP '2024-01-31 10:15:30', '2024-01-31', true, INTERVAL 1 DAY), (NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
        }
        var t = TableReader.Read("duckdb:" + path, new ReadOptions { Query = "SELECT i, d, day, ts, txt, b FROM t" });
        Assert.True(t.Get<NumericColumn>("i").IsInteger);
        Assert.Equal("12.34", t["d"].FormatValue(0));
        Assert.Equal("2024-01-31", t.Get<DateTimeColumn>("day").FormatValue(0));
        Assert.Equal("2024-01-31 10:15:30", t.Get<DateTimeColumn>("ts").FormatValue(0));
        Assert.IsType<DateTimeColumn>(t["txt"]);
        Assert.True(t.Get<BooleanColumn>("b")[0]);
        Assert.All(t.Columns, c => Assert.True(c.IsMissing(1)));
        var e = Assert.Throws<DataSourceException>(() => TableReader.Read(path, new ReadOptions { TableName = "t" }));
        Assert.Equal("db.unsupported-type", e.Code);
        Assert.Equal("iv", e.Column);
    }
}
