using TabTwin.Schema;

namespace TabTwin.Tests.Schema;

/// <summary>
/// The metadata's "sequence" object: written and read back unchanged, refused with the offending column named when it
/// contradicts itself (on reading) or the table's columns (on validation), and carried through a user's partial metadata.
/// </summary>
public sealed class SequenceMetadataTests
{
    private static TableSchema Stocks => SchemaDetector.Detect(CsvTestTables.Load("sp500_stocks", "stocks_ohlcv.csv"));

    [Fact]
    public void Sequence_round_trips_through_the_metadata_json_with_and_without_context()
    {
        foreach (var spec in new[]
                 {
                     new SequenceSpec { Entity = "ticker", Order = "date", Context = ["open"] },
                     new SequenceSpec { Entity = "ticker", Order = "date", Context = [] },
                     new SequenceSpec { Entity = "ticker", Order = "date" },
                 })
        {
            var json = SchemaJson.ToJson(Stocks with { Sequence = spec });
            var back = SchemaJson.FromJson(json).Sequence!;
            Assert.Equal((spec.Entity, spec.Order), (back.Entity, back.Order));
            Assert.Equal(spec.Context, back.Context);
            // No context written means "every column constant within each entity", so null stays null (not []).
            Assert.Equal(spec.Context is not null, json.Contains("\"context\""));
        }
        Assert.DoesNotContain("\"sequence\"", SchemaJson.ToJson(Stocks));
        Assert.Null(SchemaJson.FromJson(SchemaJson.ToJson(Stocks)).Sequence);
    }

    [Theory]
    [InlineData("""{ "entity": "ticker", "order": "ticker" }""", "names column 'ticker' as both its entity and its order", "ticker")]
    [InlineData("""{ "entity": "ticker", "order": "date", "context": ["date"] }""", "lists column 'date' as context, but it is the sequence's order", "date")]
    [InlineData("""{ "entity": "ticker", "order": "date", "context": ["ticker"] }""", "lists column 'ticker' as context, but it is the sequence's entity", "ticker")]
    [InlineData("""{ "entity": "ticker", "order": "date", "context": ["open", "open"] }""", "lists context column 'open' twice", "open")]
    [InlineData("""{ "entity": "", "order": "date" }""", "needs both an \"entity\" and an \"order\"", null)]
    public void Reading_refuses_a_sequence_that_contradicts_itself(string sequence, string message, string? column)
    {
        var e = Assert.Throws<SchemaException>(() => SchemaJson.FromJson($$"""{ "columns": [], "sequence": {{sequence}} }""", "meta.json"));
        Assert.Equal("sequence.columns", e.Code);
        Assert.Contains(message, e.Message);
        Assert.Equal(column, e.Column);
        Assert.Equal("meta.json", e.File);
    }

    [Fact]
    public void A_sequence_missing_its_order_is_refused_on_reading()
    {
        var e = Assert.Throws<SchemaException>(() => SchemaJson.FromJson("""{ "columns": [], "sequence": { "entity": "ticker" } }"""));
        Assert.Equal("schema.json", e.Code);
        Assert.Contains("order", e.Message);
    }

    [Theory]
    [InlineData("symbol", "date", null, "entity column 'symbol'")]
    [InlineData("ticker", "day", null, "order column 'day'")]
    [InlineData("ticker", "date", "sector", "context column 'sector'")]
    public void Validation_refuses_a_sequence_naming_a_column_the_metadata_does_not_have(string entity, string order, string? context, string named)
    {
        var schema = Stocks with { Sequence = new SequenceSpec { Entity = entity, Order = order, Context = context is null ? null : [context] } };
        var e = Assert.Throws<SchemaException>(() => schema.Validate(CsvTestTables.Load("sp500_stocks", "stocks_ohlcv.csv")));
        Assert.Equal("sequence.unknown-column", e.Code);
        Assert.StartsWith($"The metadata's \"sequence\" names {named}, which the metadata does not have (it has: ticker, date, open, high, low, close, volume).", e.Message);
    }

    [Fact]
    public void Validation_refuses_an_order_column_that_is_not_datetime_or_numerical()
    {
        var schema = Stocks with { Sequence = new SequenceSpec { Entity = "date", Order = "ticker" } };
        var e = Assert.Throws<SchemaException>(() => schema.Validate(CsvTestTables.Load("sp500_stocks", "stocks_ohlcv.csv")));
        Assert.Equal("sequence.order-kind", e.Code);
        Assert.Equal("ticker", e.Column);
        Assert.Contains("is declared categorical; it must be datetime or numerical", e.Message);
        // A numerical order (a step index, a year) is accepted.
        (Stocks with { Sequence = new SequenceSpec { Entity = "ticker", Order = "volume" } }).Validate(CsvTestTables.Load("sp500_stocks", "stocks_ohlcv.csv"));
    }

    [Fact]
    public void A_users_partial_metadata_carries_its_sequence_over_the_detected_schema()
    {
        var table = CsvTestTables.Load("sp500_stocks", "stocks_ohlcv.csv");
        var merged = SchemaOverrides.ApplyJson(Stocks, """{ "columns": [ { "name": "volume", "kind": "numerical" } ], "sequence": { "entity": "ticker", "order": "date", "context": [] } }""", table);
        Assert.Equal(("ticker", "date"), (merged.Sequence!.Entity, merged.Sequence.Order));
        merged.Validate(table);
        Assert.Null(SchemaOverrides.ApplyJson(Stocks, """{ "columns": [] }""", table).Sequence);
    }
}
