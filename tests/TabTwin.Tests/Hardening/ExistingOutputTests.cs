using TabTwin.IO;
using TabTwin.Tests.Cli;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Hardening;

/// <summary>
/// The user's tables and files are replaced only when they say so (issue 15, item 7), every output is checked before
/// any work (item 12: an unwritable --report fails before the CSV is written), and a symbolic link is written through.
/// </summary>
public class ExistingOutputTests
{
    private static string Penguins(string dir, int rows = 120)
    {
        var path = Path.Combine(dir, "penguins.csv");
        File.WriteAllLines(path, File.ReadLines(TestData.Dataset("penguins", "penguins.csv")).Take(rows + 1));
        return path;
    }

    private static void AssertRefused(CliRunner.Result r, string mention)
    {
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: ", r.ErrorLines[0]);
        Assert.Contains(mention, r.Stderr);
        Assert.Contains("--overwrite", r.Stderr);
        Assert.DoesNotContain("Fitting", r.Stderr);   // refused before any work
    }

    [Fact]
    public void Run_into_a_database_keeps_an_existing_table_data_unless_overwrite_or_append()
    {
        var dir = TestData.NewTempDir();
        var input = Penguins(dir);
        var db = Path.Combine(dir, "work.db");
        var userTable = TableReader.Read(TestData.Dataset("penguins", "penguins.csv"));
        TableWriter.Write(userTable, db, new WriteOptions { TableName = "data" });

        AssertRefused(CliRunner.Run("run", input, "-o", db, "-n", "20", "--seed", "1"), "'data'");
        Assert.Equal(userTable.RowCount, TableReader.Read(db, new ReadOptions { TableName = "data" }).RowCount);

        Assert.Equal(0, CliRunner.Run("run", input, "-o", db, "-n", "20", "-q", "--append").ExitCode);
        Assert.Equal(userTable.RowCount + 20, TableReader.Read(db, new ReadOptions { TableName = "data" }).RowCount);
        Assert.Equal(0, CliRunner.Run("run", input, "-o", db, "-n", "20", "-q", "--overwrite").ExitCode);
        Assert.Equal(20, TableReader.Read(db, new ReadOptions { TableName = "data" }).RowCount);
    }

    [Fact]
    public void Output_table_keep_is_not_replaced_and_table_is_not_silently_ignored()
    {
        var dir = TestData.NewTempDir();
        var input = Penguins(dir);
        var db = Path.Combine(dir, "work.duckdb");
        TableWriter.Write(TableReader.Read(input), db, new WriteOptions { TableName = "keep" });

        AssertRefused(CliRunner.Run("run", input, "-o", db, "--output-table", "keep", "-n", "10"), "'keep'");
        Assert.Equal(120, TableReader.Read(db, new ReadOptions { TableName = "keep" }).RowCount);

        // --table names the table to read; with a CSV input it is an error instead of being ignored.
        var r = CliRunner.Run("run", input, "-o", db, "--table", "keep", "-n", "10");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--output-table", r.Stderr);
        Assert.Equal(120, TableReader.Read(db, new ReadOptions { TableName = "keep" }).RowCount);
    }

    [Theory]
    [InlineData("out.csv")]
    [InlineData("out.parquet")]
    public void An_existing_output_file_is_replaced_only_with_overwrite(string name)
    {
        var dir = TestData.NewTempDir();
        var input = Penguins(dir);
        var output = Path.Combine(dir, name);
        File.WriteAllText(output, "the user's file");
        AssertRefused(CliRunner.Run("run", input, "-o", output, "-n", "10"), name);
        Assert.Equal("the user's file", File.ReadAllText(output));
        Assert.Equal(0, CliRunner.Run("run", input, "-o", output, "-n", "10", "-q", "--overwrite").ExitCode);
        Assert.Equal(10, TableReader.Read(output).RowCount);
    }

    [Fact]
    public void Fit_keeps_an_existing_model_file_and_sample_an_existing_output()
    {
        var dir = TestData.NewTempDir();
        var input = Penguins(dir);
        var model = Path.Combine(dir, "m.tabtwin");
        Assert.Equal(0, CliRunner.Run("fit", input, "-o", model, "-q").ExitCode);
        var bytes = File.ReadAllBytes(model);
        AssertRefused(CliRunner.Run("fit", input, "-o", model, "--seed", "3"), "m.tabtwin");
        Assert.Equal(bytes, File.ReadAllBytes(model));

        var output = Path.Combine(dir, "s.csv");
        File.WriteAllText(output, "mine");
        AssertRefused(CliRunner.Run("sample", model, "-n", "5", "-o", output), "s.csv");
        Assert.Equal("mine", File.ReadAllText(output));
    }

    [Fact]
    public void An_unwritable_report_fails_before_the_synthetic_table_is_written()
    {
        var dir = TestData.NewTempDir();
        var input = Penguins(dir);
        var output = Path.Combine(dir, "synth.csv");
        var blocker = Path.Combine(dir, "not-a-folder");
        File.WriteAllText(blocker, "a file where the report's folder should be");
        var r = CliRunner.Run("run", input, "-o", output, "-n", "10", "--report", Path.Combine(blocker, "r.html"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("r.html", r.ErrorLines[0]);
        Assert.DoesNotContain("Fitting", r.Stderr);
        Assert.False(File.Exists(output), "the CSV must not be written when another output cannot be");
    }

    [Theory]
    [InlineData("out.csv")]
    [InlineData("out.parquet")]
    public void Writing_through_a_symbolic_link_replaces_its_target_and_keeps_the_link(string name)
    {
        var dir = TestData.NewTempDir();
        var input = Penguins(dir);
        var realDir = Directory.CreateDirectory(Path.Combine(dir, "real")).FullName;
        var target = Path.Combine(realDir, name);
        File.WriteAllText(target, "old");
        var link = Path.Combine(dir, "link-" + name);
        File.CreateSymbolicLink(link, target);

        Assert.Equal(0, CliRunner.Run("run", input, "-o", link, "-n", "12", "-q", "--overwrite").ExitCode);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal(12, TableReader.Read(target).RowCount);
        Assert.Empty(Directory.GetFiles(realDir, "*tmp*"));
    }
}
