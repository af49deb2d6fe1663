using Microsoft.Data.Sqlite;
using TabTwin.Generation;
using TabTwin.Generation.Related;
using TabTwin.Generation.Spec;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Generation;

/// <summary>
/// Related tables streamed chunk by chunk: the same bytes on any thread count and as the in-memory tables, shards that
/// concatenate to the whole run, keys that resolve in databases, child constraints that hold after the parent dates.
/// </summary>
public sealed class RelatedTablesStreamingTests
{
    // 140,000 customers = 3 top-level chunks (so 3 shards); ~84,000 visits and ~100,000 events cross child chunk
    // boundaries that do not line up with the parents' chunks. Few columns keep it fast.
    private const string LeanYaml = """
        version: 1
        seed: 5
        tables:
          - name: customers
            rows: 140000
            columns:
              customer_id: { type: sequence, start: 1 }
              signup: { type: datetime, from: 2022-01-01, to: 2023-12-31, resolution: minute }
          - name: visits
            parent: { table: customers, children: poisson(0.6), after: { at: signup } }
            columns:
              visit_id: { type: id, format: "V{000000000}" }
              at: { type: datetime, from: 2022-01-01, to: 2024-12-31, resolution: second }
              pages: poisson(4)
            constraints:
              - { type: range, column: pages, min: 1 }
          - name: events
            parent: { table: visits, children: poisson(1.2), after: { when: { column: at, gap: exponential(mean=0.01) } } }
            columns:
              event_id: { type: sequence }
              when: { type: datetime, from: 2022-01-01, to: 2025-12-31 }
              kind: { type: categorical, values: [view, click, buy] }
        """;

    [Fact]
    public void Streamed_files_are_identical_on_any_thread_count_and_equal_the_in_memory_tables()
    {
        var spec = SpecReader.FromYaml(RelatedTablesTests.ShopYaml.Replace("rows: 2000", "rows: 25000"));
        var root = TestData.NewTempDir();
        var one = RelatedTablesGenerator.GenerateTo(spec, Path.Combine(root, "one"), new GenerateOptions { Threads = 1 });
        var three = RelatedTablesGenerator.GenerateTo(spec, Path.Combine(root, "three"), new GenerateOptions { Threads = 3 });
        var memory = RelatedTablesWriter.Write(RelatedTablesGenerator.Generate(spec, threads: 2), Path.Combine(root, "memory"));
        // ~75,000 orders and ~112,000 lines: both child tables span two chunks.
        Assert.True(one.Tables.Single(t => t.Table == "order_lines").Rows > DataGenerator.ChunkRows);
        for (int t = 0; t < 3; t++)
        {
            var bytes = File.ReadAllBytes(one.Written[t]);
            Assert.Equal(bytes, File.ReadAllBytes(three.Written[t]));
            Assert.Equal(bytes, File.ReadAllBytes(memory[t]));
        }
        Assert.Equal(one.Tables.Select(t => t.Rows), three.Tables.Select(t => t.Rows));
    }

    [Fact]
    public void Shards_of_the_top_level_chunks_concatenate_to_the_whole_run_with_children_following_their_parents()
    {
        var spec = SpecReader.FromYaml(LeanYaml);
        var whole = RelatedTablesGenerator.Generate(spec, threads: 2);
        var parts = Enumerable.Range(1, 3).Select(k => RelatedTablesGenerator.Generate(spec, new GenerateOptions { Shard = new Shard(k, 3), Threads = 2 })).ToList();
        foreach (var name in whole.Order)
        {
            var expected = whole[name];
            Assert.Equal(expected.RowCount, parts.Sum(p => p[name].RowCount));
            int row = 0;
            foreach (var part in parts)
                for (int r = 0; r < part[name].RowCount; r++, row++)
                    if (r % 7 == 0 || r == part[name].RowCount - 1) Assert.Equal(expected.FormatRow(row), part[name].FormatRow(r));
        }
        // Every shard is whole on its own: its children's keys are its own parents' keys.
        foreach (var part in parts)
            foreach (var relation in part.Relations)
            {
                var keys = RelatedTablesTests.Formatted(part[relation.Parent], relation.Key).ToHashSet();
                Assert.All(RelatedTablesTests.Formatted(part[relation.Child], relation.ForeignKey), k => Assert.Contains(k, keys));
            }
        Assert.True(parts[1]["visits"].RowCount > 0 && parts[1]["events"].RowCount > 0);
    }

    [Fact]
    public void Child_constraints_hold_on_the_dates_moved_after_their_parents()
    {
        // ordered_at is moved to signup + gap after it is drawn; the rule ordered_at < delivered must be checked on the
        // moved value. Checked before the move (the old order), about a third of the orders broke it.
        const string yaml = """
            version: 1
            seed: 9
            tables:
              - name: customers
                rows: 3000
                columns:
                  customer_id: { type: sequence, start: 1 }
                  signup: { type: date, from: 2020-01-01, to: 2023-12-31 }
              - name: orders
                parent: { table: customers, children: poisson(2), after: { ordered_at: { column: signup, gap: exponential(mean=60) } } }
                columns:
                  order_id: { type: sequence }
                  ordered_at: { type: datetime, from: 2020-01-01, to: 2024-12-31 }
                  delivered: { type: datetime, from: 2020-01-01, to: 2026-12-31 }
            """;
        const string rule = "\n    constraints:\n      - { type: inequality, low: ordered_at, high: delivered, strict: true }\n";
        int Broken(RelatedTables shop)
        {
            var orders = shop["orders"];
            var ordered = orders.Get<DateTimeColumn>("ordered_at").Ticks;
            var delivered = orders.Get<DateTimeColumn>("delivered").Ticks;
            int broken = 0;
            for (int r = 0; r < orders.RowCount; r++) if (ordered[r] >= delivered[r]) broken++;
            return broken;
        }
        var constrained = RelatedTablesGenerator.Generate(SpecReader.FromYaml(yaml + rule));
        Assert.Equal(0, Broken(constrained));
        var free = RelatedTablesGenerator.Generate(SpecReader.FromYaml(yaml));
        Assert.True(Broken(free) > free["orders"].RowCount / 5, $"only {Broken(free)} of {free["orders"].RowCount} unconstrained orders break the rule");

        // The moved dates still follow their parents.
        var signup = constrained["customers"].Get<DateTimeColumn>("signup").Ticks;
        var owner = constrained["orders"].Get<NumericColumn>("customer_id");
        var orderedAt = constrained["orders"].Get<DateTimeColumn>("ordered_at").Ticks;
        for (int r = 0; r < owner.Length; r++) Assert.True(orderedAt[r] >= signup[(int)owner[r] - 1], $"order {r + 1} before its signup");
    }

    [Fact]
    public void Streamed_databases_hold_every_row_and_pass_their_foreign_key_checks()
    {
        var spec = SpecReader.FromYaml(RelatedTablesTests.ShopYaml);
        var expected = RelatedTablesGenerator.Generate(spec);
        var dir = TestData.NewTempDir();
        var sqlite = Path.Combine(dir, "shop.db");
        RelatedTablesGenerator.GenerateTo(spec, "sqlite:" + sqlite);
        Assert.Equal("db.table-exists", Assert.Throws<DataSourceException>(() => RelatedTablesGenerator.GenerateTo(spec, "sqlite:" + sqlite)).Code);
        var result = RelatedTablesGenerator.GenerateTo(spec, "sqlite:" + sqlite, new GenerateOptions { Overwrite = true }); // replacing works despite the constraints
        using (var connection = new SqliteConnection($"Data Source={sqlite}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA foreign_key_check";
            using (var reader = command.ExecuteReader()) Assert.False(reader.Read(), "foreign_key_check found orphans");
            foreach (var name in expected.Order)
            {
                command.CommandText = $"SELECT count(*) FROM {name}";
                Assert.Equal(expected[name].RowCount, Convert.ToInt64(command.ExecuteScalar()));
            }
        }
        Assert.Equal(expected.Order.Select(n => (long)expected[n].RowCount), result.Tables.Select(t => t.Rows));

        var duck = Path.Combine(dir, "shop.duckdb");
        RelatedTablesGenerator.GenerateTo(spec, "duckdb:" + duck);
        using var db = new DuckDB.NET.Data.DuckDBConnection($"Data Source={duck}");
        db.Open();
        using var query = db.CreateCommand();
        query.CommandText = "SELECT count(*) FROM order_lines l LEFT JOIN orders o ON l.order_id = o.order_id WHERE o.order_id IS NULL";
        Assert.Equal(0L, Convert.ToInt64(query.ExecuteScalar()));
        query.CommandText = "SELECT count(*) FROM order_lines";
        Assert.Equal(expected["order_lines"].RowCount, Convert.ToInt64(query.ExecuteScalar()));
    }

    [Fact]
    public void A_child_too_large_for_its_id_format_fails_and_leaves_no_output()
    {
        // 300 customers × poisson(4) orders ≈ 1,200 keys, but "O{d:2}" makes only 100: known only once the orders are made.
        var yaml = """
            tables:
              - name: customers
                rows: 300
                columns: { customer_id: { type: sequence } }
              - name: orders
                parent: { table: customers, children: poisson(4) }
                columns: { order_id: { type: id, format: "O{d:2}" } }
            """;
        var dir = TestData.NewTempDir();
        var e = Assert.Throws<SpecException>(() => RelatedTablesGenerator.GenerateTo(SpecReader.FromYaml(yaml), Path.Combine(dir, "out"), fileFormat: "parquet"));
        Assert.Equal("id.space-too-small", e.Code);
        Assert.Contains("order_id", e.Message);
        Assert.Empty(Directory.Exists(Path.Combine(dir, "out")) ? Directory.GetFiles(Path.Combine(dir, "out")) : []);
        Assert.Throws<SpecException>(() => RelatedTablesGenerator.GenerateTo(SpecReader.FromYaml(yaml), "sqlite:" + Path.Combine(dir, "shop.db")));
        Assert.False(File.Exists(Path.Combine(dir, "shop.db")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void An_infeasible_child_rule_is_a_spec_error_naming_the_table_on_any_thread_count(int threads)
    {
        // One customer chunk queues ~196,000 orders: three order chunks made side by side when threads > 1.
        const string yaml = """
            tables:
              - name: customers
                rows: 65536
                columns: { customer_id: { type: sequence } }
              - name: orders
                parent: { table: customers, children: poisson(3) }
                columns: { order_id: { type: sequence }, pages: poisson(4) }
                constraints:
                  - { type: range, column: pages, min: 100 }
            """;
        var e = Assert.Throws<SpecException>(() => RelatedTablesGenerator.Generate(SpecReader.FromYaml(yaml), threads: threads));
        Assert.Equal("spec.constraints-infeasible", e.Code);
        Assert.Contains("table 'orders'", e.Message);
    }
}
