using Npgsql;
using TabTwin.Tests.Support;
using TabTwin.Generation.Related;

namespace TabTwin.Tests.Generation;

/// <summary>
/// Related tables into PostgreSQL with declared keys (env TABTWIN_TEST_PG, default the server .ci/start-postgres.sh starts).
/// Skipped with the reason when no server answers; under TABTWIN_REQUIRE_PG=1 (CI) a missing server fails.
/// </summary>
public sealed class RelatedTablesPostgresTests
{
    [SkippableFact]
    public void Keys_are_declared_enforced_and_every_foreign_key_resolves()
    {
        var connection = TestPostgres.Connection();
        string suffix = Guid.NewGuid().ToString("N")[..10];
        string customers = "customers_" + suffix, orders = "orders_" + suffix, lines = "lines_" + suffix;
        var yaml = RelatedTablesTests.ShopYaml.Replace("rows: 2000", "rows: 200").Replace("order_lines", lines)
            .Replace("customers", customers).Replace("name: orders", "name: " + orders).Replace("table: orders", "table: " + orders);
        var shop = RelatedTablesTests.Shop(yaml: yaml);
        RelatedTablesWriter.WriteDatabase(shop, "pg:" + connection);
        // Replacing works despite the constraints; the streamed run (one transaction, parents' rows first) writes the same rows.
        RelatedTablesGenerator.GenerateTo(TabTwin.Generation.Spec.SpecReader.FromYaml(yaml), "pg:" + connection, new TabTwin.Generation.GenerateOptions { Overwrite = true });
        using var c = new NpgsqlConnection(connection);
        c.Open();
        try
        {
            using var command = c.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM information_schema.table_constraints WHERE table_name IN ('{customers}', '{orders}', '{lines}') AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')";
            Assert.Equal(4L, Convert.ToInt64(command.ExecuteScalar()));
            command.CommandText = $"SELECT count(*) FROM \"{orders}\" o LEFT JOIN \"{customers}\" c ON o.customer_id = c.customer_id WHERE c.customer_id IS NULL";
            Assert.Equal(0L, Convert.ToInt64(command.ExecuteScalar()));
            command.CommandText = $"SELECT count(*) FROM \"{lines}\"";
            Assert.Equal(shop[lines].RowCount, Convert.ToInt64(command.ExecuteScalar()));
            command.CommandText = $"INSERT INTO \"{orders}\" (order_id, customer_id) VALUES (-1, 'NOPE')";
            var e = Assert.Throws<PostgresException>(() => command.ExecuteNonQuery());
            Assert.Equal("23503", e.SqlState); // foreign_key_violation
        }
        finally
        {
            using var drop = c.CreateCommand();
            drop.CommandText = $"DROP TABLE IF EXISTS \"{lines}\", \"{orders}\", \"{customers}\"";
            drop.ExecuteNonQuery();
        }
    }
}
