using TabTwin.Generation.Benchmarks;
using TabTwin.Generation.Spec;
using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary>tabtwin describe, tabtwin generate --classification/--regression, and related-table output.</summary>
public sealed class CliGenerationExtrasTests
{
    [Fact]
    public void Classification_writes_the_data_and_its_parameters_beside_it()
    {
        var dir = TestData.NewTempDir();
        var output = Path.Combine(dir, "bench.csv");
        var r = CliRunner.Run("generate", "--classification", "--rows", "3000", "--features", "8", "--informative", "3", "--classes", "3",
            "--weights", "0.8,0.15,0.05", "--noise", "0", "--seed", "4", "-o", output, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("3,000 rows × 8 features (classification)", r.Stdout);
        var table = TableReader.Read(output);
        Assert.Equal(["x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "y"], table.ColumnNames);
        var labels = table.Get<NumericColumn>("y").Values.ToArray();
        Assert.Equal(2400, labels.Count(v => v == 0));
        Assert.Equal(150, labels.Count(v => v == 2));
        var parameters = GeneratorParameters.Load(Path.Combine(dir, "bench.params.json"));
        Assert.Equal(3, parameters.Classification!.InformativeFeatures.Length);
        Assert.Equal(4UL, parameters.Seed);
        // The saved options regenerate the same file's values.
        var again = new ClassificationGenerator(parameters.ClassificationOptions!).Generate();
        Assert.Equal(again["x5"].FormatValue(17), table["x5"].FormatValue(17));
    }

    [Fact]
    public void Regression_to_a_database_with_explicit_parameters_path()
    {
        var dir = TestData.NewTempDir();
        var db = Path.Combine(dir, "reg.db");
        var paramsPath = Path.Combine(dir, "truth.json");
        var r = CliRunner.Run("generate", "--regression", "--rows", "500", "--features", "6", "--informative", "2", "--noise", "0.5",
            "--role-names", "--decimals", "4", "-o", "sqlite:" + db, "--params", paramsPath, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var table = TableReader.Read("sqlite:" + db, new ReadOptions { TableName = "regression" });
        Assert.Equal(500, table.RowCount);
        Assert.Contains("informative_2", table.ColumnNames);
        Assert.Equal(2, GeneratorParameters.Load(paramsPath).Regression!.Coefficients[0].Count(c => c != 0));
    }

    [Fact]
    public void Bad_benchmark_options_exit_with_a_usage_message()
    {
        var r = CliRunner.Run("generate", "--classification", "--classes", "5", "--informative", "2", "-o", Path.Combine(TestData.NewTempDir(), "x.csv"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("must be at most 2^informative = 4", r.Stderr);
        r = CliRunner.Run("generate", "--classification", "--weights", "0.5,abc", "-o", "x.csv");
        Assert.Contains("'abc' is not a number", r.Stderr);
        r = CliRunner.Run("generate", "--classification", "--regression", "-o", "x.csv");
        Assert.Contains("not both", r.Stderr);
    }

    [Fact]
    public void A_spec_with_parents_writes_one_file_per_table_with_keys_intact()
    {
        var dir = TestData.NewTempDir();
        var spec = Path.Combine(dir, "shop.yaml");
        File.WriteAllText(spec, Generation.RelatedTablesTests.ShopYaml.Replace("rows: 2000", "rows: 300"));
        var r = CliRunner.Run("generate", spec, "-o", Path.Combine(dir, "out"), "--file-format", "parquet", "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("rows of 'orders' (customer_id → customers.customer_id)", r.Stdout);
        var customers = TableReader.Read(Path.Combine(dir, "out", "customers.parquet"));
        var orders = TableReader.Read(Path.Combine(dir, "out", "orders.parquet"));
        var keys = Enumerable.Range(0, customers.RowCount).Select(customers["customer_id"].FormatValue).ToHashSet();
        Assert.All(Enumerable.Range(0, orders.RowCount), i => Assert.Contains(orders["customer_id"].FormatValue(i), keys));
    }

    [Fact]
    public void Describe_writes_a_spec_that_generates()
    {
        var dir = TestData.NewTempDir();
        var spec = Path.Combine(dir, "adult.yaml");
        var r = CliRunner.Run("describe", TestData.DemoCsv, "-o", spec, "--name", "adult", "--seed", "9", "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("spec for 'adult' (15 columns", r.Stdout);
        var text = File.ReadAllText(spec);
        Assert.StartsWith("# Described by TabTwin from", text);
        Assert.Equal(9UL, SpecReader.Load(spec).Seed);
        Assert.Contains("dependsOn: ", text); // associations are kept by default (--associations pairs)
        var independent = Path.Combine(dir, "independent.yaml");
        Assert.Equal(0, CliRunner.Run("describe", TestData.DemoCsv, "-o", independent, "--associations", "none", "--quiet").ExitCode);
        Assert.DoesNotContain("dependsOn", File.ReadAllText(independent));
        var json = Path.Combine(dir, "adult.json");
        Assert.Equal(0, CliRunner.Run("describe", TestData.DemoCsv, "-o", json, "--min-count", "25", "--drop-rare", "--quiet").ExitCode);
        Assert.DoesNotContain("(other)", File.ReadAllText(json));
        var output = Path.Combine(dir, "generated.csv");
        r = CliRunner.Run("generate", json, "-o", output, "--rows", "200", "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(200, TableReader.Read(output).RowCount);
    }

    [Fact]
    public void Describe_refuses_bad_settings()
    {
        var r = CliRunner.Run("describe", TestData.DemoCsv, "-o", Path.Combine(TestData.NewTempDir(), "s.yaml"), "--clip", "0.7");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("ClipQuantile must be in [0, 0.5)", r.Stderr);
    }
}
