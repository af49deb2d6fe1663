using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Cli;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Generation;

public class GenerateCliTests
{
    private static string Example => Path.Combine(TestData.RepoRoot, "examples", "customers.yaml");

    [Fact]
    public void Generate_writes_the_example_spec_with_rows_and_seed()
    {
        var dir = TestData.NewTempDir();
        var output = Path.Combine(dir, "customers.parquet");
        var r = CliRunner.Run("generate", Example, "--rows", "3000", "-o", output, "--seed", "7", "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("3,000 rows of 'customers'", r.Stdout);
        var t = TableReader.Read(output);
        Assert.Equal(3000, t.RowCount);
        Assert.Equal("CUST-000001", t["customer_id"].FormatValue(0));
        Assert.True(t.Get<NumericColumn>("age").IsInteger);
        // Same seed, same data; CSV and Parquet hold the same values.
        var csv = Path.Combine(dir, "c.csv");
        Assert.Equal(0, CliRunner.Run("generate", Example, "--rows", "3000", "-o", csv, "--seed", "7", "-q").ExitCode);
        var back = TableReader.Read(csv);
        Assert.Equal(t.FormatRow(2999)[..4], back.FormatRow(2999)[..4]);
    }

    [Fact]
    public void Shards_written_by_the_cli_join_to_the_whole_file()
    {
        var dir = TestData.NewTempDir();
        var spec = Path.Combine(dir, "s.yaml");
        File.WriteAllText(spec, "rows: 140000\ncolumns:\n  id: { type: id, format: \"R{0000000}\" }\n  x: normal(0, 1)\n  k: { type: categorical, values: [a, b] }\n");
        Assert.Equal(0, CliRunner.Run("generate", spec, "-o", Path.Combine(dir, "all.csv"), "-q").ExitCode);
        var parts = new List<string>();
        for (int k = 1; k <= 2; k++)
        {
            var r = CliRunner.Run("generate", spec, "--shard", $"{k}/2", "--threads", "1", "-o", Path.Combine(dir, $"p{k}.csv"), "-q");
            Assert.Equal(0, r.ExitCode);
            Assert.Contains($"shard {k}/2", r.Stdout);
            parts.Add(File.ReadAllText(Path.Combine(dir, $"p{k}.csv")));
        }
        var whole = File.ReadAllText(Path.Combine(dir, "all.csv"));
        int header = whole.IndexOf('\n') + 1;
        Assert.Equal(whole, parts[0] + parts[1][header..]);
    }

    [Fact]
    public void Spec_errors_and_bad_options_are_one_line_with_exit_code_1()
    {
        var dir = TestData.NewTempDir();
        var spec = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(spec, "rows: 10\ncolumns:\n  age: { type: normal, mean: 40, sd: 0 }\n");
        var r = CliRunner.Run("generate", spec, "-o", Path.Combine(dir, "x.csv"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("column 'age', field 'sd' (line 3): must be greater than 0", r.Stderr);
        Assert.False(File.Exists(Path.Combine(dir, "x.csv")));
        var shard = CliRunner.Run("generate", Example, "--shard", "9/8", "-o", Path.Combine(dir, "y.csv"));
        Assert.Equal(1, shard.ExitCode);
        Assert.Contains("'9/8' is not a shard", shard.Stderr);
        var missing = CliRunner.Run("generate", Path.Combine(dir, "nope.yaml"), "-o", Path.Combine(dir, "z.csv"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.Stderr);
    }

    [Fact]
    public void Check_validates_and_reports_a_repaired_matrix()
    {
        var dir = TestData.NewTempDir();
        var spec = Path.Combine(dir, "s.yaml");
        File.WriteAllText(spec, "rows: 10\ncolumns:\n  a: normal(0, 1)\n  b: normal(0, 1)\n  c: normal(0, 1)\ncorrelations:\n  pairs: [[a, b, 0.9], [b, c, 0.9], [a, c, -0.9]]\n");
        var r = CliRunner.Run("generate", spec, "--check");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("valid", r.Stdout);
        Assert.Contains("warning: table 'data', field 'correlations'", r.Stderr);
        Assert.Contains("nearest valid", r.Stderr);
    }
}
