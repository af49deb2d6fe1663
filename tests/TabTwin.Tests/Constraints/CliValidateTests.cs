using System.Text.Json;
using TabTwin.IO;
using TabTwin.Sampling.Constraints;
using TabTwin.Tests.Cli;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Constraints;

public class CliValidateTests
{
    private static (string Csv, string Metadata) WriteStays(int rows)
    {
        var dir = TestData.NewTempDir();
        var csv = Path.Combine(dir, "stays.csv");
        TableWriter.Write(ConstraintFixtures.Stays(rows), csv);
        var metadata = Path.Combine(dir, "stays.json");
        File.WriteAllText(metadata, ConstraintFixtures.StaysMetadata);
        return (csv, metadata);
    }

    [Fact]
    public void Clean_table_exits_0()
    {
        var (csv, metadata) = WriteStays(200);
        var r = CliRunner.Run("validate", csv, "--metadata", metadata, "-q");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Equal("OK: 200 rows × 11 columns fit the metadata and satisfy 8 constraint(s).", r.Stdout.Trim());
    }

    [Fact]
    public void Partial_metadata_gives_one_warning_naming_the_undeclared_columns()
    {
        var dir = TestData.NewTempDir();
        var csv = Path.Combine(dir, "t.csv");
        File.WriteAllText(csv, "age,city,score\n30,Paris,1.5\n41,Lyon,2.5\n");
        var metadata = Path.Combine(dir, "m.json");
        File.WriteAllText(metadata, """{"version": 1, "columns": [{"name": "age", "kind": "numerical"}]}""");
        var r = CliRunner.Run("validate", csv, "-m", metadata, "-q");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var all = r.Stdout + r.Stderr;
        Assert.Contains("warning: 2 columns: Columns 'city', 'score' are in the table but not declared in the metadata.", all);
        Assert.Single(all.Split('\n'), l => l.Contains("not declared"));
    }

    [Fact]
    public void Bad_table_lists_each_violation_with_rows_and_exits_1()
    {
        var dir = TestData.NewTempDir();
        var csv = Path.Combine(dir, "bad.csv");
        File.WriteAllText(csv, """
            id,admit,discharge,price,quantity,total,extra
            1,2020-01-01,2020-01-05,10.00,2,20.00,x
            2,2020-02-10,2020-02-01,5.50,3,16.50,y
            2,2020-03-01,2020-03-02,-1.00,1,-1.00,z
            4,2020-03-01,,abc,1,3.00,w
            """);
        var metadata = Path.Combine(dir, "m.json");
        File.WriteAllText(metadata, """
            {"version": 1, "columns": [
              {"name": "id", "kind": "id"}, {"name": "admit", "kind": "datetime"}, {"name": "discharge", "kind": "datetime"},
              {"name": "price", "kind": "numerical"}, {"name": "quantity", "kind": "numerical"}, {"name": "total", "kind": "numerical"},
              {"name": "ward", "kind": "categorical"}],
             "constraints": [
              {"type": "inequality", "low": "admit", "high": "discharge"},
              {"type": "expression", "expr": "total == price * quantity"},
              {"type": "positive", "column": "total", "strict": true}]}
            """);
        var json = Path.Combine(dir, "report.json");
        var r = CliRunner.Run("validate", csv, "-m", metadata, "--json", json, "-q");
        Assert.Equal(1, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("error: ward: Column 'ward' is declared in the metadata but the table does not have it.", lines);
        Assert.Contains("error: price: Column 'price' is declared numerical but 1 values are not numerical.", lines);
        Assert.Contains("row 4: price=abc", lines);
        Assert.Contains("error: id: Id column 'id' has 1 duplicate values.", lines);
        Assert.Contains("warning: extra: Column 'extra' is in the table but not declared in the metadata.", lines);
        Assert.Contains("error: Constraint #1 (inequality admit <= discharge): 1 of 4 rows break it.", lines);
        Assert.Contains("row 2: admit=2020-02-10, discharge=2020-02-01", lines);
        Assert.Contains("error: Constraint #3 (range total > 0): 1 of 4 rows break it.", lines);
        Assert.Contains("row 3: total=-1", lines);
        // price is text here, so the formula cannot be typed: reported, not crashed.
        Assert.Contains(lines, l => l.StartsWith("error: Constraint #2 (expression total == price * quantity): field 'expr': Operator '*' cannot combine string and number"));
        Assert.Equal("INVALID: 6 error(s), 1 warning(s) in 4 rows.", lines[^1]);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(6, doc.RootElement.GetProperty("errors").GetInt32());
        Assert.Equal(1, doc.RootElement.GetProperty("schemaVersion").GetInt32());
    }

    [Fact]
    public void Run_with_constraints_in_the_metadata_writes_rows_that_validate()
    {
        var (csv, metadata) = WriteStays(600);
        var output = Path.Combine(Path.GetDirectoryName(csv)!, "synthetic.csv");
        var run = CliRunner.Run("run", csv, "-o", output, "--metadata", metadata, "-n", "800", "--seed", "3");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("learned around: Constraint #1 (inequality admit <= discharge)", run.Stderr);
        var check = CliRunner.Run("validate", output, "--metadata", metadata, "-q");
        Assert.True(check.ExitCode == 0, check.Stdout);
        Assert.True(ConstraintSet.FromMetadataFile(metadata).Check(TableReader.Read(output)).IsClean);
    }

    [Fact]
    public void Saved_constrained_model_samples_with_where_and_extra_rules()
    {
        var (csv, metadata) = WriteStays(600);
        var dir = Path.GetDirectoryName(csv)!;
        var model = Path.Combine(dir, "stays.tabtwin");
        Assert.Equal(0, CliRunner.Run("fit", csv, "-o", model, "--metadata", metadata, "-q").ExitCode);
        var extra = Path.Combine(dir, "extra.json");
        File.WriteAllText(extra, """{"columns": [], "constraints": [{"type": "range", "column": "price", "max": 400}]}""");
        var output = Path.Combine(dir, "italy.csv");
        var r = CliRunner.Run("sample", model, "-n", "150", "-o", output, "--where", "country=Italy", "-m", extra, "-q");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var sample = TableReader.Read(output);
        Assert.Equal(150, sample.RowCount);
        Assert.All(Enumerable.Range(0, 150), i => Assert.Equal("Rome", sample["city"].FormatValue(i)));
        var rules = new ConstraintSet(ConstraintSet.FromMetadataFile(metadata).Concat(ConstraintSet.FromMetadataFile(extra)));
        Assert.True(rules.Check(sample).IsClean, rules.Check(sample).Format());
    }

    [Fact]
    public void Missing_metadata_option_is_a_usage_error()
    {
        var (csv, _) = WriteStays(10);
        Assert.Equal(2, CliRunner.Run("validate", csv).ExitCode);
    }
}
