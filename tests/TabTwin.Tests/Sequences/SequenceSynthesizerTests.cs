using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Sequences;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace TabTwin.Tests.Sequences;

/// <summary>The sequence synthesizer on real histories: daily prices of 10 stocks (sp500_stocks) and 23,570 customers' purchases (cdnow).</summary>
public class SequenceSynthesizerTests(ITestOutputHelper output)
{
    internal static (Table Table, TableSchema Schema) Stocks()
    {
        var table = TableReader.Read(TestData.Dataset("sp500_stocks", "stocks_ohlcv.csv"));
        return (table, SchemaDetector.Detect(table) with { Sequence = new SequenceSpec { Entity = "ticker", Order = "date" } });
    }

    internal static (Table Table, TableSchema Schema) Purchases()
    {
        var table = TableReader.Read(TestData.Dataset("cdnow", "cdnow_master.csv"));
        return (table, SchemaDetector.Detect(table) with { Sequence = new SequenceSpec { Entity = "customer_id", Order = "date" } });
    }

    [Fact]
    public void Stock_prices_keep_their_dynamics()
    {
        var (table, schema) = Stocks();
        var warnings = new List<string>();
        var model = SequenceSynthesizer.Fit(table, schema, new SequenceOptions { Seed = 1, Warning = warnings.Add });
        foreach (var w in warnings) output.WriteLine(w);
        foreach (var d in model.Dynamics) output.WriteLine($"{d.Column}: {d.Transform} {d.Anchor}");
        var synthetic = model.Sample(10, seed: 2);
        output.WriteLine($"{synthetic.RowCount} rows");
        var layout = SequenceLayout.Of(synthetic, schema.Sequence!);
        for (int e = 0; e < layout.EntityCount; e++)
        {
            var rows = layout.StepsOf(e).ToArray();
            output.WriteLine($"{synthetic["ticker"].FormatValue(rows[0])}: {rows.Length} steps, {synthetic["date"].FormatValue(rows[0])} .. {synthetic["date"].FormatValue(rows[^1])}, close {synthetic["close"].FormatValue(rows[0])} .. {synthetic["close"].FormatValue(rows[^1])}");
            for (int k = 0; k < Math.Min(8, rows.Length); k++)
                output.WriteLine("   " + string.Join(", ", synthetic.Columns.Select(c => c.FormatValue(rows[k]))));
        }
    }

    [Fact]
    public void Purchase_histories_come_out_per_customer()
    {
        var (table, schema) = Purchases();
        var warnings = new List<string>();
        var started = DateTime.UtcNow;
        var model = SequenceSynthesizer.Fit(table, schema, new SequenceOptions { Seed = 1, Warning = warnings.Add });
        var fitted = DateTime.UtcNow;
        foreach (var w in warnings) output.WriteLine(w);
        var synthetic = model.Sample(23_570, seed: 2);
        output.WriteLine($"fit {(fitted - started).TotalSeconds:F1} s, sample {(DateTime.UtcNow - fitted).TotalSeconds:F1} s, {synthetic.RowCount} rows");
        var layout = SequenceLayout.Of(synthetic, schema.Sequence!);
        for (int e = 0; e < 5; e++)
            foreach (int r in layout.StepsOf(e)) output.WriteLine("   " + string.Join(", ", synthetic.Columns.Select(c => c.FormatValue(r))));
    }
}
