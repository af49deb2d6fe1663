using CsCheck;
using TabTwin.Evaluation.Sequences;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Evaluation.Sequences;

/// <summary>Properties of the sequence metrics on random small sequence tables (fixed CsCheck seeds).</summary>
public sealed class SequenceEvaluationPropertyTests
{
    /// <summary>One random entity: its steps as (gap to the previous step, value, event) with gaps 0..3 (repeated order values included).</summary>
    private static readonly Gen<(int Gap, double Value, int Event)[]> Entity =
        Gen.Select(Gen.Int[0, 3], Gen.Double[-50, 50].Select(v => Math.Round(v, 2)), Gen.Int[0, 3]).Array[1, 12];

    private static readonly TableSchema Schema = new()
    {
        Columns =
        [
            new ColumnSchema { Name = "entity", Kind = ColumnKind.Id },
            new ColumnSchema { Name = "step", Kind = ColumnKind.Numerical },
            new ColumnSchema { Name = "value", Kind = ColumnKind.Numerical },
            new ColumnSchema { Name = "event", Kind = ColumnKind.Categorical },
        ],
        Sequence = new SequenceSpec { Entity = "entity", Order = "step" },
    };

    /// <summary>The entities as a long table, rows in reverse order (the layout must sort them back).</summary>
    private static Table ToTable((int Gap, double Value, int Event)[][] entities)
    {
        var rows = entities.SelectMany((steps, e) =>
        {
            double at = 0;
            return steps.Select(s => (Entity: "e" + e, Step: at += s.Gap, s.Value, Event: "ev" + s.Event)).ToArray();
        }).Reverse().ToArray();
        return new Table([
            CategoricalColumn.FromStrings("entity", rows.Select(r => (string?)r.Entity).ToArray()),
            new NumericColumn("step", rows.Select(r => r.Step).ToArray()),
            new NumericColumn("value", rows.Select(r => r.Value).ToArray()),
            CategoricalColumn.FromStrings("event", rows.Select(r => (string?)r.Event).ToArray()),
        ]);
    }

    private static readonly SequenceEvaluationOptions Fast = new() { Seed = 7, MaxPredictionRows = 0 };

    [Fact]
    public void A_table_evaluated_against_itself_scores_perfectly_on_every_distribution_and_dynamics_metric()
    {
        Entity.Array[1, 30].Sample(entities =>
        {
            var table = ToTable(entities);
            var r = SequenceEvaluation.Evaluate(table, table, Schema, Fast);
            Assert.Equal(0, r.LengthKs);
            Assert.True(double.IsNaN(r.GapKs) || r.GapKs == 0);
            Assert.Equal(r.RealRepeatedOrderShare, r.SyntheticRepeatedOrderShare);
            int gaps = entities.Sum(e => e.Length - 1), zeroGaps = entities.Sum(e => e.Skip(1).Count(s => s.Gap == 0));
            Assert.Equal(gaps == 0 ? double.NaN : zeroGaps / (double)gaps, r.RealRepeatedOrderShare, 12);
            Assert.True(double.IsNaN(r.AutocorrelationError) || r.AutocorrelationError == 0);
            Assert.True(double.IsNaN(r.TransitionDistance) || Math.Abs(r.TransitionDistance) < 1e-12);
            Assert.Equal(1, r.ColumnShapes, 12);
            // Every history of ≥ 5 steps is its own copy.
            int longOnes = entities.Count(e => e.Length >= 5);
            Assert.Equal(longOnes, r.Reproduction.EntitiesWithReproducedRun);
        }, seed: "0SeqEval7Ab1", iter: 40, threads: 1);
    }

    [Fact]
    public void Reversing_every_history_keeps_lengths_and_values_but_not_the_transitions()
    {
        // Real: every entity a strict cycle ev0 → ev1 → ev2 → ev0; reversed, every transition goes the other way.
        Gen.Int[3, 12].Array[5, 20].Sample(lengths =>
        {
            var real = lengths.Select(n => Enumerable.Range(0, n).Select(t => (1, (double)t, t % 3)).ToArray()).ToArray();
            var reversed = lengths.Select(n => Enumerable.Range(0, n).Select(t => (1, (double)(n - 1 - t), (n - 1 - t) % 3)).ToArray()).ToArray();
            var r = SequenceEvaluation.Evaluate(ToTable(real), ToTable(reversed), Schema, Fast);
            Assert.Equal(0, r.LengthKs);
            Assert.Equal(1, r.ColumnShapes, 12);
            Assert.Equal(1, r.TransitionDistance, 12);
        }, seed: "0SeqEval7Ab2", iter: 20, threads: 1);
    }
}
