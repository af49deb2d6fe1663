using ParquetSharp;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using Xunit;

namespace TabTwin.Tests.IO;

/// <summary>
/// Chunked readers (issue 18): one pass's chunks concatenated are what <see cref="TableReader.Read"/> gives (types,
/// presentation and values), every chunk has the same column types, and two passes give the same chunks.
/// </summary>
public sealed class TableChunksTests
{
    public static readonly TheoryData<string, string, int> Tables = new()
    {
        { "titanic", "titanic3.csv", 1 },
        { "titanic", "titanic3.csv", 7 },
        { "titanic", "titanic3.csv", 1000 },
        { "adult", "adult.csv", 7 },
        { "adult", "adult.csv", 1000 },
        { "beijing_pm25", "beijing_pm25.csv", 1000 },
        { "airbnb_nyc_2019", "AB_NYC_2019.csv", 7 },
        { "airbnb_nyc_2019", "AB_NYC_2019.csv", 1000 },
    };

    [Theory, MemberData(nameof(Tables))]
    public void Csv_chunks_concatenate_to_the_whole_read(string dataset, string file, int chunkRows)
    {
        var path = TestData.Dataset(dataset, file);
        AssertChunksMatchRead(path, chunkRows);
    }

    [Theory, MemberData(nameof(Tables))]
    public void Parquet_chunks_concatenate_to_the_whole_read(string dataset, string file, int chunkRows)
    {
        var table = TableReader.Read(TestData.Dataset(dataset, file));
        var dir = TestData.NewTempDir();
        var oneGroup = Path.Combine(dir, "one.parquet");
        TableWriter.Write(table, oneGroup);
        AssertChunksMatchRead(oneGroup, chunkRows);
        var manyGroups = Path.Combine(dir, "many.parquet");
        ParquetTableWriter.Write(table, manyGroups, rowGroupSize: 333);
        var chunks = AssertChunksMatchRead(manyGroups, chunkRows);
        Assert.True(chunks.Count >= (table.RowCount + 332) / 333, "a chunk never spans two row groups");
    }

    [Fact]
    public void Sqlite_chunks_concatenate_to_the_whole_read()
    {
        var table = TableReader.Read(TestData.Dataset("titanic", "titanic3.csv"));
        var path = Path.Combine(TestData.NewTempDir(), "titanic.db");
        TableWriter.Write(table, path, new WriteOptions { TableName = "passengers" });
        foreach (int chunkRows in new[] { 1, 7, 1000 }) AssertChunksMatchRead(path, chunkRows);
    }

    [Fact]
    public void Sqlite_columns_whose_later_rows_look_different_keep_one_type()
    {
        // Row 1..60 look like: integers, whole REALs, digit strings, NULLs, dates; later rows: a 2^60 integer, fractions,
        // words, an integer, a bad date. SQLite's dynamic typing hands the reader mixed kinds per column.
        var path = Path.Combine(TestData.NewTempDir(), "mixed.db");
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            Exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, wide INTEGER, real REAL, code TEXT, late INTEGER, day TEXT, mixed, huge REAL)");
            using var tx = c.BeginTransaction();
            for (int i = 120; i >= 1; i--)   // inserted backwards: the primary key orders the chunks
                Exec(c, $"INSERT INTO t VALUES ({i}, {(i == 100 ? "1152921504606846976" : i.ToString())}, {(i > 60 ? $"{i}.125" : $"{i}.0")}, " +
                    $"'{(i > 60 ? "w" + (i % 5) : (i % 9).ToString())}', {(i > 60 ? i.ToString() : "NULL")}, " +
                    $"'{(i == 110 ? "soon" : $"2024-01-{1 + i % 28:00}")}', {(i % 2 == 0 ? i.ToString() : $"'x{i % 3}'")}, {(i == 90 ? "9e999" : (i * 1.5).ToString(System.Globalization.CultureInfo.InvariantCulture))})", tx);
            tx.Commit();
        }
        var options = new ReadOptions { TableName = "t" };
        var whole = TableReader.Read(path, new ReadOptions { Query = "SELECT * FROM t ORDER BY id" });
        Assert.IsType<TextColumn>(whole["wide"]);
        Assert.Equal(3, whole.Get<NumericColumn>("real").DecimalPlaces);
        Assert.IsType<CategoricalColumn>(whole["day"]);
        foreach (int chunkRows in new[] { 1, 7, 1000 })
        {
            var source = TableChunks.Open(path, options, chunkRows);
            var chunks = source.ReadChunks().ToList();
            AssertSame(whole, Table.Concat([.. chunks]));
            foreach (var chunk in chunks)
            {
                Assert.Equal(whole.Columns.Select(c => c.GetType()), chunk.Columns.Select(c => c.GetType()));
                Assert.Equal(3, chunk.Get<NumericColumn>("real").DecimalPlaces);
            }
            var again = source.ReadChunks().ToList();
            for (int i = 0; i < chunks.Count; i++) AssertSame(chunks[i], again[i]);
        }
        Assert.Single(Warnings(path, options), w => w.Contains("column 'huge'"));
    }

    [Fact]
    public void A_database_changed_after_open_is_io_changed()
    {
        var path = Path.Combine(TestData.NewTempDir(), "t.db");
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        Exec(c, "CREATE TABLE t (k INTEGER PRIMARY KEY, v INTEGER)");
        for (int i = 1; i <= 10; i++) Exec(c, $"INSERT INTO t VALUES ({i}, {i * 10})");
        var source = TableChunks.Open(path, chunkRows: 3);
        Assert.Equal(4, source.ReadChunks().Count());

        Exec(c, "INSERT INTO t VALUES (11, 110)");
        Assert.Equal("io.changed", Assert.Throws<DataSourceException>(() => source.ReadChunks().ToList()).Code);
        Exec(c, "DELETE FROM t WHERE k = 11");
        Exec(c, "UPDATE t SET v = 'many' WHERE k = 5");
        var e = Assert.Throws<DataSourceException>(() => source.ReadChunks().ToList());
        Assert.Equal(("io.changed", 5L, "v"), (e.Code, e.Row, e.Column));
    }

    private static List<string> Warnings(string path, ReadOptions options)
    {
        var warnings = new List<string>();
        var source = TableChunks.Open(path, options with { Warning = warnings.Add }, 10);
        source.ReadChunks().ToList();
        source.ReadChunks().ToList();
        return warnings;
    }

    [Fact]
    public void DuckDb_chunks_concatenate_to_the_whole_read()
    {
        var path = Path.Combine(TestData.NewTempDir(), "t.duckdb");
        using (var c = new DuckDB.NET.Data.DuckDBConnection($"Data Source={path}"))
        {
            c.Open();
            Exec(c, "CREATE TABLE t (k INTEGER PRIMARY KEY, d DECIMAL(10,2), day DATE, ts TIMESTAMP, txt VARCHAR, b BOOLEAN)");
            Exec(c, "INSERT INTO t SELECT 500 - i, i / 4, DATE '2024-01-01' + i::INTEGER, TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i), " +
                "CASE WHEN i < 400 THEN (i % 10)::VARCHAR ELSE 'word' || (i % 3) END, i % 3 = 0 FROM range(500) r(i)");
            Exec(c, "UPDATE t SET ts = ts + INTERVAL 250 MILLISECOND WHERE k = 3");
        }
        var whole = TableReader.Read("duckdb:" + path, new ReadOptions { Query = "SELECT * FROM t ORDER BY k" });
        Assert.EndsWith("FFFFFFF", whole.Get<DateTimeColumn>("ts").Format);
        foreach (int chunkRows in new[] { 7, 1000 })
            AssertChunksMatch(whole, TableChunks.Open("duckdb:" + path, chunkRows: chunkRows), chunkRows);
    }

    private static void Exec(System.Data.Common.DbConnection connection, string sql, System.Data.Common.DbTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        command.ExecuteNonQuery();
    }

    [SkippableFact]
    public void Postgres_chunks_concatenate_to_the_whole_read()
    {
        var connection = TestPostgres.Connection();
        var table = TableReader.Read(TestData.Dataset("titanic", "titanic3.csv"));
        var name = $"chunks_{Guid.NewGuid():N}";
        try
        {
            TableWriter.Write(table, "pg:" + connection, new WriteOptions { TableName = name });
            foreach (int chunkRows in new[] { 7, 1000 })
                AssertChunksMatchRead("pg:" + connection, chunkRows, new ReadOptions { TableName = name });
            // Native types: timestamptz with per-row offsets, numeric, booleans, dates; and a deterministic query.
            TableWriter.Write(SampleTables.Mixed(), "pg:" + connection, new WriteOptions { TableName = name + "_mixed" });
            foreach (int chunkRows in new[] { 1, 2 })
                AssertChunksMatchRead("pg:" + connection, chunkRows, new ReadOptions { Query = $"SELECT * FROM \"{name}_mixed\" ORDER BY \"count\", \"city\"" });
        }
        finally
        {
            using var c = new Npgsql.NpgsqlConnection(connection);
            c.Open();
            using var command = new Npgsql.NpgsqlCommand($"DROP TABLE IF EXISTS \"{name}\", \"{name}_mixed\"", c);
            command.ExecuteNonQuery();
        }
    }

    [Fact]
    public void A_foreign_parquet_file_gets_one_type_per_column_whatever_its_row_groups_hold()
    {
        // Group 1 looks numeric/integer/whole-second everywhere; group 2 has words, fractions and a 2^60 integer.
        var path = Path.Combine(TestData.NewTempDir(), "foreign.parquet");
        var columns = new ParquetSharp.Column[]
        {
            new Column<string>("code"), new Column<double?>("amount"), new Column<long?>("id"),
            new Column<DateTime?>("at", LogicalType.Timestamp(false, TimeUnit.Micros)),
        };
        using (var writer = new ParquetFileWriter(path, columns))
        {
            var start = new DateTime(2024, 1, 1, 0, 0, 0);
            void Group(int from, int count, Func<int, string> code, Func<int, double?> amount, Func<int, long?> id, Func<int, DateTime?> at)
            {
                using var group = writer.AppendRowGroup();
                using (var w = group.NextColumn().LogicalWriter<string>()) w.WriteBatch(Enumerable.Range(from, count).Select(code).ToArray());
                using (var w = group.NextColumn().LogicalWriter<double?>()) w.WriteBatch(Enumerable.Range(from, count).Select(amount).ToArray());
                using (var w = group.NextColumn().LogicalWriter<long?>()) w.WriteBatch(Enumerable.Range(from, count).Select(id).ToArray());
                using (var w = group.NextColumn().LogicalWriter<DateTime?>()) w.WriteBatch(Enumerable.Range(from, count).Select(at).ToArray());
            }
            Group(0, 100, i => (1000 + i % 10).ToString(), i => i, i => i, i => start.AddHours(i));
            Group(100, 100, i => $"word{i % 7}", i => i + 0.25, i => i == 150 ? 1L << 60 : i, i => start.AddHours(i).AddMilliseconds(500));
            writer.Close();
        }
        var whole = TableReader.Read(path);
        Assert.IsType<CategoricalColumn>(whole["code"]);
        Assert.IsType<TextColumn>(whole["id"]);  // 2^60 cannot be a double: read as its digits
        Assert.Equal(2, whole.Get<NumericColumn>("amount").DecimalPlaces);
        Assert.EndsWith(".FFFFFFF", whole.Get<DateTimeColumn>("at").Format);
        foreach (int chunkRows in new[] { 7, 1000 })
        {
            var chunks = AssertChunksMatchRead(path, chunkRows);
            foreach (var chunk in chunks)
            {
                Assert.Equal(2, chunk.Get<NumericColumn>("amount").DecimalPlaces);
                Assert.Equal(whole.Get<DateTimeColumn>("at").Format, chunk.Get<DateTimeColumn>("at").Format);
            }
        }
    }

    [Fact]
    public void Empty_and_missing_inputs_are_the_readers_errors()
    {
        var dir = TestData.NewTempDir();
        var csv = Path.Combine(dir, "header-only.csv");
        File.WriteAllText(csv, "a,b\n");
        Assert.Equal("table.empty", Assert.Throws<DataSourceException>(() => TableChunks.Open(csv)).Code);

        var parquet = Path.Combine(dir, "empty.parquet");
        using (var writer = new ParquetFileWriter(parquet, new ParquetSharp.Column[] { new Column<string>("a") })) writer.Close();
        Assert.Equal("table.empty", Assert.Throws<DataSourceException>(() => TableChunks.Open(parquet)).Code);

        foreach (var name in new[] { "nope.csv", "nope.parquet", "nope.db" })
            Assert.Equal("io.not-found", Assert.Throws<DataSourceException>(() => TableChunks.Open(Path.Combine(dir, name))).Code);
    }

    [Fact]
    public void A_csv_file_changed_after_open_is_io_changed_naming_row_and_column()
    {
        var path = Path.Combine(TestData.NewTempDir(), "t.csv");
        File.WriteAllText(path, "n,s\n1,a\n2,b\n3,c\n");
        var source = TableChunks.Open(path, chunkRows: 2);
        Assert.Equal(2, source.ReadChunks().Count());

        // Same length and write time, but a number became a word: the plan decided at open no longer fits.
        var written = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, "n,s\n1,a\n2,b\nx,c\n");
        File.SetLastWriteTimeUtc(path, written);
        var e = Assert.Throws<DataSourceException>(() => source.ReadChunks().ToList());
        Assert.Equal("io.changed", e.Code);
        Assert.Equal((3L, "n", path), (e.Row, e.Column, e.File));

        File.AppendAllText(path, "4,d\n");
        Assert.Equal("io.changed", Assert.Throws<DataSourceException>(() => source.ReadChunks().ToList()).Code);
    }

    [Fact]
    public void Warnings_are_said_once_not_per_pass()
    {
        var path = Path.Combine(TestData.NewTempDir(), "t.csv");
        File.WriteAllText(path, "x,y\n1,a\ninf,b\n3,a\n");
        var warnings = new List<string>();
        var source = TableChunks.Open(path, new ReadOptions { Warning = warnings.Add }, chunkRows: 1);
        source.ReadChunks().ToList();
        source.ReadChunks().ToList();
        Assert.Single(warnings, w => w.Contains("column 'x'"));
    }

    [Fact]
    public void Streaming_cart_fits_titanic_read_in_chunks()
    {
        var path = TestData.Dataset("titanic", "titanic3.csv");
        var source = TableChunks.Open(path, chunkRows: 500);
        var (sample, rows) = TableReservoir.Read(source, 1_000, seed: 11);
        Assert.Equal(TableReader.Read(path).RowCount, rows);
        var schema = SchemaDetector.Detect(sample);
        var model = new CartSynthesizer().FitStreaming(source, sample, rows, schema, new FitContext());
        var synthetic = model.Sample(1_000, 5);
        Assert.Equal(1_000, synthetic.RowCount);
        Assert.Equal(sample.ColumnNames, synthetic.ColumnNames);
    }

    /// <summary>Two passes, each chunk's column types as the whole read's, concatenation equal to it; returns pass 1.</summary>
    private static List<Table> AssertChunksMatchRead(string path, int chunkRows, ReadOptions? options = null)
        => AssertChunksMatch(TableReader.Read(path, options), TableChunks.Open(path, options, chunkRows), chunkRows);

    private static List<Table> AssertChunksMatch(Table whole, ITableChunkSource source, int chunkRows)
    {
        var first = source.ReadChunks().ToList();
        var second = source.ReadChunks().ToList();
        Assert.All(first, c => Assert.InRange(c.RowCount, 1, chunkRows));
        Assert.Equal(first.Select(c => c.RowCount), second.Select(c => c.RowCount));
        foreach (var chunk in first)
            Assert.Equal(whole.Columns.Select(c => c.GetType()), chunk.Columns.Select(c => c.GetType()));
        AssertSame(whole, Table.Concat([.. first]));
        for (int i = 0; i < first.Count; i++) AssertSame(first[i], second[i]);
        return first;
    }

    private static void AssertSame(Table expected, Table actual)
    {
        Assert.Equal(expected.ColumnNames, actual.ColumnNames);
        Assert.Equal(expected.RowCount, actual.RowCount);
        for (int c = 0; c < expected.ColumnCount; c++)
        {
            var (e, a) = (expected.Columns[c], actual.Columns[c]);
            Assert.Equal(e.GetType(), a.GetType());
            if (e is NumericColumn en && a is NumericColumn an) Assert.Equal((en.IsInteger, en.DecimalPlaces), (an.IsInteger, an.DecimalPlaces));
            if (e is DateTimeColumn ed && a is DateTimeColumn ad) Assert.Equal((ed.Format, ed.HasOffset), (ad.Format, ad.HasOffset));
            if (e is BooleanColumn eb && a is BooleanColumn ab) Assert.Equal((eb.TrueToken, eb.FalseToken), (ab.TrueToken, ab.FalseToken));
        }
        for (int r = 0; r < expected.RowCount; r++) Assert.Equal(expected.FormatRow(r), actual.FormatRow(r));
    }
}
