using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary><c>--where</c> and <c>--conditions</c> on <c>run</c> and <c>sample</c>.</summary>
public sealed class CliConditionTests
{
    [Fact]
    public void Run_and_sample_with_where_give_only_matching_rows()
    {
        var dir = TestData.NewTempDir();
        string output = Path.Combine(dir, "out.csv"), model = Path.Combine(dir, "m.ttm"), sampled = Path.Combine(dir, "s.csv");
        var run = CliRunner.Run("run", TestData.DemoCsv, "-o", output, "--rows", "300", "--where", "sex=Female", "--where", "age>=30",
            "--where", "age<40", "--save-model", model, "-q");
        Assert.Equal(0, run.ExitCode);
        AssertAll(TableReader.Read(output), 300, t => (i => t["sex"].FormatValue(i) == "Female" && ((NumericColumn)t["age"])[i] is >= 30 and < 40));

        var sample = CliRunner.Run("sample", model, "-n", "200", "-o", sampled, "-w", "native-country in (Mexico, Canada)", "-q");
        Assert.Equal(0, sample.ExitCode);
        AssertAll(TableReader.Read(sampled), 200, t => (i => t["native-country"].FormatValue(i) is "Mexico" or "Canada"));
    }

    [Fact]
    public void Conditions_file_gives_one_row_per_line_or_num_rows_rows()
    {
        var dir = TestData.NewTempDir();
        string model = Path.Combine(dir, "m.ttm");
        Assert.Equal(0, CliRunner.Run("run", TestData.DemoCsv, "-o", Path.Combine(dir, "x.csv"), "--rows", "10", "--save-model", model, "-q").ExitCode);

        string perRow = Path.Combine(dir, "per-row.csv"), perRowOut = Path.Combine(dir, "per-row-out.csv");
        File.WriteAllText(perRow, "sex,age\nFemale,35\nMale,>=60\n,between 20 and 22\n");
        Assert.Equal(0, CliRunner.Run("sample", model, "--conditions", perRow, "-o", perRowOut, "-q").ExitCode);
        var t = TableReader.Read(perRowOut);
        Assert.Equal(3, t.RowCount);
        Assert.Equal("Female", t["sex"].FormatValue(0));
        Assert.Equal("35", t["age"].FormatValue(0));
        Assert.Equal("Male", t["sex"].FormatValue(1));
        Assert.True(((NumericColumn)t["age"])[1] >= 60);
        Assert.InRange(((NumericColumn)t["age"])[2], 20, 22);

        string counted = Path.Combine(dir, "counted.csv"), countedOut = Path.Combine(dir, "counted-out.csv");
        File.WriteAllText(counted, "income,num_rows\n>50K,7\n<=50K,3\n");
        Assert.Equal(0, CliRunner.Run("sample", model, "--conditions", counted, "-o", countedOut, "-q").ExitCode);
        var c = TableReader.Read(countedOut);
        Assert.Equal(10, c.RowCount);
        Assert.Equal(Enumerable.Repeat(">50K", 7).Concat(Enumerable.Repeat("<=50K", 3)), Enumerable.Range(0, 10).Select(i => c["income"].FormatValue(i)));
    }

    [Theory]
    [InlineData("native-country=Atlantis", "native-country = Atlantis", "known categories")]
    [InlineData("age>=200", "age >= 200", "[17, 90]")]
    [InlineData("contry=DE", "contry=DE", "native-country")]
    [InlineData("age between 40 and 30", "age between 40 and 30", "empty")]
    public void Bad_conditions_exit_1_with_one_line_naming_the_condition(string where, string named, string mentions)
    {
        var dir = TestData.NewTempDir();
        var r = CliRunner.Run("run", TestData.DemoCsv, "-o", Path.Combine(dir, "x.csv"), "--rows", "10", "--where", where, "-q");
        Assert.Equal(1, r.ExitCode);
        var error = Assert.Single(r.ErrorLines, l => l.StartsWith("error:"));
        Assert.Contains(named, error);
        Assert.Contains(mentions, string.Join("\n", r.ErrorLines));
        Assert.False(File.Exists(Path.Combine(dir, "x.csv")));
    }

    [Fact]
    public void Rows_and_conditions_together_are_refused()
    {
        var dir = TestData.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "c.csv"), "sex\nFemale\n");
        var r = CliRunner.Run("run", TestData.DemoCsv, "-o", Path.Combine(dir, "x.csv"), "--rows", "10", "--conditions", Path.Combine(dir, "c.csv"), "-q");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--rows does not apply with --conditions", r.Stderr);
    }

    private static void AssertAll(Table t, int rows, Func<Table, Func<int, bool>> predicate)
    {
        Assert.Equal(rows, t.RowCount);
        var matches = predicate(t);
        for (int i = 0; i < t.RowCount; i++) Assert.True(matches(i), $"row {i}: {string.Join(",", t.FormatRow(i))}");
    }
}
