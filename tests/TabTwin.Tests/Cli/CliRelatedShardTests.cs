using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary><c>tabtwin generate shop.yaml --shard k/n</c>: parts of the top-level chunks with their children, which concatenate to the whole run.</summary>
public sealed class CliRelatedShardTests
{
    [Fact]
    public void Related_shards_concatenate_to_the_whole_run_table_by_table()
    {
        // 70,000 customers = 2 chunks, so each of 2 shards gets one; orders follow their customers into the shard.
        const string yaml = """
            version: 1
            seed: 4
            tables:
              - name: customers
                rows: 70000
                columns:
                  customer_id: { type: id, format: "C{0000000}" }
                  since: { type: date, from: 2020-01-01, to: 2023-12-31 }
              - name: orders
                parent: { table: customers, children: poisson(0.3), after: { placed: since } }
                columns:
                  order_id: { type: sequence, start: 1 }
                  placed: { type: datetime, from: 2020-01-01, to: 2024-12-31, resolution: second }
            """;
        var dir = TestData.NewTempDir();
        var spec = Path.Combine(dir, "shop.yaml");
        File.WriteAllText(spec, yaml);
        string Run(params string[] extra)
        {
            var output = Path.Combine(dir, "out" + string.Concat(extra).Replace('/', '-'));
            var r = CliRunner.Run(["generate", spec, "-o", output, "--quiet", .. extra]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            return output;
        }
        var whole = Run();
        var first = Run("--shard", "1/2");
        var second = Run("--shard", "2/2");
        foreach (var table in new[] { "customers.csv", "orders.csv" })
        {
            var all = File.ReadAllLines(Path.Combine(whole, table));
            var a = File.ReadAllLines(Path.Combine(first, table));
            var b = File.ReadAllLines(Path.Combine(second, table));
            Assert.Equal(all[0], b[0]); // every part has its header
            Assert.Equal(all, a.Concat(b.Skip(1)));
            Assert.True(a.Length > 1 && b.Length > 1, $"{table}: both shards have rows");
        }
    }
}
