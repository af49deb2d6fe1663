using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary><c>tabtwin run / fit / sample</c> on histories: the metadata's "sequence" switches to the sequence synthesizer.</summary>
public sealed class CliSequenceTests
{
    private const string Metadata = """
        { "columns": [ { "name": "ticker", "kind": "categorical" }, { "name": "date", "kind": "datetime" },
                       { "name": "open", "kind": "numerical" }, { "name": "high", "kind": "numerical" }, { "name": "low", "kind": "numerical" },
                       { "name": "close", "kind": "numerical" }, { "name": "volume", "kind": "numerical" } ],
          "sequence": { "entity": "ticker", "order": "date" } }
        """;

    private static (string Dir, string Data, string Metadata) Setup()
    {
        var dir = TestData.NewTempDir();
        var metadata = Path.Combine(dir, "metadata.json");
        File.WriteAllText(metadata, Metadata);
        return (dir, TestData.Dataset("sp500_stocks", "stocks_ohlcv.csv"), metadata);
    }

    [Fact]
    public void Run_with_a_sequence_in_the_metadata_writes_whole_histories_and_reports_on_held_out_entities()
    {
        // The first 1,000 cdnow customers' purchases (the test data is sorted by customer).
        var dir = TestData.NewTempDir();
        var lines = File.ReadAllLines(TestData.Dataset("cdnow", "cdnow_master.csv"));
        string data = Path.Combine(dir, "purchases.csv"), metadata = Path.Combine(dir, "metadata.json");
        File.WriteAllLines(data, [lines[0], .. lines.Skip(1).Where(l => int.Parse(l[..5], System.Globalization.CultureInfo.InvariantCulture) <= 1000)]);
        File.WriteAllText(metadata, """
            { "columns": [ { "name": "customer_id", "kind": "id" }, { "name": "date", "kind": "datetime" },
                           { "name": "quantity", "kind": "numerical" }, { "name": "amount", "kind": "numerical" } ],
              "sequence": { "entity": "customer_id", "order": "date" } }
            """);
        string output = Path.Combine(dir, "synthetic.csv"), json = Path.Combine(dir, "metrics.json");
        var r = CliRunner.Run("run", data, "-o", output, "--metadata", metadata, "--rows", "500", "--seed", "3", "--json", json, "-q");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("(500 histories)", r.Stdout);
        Assert.Contains("Held out 20% of the real histories", r.Stdout);
        Assert.Contains("sequence length KS", r.Stdout);
        var synthetic = TableReader.Read(output);
        Assert.Equal(500, SequenceLayout.Of(synthetic, new SequenceSpec { Entity = "customer_id", Order = "date" }).EntityCount);
        Assert.Equal(["customer_id", "date", "quantity", "amount"], synthetic.ColumnNames);
    }

    [Fact]
    public void A_fitted_sequence_model_samples_histories_and_continues_real_ones()
    {
        var (dir, data, metadata) = Setup();
        string model = Path.Combine(dir, "stocks.tabtwin"), sampled = Path.Combine(dir, "sampled.csv"), continued = Path.Combine(dir, "continued.csv");
        var fit = CliRunner.Run("fit", data, "-o", model, "--metadata", metadata, "-q");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        Assert.Contains("Sequence model", fit.Stdout);

        var sample = CliRunner.Run("sample", model, "-o", sampled, "-n", "3", "--seed", "1", "-q");
        Assert.True(sample.ExitCode == 0, sample.Stderr);
        Assert.Equal(3, SequenceLayout.Of(TableReader.Read(sampled), new SequenceSpec { Entity = "ticker", Order = "date" }).EntityCount);

        var history = Path.Combine(dir, "history.csv");
        File.WriteAllLines(history, File.ReadLines(data).Take(101)); // AAL's first 100 days
        var next = CliRunner.Run("sample", model, "-o", continued, "--continue", history, "--steps", "20", "-q");
        Assert.True(next.ExitCode == 0, next.Stderr);
        var table = TableReader.Read(continued);
        Assert.Equal(20, table.RowCount);
        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal("AAL", table["ticker"].FormatValue(i)));

        var noSteps = CliRunner.Run("sample", model, "-o", Path.Combine(dir, "x.csv"), "--continue", history, "-q");
        Assert.Equal(2, noSteps.ExitCode);
        Assert.Contains("--steps", noSteps.Stderr);
    }

    [Fact]
    public void Run_without_metadata_learns_rows_but_says_the_table_looks_like_histories()
    {
        var (dir, data, _) = Setup();
        var r = CliRunner.Run("run", data, "-o", Path.Combine(dir, "rows.csv"), "--rows", "200", "--seed", "1");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("looks like histories of 'ticker' ordered by 'date'", r.Stderr);
        Assert.Contains("--metadata metadata.json", r.Stderr);
        Assert.Equal(200, TableReader.Read(Path.Combine(dir, "rows.csv")).RowCount); // still rows: --rows keeps its meaning
    }
}
