using TabTwin.Schema;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary><c>tabtwin inspect</c> on long-format tables: the proposed sequence with its reason, in the metadata it writes.</summary>
public sealed class CliInspectSequenceTests
{
    [Fact]
    public void Inspect_proposes_ticker_histories_for_sp500_and_writes_them_into_the_metadata()
    {
        var output = Path.Combine(TestData.NewTempDir(), "meta.json");
        var r = CliRunner.Run("inspect", TestData.Dataset("sp500_stocks", "stocks_ohlcv.csv"), "-o", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("  sequence: entity 'ticker', order 'date' — proposed: 'ticker' names 10 entities (name says 'ticker') with 117 to 1,233 steps each;", r.Stderr);
        var schema = SchemaJson.FromJson(File.ReadAllText(output));
        Assert.Equal(("ticker", "date"), (schema.Sequence!.Entity, schema.Sequence.Order));
        Assert.Empty(schema.Sequence.Context!);
        Assert.Contains("\"sequence\": {", File.ReadAllText(output));
    }

    [Fact]
    public void Inspect_prints_cdnow_customer_histories_on_stdout()
    {
        var r = CliRunner.Run("inspect", TestData.Dataset("cdnow", "cdnow_master.csv"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var schema = SchemaJson.FromJson(r.Stdout);
        Assert.Equal(("customer_id", "date"), (schema.Sequence!.Entity, schema.Sequence.Order));
        Assert.Contains("  sequence: entity 'customer_id', order 'date' — proposed: 'customer_id' names 23,570 entities", r.Stderr);
    }

    [Fact]
    public void Inspect_of_an_ordinary_table_has_no_sequence_and_says_why_a_near_miss_was_not_proposed()
    {
        var demo = CliRunner.Run("inspect", TestData.DemoCsv);
        Assert.True(demo.ExitCode == 0, demo.Stderr);
        Assert.Null(SchemaJson.FromJson(demo.Stdout).Sequence);
        Assert.DoesNotContain("\"sequence\"", demo.Stdout);
        Assert.DoesNotContain("sequence", demo.Stderr);

        var invoices = CliRunner.Run("inspect", TestData.Dataset("chinook", "Invoice.csv"));
        Assert.True(invoices.ExitCode == 0, invoices.Stderr);
        Assert.Null(SchemaJson.FromJson(invoices.Stdout).Sequence);
        Assert.Contains("  no sequence: 'CustomerId' ordered by 'InvoiceDate': its values are nearly unique across the table (1.2 rows per value", invoices.Stderr);
    }

    [Fact]
    public void A_sequence_declared_in_the_metadata_is_kept_as_set_not_detected()
    {
        var meta = Path.Combine(TestData.NewTempDir(), "m.json");
        File.WriteAllText(meta, """{ "columns": [], "sequence": { "entity": "ticker", "order": "date", "context": [] } }""");
        var r = CliRunner.Run("inspect", TestData.Dataset("sp500_stocks", "stocks_ohlcv.csv"), "--metadata", meta);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("  sequence: entity 'ticker', order 'date' — set in metadata", r.Stderr);
        Assert.Equal("ticker", SchemaJson.FromJson(r.Stdout).Sequence!.Entity);

        // A declared sequence on a table that does not look like one is kept too: the user's word wins.
        File.WriteAllText(meta, """{ "columns": [], "sequence": { "entity": "race", "order": "age" } }""");
        var adult = CliRunner.Run("inspect", TestData.DemoCsv, "--metadata", meta);
        Assert.True(adult.ExitCode == 0, adult.Stderr);
        Assert.Contains("  sequence: entity 'race', order 'age', context: every column constant within each entity — set in metadata", adult.Stderr);
    }

    [Fact]
    public void A_declared_context_column_that_varies_within_an_entity_is_refused_by_inspect_naming_entity_column_and_row()
    {
        var meta = Path.Combine(TestData.NewTempDir(), "m.json");
        File.WriteAllText(meta, """{ "columns": [], "sequence": { "entity": "ticker", "order": "date", "context": ["volume"] } }""");
        var r = CliRunner.Run("inspect", TestData.Dataset("sp500_stocks", "stocks_ohlcv.csv"), "--metadata", meta, "-q");
        Assert.Equal(1, r.ExitCode);
        Assert.Matches(@"^error: .*Context column 'volume' must be constant within each entity, but entity '[A-Z]+' has both '\d+' and '\d+' \(row \d+\)", r.ErrorLines[0]);
    }

    [Fact]
    public void A_declared_sequence_naming_a_column_the_table_lacks_is_refused_with_its_name()
    {
        var meta = Path.Combine(TestData.NewTempDir(), "m.json");
        File.WriteAllText(meta, """{ "columns": [], "sequence": { "entity": "symbol", "order": "date" } }""");
        var r = CliRunner.Run("inspect", TestData.Dataset("sp500_stocks", "stocks_ohlcv.csv"), "--metadata", meta);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("The metadata's \"sequence\" names entity column 'symbol', which the metadata does not have", r.Stderr);
    }
}
