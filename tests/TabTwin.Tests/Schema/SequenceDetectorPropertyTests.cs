using CsCheck;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Schema;

/// <summary>
/// Properties of sequence detection over random long tables (fixed CsCheck seed): whatever it proposes is accepted by the
/// layout and the metadata validation that fitting runs, with the same context; and the proposal does not depend on the
/// order the rows come in (unsorted input is the norm).
/// </summary>
public sealed class SequenceDetectorPropertyTests
{
    /// <summary>Entities with 1..12 steps each on a calendar of 3..60 days (so same-day steps and shared days vary), a
    /// segment constant per entity, an amount per step, and a seed for shuffling the rows.</summary>
    private static readonly Gen<(int Days, (int Segment, (int Day, double Amount)[] Steps)[] Entities, int Shuffle)> Tables =
        Gen.Select(Gen.Int[3, 60], Gen.Select(Gen.Int[0, 2], Gen.Select(Gen.Int[0, 59], Gen.Double[0, 100]).Array[1, 12]).Array[2, 30], Gen.Int);

    private static Table Build(int days, (int Segment, (int Day, double Amount)[] Steps)[] entities, int[]? order = null)
    {
        var rows = entities.SelectMany((e, i) => e.Steps.Select(s => (Id: $"c{i}", e.Segment, Day: s.Day % days, s.Amount))).ToArray();
        if (order is not null) rows = order.Select(i => rows[i]).ToArray();
        var start = new DateTime(2020, 1, 1);
        return new Table([
            CategoricalColumn.FromStrings("customer_id", rows.Select(r => (string?)r.Id).ToArray()),
            new DateTimeColumn("date", rows.Select(r => start.AddDays(r.Day).Ticks).ToArray(), format: "yyyy-MM-dd"),
            CategoricalColumn.FromStrings("segment", rows.Select(r => (string?)("s" + r.Segment)).ToArray()),
            new NumericColumn("amount", rows.Select(r => Math.Round(r.Amount, 2)).ToArray()),
        ]);
    }

    [Fact]
    public void A_proposal_is_accepted_by_the_layout_and_validation_and_does_not_depend_on_row_order()
    {
        int proposed = 0, total = 0;
        Tables.Sample(t =>
        {
            total++;
            var table = Build(t.Days, t.Entities);
            var random = new Random(t.Shuffle);
            var shuffled = Build(t.Days, t.Entities, Enumerable.Range(0, table.RowCount).OrderBy(_ => random.Next()).ToArray());
            var p = SequenceDetector.Propose(table);
            var q = SequenceDetector.Propose(shuffled);
            Assert.Equal(p?.Spec.Entity, q?.Spec.Entity);
            Assert.Equal(p?.Spec.Order, q?.Spec.Order);
            Assert.Equal(p?.Spec.Context, q?.Spec.Context);
            Assert.Equal(p?.Reason, q?.Reason);
            if (p is null) return;
            proposed++;
            Assert.Equal(("customer_id", "date"), (p.Spec.Entity, p.Spec.Order));
            Assert.Contains("segment", p.Spec.Context!);
            var layout = SequenceLayout.Of(shuffled, p.Spec);
            Assert.Equal(p.Spec.Context, layout.Context);
            (SchemaDetector.Detect(shuffled) with { Sequence = p.Spec }).Validate(shuffled);
        }, seed: "0SeqDetect42", iter: 200, threads: 1);
        // The generator must exercise both outcomes for the property to mean anything.
        Assert.InRange(proposed, 1, total - 1);
    }
}
