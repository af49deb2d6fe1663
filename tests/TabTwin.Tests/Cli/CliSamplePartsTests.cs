using TabTwin.IO;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary>
/// <c>tabtwin sample … -o out/ --parts P [--shard k/n]</c>: a folder of part files and a marker; shards run into one folder
/// write the whole run's parts byte for byte; what the partitioned path cannot honour is a usage error (exit 2).
/// </summary>
public sealed class CliSamplePartsTests
{
    private static readonly Lazy<string> Model = new(() =>
    {
        var model = Path.Combine(TestData.NewTempDir(), "cards.tabtwin");
        var fit = CliRunner.Run("fit", TestData.Dataset("berka_financial", "card.csv"), "-o", model, "-s", "gaussian-copula", "-q");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        return model;
    });

    private static string[] Parts(string folder) =>
        [.. Directory.GetFiles(folder, "part-*.parquet").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public void Parts_and_shards_make_one_folder_whose_parts_equal_the_whole_run_s()
    {
        var dir = TestData.NewTempDir();
        string whole = Path.Combine(dir, "whole") + Path.DirectorySeparatorChar, sharded = Path.Combine(dir, "sharded");
        var run = CliRunner.Run("sample", Model.Value, "-n", "100000", "-o", whole, "--parts", "4", "--seed", "3", "-q");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("100,000 synthetic rows written", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(["part-00000.parquet", "part-00001.parquet", "part-00002.parquet", "part-00003.parquet"], Parts(whole));
        Assert.True(File.Exists(Path.Combine(whole, "_SUCCESS")));
        Assert.Equal(100_000, Parts(whole).Sum(p => TableReader.Read(Path.Combine(whole, p)).RowCount));

        foreach (var shard in new[] { "2/2", "1/2" })
        {
            var r = CliRunner.Run("sample", Model.Value, "-n", "100000", "-o", sharded, "--parts", "4", "--shard", shard, "--seed", "3", "--threads", "1", "-q");
            Assert.True(r.ExitCode == 0, r.Stderr);
            Assert.Contains($"shard {shard}", r.Stdout, StringComparison.Ordinal);
        }
        Assert.Equal(Parts(whole), Parts(sharded));
        foreach (var part in Parts(whole))
            Assert.True(File.ReadAllBytes(Path.Combine(whole, part)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(sharded, part))), part);
        Assert.True(File.Exists(Path.Combine(sharded, "_SUCCESS.shard-1-of-2")));
        Assert.True(File.Exists(Path.Combine(sharded, "_SUCCESS")));

        var again = CliRunner.Run("sample", Model.Value, "-n", "1000", "-o", whole, "--parts", "2", "-q");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already holds", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("sample", Model.Value, "-n", "1000", "-o", whole, "--parts", "2", "--overwrite", "-q").ExitCode);
        Assert.Equal(2, Parts(whole).Length);
    }

    [Fact]
    public void Where_with_parts_writes_exactly_n_matching_rows_and_shards_equal_the_one_process_run()
    {
        var dir = TestData.NewTempDir();
        string whole = Path.Combine(dir, "whole"), sharded = Path.Combine(dir, "sharded");
        string[] where = ["--where", "type in (gold, junior)", "--where", "type!=junior"];
        var run = CliRunner.Run(["sample", Model.Value, "-n", "140000", "-o", whole, "--parts", "3", "--seed", "5", .. where]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("Sampling 140,000 rows where type in (gold, junior) AND type != junior into 3 part(s)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("140,000 synthetic rows written", run.Stdout, StringComparison.Ordinal);
        foreach (var shard in new[] { "2/2", "1/2" })
        {
            var r = CliRunner.Run(["sample", Model.Value, "-n", "140000", "-o", sharded, "--parts", "3", "--shard", shard, "--seed", "5", "--threads", "1", "-q", .. where]);
            Assert.True(r.ExitCode == 0, r.Stderr);
        }
        Assert.Equal(Parts(whole), Parts(sharded));
        foreach (var part in Parts(whole))
            Assert.True(File.ReadAllBytes(Path.Combine(whole, part)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(sharded, part))), part);
        var types = Parts(whole).SelectMany(p =>
        {
            var column = TableReader.Read(Path.Combine(whole, p))["type"];
            return Enumerable.Range(0, column.Length).Select(column.FormatValue);
        }).ToList();
        Assert.Equal(140_000, types.Count);
        Assert.All(types, t => Assert.Equal("gold", t));
        // A value the model never learned is refused at once (the native copula knows its categories), with no output left.
        var unknown = CliRunner.Run("sample", Model.Value, "-n", "1000", "-o", Path.Combine(dir, "none"), "--parts", "2", "--where", "type=platinum");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Single(unknown.ErrorLines, l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(dir, "none")) && Directory.EnumerateFileSystemEntries(Path.Combine(dir, "none")).Any());
    }

    [Theory]
    [InlineData("cli.parts", "-n", "1000", "--shard", "1/2")]
    [InlineData("cli.option-not-applicable", "-n", "1000", "--parts", "2", "--conditions", "conditions.csv")]
    [InlineData("cli.option-not-applicable", "-n", "1000", "--parts", "2", "--where", "type=gold", "--cluster", "localhost")]
    [InlineData("cli.shard", "-n", "1000", "--parts", "2", "--shard", "1/3")]
    [InlineData("cli.rows", "-n", "3000000000")]
    [InlineData("cli.rows", "--parts", "2")]
    public void What_the_partitioned_path_cannot_honour_is_a_usage_error(string code, params string[] args)
    {
        var output = Path.Combine(TestData.NewTempDir(), "out");
        var r = CliRunner.Run(["sample", Model.Value, "-o", output, .. args, "-q"]);
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode} for {code}: {r.Stderr}");
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any());
        if (code == "cli.rows" && args[1] == "3000000000") Assert.Contains("--parts", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Sequence_and_database_models_refuse_parts_with_a_usage_error()
    {
        var dir = TestData.NewTempDir();
        var lines = File.ReadAllLines(TestData.Dataset("cdnow", "cdnow_master.csv"));
        string data = Path.Combine(dir, "purchases.csv"), metadata = Path.Combine(dir, "metadata.json");
        File.WriteAllLines(data, [lines[0], .. lines.Skip(1).Where(l => int.Parse(l[..5], System.Globalization.CultureInfo.InvariantCulture) <= 300)]);
        File.WriteAllText(metadata, """
            { "columns": [ { "name": "customer_id", "kind": "id" }, { "name": "date", "kind": "datetime" },
                           { "name": "quantity", "kind": "numerical" }, { "name": "amount", "kind": "numerical" } ],
              "sequence": { "entity": "customer_id", "order": "date" } }
            """);
        string sequences = Path.Combine(dir, "sequences.tabtwin"), database = Path.Combine(dir, "chinook.tabtwin");
        Assert.Equal(0, CliRunner.Run("fit", data, "-o", sequences, "--metadata", metadata, "-q").ExitCode);
        Assert.Equal(0, CliRunner.Run("fit", TestData.ChinookFolder(), "-o", database, "-q").ExitCode);
        foreach (var (model, what) in new[] { (sequences, "sequence models"), (database, "database models") })
        {
            var output = Path.Combine(dir, "out-" + Path.GetFileNameWithoutExtension(model));
            var r = CliRunner.Run("sample", model, "-n", "1000", "-o", output, "--parts", "2", "-q");
            Assert.True(r.ExitCode == 2, r.Stderr);
            Assert.Contains(what, r.Stderr, StringComparison.Ordinal);
            Assert.False(Directory.Exists(output));
        }
    }
}
