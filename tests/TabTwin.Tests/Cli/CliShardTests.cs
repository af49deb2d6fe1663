using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary>
/// <c>tabtwin generate … --shard k/n</c> for every generator: shard k holds rows ⌊N(k−1)/n⌋ to ⌊Nk/n⌋ of the single run
/// (split by row index, sizes differing by at most one), so the shard files concatenated (headers after the first
/// dropped) are the single run's file byte for byte; and an option a mode cannot honour is a usage error (exit 2).
/// </summary>
public sealed class CliShardTests
{
    private const string CustomersYaml = """
        version: 1
        seed: 4
        tables:
          - name: customers
            rows: 1000
            columns:
              customer_id: { type: id, format: "C{0000000}" }
              since: { type: date, from: 2020-01-01, to: 2023-12-31 }
              spend: { type: lognormal, mean: 25, sd: 20, round: 2 }
        """;

    private static string Spec(string dir, string yaml)
    {
        var path = Path.Combine(dir, "spec.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Runs generate into <c>name</c> under <paramref name="dir"/> and returns that path.</summary>
    private static string Generate(string dir, string name, params string[] args)
    {
        var output = Path.Combine(dir, name);
        var r = CliRunner.Run(["generate", .. args, "-o", output, "--quiet"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return output;
    }

    /// <summary>The single run's CSV equals the shards' CSVs concatenated; every shard has the header and an even share of rows.</summary>
    private static void AssertShardsConcatenate(string whole, IReadOnlyList<string> shards, int rows)
    {
        var all = File.ReadAllBytes(whole);
        var parts = shards.Select(File.ReadAllBytes).ToArray();
        int headerLength = Array.IndexOf(all, (byte)'\n') + 1;
        var header = all[..headerLength];
        Assert.All(parts, p => Assert.Equal(header, p[..headerLength]));
        Assert.Equal(all, parts[0].Concat(parts.Skip(1).SelectMany(p => p[headerLength..])).ToArray());
        int n = shards.Count;
        Assert.All(parts, p => Assert.InRange(p.Count(b => b == (byte)'\n') - 1, rows / n, (rows + n - 1) / n));
    }

    [Fact]
    public void Spec_shards_split_the_rows_evenly_even_within_one_chunk()
    {
        var dir = TestData.NewTempDir();
        var spec = Spec(dir, CustomersYaml);
        var whole = Generate(dir, "whole.csv", spec);
        var shards = Enumerable.Range(1, 3).Select(k => Generate(dir, $"part{k}.csv", spec, "--shard", $"{k}/3")).ToList();
        AssertShardsConcatenate(whole, shards, 1000);
    }

    [Theory]
    [InlineData("--classification", "--classes", "3")]
    [InlineData("--regression", "--targets", "2")]
    public void Benchmark_shards_are_parts_of_the_single_run_not_copies_of_it(string mode, string option, string value)
    {
        var dir = TestData.NewTempDir();
        string[] args = [mode, "--rows", "1001", "--features", "6", "--informative", "3", option, value, "--seed", "7"];
        var whole = Generate(dir, "whole.csv", args);
        var shards = Enumerable.Range(1, 4).Select(k => Generate(dir, $"part{k}.csv", [.. args, "--shard", $"{k}/4"])).ToList();
        AssertShardsConcatenate(whole, shards, 1001);
        // Every shard records the parameters of the whole set it is part of.
        Assert.All(shards, s => Assert.Equal(File.ReadAllText(Path.ChangeExtension(whole, ".params.json")), File.ReadAllText(Path.ChangeExtension(s, ".params.json"))));
    }

    [Fact]
    public void Related_shards_split_the_parent_rows_evenly_and_keep_their_children()
    {
        var dir = TestData.NewTempDir();
        var spec = Spec(dir, CustomersYaml + """

              - name: orders
                parent: { table: customers, children: poisson(2), after: { placed: since } }
                columns:
                  order_id: { type: sequence, start: 1 }
                  placed: { type: datetime, from: 2020-01-01, to: 2024-12-31, resolution: second }
            """);
        var whole = Generate(dir, "whole", spec);
        var shards = Enumerable.Range(1, 3).Select(k => Generate(dir, $"part{k}", spec, "--shard", $"{k}/3")).ToList();
        AssertShardsConcatenate(Path.Combine(whole, "customers.csv"), shards.Select(s => Path.Combine(s, "customers.csv")).ToList(), 1000);
        var orders = File.ReadAllLines(Path.Combine(whole, "orders.csv"));
        var parts = shards.Select(s => File.ReadAllLines(Path.Combine(s, "orders.csv"))).ToList();
        Assert.Equal(orders, parts[0].Concat(parts.Skip(1).SelectMany(p => p.Skip(1))));
    }

    [Theory]
    [InlineData("spec", "--features", "4")]
    [InlineData("spec", "--file-format", "parquet")]
    [InlineData("--classification", "--table", "t")]
    [InlineData("--classification", "--targets", "2")]
    [InlineData("--regression", "--classes", "3")]
    [InlineData("--regression", "--check", null)]
    public void An_option_the_mode_cannot_honour_is_a_usage_error(string mode, string option, string? value)
    {
        var dir = TestData.NewTempDir();
        string[] first = mode == "spec" ? [Spec(dir, CustomersYaml)] : [mode];
        var r = CliRunner.Run(["generate", .. first, option, .. value is null ? Array.Empty<string>() : [value], "-o", Path.Combine(dir, "x.csv"), "--quiet"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{option} does not apply to", r.Stderr);
        Assert.False(File.Exists(Path.Combine(dir, "x.csv")));
    }
}
