using Microsoft.Data.Sqlite;
using TabTwin.Generation.Related;
using TabTwin.Generation.Spec;
using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Generation;

/// <summary>customers → orders → order_lines: keys resolve, children-per-parent counts follow the spec, dates follow parents, databases keep constraints.</summary>
public sealed class RelatedTablesTests
{
    internal const string ShopYaml = """
        version: 1
        seed: 3
        tables:
          - name: customers
            rows: 2000
            columns:
              customer_id: { type: id, format: "CUST-{000000}" }
              signup: { type: date, from: 2020-01-01, to: 2023-12-31 }
              segment: { type: categorical, values: { a: 0.7, b: 0.3 } }
          - name: orders
            parent:
              table: customers
              foreignKey: customer_id
              children: poisson(3)
              after:
                ordered_at: { column: customers.signup, gap: exponential(mean=30) }
            columns:
              order_id: { type: sequence, start: 1000 }
              ordered_at: { type: datetime, from: 2020-01-01, to: 2024-12-31, resolution: second }
              amount: { type: uniform, min: 5, max: 500, round: 2 }
          - name: order_lines
            parent: { table: orders, key: order_id, children: poisson(1.5), after: { shipped: ordered_at } }
            columns:
              line_id: { type: sequence }
              shipped: { type: datetime, from: 2020-01-01, to: 2025-06-30 }
              quantity: { type: uniform, min: 1, max: 5, round: 0 }
        """;

    internal static RelatedTables Shop(ulong seed = 3, string yaml = ShopYaml) =>
        RelatedTablesGenerator.Generate(SpecReader.FromYaml(yaml), seed);

    [Fact]
    public void Every_foreign_key_exists_in_the_parent_and_children_counts_follow_the_distribution()
    {
        var shop = Shop();
        Assert.Equal(["customers", "orders", "order_lines"], shop.Order);
        Assert.Equal(2000, shop["customers"].RowCount);
        foreach (var relation in shop.Relations)
        {
            var keys = Formatted(shop[relation.Parent], relation.Key);
            Assert.Equal(keys.Length, keys.Distinct().Count());
            var keySet = keys.ToHashSet();
            var foreign = Formatted(shop[relation.Child], relation.ForeignKey);
            Assert.All(foreign, k => Assert.Contains(k, keySet));

            // Children per parent, zeros included: Poisson, so mean ≈ variance ≈ λ. With 2,000+ parents the mean's sd is
            // below 0.04 and the variance's below 0.15 (λ = 3), so ±0.2 / ±12% hold with wide margin.
            var perParent = foreign.GroupBy(k => k!).ToDictionary(g => g.Key, g => g.Count());
            var counts = keys.Select(k => (double)perParent.GetValueOrDefault(k!)).ToArray();
            double lambda = relation.Child == "orders" ? 3 : 1.5;
            double mean = counts.Average(), variance = counts.Select(c => (c - mean) * (c - mean)).Sum() / (counts.Length - 1);
            Assert.InRange(mean, lambda - 0.2, lambda + 0.2);
            Assert.InRange(variance, lambda * 0.88, lambda * 1.12);
            Assert.Contains(0.0, counts); // parents without children exist
        }
        Assert.Equal(["order_id", "customer_id", "ordered_at", "amount"], shop["orders"].ColumnNames);
    }

    [Fact]
    public void Child_dates_are_on_or_after_their_parents_dates_with_the_declared_gap()
    {
        var shop = Shop();
        var customers = shop["customers"];
        var orders = shop["orders"];
        var signupById = Formatted(customers, "customer_id").Zip(customers.Get<DateTimeColumn>("signup").Ticks.ToArray()).ToDictionary(p => p.First!, p => p.Second);
        var orderedAt = orders.Get<DateTimeColumn>("ordered_at");
        var owner = Formatted(orders, "customer_id");
        var gaps = new List<double>();
        for (int r = 0; r < orders.RowCount; r++)
        {
            long signup = signupById[owner[r]!];
            Assert.True(orderedAt.Ticks[r] >= signup, $"order row {r + 1} is before its customer's signup");
            gaps.Add((orderedAt.Ticks[r] - signup) / (double)TimeSpan.TicksPerDay);
        }
        // Exponential gap with mean 30 days (plus < 1 s rounding): the mean of ~6,000 gaps is within ±2 days.
        Assert.InRange(gaps.Average(), 28, 32);

        var orderTime = Formatted(orders, "order_id").Zip(orderedAt.Ticks.ToArray()).ToDictionary(p => p.First!, p => p.Second);
        var lines = shop["order_lines"];
        var shipped = lines.Get<DateTimeColumn>("shipped");
        var order = Formatted(lines, "order_id");
        for (int r = 0; r < lines.RowCount; r++) Assert.True(shipped.Ticks[r] >= orderTime[order[r]!], $"line {r + 1} ships before its order");
    }

    [Fact]
    public void Same_seed_same_tables_on_any_thread_count_other_seed_other_tables()
    {
        var a = Shop(7);
        var b = RelatedTablesGenerator.Generate(SpecReader.FromYaml(ShopYaml), 7, threads: 1);
        var c = Shop(8);
        foreach (var name in a.Order)
        {
            Assert.Equal(a[name].RowCount, b[name].RowCount);
            for (int r = 0; r < a[name].RowCount; r += 37) Assert.Equal(a[name].FormatRow(r), b[name].FormatRow(r));
        }
        Assert.NotEqual(a["orders"].RowCount, c["orders"].RowCount);
    }

    [Fact]
    public void Sqlite_database_declares_the_keys_and_passes_the_foreign_key_check()
    {
        var shop = Shop();
        var path = Path.Combine(TestData.NewTempDir(), "shop.db");
        RelatedTablesWriter.WriteDatabase(shop, "sqlite:" + path);
        // Existing tables are kept unless replacing is asked for; then it works despite the constraints.
        Assert.Equal("db.table-exists", Assert.Throws<DataSourceException>(() => RelatedTablesWriter.WriteDatabase(shop, "sqlite:" + path)).Code);
        RelatedTablesWriter.WriteDatabase(shop, "sqlite:" + path, overwrite: true);
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using (var check = connection.CreateCommand())
        {
            check.CommandText = "PRAGMA foreign_key_check";
            using var reader = check.ExecuteReader();
            Assert.False(reader.Read(), "foreign_key_check found orphans");
        }
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('orders')";
            using var reader = list.ExecuteReader();
            Assert.True(reader.Read());
            Assert.Equal(("customers", "customer_id", "customer_id"), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        using (var orphan = connection.CreateCommand())
        {
            orphan.CommandText = "PRAGMA foreign_keys = ON; INSERT INTO orders (order_id, customer_id) VALUES (-1, 'NOPE-1')";
            var e = Assert.Throws<SqliteException>(() => orphan.ExecuteNonQuery());
            Assert.Contains("FOREIGN KEY", e.Message);
        }
        var back = TableReader.Read("sqlite:" + path, new ReadOptions { TableName = "order_lines" });
        Assert.Equal(shop["order_lines"].RowCount, back.RowCount);
    }

    [Fact]
    public void DuckDb_database_enforces_the_declared_keys()
    {
        var shop = Shop();
        var path = Path.Combine(TestData.NewTempDir(), "shop.duckdb");
        RelatedTablesWriter.WriteDatabase(shop, "duckdb:" + path);
        using var connection = new DuckDB.NET.Data.DuckDBConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')";
        Assert.Equal(4L, Convert.ToInt64(command.ExecuteScalar())); // customers and orders keys, orders and lines foreign keys
        command.CommandText = "SELECT count(*) FROM order_lines l LEFT JOIN orders o ON l.order_id = o.order_id WHERE o.order_id IS NULL";
        Assert.Equal(0L, Convert.ToInt64(command.ExecuteScalar()));
        command.CommandText = "INSERT INTO order_lines (line_id, order_id) VALUES (-1, -1)";
        Assert.ThrowsAny<Exception>(() => command.ExecuteNonQuery());
    }

    [Fact]
    public void A_folder_gets_one_file_per_table_parents_first()
    {
        var shop = Shop();
        var dir = Path.Combine(TestData.NewTempDir(), "shop");
        var written = RelatedTablesWriter.Write(shop, dir, "parquet");
        Assert.Equal(["customers.parquet", "orders.parquet", "order_lines.parquet"], written.Select(Path.GetFileName));
        var orders = TableReader.Read(Path.Combine(dir, "orders.parquet"));
        Assert.Equal(Formatted(shop["orders"], "customer_id"), Formatted(orders, "customer_id"));
    }

    [Fact]
    public void A_related_spec_writes_and_reads_back_with_its_parent_links()
    {
        var spec = SpecReader.FromYaml(ShopYaml);
        var yaml = TabTwin.Generation.Describe.SpecYamlWriter.ToYaml(spec);
        var back = SpecReader.FromYaml(yaml);
        Assert.Equal(yaml, TabTwin.Generation.Describe.SpecYamlWriter.ToYaml(back));
        var orders = back.Table("orders").Parent!;
        Assert.Equal(("customers", "customer_id"), (orders.Table, orders.ForeignKey));
        Assert.Equal(new Distribution.Exponential(1 / 30.0), orders.Gaps["ordered_at"]);
        Assert.Equal("customers.signup", orders.After.Single(a => a.Key == "ordered_at").Value);
    }

    [Fact]
    public void The_shipped_example_spec_generates_with_keys_intact()
    {
        var spec = SpecReader.Load(Path.Combine(TestData.RepoRoot, "examples", "shop.yaml"));
        var shop = RelatedTablesGenerator.Generate(spec, rootRows: 200);
        Assert.Equal(200, shop["customers"].RowCount);
        foreach (var relation in shop.Relations)
        {
            var keys = Formatted(shop[relation.Parent], relation.Key).ToHashSet();
            Assert.All(Formatted(shop[relation.Child], relation.ForeignKey), k => Assert.Contains(k, keys));
        }
        Assert.Matches("@", shop["customers"]["email"].FormatValue(0)!);
    }

    [Theory]
    [InlineData("parent: { table: nobody, children: poisson(1) }", "spec.unknown-table", "the parent 'nobody' is not a table")]
    [InlineData("parent: { table: a }", "spec.missing-field", "needs 'children'")]
    [InlineData("parent: { table: a, key: v, children: poisson(1) }", "spec.parent-key", "must be a sequence, id or uuid column")]
    public void Broken_relations_are_reported_with_the_table(string parent, string code, string message)
    {
        var yaml = $$"""
            tables:
              - name: a
                rows: 10
                columns: { id: { type: sequence }, v: "normal(0, 1)" }
              - name: b
                {{parent}}
                columns: { x: "normal(0, 1)" }
            """;
        var e = Assert.Throws<SpecException>(() => Shop(yaml: yaml));
        Assert.Equal(code, e.Code);
        Assert.Contains("Table 'b'", e.Message);
        Assert.Contains(message, e.Message);
    }

    internal static string?[] Formatted(Table table, string column)
    {
        var c = table[column];
        return Enumerable.Range(0, c.Length).Select(c.FormatValue).ToArray();
    }
}
