using CsCheck;
using TabTwin.Schema;
using TabTwin.Sequences;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Sequences;

namespace TabTwin.Tests.Contract;

/// <summary>
/// The synthesizer contract for sequences, on random long tables (fixed CsCheck seeds): whatever the table, a fit
/// leaves its input unchanged and is deterministic; a sample holds exactly the entities asked for, each history's rows
/// together and in order, no order value repeated within a history when the real data never repeats one, context constant
/// per entity, the columns and types of the input, no category fewer than five real rows hold, and the same bytes for a
/// seed on 1 and 2 threads and after a model file.
/// </summary>
public sealed class SequenceContractTests
{
    /// <summary>One random entity: a level, how it moves (0 = stationary, 1 = random walk), its segment, steps with gaps and events.</summary>
    private static readonly Gen<(double Level, int Walk, int Segment, (int Gap, double Noise, int Event)[] Steps)> Entity =
        Gen.Select(Gen.Double[5, 500], Gen.Int[0, 1], Gen.Int[0, 2],
            Gen.Select(Gen.Int[1, 4], Gen.Double[-1, 1], Gen.Int[0, 5]).Array[1, 25]);

    private static (Table Table, TableSchema Schema) ToTable((double Level, int Walk, int Segment, (int Gap, double Noise, int Event)[] Steps)[] entities, bool dates)
    {
        var rows = new List<(string Entity, double Order, double Value, string Event, string Segment)>();
        for (int e = 0; e < entities.Length; e++)
        {
            var (level, walk, segment, steps) = entities[e];
            double at = 0, value = level;
            foreach (var (gap, noise, ev) in steps)
            {
                at += gap;
                value = walk == 1 ? Math.Max(0.01, value * (1 + noise / 20)) : level + noise * level / 10;
                rows.Add(($"E{e:D3}", at, Math.Round(value, 2), "ev" + ev % (segment + 2), "seg" + segment));
            }
        }
        // Rows shuffled by a fixed permutation: the synthesizer must sort histories itself.
        var shuffled = rows.Select((r, i) => (r, Key: (i * 7919) % rows.Count + i / (double)rows.Count)).OrderBy(x => x.Key).Select(x => x.r).ToArray();
        Column order = dates
            ? new DateTimeColumn("when", [.. shuffled.Select(r => new DateTime(2020, 1, 1).AddDays(r.Order).Ticks)], format: "yyyy-MM-dd")
            : new NumericColumn("when", [.. shuffled.Select(r => r.Order)], isInteger: true);
        var table = new Table([
            CategoricalColumn.FromStrings("id", [.. shuffled.Select(r => (string?)r.Entity)]), order,
            new NumericColumn("value", [.. shuffled.Select(r => r.Value)], decimalPlaces: 2),
            CategoricalColumn.FromStrings("event", [.. shuffled.Select(r => (string?)r.Event)]),
            CategoricalColumn.FromStrings("segment", [.. shuffled.Select(r => (string?)r.Segment)]),
        ]);
        var schema = new TableSchema
        {
            Columns =
            [
                new ColumnSchema { Name = "id", Kind = ColumnKind.Id }, new ColumnSchema { Name = "when", Kind = dates ? ColumnKind.Datetime : ColumnKind.Numerical },
                new ColumnSchema { Name = "value", Kind = ColumnKind.Numerical }, new ColumnSchema { Name = "event", Kind = ColumnKind.Categorical },
                new ColumnSchema { Name = "segment", Kind = ColumnKind.Categorical },
            ],
            Sequence = new SequenceSpec { Entity = "id", Order = "when", Context = ["segment"] },
        };
        return (table, schema);
    }

    [Fact]
    public void Random_sequence_tables_fit_and_sample_within_the_contract()
    {
        Gen.Select(Entity.Array[12, 40], Gen.Bool, Gen.Int[1, 30]).Sample((entities, dates, wanted) =>
        {
            var (table, schema) = ToTable(entities, dates);
            string before = SequenceSynthesizerTests.Csv(table);
            var model = SequenceSynthesizer.Fit(table, schema, new SequenceOptions { Seed = 4 });
            Assert.Equal(before, SequenceSynthesizerTests.Csv(table));
            var sample = model.Sample(wanted, seed: 9, new SampleContext { MaxThreads = 1 });
            Assert.Equal(SequenceSynthesizerTests.Csv(sample), SequenceSynthesizerTests.Csv(model.Sample(wanted, seed: 9, new SampleContext { MaxThreads = 2 })));
            Assert.Equal(SequenceSynthesizerTests.Csv(sample), SequenceSynthesizerTests.Csv(SequenceSynthesizer.Fit(table, schema, new SequenceOptions { Seed = 4 }).Sample(wanted, seed: 9)));
            Assert.Equal(table.ColumnNames, sample.ColumnNames);
            Assert.Equal(table.Columns.Select(c => c.Type), sample.Columns.Select(c => c.Type));

            var layout = SequenceLayout.Of(sample, schema.Sequence!);
            Assert.Equal(wanted, layout.EntityCount);
            var keys = SequenceLayout.OrderKeys(sample["when"]);
            var ids = sample["id"];
            for (int e = 0; e < layout.EntityCount; e++)
            {
                var steps = layout.StepsOf(e);
                for (int k = 1; k < steps.Length; k++)
                {
                    Assert.Equal(steps[k - 1] + 1, steps[k]); // each history's rows together, in order
                    Assert.True(keys[steps[k]] > keys[steps[k - 1]], "the real histories never repeat an order value, so no synthetic one may");
                    Assert.Equal(sample["segment"].FormatValue(steps[0]), sample["segment"].FormatValue(steps[k]));
                }
            }
            // No real value fewer than five rows hold is emitted. A column whose every value is rare (a few entities' first
            // steps) is emitted as new, never-seen values in the real values' shape (the encoding's rare rule): those hold 0.
            var realCounts = Enumerable.Range(0, table.RowCount).GroupBy(i => table["event"].FormatValue(i)).ToDictionary(g => g.Key!, g => g.Count());
            for (int i = 0; i < sample.RowCount; i++)
                if (sample["event"].FormatValue(i) is { } ev && realCounts.GetValueOrDefault(ev) is > 0 and < 5)
                    Assert.Fail($"row {i}: event '{ev}', which {realCounts[ev]} real rows hold");
            var values = sample.Get<NumericColumn>("value");
            for (int i = 0; i < values.Length; i++) Assert.True(values.IsMissing(i) || double.IsFinite(values[i]));
        }, seed: "2Dq3fc6BZBn1", iter: 20, threads: 1);
    }
}
