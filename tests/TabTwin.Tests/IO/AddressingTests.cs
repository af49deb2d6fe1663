using Npgsql;
using TabTwin.IO;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.IO;

public class AddressingTests
{
    [Theory]
    [InlineData("data.csv", "Csv")]
    [InlineData("data.TXT", "Csv")]
    [InlineData("data.tsv", "Tsv")]
    [InlineData("data.tab", "Tsv")]
    [InlineData("data.parquet", "Parquet")]
    [InlineData("data.db", "Database")]
    [InlineData("data.sqlite3", "Database")]
    [InlineData("data.duckdb", "Database")]
    [InlineData("sqlite:folder/file.bin", "Database")]
    [InlineData("duckdb:file.bin", "Database")]
    public void Extensions_and_prefixes_choose_the_format(string address, string format)
        => Assert.Equal(format, DataAddress.Resolve(address, null).Format.ToString());

    [Fact]
    public void Prefixes_pick_the_database_engine_and_path()
    {
        var sqlite = DataAddress.Resolve("sqlite:folder/file.bin", null).Database!;
        Assert.Equal((DbKind.Sqlite, "folder/file.bin"), (sqlite.Kind, sqlite.Target));
        Assert.Equal(DbKind.DuckDb, DataAddress.Resolve("data.duckdb", null).Database!.Kind);
        Assert.Equal(DbKind.Sqlite, DataAddress.Resolve("data.duckdb", "sqlite").Database!.Kind); // the format option wins
    }

    [Fact]
    public void Postgres_urls_become_npgsql_connection_strings_without_showing_the_password()
    {
        var source = DataAddress.Resolve("postgresql://ann%40corp:s3cr%3At@db.local:6543/sales?sslmode=disable", null).Database!;
        Assert.Equal(DbKind.Postgres, source.Kind);
        var b = new NpgsqlConnectionStringBuilder(source.Target);
        Assert.Equal(("db.local", 6543, "sales", "ann@corp", "s3cr:t"), (b.Host, b.Port, b.Database, b.Username, b.Password));
        Assert.Equal(SslMode.Disable, b.SslMode);
        Assert.DoesNotContain("s3cr", source.Display);
        var pg = DataAddress.Resolve("pg:Host=h;Username=u;Password=p;Database=d", null).Database!;
        Assert.Equal(("h", 5432), (new NpgsqlConnectionStringBuilder(pg.Target).Host, new NpgsqlConnectionStringBuilder(pg.Target).Port));
        Assert.Equal("db.bad-address", Assert.Throws<DataSourceException>(() => DataAddress.Resolve("postgres://", null)).Code);
    }

    [Fact]
    public void Format_and_delimiter_options_apply_to_writing_and_reading()
    {
        var path = Path.Combine(TestData.NewTempDir(), "out.txt");
        var table = SampleTables.Mixed();
        TableWriter.Write(table, path, new WriteOptions { Format = "csv", Delimiter = ';' });
        Assert.StartsWith("count;price;city", File.ReadAllText(path));
        SampleTables.AssertSameContent(table, TableReader.Read(path), textMayBecomeCategorical: true);
        var e = Assert.Throws<DataSourceException>(() => TableWriter.Write(table, path, new WriteOptions { Format = "xml" }));
        Assert.Equal("io.unknown-format", e.Code);
        Assert.Contains("unknown format 'xml'", e.Message);
    }
}
