using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

public class CliCommandTests
{
    [Fact]
    public void Demo_writes_the_synthetic_csv_and_prints_where_it_went_and_quality()
    {
        var dir = TestData.NewTempDir();
        var r = CliRunner.Run("demo", "--output-dir", dir, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var synth = Path.Combine(dir, "synthetic.csv");
        Assert.Contains(synth, r.Stdout);
        Assert.Contains("column shapes", r.Stdout);
        var table = TableReader.Read(synth);
        Assert.Equal(4000, table.RowCount);
        Assert.Equal(15, table.ColumnCount);
        Assert.True(File.Exists(Path.Combine(dir, "model.tabtwin")));
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void Run_is_deterministic_for_a_seed_and_honours_rows()
    {
        var dir = TestData.NewTempDir();
        string a = Path.Combine(dir, "a.csv"), b = Path.Combine(dir, "b.csv"), c = Path.Combine(dir, "c.csv");
        Assert.Equal(0, CliRunner.Run("run", TestData.DemoCsv, "-o", a, "--rows", "500", "--seed", "7", "-q").ExitCode);
        Assert.Equal(0, CliRunner.Run("run", TestData.DemoCsv, "-o", b, "--rows", "500", "--seed", "7", "-q").ExitCode);
        Assert.Equal(0, CliRunner.Run("run", TestData.DemoCsv, "-o", c, "--rows", "500", "--seed", "8", "-q").ExitCode);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(c));
        Assert.Equal(501, File.ReadAllLines(a).Length);
    }

    [Fact]
    public void Fit_then_sample_to_parquet_round_trips_through_a_model_file()
    {
        var dir = TestData.NewTempDir();
        var model = Path.Combine(dir, "m.tabtwin");
        var fit = CliRunner.Run("fit", TestData.DemoCsv, "-o", model, "-q");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        Assert.Contains("saved to", fit.Stdout);
        var outPath = Path.Combine(dir, "out.parquet");
        var sample = CliRunner.Run("sample", model, "-n", "1234", "-o", outPath, "--seed", "3", "-q");
        Assert.True(sample.ExitCode == 0, sample.Stderr);
        var t = TableReader.Read(outPath);
        Assert.Equal(1234, t.RowCount);
        Assert.Equal(15, t.ColumnCount);
    }

    [Fact]
    public void Run_writes_to_and_reads_from_a_database()
    {
        var dir = TestData.NewTempDir();
        var db = Path.Combine(dir, "synth.db");
        var w = CliRunner.Run("run", TestData.DemoCsv, "-o", db, "--output-table", "people", "-n", "200", "-q");
        Assert.True(w.ExitCode == 0, w.Stderr);
        var back = CliRunner.Run("run", "sqlite:" + db, "--query", "select age, income from people where age >= 30", "-o", Path.Combine(dir, "x.csv"), "-n", "50", "-q");
        Assert.True(back.ExitCode == 0, back.Stderr);
        var t = TableReader.Read(Path.Combine(dir, "x.csv"));
        Assert.Equal(["age", "income"], t.ColumnNames);
        Assert.Equal(50, t.RowCount);
    }

    [Fact]
    public void Inspect_prints_metadata_json_that_reads_back_and_can_be_passed_as_metadata()
    {
        var dir = TestData.NewTempDir();
        var r = CliRunner.Run("inspect", TestData.DemoCsv, "-q");
        Assert.Equal(0, r.ExitCode);
        var schema = SchemaJson.FromJson(r.Stdout);
        Assert.Equal(15, schema.Columns.Count);
        Assert.Equal(ColumnKind.Numerical, schema["age"].Kind);
        Assert.Equal(ColumnKind.Categorical, schema["workclass"].Kind);
        Assert.All(schema.Columns, c => Assert.False(string.IsNullOrWhiteSpace(c.Reason)));

        // Override one column: education-num treated as categorical.
        var meta = Path.Combine(dir, "m.json");
        File.WriteAllText(meta, """{ "columns": [ { "name": "education-num", "kind": "categorical" } ] }""");
        var r2 = CliRunner.Run("inspect", TestData.DemoCsv, "--metadata", meta, "-q");
        Assert.Equal(0, r2.ExitCode);
        Assert.Equal(ColumnKind.Categorical, SchemaJson.FromJson(r2.Stdout)["education-num"].Kind);
    }

    [Fact]
    public void Progress_goes_to_stderr_and_quiet_silences_it()
    {
        var dir = TestData.NewTempDir();
        var loud = CliRunner.Run("run", TestData.DemoCsv, "-o", Path.Combine(dir, "x.csv"), "--rows", "50");
        Assert.Equal(0, loud.ExitCode);
        Assert.Contains("Fitting", loud.Stderr);
        var quiet = CliRunner.Run("run", TestData.DemoCsv, "-o", Path.Combine(dir, "y.csv"), "--rows", "50", "--quiet");
        Assert.Equal("", quiet.Stderr);
    }

    [Theory]
    [InlineData("tvae", """{"epochs": 2, "batchSize": 100, "embeddingDim": 16, "compressDims": [32], "decompressDims": [32]}""")]
    [InlineData("ctgan", """{"epochs": 2, "batchSize": 100, "embeddingDim": 16, "generatorDim": [32], "discriminatorDim": [32]}""")]
    public void Neural_synthesizers_run_from_the_cli_and_save_a_model_that_samples_again(string name, string options)
    {
        var dir = TestData.NewTempDir();
        string output = Path.Combine(dir, "out.csv"), model = Path.Combine(dir, "m.tabtwin"), again = Path.Combine(dir, "again.csv");
        var r = CliRunner.Run("run", TestData.DemoCsv, "-o", output, "-n", "200", "-s", name, "--options", options, "--save-model", model, "-q");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        // The demo table's education ↔ education-num relabelling is kept as a detected rule: "(tvae + 1 rule, seed 0)".
        Assert.Matches($@"\({name}( \+ \d+ rules?)?, seed 0\)", r.Stdout);
        var table = TableReader.Read(output);
        Assert.Equal(200, table.RowCount);
        Assert.Equal(15, table.ColumnCount);
        Assert.Equal(0, CliRunner.Run("sample", model, "-n", "200", "-o", again, "-q").ExitCode);
        // Same model and seed: the saved model reproduces the run's output byte for byte.
        Assert.Equal(File.ReadAllBytes(output), File.ReadAllBytes(again));
    }

    [Fact]
    public void Unknown_synthesizer_lists_the_known_ones()
    {
        var r = CliRunner.Run("run", TestData.DemoCsv, "-o", Path.Combine(TestData.NewTempDir(), "x.csv"), "-s", "nope", "-q");
        Assert.Equal(2, r.ExitCode); // a synthesizer name is a usage error, found before the input is read
        Assert.Contains("nope", r.Stderr);
        Assert.Contains("gaussian-copula", r.Stderr);
    }

    [Fact]
    public void Synthesizer_options_are_passed_as_json_and_bad_json_is_a_clear_error()
    {
        var dir = TestData.NewTempDir();
        var on = Path.Combine(dir, "on.csv");
        var off = Path.Combine(dir, "off.csv");
        Assert.Equal(0, CliRunner.Run("run", TestData.DemoCsv, "-o", on, "-n", "300", "-q").ExitCode);
        var r = CliRunner.Run("run", TestData.DemoCsv, "-o", off, "-n", "300", "-q", "--options", "{\"privacy\":\"off\"}");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.NotEqual(File.ReadAllBytes(on), File.ReadAllBytes(off));   // privacy off draws leaf values as stored

        var bad = CliRunner.Run("run", TestData.DemoCsv, "-o", Path.Combine(dir, "bad.csv"), "-q", "--options", "{privacy");
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("error: --options is not valid JSON", bad.Stderr);
        Assert.False(File.Exists(Path.Combine(dir, "bad.csv")));
    }

    [Fact]
    public void Usage_errors_exit_with_2()
    {
        var r = CliRunner.Run("run", TestData.DemoCsv);   // no -o
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--output", r.Stderr);
    }
}
