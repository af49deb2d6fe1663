using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary><c>--epsilon</c> on run and fit, and <c>inspect model.tabtwin</c> printing the ledger.</summary>
public class CliPrivacyTests
{
    [Fact]
    public void Run_with_epsilon_chooses_a_dp_synthesizer_says_why_and_the_model_keeps_its_ledger()
    {
        var dir = TestData.NewTempDir();
        string data = CliEvaluateTests.DemoSlice(dir, "real.csv", 0, 3000), output = Path.Combine(dir, "out.csv"), model = Path.Combine(dir, "m.tabtwin");
        var r = CliRunner.Run("run", data, "-o", output, "--epsilon", "4", "--save-model", model, "--seed", "2");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Differential privacy: (ε = 4, δ = 1E-09) with aim: the most accurate DP synthesizer", r.Stderr);
        Assert.Contains("reads of the data charged; together ε = 4 of 4", r.Stderr);
        Assert.Equal(3001, File.ReadAllLines(output).Length);
        var inspect = CliRunner.Run("inspect", model);
        Assert.True(inspect.ExitCode == 0, inspect.Stderr);
        Assert.Contains("Privacy: (ε = 4, δ = 1E-09)-differentially private; the ledger below adds up to ε = 4 over", inspect.Stdout);
        Assert.Contains("range of 'age' — Gaussian mechanism (histogram on a public grid): ρ = ", inspect.Stdout);
        Assert.Contains("choice of a marginal to measure — exponential mechanism", inspect.Stdout);
        // The same seed gives the same bytes.
        string again = Path.Combine(dir, "again.csv");
        Assert.Equal(0, CliRunner.Run("run", data, "-o", again, "--epsilon", "4", "--seed", "2", "-q").ExitCode);
        Assert.Equal(File.ReadAllText(output), File.ReadAllText(again));
    }

    [Fact]
    public void Epsilon_errors_are_one_line_with_their_exit_codes()
    {
        var dir = TestData.NewTempDir();
        string data = CliEvaluateTests.DemoSlice(dir, "real.csv", 0, 500), output = Path.Combine(dir, "out.csv");
        var cart = CliRunner.Run("run", data, "-o", output, "--epsilon", "1", "-s", "cart");
        Assert.Equal(1, cart.ExitCode);
        Assert.StartsWith("error: The 'cart' synthesizer cannot honour --epsilon", cart.Stderr);
        Assert.False(File.Exists(output));
        var zero = CliRunner.Run("fit", data, "-o", Path.Combine(dir, "m.tabtwin"), "--epsilon", "0");
        Assert.Equal(1, zero.ExitCode);
        Assert.StartsWith("error: --epsilon must be a finite number greater than 0 (got 0).", zero.Stderr);
        var deltaAlone = CliRunner.Run("run", data, "-o", output, "--delta", "1e-9");
        Assert.Equal(2, deltaAlone.ExitCode);
        Assert.Contains("--delta only applies with --epsilon", deltaAlone.Stderr);
        var small = CliRunner.Run("run", data, "-o", output, "--epsilon", "0.001", "-s", "mst");
        Assert.Equal(1, small.ExitCode);
        Assert.Contains("error: ε = 0.001 is too small for 500 rows and 15 columns", small.Stderr);
        Assert.Matches(@"hint: Use --epsilon [0-9.]+ or more", small.Stderr);
        Assert.DoesNotContain("Reading", small.Stderr.Split("Differential privacy")[1]);   // refused before the domains read the data
        Assert.DoesNotContain("   at ", small.Stderr);
        Assert.False(File.Exists(output));
        // Rebalancing reads the exact real class counts: refused with --epsilon before the data is read.
        var rebalance = CliRunner.Run("run", data, "-o", output, "--epsilon", "1", "--rebalance", "income=>50K:0.5");
        Assert.Equal(1, rebalance.ExitCode);
        Assert.StartsWith("error: --rebalance cannot be combined with --epsilon yet", rebalance.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Inspect_of_a_model_without_dp_says_its_rules_are_not_differential_privacy()
    {
        var dir = TestData.NewTempDir();
        string data = CliEvaluateTests.DemoSlice(dir, "real.csv", 0, 400), model = Path.Combine(dir, "m.tabtwin");
        Assert.Equal(0, CliRunner.Run("fit", data, "-o", model, "-s", "independent", "-q").ExitCode);
        var inspect = CliRunner.Run("inspect", model);
        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains("not differential privacy; no privacy ledger", inspect.Stdout);
    }

    [Fact]
    public void Run_with_epsilon_honours_the_metadatas_constraints_and_refuses_one_that_learns_from_the_data()
    {
        var dir = TestData.NewTempDir();
        string data = TestData.Dataset("kc_house_sales", "kc_house_data.csv"), meta = Path.Combine(dir, "meta.json"),
            output = Path.Combine(dir, "out.csv"), model = Path.Combine(dir, "m.tabtwin");
        Assert.Equal(0, CliRunner.Run("inspect", data, "-o", meta, "-q").ExitCode);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(meta))!.AsObject();
        json["constraints"] = System.Text.Json.Nodes.JsonNode.Parse("""
            [{"type":"formula","column":"sqft_living","expr":"sqft_above + sqft_basement"},
             {"type":"range","column":"bedrooms","min":1,"max":6}]
            """);
        File.WriteAllText(meta, json.ToJsonString());
        var r = CliRunner.Run("run", data, "-o", output, "--epsilon", "4", "-s", "mst", "--metadata", meta, "--save-model", model, "--seed", "3");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var valid = CliRunner.Run("validate", output, "--metadata", meta);
        Assert.True(valid.ExitCode == 0, valid.Stdout + valid.Stderr);
        Assert.Contains("satisfy 2 constraint(s)", valid.Stdout);
        Assert.Contains("Privacy: (ε = 4, δ = 1E-09)-differentially private", CliRunner.Run("inspect", model).Stdout);

        json["constraints"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"type":"fixed-combinations","columns":["waterfront","view"]}]""");
        File.WriteAllText(meta, json.ToJsonString());
        var learned = CliRunner.Run("run", data, "-o", Path.Combine(dir, "learned.csv"), "--epsilon", "4", "--metadata", meta);
        Assert.Equal(1, learned.ExitCode);
        Assert.Contains("\nerror: Constraint #1 (fixed-combinations (waterfront, view) only in combinations seen in the data) learns its combinations", learned.Stderr);
        Assert.DoesNotContain("   at ", learned.Stderr);
    }
}
