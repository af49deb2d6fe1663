using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary>Bad input gets one clear line naming file, column and row, a non-zero exit and no partial output.</summary>
public class CliBadInputTests
{
    private static (CliRunner.Result Result, string Output) RunOn(string csvContent, params string[] extra)
    {
        var dir = TestData.NewTempDir();
        var input = Path.Combine(dir, "input.csv");
        File.WriteAllText(input, csvContent);
        var output = Path.Combine(dir, "out.csv");
        var r = CliRunner.Run(["run", input, "-o", output, "-q", .. extra]);
        return (r, output);
    }

    private static void AssertCleanFailure(CliRunner.Result r, string output, params string[] mustMention)
    {
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: ", r.ErrorLines[0]);
        Assert.DoesNotContain("   at ", r.Stderr);                // no stack trace
        Assert.True(r.ErrorLines.Length <= 2, r.Stderr);          // the error and at most a hint
        foreach (var m in mustMention) Assert.Contains(m, r.ErrorLines[0]);
        Assert.False(File.Exists(output), "no output may be written on failure");
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(output)!, "*.tmp*"));
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        var dir = TestData.NewTempDir();
        var output = Path.Combine(dir, "out.csv");
        var r = CliRunner.Run("run", Path.Combine(dir, "nope.csv"), "-o", output, "-q");
        AssertCleanFailure(r, output, "nope.csv");
    }

    [Fact]
    public void Ragged_row_names_file_and_row()
    {
        var (r, output) = RunOn("a,b,c\n1,2,3\n4,5,6\n7,8\n");
        AssertCleanFailure(r, output, "input.csv", "line 4 (data row 3)", "2 fields", "header has 3");
    }

    [Fact]
    public void Empty_table_is_rejected()
    {
        var (r, output) = RunOn("a,b,c\n");
        AssertCleanFailure(r, output, "input.csv");
        Assert.Contains("no data rows", r.Stderr);
    }

    [Fact]
    public void All_missing_column_names_the_column()
    {
        var rows = string.Join("\n", Enumerable.Range(0, 50).Select(i => $"{i % 7},,x{i % 3}"));
        var (r, output) = RunOn("a,blank,c\n" + rows + "\n");
        AssertCleanFailure(r, output, "'blank'");
    }

    [Fact]
    public void Unknown_column_in_metadata_names_it()
    {
        var dir = TestData.NewTempDir();
        var meta = Path.Combine(dir, "m.json");
        File.WriteAllText(meta, """{ "columns": [ { "name": "agee", "kind": "numerical" } ] }""");
        var output = Path.Combine(dir, "out.csv");
        var r = CliRunner.Run("run", TestData.DemoCsv, "-o", output, "--metadata", meta, "-q");
        AssertCleanFailure(r, output, "'agee'");
    }

    [Fact]
    public void Failed_run_leaves_an_existing_output_untouched()
    {
        var dir = TestData.NewTempDir();
        var output = Path.Combine(dir, "out.csv");
        File.WriteAllText(output, "old content");
        var r = CliRunner.Run("run", Path.Combine(dir, "missing.csv"), "-o", output, "-q");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("old content", File.ReadAllText(output));
    }

    [Fact]
    public void Damaged_model_file_is_a_clear_error()
    {
        var dir = TestData.NewTempDir();
        var model = Path.Combine(dir, "m.tabtwin");
        File.WriteAllText(model, "this is not a model");
        var output = Path.Combine(dir, "out.csv");
        var r = CliRunner.Run("sample", model, "-n", "10", "-o", output, "-q");
        AssertCleanFailure(r, output, "m.tabtwin");
    }

    [Fact]
    public void Unsupported_database_column_type_names_the_column()
    {
        var dir = TestData.NewTempDir();
        var db = Path.Combine(dir, "data.db");
        using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "CREATE TABLE t (a INTEGER, photo BLOB); INSERT INTO t VALUES (1, x'0102'), (2, x'0304');";
            cmd.ExecuteNonQuery();
        }
        var output = Path.Combine(dir, "out.csv");
        var r = CliRunner.Run("run", db, "--table", "t", "-o", output, "-q");
        AssertCleanFailure(r, output, "photo");
    }
}
