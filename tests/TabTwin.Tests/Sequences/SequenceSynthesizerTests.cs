using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Sequences;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using Xunit;

namespace TabTwin.Tests.Sequences;

/// <summary>The sequence synthesizer on real histories: daily prices of 10 stocks (sp500_stocks) and 23,570 customers' purchases (cdnow).</summary>
public class SequenceSynthesizerTests
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

    internal static string Csv(Table table)
    {
        using var stream = new MemoryStream();
        CsvTableWriter.Write(table, stream, ',');
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void Histories_come_out_whole_in_order_and_the_same_for_a_seed_on_any_thread_count_and_after_a_model_file()
    {
        var (table, schema) = Purchases();
        var model = SequenceSynthesizer.Fit(table, schema, new SequenceOptions { Seed = 1 });
        var one = model.Sample(3_000, seed: 5, new SampleContext { MaxThreads = 1 });
        var two = model.Sample(3_000, seed: 5, new SampleContext { MaxThreads = 2 });
        Assert.Equal(Csv(one), Csv(two));
        Assert.NotEqual(Csv(one), Csv(model.Sample(3_000, seed: 6)));
        Assert.Equal(table.ColumnNames, one.ColumnNames);

        // Each entity's rows are together, dates never go back, and every id is new per entity.
        var ids = one["customer_id"];
        var dates = one.Get<DateTimeColumn>("date");
        var seen = new HashSet<string>();
        for (int i = 0; i < one.RowCount; i++)
        {
            bool same = i > 0 && ids.FormatValue(i) == ids.FormatValue(i - 1);
            if (same) Assert.True(dates.Ticks[i] >= dates.Ticks[i - 1], $"row {i}: the history goes back in time");
            else Assert.True(seen.Add(ids.FormatValue(i)!), $"row {i}: entity {ids.FormatValue(i)} appears in two places");
        }
        Assert.Equal(3_000, seen.Count);

        var path = Path.Combine(Path.GetTempPath(), $"tabtwin-seq-{Guid.NewGuid():N}.tabtwin");
        try
        {
            model.Save(path);
            Assert.Equal(Csv(one), Csv(SequenceModel.Load(path).Sample(3_000, seed: 5)));
            var bytes = File.ReadAllBytes(path);
            bytes[bytes.Length / 2] ^= 0x55;
            File.WriteAllBytes(path, bytes);
            Assert.ThrowsAny<TabTwinException>(() => SequenceModel.Load(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Real_histories_are_continued_from_where_they_stop()
    {
        var (table, schema) = Stocks();
        var model = SequenceSynthesizer.Fit(table, schema, new SequenceOptions { Seed = 1 });
        // The last 60 trading days of every ticker, continued for 30 more.
        var layout = SequenceLayout.Of(table, schema.Sequence!);
        var rows = Enumerable.Range(0, layout.EntityCount).SelectMany(e => layout.StepsOf(e).ToArray()[^Math.Min(60, layout.LengthOf(e))..]).ToArray();
        var history = table.Take(rows);
        var next = model.Continue(history, 30, seed: 4);
        Assert.Equal(layout.EntityCount * 30, next.RowCount);
        var lastDate = new Dictionary<string, long>();
        var lastClose = new Dictionary<string, double>();
        var hd = history.Get<DateTimeColumn>("date");
        var hc = history.Get<NumericColumn>("close");
        for (int i = 0; i < history.RowCount; i++) { lastDate[history["ticker"].FormatValue(i)!] = hd.Ticks[i]; lastClose[history["ticker"].FormatValue(i)!] = hc[i]; }
        var dates = next.Get<DateTimeColumn>("date");
        var open = next.Get<NumericColumn>("open");
        for (int i = 0; i < next.RowCount; i++)
        {
            var ticker = next["ticker"].FormatValue(i)!;
            Assert.True(lastDate.ContainsKey(ticker), $"row {i}: ticker {ticker} is not one of the history's");
            Assert.True(dates.Ticks[i] > lastDate[ticker], $"row {i}: {ticker}'s continuation starts before its history ends");
            if (i == 0 || next["ticker"].FormatValue(i - 1) != ticker)
                Assert.InRange(open[i] / lastClose[ticker], 0.8, 1.25); // the next open is near the last close
        }
    }

    [Fact]
    public void Histories_are_drawn_for_given_contexts()
    {
        // A context column: the month of each customer's first purchase (constant within the customer, as a cohort is).
        var (table, schema) = Purchases();
        var layout = SequenceLayout.Of(table, schema.Sequence!);
        var cohort = new string?[table.RowCount];
        var dates = table.Get<DateTimeColumn>("date");
        for (int e = 0; e < layout.EntityCount; e++)
        {
            var month = dates.DateTimeAt(layout.StepsOf(e)[0]).ToString("yyyy-MM");
            foreach (int r in layout.StepsOf(e)) cohort[r] = month;
        }
        var withCohort = new Table([.. table.Columns, CategoricalColumn.FromStrings("cohort", cohort)]);
        var cohortSchema = SchemaDetector.Detect(withCohort) with { Sequence = new SequenceSpec { Entity = "customer_id", Order = "date", Context = ["cohort"] } };
        var model = SequenceSynthesizer.Fit(withCohort, cohortSchema, new SequenceOptions { Seed = 1 });
        Assert.Equal(["cohort"], model.Context);
        var contexts = new Table([CategoricalColumn.FromStrings("cohort", [.. Enumerable.Repeat("1997-03", 200)])]);
        var drawn = model.SampleFor(contexts, seed: 2);
        Assert.Equal(200, SequenceLayout.Of(drawn, cohortSchema.Sequence!).EntityCount);
        Assert.All(Enumerable.Range(0, drawn.RowCount), i => Assert.Equal("1997-03", drawn["cohort"].FormatValue(i)));
        // The first purchase falls in the cohort's month for nearly every drawn customer, as it does by definition in the data.
        var first = SequenceLayout.Of(drawn, cohortSchema.Sequence!);
        var drawnDates = drawn.Get<DateTimeColumn>("date");
        int inMonth = Enumerable.Range(0, first.EntityCount).Count(e => drawnDates.DateTimeAt(first.StepsOf(e)[0]).ToString("yyyy-MM") == "1997-03");
        Assert.True(inMonth >= 180, $"{inMonth} of 200 first purchases fall in the given cohort's month");
    }

    [Fact]
    public void A_table_without_a_sequence_or_with_too_few_entities_is_refused_with_the_reason()
    {
        var (table, schema) = Stocks();
        var none = Assert.Throws<SchemaException>(() => SequenceSynthesizer.Fit(table, schema with { Sequence = null }));
        Assert.Equal("sequence.not-declared", none.Code);
        var layout = SequenceLayout.Of(table, schema.Sequence!);
        var few = table.Take([.. Enumerable.Range(0, 4).SelectMany(e => layout.StepsOf(e).ToArray())]);
        var small = Assert.Throws<SchemaException>(() => SequenceSynthesizer.Fit(few, schema));
        Assert.Equal("table.too-small", small.Code);
        Assert.Contains("4 entities", small.Message);
    }

    [Fact]
    public void A_hundred_thousand_step_history_among_short_ones_is_learned_and_continued()
    {
        // Sensor-like readings: one entity of 100,000 steps, eleven of 60; a mean-reverting level per entity.
        var ids = new List<string?>();
        var steps = new List<double>();
        var values = new List<double>();
        var random = new Random(3);
        for (int e = 0; e < 12; e++)
        {
            int length = e == 0 ? 100_000 : 60;
            double level = 20 + e;
            for (int t = 0; t < length; t++)
            {
                level = 0.9 * level + 0.1 * (20 + e) + random.NextDouble() - 0.5;
                ids.Add($"S{e:D2}"); steps.Add(t); values.Add(Math.Round(level, 3));
            }
        }
        var table = new Table([CategoricalColumn.FromStrings("sensor", [.. ids]), new NumericColumn("t", [.. steps], isInteger: true), new NumericColumn("reading", [.. values], decimalPlaces: 3)]);
        var schema = SchemaDetector.Detect(table) with { Sequence = new SequenceSpec { Entity = "sensor", Order = "t" } };
        var model = SequenceSynthesizer.Fit(table, schema, new SequenceOptions { Seed = 1 });
        var sample = model.Sample(12, seed: 2);
        Assert.Equal(12, SequenceLayout.Of(sample, schema.Sequence!).EntityCount);
        var next = model.Continue(table.Take([.. Enumerable.Range(0, 100_000)]), 5, seed: 3);
        Assert.Equal(5, next.RowCount);
        Assert.Equal([100_000d, 100_001, 100_002, 100_003, 100_004], Enumerable.Range(0, 5).Select(i => next.Get<NumericColumn>("t")[i]));
    }

    [Fact]
    public void A_column_empty_on_every_first_step_and_constraints_on_the_context_or_the_steps_are_handled()
    {
        // cdnow with a note column that only later purchases carry (as berka's k_symbol, empty on every account's first
        // transaction), a segment per customer with a rule tying it to the customer, and a rule pairing two step columns.
        var (table, _) = Purchases();
        var layout = SequenceLayout.Of(table, new SequenceSpec { Entity = "customer_id", Order = "date" });
        var note = new string?[table.RowCount];
        var segment = new string?[table.RowCount];
        var quantity = table.Get<NumericColumn>("quantity");
        for (int e = 0; e < layout.EntityCount; e++)
        {
            var steps = layout.StepsOf(e);
            for (int k = 0; k < steps.Length; k++)
            {
                note[steps[k]] = k == 0 ? null : quantity[steps[k]] > 1 ? "bulk" : "single";
                segment[steps[k]] = e % 3 == 0 ? "retail" : "club";
            }
        }
        var extended = new Table([.. table.Columns, CategoricalColumn.FromStrings("note", note), CategoricalColumn.FromStrings("segment", segment)]);
        var constraints = System.Text.Json.JsonDocument.Parse("""
            [ { "type": "fixed-combinations", "columns": ["customer_id", "segment"] },
              { "type": "fixed-combinations", "columns": ["note", "quantity"] } ]
            """).RootElement.Clone();
        var schema = SchemaDetector.Detect(extended) with { Sequence = new SequenceSpec { Entity = "customer_id", Order = "date", Context = ["segment"] }, Constraints = constraints };
        var warnings = new List<string>();
        var model = SequenceSynthesizer.Fit(extended, schema, new SequenceOptions { Seed = 1, Warning = warnings.Add });
        Assert.Contains(warnings, w => w.Contains("holds by construction", StringComparison.Ordinal));
        var sample = model.Sample(2_000, seed: 2);
        var drawn = SequenceLayout.Of(sample, schema.Sequence!);
        // Real notes are "bulk" exactly when more than one item is bought; the rule keeps that pairing on every drawn step.
        var q = sample.Get<NumericColumn>("quantity");
        for (int e = 0; e < drawn.EntityCount; e++)
        {
            var steps = drawn.StepsOf(e);
            Assert.Null(sample["note"].FormatValue(steps[0])); // empty on every real first step, so on every synthetic one
            foreach (int r in steps.ToArray()[1..])
                Assert.True(sample["note"].FormatValue(r) == (q[r] > 1 ? "bulk" : "single"), $"row {r}: note {sample["note"].FormatValue(r)} with quantity {q[r]}");
        }
        Assert.Contains(Enumerable.Range(0, sample.RowCount), r => sample["note"].FormatValue(r) is "bulk");

        // A rule tying the order column to a step column cannot be applied step by step: refused, naming it.
        var mixed = schema with { Constraints = System.Text.Json.JsonDocument.Parse("""[ { "type": "fixed-combinations", "columns": ["date", "note"] } ]""").RootElement.Clone() };
        var refused = Assert.Throws<SchemaException>(() => SequenceSynthesizer.Fit(extended, mixed));
        Assert.Equal("sequence.constraint", refused.Code);
        Assert.Contains("'date', the sequence's order column", refused.Message);
    }
}
