using System.Text.Json;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary><c>run --epsilon --report/--json</c>: the ledger in both, and with <c>--audit-canaries N</c> the one-run audit beside the claim.</summary>
public class CliRunAuditTests
{
    [Fact]
    public void Run_with_epsilon_reports_the_ledger_and_on_request_the_audit_beside_the_claimed_epsilon()
    {
        var dir = TestData.NewTempDir();
        string data = CliEvaluateTests.DemoSlice(dir, "real.csv", 0, 1500);
        string output = Path.Combine(dir, "out.csv"), json = Path.Combine(dir, "m.json"), report = Path.Combine(dir, "r.html");
        var r = CliRunner.Run("run", data, "-o", output, "--epsilon", "4", "-s", "mst", "--json", json, "--report", report,
            "--audit-canaries", "300", "--seed", "1");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Claimed     epsilon 4.000, delta 1e-09", r.Stdout);
        using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
        {
            var dp = doc.RootElement.GetProperty("differentialPrivacy");
            Assert.Equal(4, dp.GetProperty("epsilon").GetDouble());
            Assert.True(dp.GetProperty("ledger").GetArrayLength() > 10);
            Assert.InRange(dp.GetProperty("spentEpsilon").GetDouble(), 3.9, 4 + 1e-9);
            var audit = dp.GetProperty("audit");
            Assert.Equal(4, audit.GetProperty("claimedEpsilon").GetDouble());
            Assert.Equal(300, audit.GetProperty("canaries").GetInt32());
            Assert.InRange(audit.GetProperty("epsilonLowerBound").GetDouble(), 0, 4);
            Assert.False(audit.GetProperty("exceedsClaim").GetBoolean());
            // The audit fits on the rows the run trained on (80 %), never on the holdout.
            Assert.InRange(audit.GetProperty("trainingRows").GetInt32(), 1200, 1200 + 300);
        }
        string html = File.ReadAllText(report);
        Assert.Contains("<h2>Differential privacy</h2>", html);
        Assert.Contains("<h2>Privacy audit</h2>", html);
        Assert.Contains("Claimed ε", html);

        // Without --audit-canaries: the ledger, no audit (it costs a second fit).
        var plain = CliRunner.Run("run", data, "-o", output, "--epsilon", "4", "-s", "mst", "--json", json, "--overwrite", "-q");
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
        {
            var dp = doc.RootElement.GetProperty("differentialPrivacy");
            Assert.True(dp.GetProperty("ledger").GetArrayLength() > 10);
            Assert.False(dp.TryGetProperty("audit", out _));
        }
    }

    [Fact]
    public void Audit_canaries_without_epsilon_or_report_are_usage_errors_and_too_many_are_refused_before_the_fit()
    {
        var dir = TestData.NewTempDir();
        string data = CliEvaluateTests.DemoSlice(dir, "real.csv", 0, 500), output = Path.Combine(dir, "out.csv"), json = Path.Combine(dir, "m.json");
        var noEpsilon = CliRunner.Run("run", data, "-o", output, "--json", json, "--audit-canaries", "200");
        Assert.Equal(2, noEpsilon.ExitCode);
        Assert.Contains("--audit-canaries audits a differentially private run and needs --epsilon", noEpsilon.Stderr);
        var noReport = CliRunner.Run("run", data, "-o", output, "--epsilon", "4", "--audit-canaries", "200");
        Assert.Equal(2, noReport.ExitCode);
        Assert.Contains("needs --report or --json", noReport.Stderr);
        var tooMany = CliRunner.Run("run", data, "-o", output, "--epsilon", "4", "--json", json, "--audit-canaries", "450");
        Assert.Equal(1, tooMany.ExitCode);
        Assert.Contains("error: The table has 400 rows; an audit with 450 canaries needs at least as many real rows", tooMany.Stderr);
        Assert.Contains("hint: Use --audit-canaries 400 or fewer", tooMany.Stderr);
        Assert.DoesNotContain("Fitting", tooMany.Stderr);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(json));
    }
}
