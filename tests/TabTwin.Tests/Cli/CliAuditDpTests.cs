using System.Globalization;
using System.Text.Json;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary><c>tabtwin audit --epsilon</c> with a DP synthesizer: built with the budget, audited against it.</summary>
public class CliAuditDpTests
{
    [Fact]
    public void Audit_of_mst_with_epsilon_reads_the_claim_and_stays_below_it()
    {
        var dir = TestData.NewTempDir();
        // Public bounds for the number columns (the demo rows' range, rounded out), as a data dictionary would give them.
        var lines = File.ReadAllLines(TestData.DemoCsv);
        var header = lines[0].Split(',');
        var columns = new List<object>();
        foreach (var name in new[] { "age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week" })
        {
            int j = Array.IndexOf(header, name);
            var values = lines.Skip(1).Select(l => double.Parse(l.Split(',')[j], CultureInfo.InvariantCulture)).ToArray();
            columns.Add(new { name, kind = "numerical", min = Math.Floor(values.Min()), max = Math.Ceiling(values.Max()) });
        }
        string metadata = Path.Combine(dir, "m.json"), json = Path.Combine(dir, "a.json");
        File.WriteAllText(metadata, JsonSerializer.Serialize(new { version = 1, columns }));
        var r = CliRunner.Run("audit", TestData.DemoCsv, "--synthesizer", "mst", "--epsilon", "1", "--delta", "1e-9", "-m", metadata,
            "--canaries", "1000", "--json", json, "-q");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Claimed     epsilon 1.000, delta 1e-09", r.Stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(1.0, doc.RootElement.GetProperty("claimedEpsilon").GetDouble());
        Assert.Equal(1e-9, doc.RootElement.GetProperty("delta").GetDouble());
        Assert.InRange(doc.RootElement.GetProperty("epsilonLowerBound").GetDouble(), 0, 1);
        Assert.False(doc.RootElement.GetProperty("exceedsClaim").GetBoolean());
    }
}
