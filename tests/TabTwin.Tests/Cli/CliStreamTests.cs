using TabTwin.IO;
using TabTwin.Models;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary><c>fit/run --stream</c>: a table learned in passes over chunks, and what cannot be combined with it.</summary>
public class CliStreamTests
{
    [Fact]
    public void Fit_stream_on_parquet_learns_every_row_and_the_model_samples()
    {
        var dir = TestData.NewTempDir();
        string csv = CliEvaluateTests.DemoSlice(dir, "real.csv", 0, 3000), parquet = Path.Combine(dir, "real.parquet"), model = Path.Combine(dir, "m.tabtwin");
        TableWriter.Write(TableReader.Read(csv), parquet);
        var fit = CliRunner.Run("fit", parquet, "-o", model, "--stream", "--sample-rows", "1000", "--seed", "4");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        Assert.Contains("streamed 3,000 rows of", fit.Stderr);
        Assert.Contains("uniform sample of 1,000", fit.Stderr);
        Assert.Contains("learned from 3,000 rows in passes", fit.Stdout);
        Assert.IsType<CartModel>(ModelFile.Load(model));
        var output = Path.Combine(dir, "out.csv");
        Assert.Equal(0, CliRunner.Run("sample", model, "-n", "500", "-o", output, "-q").ExitCode);
        Assert.Equal(501, File.ReadAllLines(output).Length);
        // The same seed gives the same model: the same sample bytes.
        var again = Path.Combine(dir, "again.tabtwin");
        Assert.Equal(0, CliRunner.Run("fit", parquet, "-o", again, "--stream", "--sample-rows", "1000", "--seed", "4", "-q").ExitCode);
        var second = Path.Combine(dir, "again.csv");
        Assert.Equal(0, CliRunner.Run("sample", again, "-n", "500", "-o", second, "-q").ExitCode);
        Assert.Equal(File.ReadAllText(output), File.ReadAllText(second));
    }

    [Fact]
    public void Run_stream_on_csv_writes_the_rows_the_copula_streams_and_other_synthesizers_say_they_used_a_sample()
    {
        var dir = TestData.NewTempDir();
        string csv = CliEvaluateTests.DemoSlice(dir, "real.csv", 0, 2000), output = Path.Combine(dir, "out.csv");
        var run = CliRunner.Run("run", csv, "-o", output, "--stream", "-n", "700", "--where", "age>=30");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(701, File.ReadAllLines(output).Length);
        var copula = CliRunner.Run("run", csv, "-o", Path.Combine(dir, "c.csv"), "--stream", "--sample-rows", "500", "-s", "gaussian-copula");
        Assert.True(copula.ExitCode == 0, copula.Stderr);
        Assert.Contains("streamed 2,000 rows of", copula.Stderr);
        Assert.Contains("continuous marginals and category order from a uniform sample of 500", copula.Stderr);
        var independent = CliRunner.Run("run", csv, "-o", Path.Combine(dir, "i.csv"), "--stream", "--sample-rows", "500", "-s", "independent");
        Assert.True(independent.ExitCode == 0, independent.Stderr);
        Assert.Contains("'independent' learns from rows held in memory: fitted on a uniform sample of 500 of the 2,000 rows", independent.Stderr);
    }

    [Fact]
    public void Stream_refuses_what_it_cannot_do_in_one_line()
    {
        var dir = TestData.NewTempDir();
        string csv = CliEvaluateTests.DemoSlice(dir, "real.csv", 0, 300), output = Path.Combine(dir, "out.csv");
        var report = CliRunner.Run("run", csv, "-o", output, "--stream", "--report", Path.Combine(dir, "r.html"));
        Assert.Equal(2, report.ExitCode);
        Assert.StartsWith("error: --report cannot be combined with --stream.", report.Stderr);
        var dp = CliRunner.Run("fit", csv, "-o", Path.Combine(dir, "m.tabtwin"), "--stream", "--epsilon", "1");
        Assert.Equal(2, dp.ExitCode);
        Assert.Contains("--stream cannot be combined with --epsilon", dp.Stderr);
        var few = CliRunner.Run("fit", csv, "-o", Path.Combine(dir, "m.tabtwin"), "--stream", "--sample-rows", "10");
        Assert.Equal(2, few.ExitCode);
        Assert.Contains("--sample-rows must be at least 100", few.Stderr);
        Assert.DoesNotContain("   at ", report.Stderr + dp.Stderr + few.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_folder_of_parquet_parts_streams_as_one_table()
    {
        var dir = TestData.NewTempDir();
        string csv = CliEvaluateTests.DemoSlice(dir, "real.csv", 0, 1500), model = Path.Combine(dir, "m.tabtwin"), parts = Path.Combine(dir, "parts");
        Assert.Equal(0, CliRunner.Run("fit", csv, "-o", model, "-q").ExitCode);
        var sample = CliRunner.Run("sample", model, "-n", "5000", "-o", parts, "--parts", "4", "-q");
        Assert.True(sample.ExitCode == 0, sample.Stderr);
        // The folder (its _SUCCESS marker skipped) and a pattern read as one table of every part's rows, in part order.
        var whole = TabTwin.Tables.Table.Concat(TableChunks.Open(parts, chunkRows: 700).ReadChunks().ToArray());
        Assert.Equal(5000, whole.RowCount);
        var pattern = TabTwin.Tables.Table.Concat(TableChunks.Open(Path.Combine(parts, "part-*.parquet"), chunkRows: 700).ReadChunks().ToArray());
        Assert.Equal(5000, pattern.RowCount);
        var fit = CliRunner.Run("fit", parts, "-o", Path.Combine(dir, "again.tabtwin"), "--stream", "--sample-rows", "1000");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        Assert.Contains("streamed 5,000 rows of", fit.Stderr);
        // A file of another table in the folder is refused, naming both files.
        TableWriter.Write(TableReader.Read(csv).Select(["age", "sex"]), Path.Combine(parts, "zz-other.parquet"));
        var mixed = CliRunner.Run("fit", parts, "-o", Path.Combine(dir, "mixed.tabtwin"), "--stream");
        Assert.Equal(1, mixed.ExitCode);
        Assert.Contains("zz-other.parquet' has columns [age, sex]", mixed.Stderr);
    }

    [Fact]
    public void Spill_folder_holds_the_binned_rows_and_is_left_empty()
    {
        var dir = TestData.NewTempDir();
        string csv = CliEvaluateTests.DemoSlice(dir, "real.csv", 0, 2000), spill = Path.Combine(dir, "spill", "nested");
        Directory.CreateDirectory(spill);
        var created = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var watcher = new FileSystemWatcher(spill) { EnableRaisingEvents = true };
        watcher.Created += (_, e) => created.Enqueue(e.Name ?? "");
        var fit = CliRunner.Run("fit", csv, "-o", Path.Combine(dir, "m.tabtwin"), "--stream", "--spill-folder", spill, "--seed", "3");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        // The watcher reports asynchronously: wait for the spill file's creation (not a timing assertion, a bounded wait).
        Assert.True(SpinWait.SpinUntil(() => created.Any(n => n.StartsWith("tabtwin-spill-")), TimeSpan.FromSeconds(20)),
            $"no spill file was created in the folder (saw: {string.Join(", ", created)})");
        Assert.Empty(Directory.GetFileSystemEntries(spill));
        // A missing folder is created.
        var fresh = Path.Combine(dir, "fresh", "spill");
        Assert.Equal(0, CliRunner.Run("fit", csv, "-o", Path.Combine(dir, "m2.tabtwin"), "--stream", "--spill-folder", fresh, "-q").ExitCode);
        Assert.True(Directory.Exists(fresh));
    }

    [Fact]
    public void Spill_folder_that_cannot_be_written_is_refused_before_reading()
    {
        var dir = TestData.NewTempDir();
        string csv = CliEvaluateTests.DemoSlice(dir, "real.csv", 0, 300), model = Path.Combine(dir, "m.tabtwin");
        var file = Path.Combine(dir, "a-file");
        File.WriteAllText(file, "x");
        var isFile = CliRunner.Run("fit", csv, "-o", model, "--stream", "--spill-folder", file);
        Assert.Equal(1, isFile.ExitCode);
        Assert.StartsWith($"error: Cannot spill into '{file}': it is a file, not a folder.", isFile.Stderr);
        // A folder under a file cannot be created (this holds even for root, unlike permissions).
        var under = CliRunner.Run("run", csv, "-o", Path.Combine(dir, "out.csv"), "--stream", "--spill-folder", Path.Combine(file, "sub"));
        Assert.Equal(1, under.ExitCode);
        Assert.StartsWith($"error: Cannot spill into '{Path.Combine(file, "sub")}'", under.Stderr);
        Assert.Contains("hint: Give a writable folder", under.Stderr);
        var withoutStream = CliRunner.Run("fit", csv, "-o", model, "--spill-folder", dir);
        Assert.Equal(2, withoutStream.ExitCode);
        Assert.StartsWith("error: --spill-folder applies only with --stream.", withoutStream.Stderr);
        Assert.DoesNotContain("Opening", isFile.Stderr + under.Stderr);
        Assert.DoesNotContain("   at ", isFile.Stderr + under.Stderr + withoutStream.Stderr);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void Help_says_what_the_spill_costs()
    {
        var help = CliRunner.Run("fit", "--help");
        Assert.Contains("--spill-folder", help.Stdout);
        Assert.Contains("10 bytes per number and 2 per other cell", System.Text.RegularExpressions.Regex.Replace(help.Stdout, @"\s+", " "));
    }

    [Fact]
    public void Stream_prints_the_privacy_check_it_ran_on_the_sample_and_no_privacy_check_skips_it()
    {
        var dir = TestData.NewTempDir();
        var csv = TestData.Dataset("lahman_baseball", "HallOfFame.csv");
        var fit = CliRunner.Run("fit", csv, "-o", Path.Combine(dir, "m.tabtwin"), "--stream", "--seed", "0");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        Assert.Contains("privacy check on 4,191 real rows", fit.Stderr);
        Assert.Contains("fitted at protection", fit.Stderr);
        Assert.True(((CartModel)ModelFile.Load(Path.Combine(dir, "m.tabtwin"))).Options.ProtectionLevel > 1);
        var skipped = CliRunner.Run("fit", csv, "-o", Path.Combine(dir, "n.tabtwin"), "--stream", "--seed", "0", "--no-privacy-check");
        Assert.True(skipped.ExitCode == 0, skipped.Stderr);
        Assert.DoesNotContain("privacy check", skipped.Stderr);
        Assert.Equal(1, ((CartModel)ModelFile.Load(Path.Combine(dir, "n.tabtwin"))).Options.ProtectionLevel);
    }
}
