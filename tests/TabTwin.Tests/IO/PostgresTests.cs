using Npgsql;
using TabTwin.Tests.Support;
using TabTwin.IO;
using TabTwin.Tables;

namespace TabTwin.Tests.IO;

/// <summary>
/// Runs against a real PostgreSQL server: env TABTWIN_TEST_PG (an Npgsql connection string), defaulting to the
/// server that .ci/start-postgres.sh starts. Skipped, with the reason shown, when no server answers.
/// </summary>
public class PostgresTests
{
    private static string Connection() => TestPostgres.Connection();

    private static string UniqueTable(string stem) => $"{stem}_{Guid.NewGuid():N}";

    private static void Sql(string connection, string sql)
    {
        using var c = new NpgsqlConnection(connection);
        c.Open();
        using var command = new NpgsqlCommand(sql, c);
        command.ExecuteNonQuery();
    }

    [SkippableFact]
    public void Round_trip_through_binary_copy_keeps_values_and_types()
    {
        var connection = Connection();
        var table = SampleTables.Mixed();
        var name = UniqueTable("Mixed Table \"quoted\"");
        try
        {
            TableWriter.Write(table, "pg:" + connection, new WriteOptions { TableName = name });
            var back = TableReader.Read("pg:" + connection, new ReadOptions { TableName = name });
            Assert.Equal(table.ColumnNames, back.ColumnNames);
            foreach (var column in new[] { "count", "price", "city", "note", "day", "stamp" })
                for (int r = 0; r < table.RowCount; r++)
                    Assert.Equal(table[column].FormatValue(r), back[column].FormatValue(r));
            Assert.IsType<BooleanColumn>(back["member"]);
            Assert.Equal(table["member"].Missing.ToBools(), back["member"].Missing.ToBools());
            Assert.True(back.Get<NumericColumn>("count").IsInteger);
            var seen = back.Get<DateTimeColumn>("seen");
            for (int r = 0; r < table.RowCount; r++)
                if (!table["seen"].IsMissing(r))
                    Assert.Equal(((DateTimeOffset)table["seen"].GetValue(r)!).UtcDateTime, ((DateTimeOffset)seen.GetValue(r)!).UtcDateTime);
        }
        finally
        {
            Sql(connection, $"DROP TABLE IF EXISTS \"{name.Replace("\"", "\"\"")}\"");
        }
    }

    [SkippableFact]
    public void Url_addressing_queries_text_inference_and_unsupported_types()
    {
        var connection = Connection();
        var b = new NpgsqlConnectionStringBuilder(connection);
        var url = $"postgres://{Uri.EscapeDataString(b.Username!)}:{Uri.EscapeDataString(b.Password ?? "")}@{b.Host}:{b.Port}/{b.Database}";
        var name = UniqueTable("native");
        try
        {
            Sql(connection, $"CREATE TABLE {name} (id int, amount numeric(10,2), joined text, day date, at timestamptz, blob bytea)");
            Sql(connection, $"INSERT INTO {name} VALUES (1, 12.50, '2024-01-31', '2024-01-31', '2024-01-31 10:00:00+02', '\\x01'), (NULL, NULL, NULL, NULL, NULL, NULL)");
            var t = TableReader.Read(url, new ReadOptions { Query = $"SELECT id, amount, joined, day, at FROM {name} ORDER BY id" });
            Assert.True(t.Get<NumericColumn>("id").IsInteger);
            Assert.Equal(2, t.Get<NumericColumn>("amount").DecimalPlaces); // numeric(10,2): the scale is kept
            Assert.Equal(12.5, t.Get<NumericColumn>("amount")[0]);
            Assert.Equal("yyyy-MM-dd", t.Get<DateTimeColumn>("joined").Format); // text goes through inference
            Assert.Equal("2024-01-31", t["day"].FormatValue(0));
            Assert.Equal(new DateTime(2024, 1, 31, 8, 0, 0), ((DateTimeOffset)t["at"].GetValue(0)!).UtcDateTime);
            Assert.All(t.Columns, c => Assert.True(c.IsMissing(1)));
            var e = Assert.Throws<DataSourceException>(() => TableReader.Read(url, new ReadOptions { TableName = name }));
            Assert.Equal("db.unsupported-type", e.Code);
            Assert.Equal("blob", e.Column);
            Assert.Contains("'bytea'", e.Message);
        }
        finally
        {
            Sql(connection, $"DROP TABLE IF EXISTS {name}");
        }
    }

    [SkippableFact]
    public void Unreachable_server_is_a_connect_error()
    {
        Connection();
        var e = Assert.Throws<DataSourceException>(() =>
            TableReader.Read("pg:Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z;Timeout=2", new ReadOptions { TableName = "t" }));
        Assert.Equal("db.connect-failed", e.Code);
        Assert.DoesNotContain("Password=y", e.Message);
    }

    [SkippableFact]
    public void Float8_infinities_nan_and_huge_values_are_missing_and_counted_once()
    {
        var connection = Connection();
        var name = UniqueTable("nonfinite");
        // Real penguin masses around PostgreSQL's own special values (issue 15, item 5).
        var masses = File.ReadLines(TestData.Dataset("penguins", "penguins.csv")).Skip(1).Select(l => l.Split(',')[5])
            .Where(v => v.Length > 0 && v != "NA").Take(40).ToArray();
        var odd = new[] { "'Infinity'", "'-Infinity'", "'NaN'", "1e200" };
        var literals = masses.Select((m, i) => i % 10 == 0 ? odd[i / 10] : m).ToArray();
        try
        {
            Sql(connection, $"CREATE TABLE \"{name}\" (mass float8); INSERT INTO \"{name}\" VALUES " + string.Join(", ", literals.Select(l => $"({l})")));
            var warnings = new List<string>();
            var t = TableReader.Read("pg:" + connection, new ReadOptions { TableName = name, Warning = warnings.Add });
            var mass = Assert.IsType<NumericColumn>(t["mass"]);
            for (int i = 0; i < 40; i++)
            {
                Assert.Equal(i % 10 == 0, mass.Missing[i]);
                if (i % 10 != 0) Assert.Equal(double.Parse(masses[i], System.Globalization.CultureInfo.InvariantCulture), mass[i]);
            }
            Assert.Contains("4 values read as missing (2 infinite, 1 NaN, 1 beyond ±1e150)", Assert.Single(warnings));
        }
        finally
        {
            Sql(connection, $"DROP TABLE IF EXISTS \"{name}\"");
        }
    }
}
