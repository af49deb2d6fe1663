using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary><c>tabtwin evaluate</c> with metadata declaring a sequence prints the sequence metrics too.</summary>
public sealed class CliEvaluateSequenceTests
{
    private const string Metadata = """
        { "columns": [ { "name": "customer_id", "kind": "id" }, { "name": "date", "kind": "datetime" },
                       { "name": "quantity", "kind": "numerical" }, { "name": "amount", "kind": "numerical" } ],
          "sequence": { "entity": "customer_id", "order": "date" } }
        """;

    [Fact]
    public void Evaluate_with_a_sequence_in_the_metadata_prints_one_line_per_sequence_metric_and_reports_the_histories()
    {
        // The first 2,400 cdnow customers, dealt by id into real (odd), holdout (2 mod 4) and "synthetic" (0 mod 4).
        var lines = File.ReadAllLines(TestData.Dataset("cdnow", "cdnow_master.csv"));
        var rows = lines.Skip(1).Where(l => int.Parse(l[..5], System.Globalization.CultureInfo.InvariantCulture) <= 2400).ToArray();
        int Id(string l) => int.Parse(l[..5], System.Globalization.CultureInfo.InvariantCulture);
        var dir = TestData.NewTempDir();
        string Write(string name, Func<int, bool> keep)
        {
            var path = Path.Combine(dir, name);
            File.WriteAllLines(path, [lines[0], .. rows.Where(l => keep(Id(l)))]);
            return path;
        }
        string real = Write("real.csv", id => id % 2 == 1), holdout = Write("holdout.csv", id => id % 4 == 2), synthetic = Write("synthetic.csv", id => id % 4 == 0);
        string metadata = Path.Combine(dir, "metadata.json");
        File.WriteAllText(metadata, Metadata);

        string report = Path.Combine(dir, "report.html"), json = Path.Combine(dir, "metrics.json");
        var r = CliRunner.Run("evaluate", "--real", real, "--synthetic", synthetic, "--holdout", holdout, "--metadata", metadata, "--seed", "1", "--report", report, "--json", json, "-q");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Quality ", r.Stdout);
        Assert.Contains("Sequences 1200 real and 600 synthetic entities", r.Stdout);
        foreach (var metric in new[] { "sequence length KS", "inter-event gap KS", "lag-1 autocorrelation error", "discriminative AUC", "next-step prediction ratio", "reproduced histories", "entity DCR share" })
            Assert.Contains(metric, r.Stdout);
        Assert.DoesNotContain("skipped", r.Stdout.Split('\n').SkipWhile(l => !l.StartsWith("Sequences", StringComparison.Ordinal)).First(l => l.Contains("discriminative", StringComparison.Ordinal)));

        // The report's sequence section: histories side by side and the autocorrelation plots, per numerical step column.
        var html = File.ReadAllText(report);
        Assert.Contains("<h2>Sequences</h2>", html);
        foreach (var column in new[] { "quantity", "amount" })
        {
            Assert.Contains($"{column}: 3 real histories over their steps", html);
            Assert.Contains($"{column}: 3 synthetic histories over their steps", html);
            Assert.Contains($"{column}: autocorrelation at lags 1 to 5, real vs synthetic", html);
        }
        Assert.True(html.Split("<path d=\"M").Length - 1 >= 2 * 2 * 3 + 2 * 2, "every history and every autocorrelation curve is drawn");
    
        // --json: the sequence metrics beside the single-table ones.
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        var sequences = doc.RootElement.GetProperty("sequences");
        Assert.Equal(1200, sequences.GetProperty("realEntities").GetInt32());
        Assert.InRange(sequences.GetProperty("lengthKs").GetDouble(), 0, 0.2);
        Assert.InRange(sequences.GetProperty("discrimination").GetProperty("auc").GetDouble(), 0.3, 0.7);
        Assert.Equal(0, sequences.GetProperty("reproduction").GetProperty("reproducedSequences").GetInt32());
        Assert.True(doc.RootElement.GetProperty("quality").GetProperty("overall").GetDouble() > 0);
    }
}
