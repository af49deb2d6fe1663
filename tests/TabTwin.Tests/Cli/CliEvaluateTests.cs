using System.Text.Json;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary><c>tabtwin evaluate</c> and <c>tabtwin run --report/--json</c> on slices of the Adult demo file.</summary>
public class CliEvaluateTests
{
    /// <summary>Writes the demo header plus rows [from, from+count) to a new CSV.</summary>
    internal static string DemoSlice(string dir, string name, int from, int count)
    {
        var lines = File.ReadAllLines(TestData.DemoCsv);
        var path = Path.Combine(dir, name);
        File.WriteAllLines(path, [lines[0], .. lines.Skip(1 + from).Take(count)]);
        return path;
    }

    private static (string Dir, string Real, string Holdout, string Synthetic) Files()
    {
        var dir = TestData.NewTempDir();
        string real = DemoSlice(dir, "real.csv", 0, 600), holdout = DemoSlice(dir, "holdout.csv", 600, 200);
        string synth = Path.Combine(dir, "synth.csv");
        var r = CliRunner.Run("run", real, "-o", synth, "--rows", "400", "--seed", "3", "-q");
        Assert.True(r.ExitCode == 0, r.Stderr);
        return (dir, real, holdout, synth);
    }

    [Fact]
    public void Evaluate_with_holdout_and_target_prints_verdicts_and_writes_json_with_utility()
    {
        var (dir, real, holdout, synth) = Files();
        string json = Path.Combine(dir, "m.json"), report = Path.Combine(dir, "r.html");
        var r = CliRunner.Run("evaluate", "--real", real, "--synthetic", synth, "--holdout", holdout, "--target", "income",
            "--json", json, "--report", report, "--seed", "1", "-q");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("", r.Stderr);
        Assert.Contains("Quality ", r.Stdout);
        Assert.Contains("Privacy ", r.Stdout);
        Assert.Contains("Utility ", r.Stdout);
        Assert.Contains("Detection AUC", r.Stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var utility = doc.RootElement.GetProperty("utility");
        Assert.Equal("income", utility.GetProperty("target").GetString());
        Assert.Equal("BinaryClassification", utility.GetProperty("task").GetString());
        Assert.InRange(utility.GetProperty("real").GetProperty("auc").GetDouble(), 0.6, 1.0);
        Assert.Equal(200, doc.RootElement.GetProperty("run").GetProperty("holdoutRows").GetInt32());
        Assert.True(new FileInfo(report).Length > 1000);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp*"));
    }

    [Fact]
    public void Evaluate_without_holdout_says_privacy_and_utility_were_skipped()
    {
        var (dir, real, _, synth) = Files();
        string json = Path.Combine(dir, "m.json");
        var r = CliRunner.Run("evaluate", "--real", real, "--synthetic", synth, "--json", json, "-q");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Privacy skipped: no holdout given", r.Stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("privacy").ValueKind);
    }

    [Fact]
    public void Evaluate_with_an_unknown_target_fails_with_one_line()
    {
        var (_, real, holdout, synth) = Files();
        var r = CliRunner.Run("evaluate", "--real", real, "--synthetic", synth, "--holdout", holdout, "--target", "salary", "-q");
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.StartsWith("error: --target 'salary' is not a column of the real table", r.ErrorLines[0]);
    }

    [Fact]
    public void Evaluate_names_the_file_and_column_a_holdout_lacks()
    {
        var (dir, real, _, synth) = Files();
        var holdout = Path.Combine(dir, "narrow.csv");
        File.WriteAllLines(holdout, File.ReadAllLines(real).Select(l => l[..l.LastIndexOf(',')]));
        var r = CliRunner.Run("evaluate", "--real", real, "--synthetic", synth, "--holdout", holdout, "-q");
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Equal($"error: The holdout table {holdout} has no column 'income', which the real table has.", r.ErrorLines[0]);
    }

    [Fact]
    public void Run_with_report_holds_out_20_percent_and_evaluates()
    {
        var dir = TestData.NewTempDir();
        string real = DemoSlice(dir, "real.csv", 0, 800);
        string synth = Path.Combine(dir, "s.csv"), json = Path.Combine(dir, "m.json"), report = Path.Combine(dir, "r.html");
        var r = CliRunner.Run("run", real, "-o", synth, "--rows", "400", "--report", report, "--json", json, "--target", "income", "--seed", "2", "-q");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Held out 20% of the real rows (160)", r.Stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var run = doc.RootElement.GetProperty("run");
        Assert.Equal(640, run.GetProperty("realRows").GetInt32());
        Assert.Equal(160, run.GetProperty("holdoutRows").GetInt32());
        Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("utility").ValueKind);
        Assert.True(File.Exists(report));
    }

    [Fact]
    public void Run_with_report_and_no_rows_option_writes_as_many_rows_as_the_input()
    {
        // The model is fitted on 80% (the rest is the evaluation's holdout), but the output keeps run's default size.
        var dir = TestData.NewTempDir();
        string real = DemoSlice(dir, "real.csv", 0, 500);
        string synth = Path.Combine(dir, "s.csv"), json = Path.Combine(dir, "m.json");
        var r = CliRunner.Run("run", real, "-o", synth, "--json", json, "--seed", "3", "-q");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(500, TabTwin.IO.TableReader.Read(synth).RowCount);
    }

    [Fact]
    public void Run_with_an_unknown_target_fails_before_fitting()
    {
        var dir = TestData.NewTempDir();
        string real = DemoSlice(dir, "real.csv", 0, 100), synth = Path.Combine(dir, "s.csv");
        var r = CliRunner.Run("run", real, "-o", synth, "--json", Path.Combine(dir, "m.json"), "--target", "salary", "-q");
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.False(File.Exists(synth));
    }

    /// <summary>
    /// A synthetic column that came out empty (nycflights13's planes.speed is 99 % empty; its synthetic copy was all empty)
    /// is read back without a type, as text: evaluate scores it as a column of missing numbers instead of failing with
    /// an internal error.
    /// </summary>
    [Fact]
    public void Evaluate_scores_a_synthetic_column_that_came_out_empty()
    {
        var dir = TestData.NewTempDir();
        var planes = TabTwin.IO.TableReader.Read(TestData.Dataset("nycflights13", "planes.csv"));
        string real = Path.Combine(dir, "planes.csv"), synth = Path.Combine(dir, "synthetic.csv");
        TabTwin.IO.TableWriter.Write(planes, real);
        var empty = new TabTwin.Tables.NumericColumn("speed", new double[planes.RowCount], TabTwin.Tables.Bitmask.FromBools(Enumerable.Repeat(true, planes.RowCount).ToArray()));
        TabTwin.IO.TableWriter.Write(planes.WithColumn(empty), synth);
        var r = CliRunner.Run("evaluate", "--real", real, "--synthetic", synth, "-q");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Quality ", r.Stdout);
    }
}
