using System.Data.Common;
using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Hardening;

/// <summary>
/// Reading a database never changes it (issue 15, item 2) and broken databases or unbindable queries are clean coded
/// errors (item 10). The engine's read-only mode is the guarantee; the query check is the early, clear message.
/// </summary>
public class ReadOnlyDatabaseTests
{
    /// <summary>The first 200 penguins written as table <c>keep</c> of a fresh database file.</summary>
    private static (string Path, Table Penguins) Database(string extension)
    {
        var penguins = TableReader.Read(TestData.Dataset("penguins", "penguins.csv"));
        penguins = penguins.Head(200);
        var path = Path.Combine(TestData.NewTempDir(), "work" + extension);
        TableWriter.Write(penguins, path, new WriteOptions { TableName = "keep" });
        return (path, penguins);
    }

    public static TheoryData<string, string> WritingQueries => new()
    {
        { ".duckdb", "DROP TABLE keep" },
        { ".duckdb", "COPY keep TO '{dir}/copied.csv'" },
        { ".duckdb", "ATTACH '{dir}/attached.duckdb' AS other" },
        { ".duckdb", "select 1; drop table keep" },
        { ".db", "DROP TABLE keep" },
        { ".db", "VACUUM INTO '{dir}/vacuumed.db'" },
        { ".db", "PRAGMA journal_mode=DELETE" },
        { ".db", "select 1 /* ; */ ; delete from keep" },
        { ".db", "WITH k AS (select * from keep) DELETE FROM keep" },
    };

    [Theory]
    [MemberData(nameof(WritingQueries))]
    public void A_writing_query_is_refused_and_the_database_is_unchanged(string extension, string query)
    {
        var (path, penguins) = Database(extension);
        var dir = Path.GetDirectoryName(path)!;
        var before = Directory.GetFiles(dir).Order().ToArray();
        var e = Assert.Throws<DataSourceException>(() => TableReader.Read(path, new ReadOptions { Query = query.Replace("{dir}", dir) }));
        Assert.Equal("db.query-not-read-only", e.Code);
        Assert.Equal(before, Directory.GetFiles(dir).Order().ToArray());
        Assert.Equal(penguins.RowCount, TableReader.Read(path, new ReadOptions { TableName = "keep" }).RowCount);
    }

    [Theory]
    [InlineData(".duckdb", "DROP TABLE keep")]
    [InlineData(".duckdb", "COPY keep TO '{dir}/copied.csv'")]
    [InlineData(".duckdb", "ATTACH '{dir}/attached.duckdb' AS other")]
    [InlineData(".db", "DROP TABLE keep")]
    [InlineData(".db", "DELETE FROM keep")]
    public void The_engine_itself_refuses_writes_on_a_connection_opened_for_reading(string extension, string sql)
    {
        var (path, penguins) = Database(extension);
        var dir = Path.GetDirectoryName(path)!;
        var source = DataAddress.Resolve(path, null).Database!;
        using (var connection = source.Open(forWriting: false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql.Replace("{dir}", dir);
            Assert.ThrowsAny<DbException>(() => command.ExecuteNonQuery());
        }
        Assert.Single(Directory.GetFiles(dir));
        Assert.Equal(penguins.RowCount, TableReader.Read(path, new ReadOptions { TableName = "keep" }).RowCount);
    }

    [Theory]
    [InlineData(".duckdb", "select * from keep where bill_length_mm > ?")]
    [InlineData(".db", "select * from keep where bill_length_mm > ?")]
    [InlineData(".db", "select * from keep where species = :name")]
    [InlineData(".duckdb", "select * from keep where bill_length_mm > $1")]
    public void A_query_with_an_unbound_parameter_is_a_coded_error(string extension, string query)
    {
        var (path, _) = Database(extension);
        var e = Assert.Throws<DataSourceException>(() => TableReader.Read(path, new ReadOptions { Query = query }));
        Assert.Equal("db.query-not-read-only", e.Code);
        Assert.Contains("parameter", e.Message);
    }

    [Theory]
    [InlineData(".db")]
    [InlineData(".duckdb")]
    public void Read_only_queries_with_question_marks_in_strings_comments_and_casts_still_run(string extension)
    {
        var (path, _) = Database(extension);
        var t = TableReader.Read(path, new ReadOptions
        {
            Query = "select species, 'why?' as q, cast(year as integer) as y -- any ; here?\nfrom keep where island = 'Biscoe';",
        });
        Assert.Equal(["species", "q", "y"], t.ColumnNames);
        Assert.True(t.RowCount > 10);
    }

    [Theory]
    [InlineData(".db", "garbage")]
    [InlineData(".db", "truncated")]
    [InlineData(".duckdb", "garbage")]
    [InlineData(".duckdb", "truncated")]
    public void A_non_database_or_truncated_file_is_a_coded_error_as_input_and_as_output(string extension, string damage)
    {
        var (path, penguins) = Database(extension);
        byte[] bytes = damage == "garbage"
            ? "species,island\nAdelie,Biscoe\n"u8.ToArray()
            : File.ReadAllBytes(path)[..(int)(new FileInfo(path).Length * 2 / 3)];
        File.WriteAllBytes(path, bytes);
        // A cut-off DuckDB file may open (its catalogue is intact) and fail when the data pages are read.
        var read = Assert.Throws<DataSourceException>(() => TableReader.Read(path));
        Assert.Contains(read.Code, new[] { "db.not-a-database", "db.query-failed" });
        // DuckDB itself accepts new tables in a cut-off file (its free-block list is intact); SQLite is checked by its header.
        if (extension == ".duckdb" && damage == "truncated") return;
        var write = Assert.Throws<DataSourceException>(() => TableWriter.Write(penguins, path, new WriteOptions { TableName = "other" }));
        Assert.Equal("db.not-a-database", write.Code);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }
}
