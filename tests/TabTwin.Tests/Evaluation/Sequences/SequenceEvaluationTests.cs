using TabTwin.Evaluation.Sequences;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Evaluation.Sequences;

/// <summary>
/// The sequence metrics on the in-repo sequence tables: real entities the "synthesizer" never saw (a held-out split)
/// score well, a flat row-by-row shuffle that keeps every column's values but no history scores badly, and copied
/// histories are counted.
/// </summary>
public sealed class SequenceEvaluationTests
{
    private static readonly SequenceEvaluationOptions Options = new() { Seed = 1 };

    [Fact]
    public void Sp500_other_tickers_keep_the_price_dynamics_a_flat_shuffle_loses()
    {
        var (table, schema) = SequenceTables.Sp500;
        var (first, second) = SequenceTables.SplitEntities(table, schema.Sequence!, 3);
        var holdout = SequenceEvaluation.Evaluate(first, second, schema, Options);
        // Every stock's price is a near random walk (lag-1 autocorrelation ≈ 0.99) and trades on the same calendar.
        Assert.InRange(holdout.Lag1AutocorrelationError, 0, 0.05);
        Assert.InRange(holdout.AutocorrelationError, 0, 0.10);
        Assert.InRange(holdout.GapKs, 0, 0.02);
        Assert.Equal(0, holdout.Reproduction.EntitiesWithReproducedRun);
        // Five stocks against five others differ in price level (AUC ≈ 0.98), much less in how prices move.
        Assert.InRange(holdout.DynamicsDiscrimination!.Auc, 0.5, 0.85);

        var flat = SequenceEvaluation.Evaluate(table, SequenceTables.Flat(table, "ticker", 5), schema, Options);
        Assert.Equal(1, flat.ColumnShapes, 6);  // the flat shuffle keeps every column's values...
        Assert.Equal(0, flat.LengthKs);         // ...and every ticker's length,
        Assert.InRange(flat.AutocorrelationError, 0.8, 2); // but no history: shuffled prices do not follow each other
        Assert.InRange(flat.GapKs, 0.2, 1);
        Assert.Equal(0, flat.RealRepeatedOrderShare);                // a stock trades once a day;
        Assert.InRange(flat.SyntheticRepeatedOrderShare, 0.2, 0.6);  // dates drawn from all ten stocks' rows repeat
        Assert.InRange(flat.Discrimination!.Auc, 0.95, 1);
        Assert.InRange(flat.DynamicsDiscrimination!.Auc, 0.95, 1);
        var close = flat.Returns.Single(r => r.Column == "close");
        Assert.InRange(close.RealReturnLag1, -0.1, 0.1);           // real returns are unpredictable,
        Assert.InRange(close.RealAbsoluteReturnLag1, 0.1, 0.4);     // their size clusters (volatility clustering);
        Assert.InRange(close.SyntheticReturnLag1, -0.6, -0.3);      // returns between shuffled prices mean-revert
        Assert.InRange(flat.PredictiveRatio, 0, 0.8);
    }

    [Fact]
    public void Cdnow_held_out_customers_cannot_be_told_apart_shuffled_histories_can()
    {
        var (table, schema) = SequenceTables.CustomerPurchases;
        var (training, rest) = SequenceTables.SplitEntities(table, schema.Sequence!, 3);
        var (holdout, unseen) = SequenceTables.SplitEntities(rest, schema.Sequence!, 4);
        var good = SequenceEvaluation.Evaluate(training, unseen, schema, Options with { Holdout = holdout });
        Assert.InRange(good.LengthKs, 0, 0.03);
        Assert.InRange(good.GapKs, 0, 0.03);
        Assert.InRange(good.ColumnShapes, 0.97, 1);
        Assert.InRange(good.Discrimination!.Auc, 0.4, 0.6);
        Assert.InRange(good.PredictiveRatio, 0.9, 1.1);
        Assert.InRange(good.EntityDcrShare!.Value, 0.45, 0.55); // unseen customers sit no nearer training than holdout ones
        Assert.Equal(0, good.Reproduction.ReproducedSequences);

        var flat = SequenceEvaluation.Evaluate(table, SequenceTables.Flat(table, "customer_id", 5), schema, Options);
        Assert.Equal(0, flat.LengthKs);
        Assert.InRange(flat.Discrimination!.Auc, 0.9, 1);
    }

    [Fact]
    public void A_real_history_copied_under_a_new_id_and_moved_in_time_is_counted()
    {
        var (table, schema) = SequenceTables.Sp500;
        var (first, second) = SequenceTables.SplitEntities(table, schema.Sequence!, 3);
        var layout = SequenceLayout.Of(first, schema.Sequence!);
        var copied = first.Take(layout.StepsOf(0));
        int length = copied.RowCount;
        var ticker = CategoricalColumn.FromStrings("ticker", Enumerable.Repeat<string?>("COPY", length).ToArray());
        var dates = (DateTimeColumn)copied["date"];
        var moved = new DateTimeColumn("date", dates.Ticks.ToArray().Select(t => t + TimeSpan.FromDays(7).Ticks).ToArray(), dates.Missing, dates.Format);
        var copy = new Table(copied.Columns.Select(c => c.Name == "ticker" ? ticker : c.Name == "date" ? moved : c));
        var synthetic = Table.Concat(second, copy);

        var result = SequenceEvaluation.Evaluate(first, synthetic, schema, Options);
        Assert.Equal(1, result.Reproduction.ReproducedSequences);
        Assert.Equal(1, result.Reproduction.EntitiesWithReproducedRun);
        Assert.Equal(length - 4, result.Reproduction.ReproducedRuns); // every 5-step window of the copy

        // Changing one price in the middle breaks the whole-history match and the five windows through that step.
        var close = (NumericColumn)copy["close"];
        var values = close.Values.ToArray();
        values[length / 2] += 0.01;
        var nudged = new Table(copy.Columns.Select(c => c.Name == "close" ? new NumericColumn("close", values, close.Missing, close.IsInteger, close.DecimalPlaces) : c));
        var broken = SequenceEvaluation.Evaluate(first, Table.Concat(second, nudged), schema, Options);
        Assert.Equal(0, broken.Reproduction.ReproducedSequences);
        Assert.Equal(length - 4 - 5, broken.Reproduction.ReproducedRuns);
    }

    [Fact]
    public void Transition_distance_weighs_each_state_by_how_often_the_real_data_leaves_it()
    {
        // Real: A B A B (A→B twice, B→A once). Synthetic: A A B B (A→A, A→B, B→B).
        // From A: real {B: 1}, synthetic {A: ½, B: ½} → TV ½, weight ⅔. From B: real {A: 1}, synthetic {B: 1} → TV 1, weight ⅓.
        var score = SequenceDynamics.TransitionDistance("event", [[0, 1, 0, 1]], [[0, 0, 1, 1]], 2);
        Assert.Equal(2.0 / 3, score.Distance, 12);
        Assert.Equal(3, score.RealTransitions);
        Assert.Equal(0, SequenceDynamics.TransitionDistance("event", [[0, 1, 0, 1]], [[1, 0, 1, 0, 1]], 2).Distance, 12);
        // A state the synthetic data never leaves counts as fully different.
        Assert.Equal(1, SequenceDynamics.TransitionDistance("event", [[0, 1, 0, 1]], [[0], [1]], 2).Distance, 12);
    }

    [Fact]
    public void The_same_seed_gives_the_same_result()
    {
        var (table, schema) = SequenceTables.Sp500;
        var flat = SequenceTables.Flat(table, "ticker", 5);
        var a = SequenceEvaluation.Evaluate(table, flat, schema, Options with { MaxThreads = 1 });
        var b = SequenceEvaluation.Evaluate(table, flat, schema, Options with { MaxThreads = 2 });
        Assert.Equal(a.Discrimination!.FoldAucs, b.Discrimination!.FoldAucs);
        Assert.Equal(a.Predictive.Select(p => p.Ratio), b.Predictive.Select(p => p.Ratio));
        Assert.Equal(a.AutocorrelationError, b.AutocorrelationError);
    }

    [Fact]
    public void Degenerate_synthetic_tables_give_undefined_metrics_with_reasons_not_crashes()
    {
        var (table, schema) = SequenceTables.CustomerPurchases;
        var real = table.Head(3000);
        // No synthetic rows at all.
        var empty = SequenceEvaluation.Evaluate(real, real.Take([]), schema, Options);
        Assert.Equal(0, empty.SyntheticEntities);
        Assert.True(double.IsNaN(empty.LengthKs));
        Assert.Null(empty.Discrimination);
        Assert.Contains("per side", empty.DiscriminationSkipped);
        Assert.Empty(empty.Predictive);
        Assert.NotNull(empty.PredictiveSkipped);
        // Only single-step histories: no gaps, no autocorrelation, no transitions to predict — but lengths and shapes are defined.
        var firsts = real.Take(SequenceLayout.Of(real, schema.Sequence!) is var layout ? Enumerable.Range(0, layout.EntityCount).Select(e => layout.StepsOf(e)[0]).ToArray() : []);
        var single = SequenceEvaluation.Evaluate(real, firsts, schema, Options);
        Assert.True(double.IsNaN(single.GapKs));
        Assert.InRange(single.LengthKs, 0.3, 1);
        Assert.InRange(single.ColumnShapes, 0.5, 1);
        Assert.True(single.Autocorrelations.All(a => a.Synthetic.All(double.IsNaN)));
        // Half the real customers bought more than once, which gives them away (an AUC of about 0.5 + ½ · their share).
        Assert.InRange(single.Discrimination!.Auc, 0.65, 1);
    }

    [Fact]
    public void A_synthetic_table_without_a_step_column_is_refused_naming_it()
    {
        var (table, schema) = SequenceTables.CustomerPurchases;
        var real = table.Head(2000);
        var e = Assert.Throws<SchemaException>(() => SequenceEvaluation.Evaluate(real, real.Without("amount"), schema, Options));
        Assert.Equal("sequence.missing-column", e.Code);
        Assert.Contains("'amount'", e.Message);
    }
}
