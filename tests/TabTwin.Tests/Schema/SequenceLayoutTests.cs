using CsCheck;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Schema;

/// <summary>
/// <see cref="SequenceLayout"/> on the bad input issue 17 lists: unsorted rows (sorted, not refused), same-time steps
/// (kept in input order), a context column that varies (refused naming entity, column and row), single-step entities,
/// a 100,000-step entity and missing entity or order values (refused naming the row); then a property over random tables.
/// </summary>
public sealed class SequenceLayoutTests
{
    private static readonly SequenceSpec Customers = new() { Entity = "customer_id", Order = "date" };
    private static Table Cdnow => CsvTestTables.Load("cdnow", "cdnow_master.csv");

    /// <summary>The table's rows in reverse order: every history arrives newest first.</summary>
    private static Table Reversed(Table t) => t.Take(Enumerable.Range(0, t.RowCount).Reverse().ToArray());

    /// <summary>Each entity's steps as (entity, order key) in layout order, entity after entity.</summary>
    private static List<(string Entity, double Key)> Histories(Table t, SequenceLayout layout)
    {
        var keys = SequenceLayout.OrderKeys(t[layout.Spec.Order]);
        var entity = t[layout.Spec.Entity];
        var list = new List<(string, double)>();
        for (int e = 0; e < layout.EntityCount; e++)
            foreach (int row in layout.StepsOf(e)) list.Add((entity.FormatValue(row)!, keys[row]));
        return list;
    }

    [Fact]
    public void Unsorted_input_is_sorted_into_the_same_histories_and_same_time_steps_keep_their_input_order()
    {
        var table = Cdnow;
        var forward = SequenceLayout.Of(table, Customers);
        var reversed = Reversed(table);
        var backward = SequenceLayout.Of(reversed, Customers);
        Assert.Equal(23_570, backward.EntityCount);
        // Same histories step by step, whichever order the rows came in (entities are listed by first appearance, so sort them).
        Assert.Equal(Histories(table, forward).Order(), Histories(reversed, backward).Order());
        var keys = SequenceLayout.OrderKeys(reversed["date"]);
        int tieGroups = 0;
        for (int e = 0; e < backward.EntityCount; e++)
        {
            var steps = backward.StepsOf(e);
            for (int k = 1; k < steps.Length; k++)
            {
                Assert.True(keys[steps[k - 1]] <= keys[steps[k]], "steps out of order");
                // cdnow's same-day purchases: the earlier row of the (reversed) input comes first.
                if (keys[steps[k - 1]] == keys[steps[k]]) { Assert.True(steps[k - 1] < steps[k]); tieGroups++; }
            }
        }
        Assert.Equal(2_068, tieGroups); // as many as the steps sharing a day with an earlier one (see SequenceDetectorTests)
    }

    [Fact]
    public void Single_step_entities_are_histories_of_length_one()
    {
        var table = Cdnow;
        var layout = SequenceLayout.Of(table, Customers);
        var byCustomer = Enumerable.Range(0, table.RowCount).GroupBy(i => table["customer_id"].FormatValue(i)).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(byCustomer.Count(kv => kv.Value == 1), Enumerable.Range(0, layout.EntityCount).Count(e => layout.LengthOf(e) == 1));
        Assert.True(byCustomer.Count(kv => kv.Value == 1) > 10_000); // most customers bought once
        // A table of single steps only: nothing can be shown constant within an entity, so nothing is context.
        var firsts = table.Take(Enumerable.Range(0, layout.EntityCount).Select(e => layout.StepsOf(e)[0]).ToArray());
        var singles = SequenceLayout.Of(firsts, Customers);
        Assert.All(Enumerable.Range(0, singles.EntityCount), e => Assert.Equal(1, singles.LengthOf(e)));
        Assert.Empty(singles.Context);
        Assert.Equal(["quantity", "amount"], singles.StepColumns);
    }

    [Fact]
    public void A_context_column_that_varies_within_an_entity_is_refused_naming_the_entity_column_and_row()
    {
        var table = Cdnow;
        var e = Assert.Throws<SchemaException>(() => SequenceLayout.Of(table, Customers with { Context = ["quantity"] }, "cdnow.csv"));
        Assert.Equal("sequence.context-varies", e.Code);
        Assert.Equal("quantity", e.Column);
        Assert.Equal("cdnow.csv", e.File);
        int row = (int)e.Row!.Value - 1;
        string customer = table["customer_id"].FormatValue(row)!;
        Assert.Contains($"Context column 'quantity' must be constant within each entity, but entity '{customer}' has both", e.Message);
        Assert.Contains($"(row {row + 1})", e.Message);
        // The named row really differs from that customer's first purchase.
        int first = Enumerable.Range(0, table.RowCount).First(i => table["customer_id"].FormatValue(i) == customer);
        Assert.NotEqual(table["quantity"].FormatValue(first), table["quantity"].FormatValue(row));
    }

    [Fact]
    public void A_100000_step_entity_is_sorted_and_a_100000_step_tie_keeps_input_order()
    {
        const int n = 100_000;
        var start = new DateTime(2000, 1, 1).Ticks;
        // One sensor read every minute, delivered newest first, beside two short histories; then the same with one timestamp.
        var entity = Enumerable.Range(0, n + 4).Select(i => (string?)(i < n ? "long" : i < n + 2 ? "a" : "b")).ToArray();
        var ticks = Enumerable.Range(0, n + 4).Select(i => start + (i < n ? n - i : i % 2) * TimeSpan.TicksPerMinute).ToArray();
        var table = new Table([CategoricalColumn.FromStrings("sensor", entity), new DateTimeColumn("time", ticks), new NumericColumn("reading", ticks.Select(t => (double)(t % 97)).ToArray())]);
        var layout = SequenceLayout.Of(table, new SequenceSpec { Entity = "sensor", Order = "time" });
        Assert.Equal([n, 2, 2], Enumerable.Range(0, 3).Select(layout.LengthOf));
        Assert.Equal(Enumerable.Range(0, n).Reverse(), layout.StepsOf(0).ToArray());

        var tied = new Table([CategoricalColumn.FromStrings("sensor", entity), new DateTimeColumn("time", ticks.Select(_ => start).ToArray())]);
        var same = SequenceLayout.Of(tied, new SequenceSpec { Entity = "sensor", Order = "time" });
        Assert.Equal(Enumerable.Range(0, n), same.StepsOf(0).ToArray());
    }

    [Fact]
    public void Missing_entity_or_order_values_are_refused_naming_the_row()
    {
        var table = Cdnow;
        var ids = Enumerable.Range(0, table.RowCount).Select(i => i == 41 ? null : table["customer_id"].FormatValue(i)).ToArray();
        var noEntity = table.WithColumn(CategoricalColumn.FromStrings("customer_id", ids));
        var e = Assert.Throws<SchemaException>(() => SequenceLayout.Of(noEntity, Customers));
        Assert.Equal(("sequence.missing-entity", "customer_id", 42L), (e.Code, e.Column, e.Row));
        Assert.Contains("is empty at row 42", e.Message);

        var dates = (DateTimeColumn)table["date"];
        var missing = new Bitmask.Builder(table.RowCount);
        missing.Set(69_000);
        var noDate = table.WithColumn(new DateTimeColumn("date", dates.Ticks.ToArray(), missing.Build(), dates.Format));
        var o = Assert.Throws<SchemaException>(() => SequenceLayout.Of(noDate, Customers));
        Assert.Equal(("sequence.missing-order", "date", 69_001L), (o.Code, o.Column, o.Row));
    }

    /// <summary>A random long table: up to 8 entities, 1..40 rows in random order, order keys 0..5 so ties are common.</summary>
    private static readonly Gen<(int Entity, int Key)[]> Rows = Gen.Select(Gen.Int[0, 7], Gen.Int[0, 5]).Array[1, 40];

    [Fact]
    public void Property_layout_rows_are_a_permutation_each_history_is_ordered_and_ties_keep_input_order()
    {
        Rows.Sample(rows =>
        {
            var table = new Table([
                CategoricalColumn.FromStrings("entity", rows.Select(r => (string?)("e" + r.Entity)).ToArray()),
                new NumericColumn("step", rows.Select(r => (double)r.Key).ToArray()),
            ]);
            var layout = SequenceLayout.Of(table, new SequenceSpec { Entity = "entity", Order = "step" });
            Assert.Equal(Enumerable.Range(0, rows.Length), layout.Rows.ToArray().Order());
            // Entities by first appearance; each one's steps are its rows sorted by key, then by input position (stable).
            var expected = rows.Select((r, i) => (r, i)).GroupBy(x => x.r.Entity)
                .Select(g => g.OrderBy(x => x.r.Key).ThenBy(x => x.i).Select(x => x.i).ToArray()).ToArray();
            Assert.Equal(expected.Length, layout.EntityCount);
            for (int e = 0; e < expected.Length; e++) Assert.Equal(expected[e], layout.StepsOf(e).ToArray());
        }, seed: "0SeqLayout17", iter: 300, threads: 1);
    }
}
