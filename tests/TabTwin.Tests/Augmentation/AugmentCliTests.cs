using TabTwin.IO;
using TabTwin.Tests.Cli;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Augmentation;

public class AugmentCliTests
{
    private static (CliRunner.Result Result, string Output) Run(params string[] args)
    {
        var output = Path.Combine(TestData.NewTempDir(), "out.csv");
        return (CliRunner.Run([.. args, "-o", output, "-q"]), output);
    }

    private static void AssertOneLineFailure(CliRunner.Result r, string output, string expected)
    {
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: " + expected, r.ErrorLines[0]);
        Assert.True(r.ErrorLines.Length <= 2, r.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Augment_with_smote_appends_minority_rows_after_the_real_ones()
    {
        var (r, output) = Run("augment", TestData.DemoCsv, "--target", "income", "--to", "0.3", "--method", "smote", "--seed", "2");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var real = TableReader.Read(TestData.DemoCsv);
        var table = TableReader.Read(output);
        int minority = Enumerable.Range(0, table.RowCount).Count(i => table["income"].FormatValue(i) == ">50K");
        Assert.InRange(minority - 0.3 * table.RowCount, -1.0, 1.0);
        for (int i = 0; i < real.RowCount; i++) Assert.Equal(real.FormatRow(i), table.FormatRow(i));
        Assert.Contains($"4,000 real rows + {table.RowCount - 4000:N0} new rows (smote) written to", r.Stdout);
        Assert.Contains("income = >50K:", r.Stdout);
        Assert.Equal(File.ReadAllLines(TestData.DemoCsv)[1], File.ReadAllLines(output)[1]);
    }

    [Fact]
    public void Augment_evaluate_holds_out_a_fifth_and_prints_the_recall_change()
    {
        var (r, output) = Run("augment", TestData.DemoCsv, "--target", "income", "--to", "0.4", "--method", "noise", "--scale", "0.1", "--mark", "--evaluate");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Held out 20% of the real rows (800) to evaluate on; augmenting the other 3,200 (the output holds only those).", r.Stdout);
        Assert.Contains("Minority class '>50K' on the real holdout (800 rows,", r.Stdout);
        Assert.Matches(@"real rows only\s+0\.\d{3}\s+0\.\d{3}\s+0\.\d{3}\s+0\.\d{3}", r.Stdout);
        Assert.Matches(@"augmented \(noise\)\s+0\.\d{3}", r.Stdout);
        Assert.Matches(@"change\s+[+-]?\d\.\d{3}", r.Stdout);
        var table = TableReader.Read(output);
        Assert.Equal("is_synthetic", table.Columns[^1].Name);
        Assert.Equal(3200, Enumerable.Range(0, table.RowCount).Count(i => table["is_synthetic"].FormatValue(i) == "false"));
    }

    [Fact]
    public void Run_rebalance_gives_exact_class_shares()
    {
        var (r, output) = Run("run", TestData.DemoCsv, "--rebalance", "income=>50K:0.5", "-n", "800", "--seed", "1");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var table = TableReader.Read(output);
        Assert.Equal(400, Enumerable.Range(0, table.RowCount).Count(i => table["income"].FormatValue(i) == ">50K"));
        Assert.Equal(400, Enumerable.Range(0, table.RowCount).Count(i => table["income"].FormatValue(i) == "<=50K"));
    }

    [Fact]
    public void Run_rebalance_combines_with_where()
    {
        var (r, output) = Run("run", TestData.DemoCsv, "--rebalance", "income=>50K:0.5", "--where", "sex=Female", "-n", "200", "--seed", "1");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var table = TableReader.Read(output);
        Assert.All(Enumerable.Range(0, table.RowCount), i => Assert.Equal("Female", table["sex"].FormatValue(i)));
        Assert.Equal(100, Enumerable.Range(0, table.RowCount).Count(i => table["income"].FormatValue(i) == ">50K"));
    }

    [Theory]
    [InlineData(new[] { "run", "--rebalance", "income=rich:0.5" }, "The target column 'income' has no class 'rich'; its classes are: <=50K, >50K.")]
    [InlineData(new[] { "run", "--rebalance", "age=40:0.5" }, "The target column 'age' is numerical; rebalancing and augmentation need a categorical or boolean target (a set of classes).")]
    [InlineData(new[] { "run", "--rebalance", "income=>50K:1.5" }, "The share of class '>50K' is 1.5; a share cannot exceed 1 (100%).")]
    [InlineData(new[] { "augment", "--target", "income", "--to", "0.3", "--method", "magic" }, "--method 'magic' is not a method; use synth, smote or noise.")]
    [InlineData(new[] { "augment", "--target", "income", "--to", "0.7" }, "The target column 'income' has 2 classes, so no share above 1/2 = 0.5 can be reached by every class; 0.7 was asked.")]
    [InlineData(new[] { "augment", "--target", "salary", "--to", "0.3" }, "--target 'salary' is not a column of the table (columns: age, workclass, fnlwgt, education, education-num, marital-status, occupation, relationship, race, sex, capital-gain, capital-loss, hours-per-week, native-country, income).")]
    [InlineData(new[] { "augment", "--target", "age", "--to", "0.3" }, "The target column 'age' is numerical; rebalancing and augmentation need a categorical or boolean target (a set of classes).")]
    public void Bad_inputs_fail_with_one_clear_line(string[] args, string expected)
    {
        var (r, output) = Run([args[0], TestData.DemoCsv, .. args[1..]]);
        AssertOneLineFailure(r, output, expected);
    }
}
