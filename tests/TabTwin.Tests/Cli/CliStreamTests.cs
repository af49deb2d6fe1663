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
    public void Run_stream_on_csv_writes_the_rows_and_other_synthesizers_say_they_used_a_sample()
    {
        var dir = TestData.NewTempDir();
        string csv = CliEvaluateTests.DemoSlice(dir, "real.csv", 0, 2000), output = Path.Combine(dir, "out.csv");
        var run = CliRunner.Run("run", csv, "-o", output, "--stream", "-n", "700", "--where", "age>=30");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(701, File.ReadAllLines(output).Length);
        var copula = CliRunner.Run("run", csv, "-o", Path.Combine(dir, "c.csv"), "--stream", "--sample-rows", "500", "-s", "gaussian-copula");
        Assert.True(copula.ExitCode == 0, copula.Stderr);
        Assert.Contains("'gaussian-copula' learns from rows held in memory: fitted on a uniform sample of 500 of the 2,000 rows", copula.Stderr);
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
}
