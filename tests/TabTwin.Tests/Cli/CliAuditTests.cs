using System.Text.Json;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary><c>tabtwin audit</c> on slices of the Adult demo file.</summary>
public class CliAuditTests
{
    [Fact]
    public void Audit_of_cart_prints_one_line_per_figure_and_writes_json_and_the_report()
    {
        var dir = TestData.NewTempDir();
        string data = CliEvaluateTests.DemoSlice(dir, "real.csv", 0, 600), json = Path.Combine(dir, "a.json"), report = Path.Combine(dir, "a.html");
        var r = CliRunner.Run("audit", data, "--synthesizer", "cart", "--canaries", "200", "--seed", "2", "--json", json, "--report", report, "-q");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("", r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Audit       'cart': 200 canaries", lines[0]);
        Assert.StartsWith("Epsilon     >= ", lines[1]);
        Assert.Equal("Claimed     none (not differentially private)", lines[2].TrimEnd());
        Assert.StartsWith("Guesses     ", lines[3]);
        Assert.Contains("claims no differential privacy (its privacy rules are protections, not DP)", lines[4]);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        double bound = root.GetProperty("epsilonLowerBound").GetDouble();
        Assert.True(double.IsFinite(bound) && bound >= 0);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("claimedEpsilon").ValueKind);
        Assert.Equal(200, root.GetProperty("canaries").GetInt32());
        Assert.Equal(600 + root.GetProperty("included").GetInt32(), root.GetProperty("trainingRows").GetInt32());
        string html = File.ReadAllText(report);
        Assert.Contains("<h2>Privacy audit</h2>", html);
        Assert.Contains("A low bound does not prove privacy", html);
        // The same seed gives the same audit.
        string again = Path.Combine(dir, "b.json");
        Assert.Equal(0, CliRunner.Run("audit", data, "--synthesizer", "cart", "--canaries", "200", "--seed", "2", "--json", again, "-q").ExitCode);
        Assert.Equal(File.ReadAllText(json), File.ReadAllText(again));
    }

    [Fact]
    public void Epsilon_with_a_synthesizer_that_cannot_honour_it_is_refused_before_any_work()
    {
        var dir = TestData.NewTempDir();
        string data = CliEvaluateTests.DemoSlice(dir, "real.csv", 0, 300);
        var r = CliRunner.Run("audit", data, "--synthesizer", "cart", "--epsilon", "1", "-q");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Contains("error: --epsilon asks for differential privacy, but the 'cart' synthesizer cannot honour an ε", r.ErrorLines[0]);
        Assert.StartsWith("hint: Use a DP synthesizer", r.ErrorLines[1]);
        Assert.Equal(2, r.ErrorLines.Length);
    }

    [Theory]
    [InlineData("--canaries", "50", 2, "error: --canaries 50 is too few")]
    [InlineData("--delta", "1e-9", 2, "error: --delta is part of a DP budget and needs --epsilon.")]
    [InlineData("--canaries", "1000", 1, "error: The table has 300 rows; an audit with 1,000 canaries needs at least as many real rows")]
    public void Bad_input_is_one_error_line_with_a_hint_and_the_exit_code_of_its_kind(string option, string value, int exit, string error)
    {
        var dir = TestData.NewTempDir();
        string data = CliEvaluateTests.DemoSlice(dir, "real.csv", 0, 300);
        var r = CliRunner.Run("audit", data, "--synthesizer", "independent", option, value, "-q");
        Assert.Equal(exit, r.ExitCode);
        Assert.StartsWith(error, r.ErrorLines[0]);
        Assert.StartsWith("hint: ", r.ErrorLines[1]);
    }
}
