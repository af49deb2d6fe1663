using TabTwin.Evaluation.Detection;
using TabTwin.Evaluation.Utility;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Tests.GaussianCopula;
using TabTwin.Randomness;

namespace TabTwin.Tests.Evaluation;

/// <summary>TSTR utility and classifier detection: hand-computed scores, and LightGBM behaviour on planted signal and on Adult.</summary>
public sealed class UtilityDetectionTests
{
    private static readonly TableSchema Schema = new()
    {
        Columns =
        [
            new ColumnSchema { Name = "x", Kind = ColumnKind.Numerical },
            new ColumnSchema { Name = "c", Kind = ColumnKind.Categorical },
            new ColumnSchema { Name = "y", Kind = ColumnKind.Numerical },
            new ColumnSchema { Name = "label", Kind = ColumnKind.Categorical },
        ],
    };

    /// <summary>x ~ N(shift, 1), c uniform over p/q/r, y = 2x + [c = p] + N(0, .1²), label = low/mid/high by x thirds.</summary>
    private static Table Draw(int rows, ulong seed, double shift = 0)
    {
        var rng = new SeededRandom(seed);
        var x = new double[rows]; var y = new double[rows]; var c = new string?[rows]; var label = new string?[rows];
        for (int i = 0; i < rows; i++)
        {
            x[i] = shift + rng.NextGaussian();
            c[i] = "pqr"[rng.NextInt(3)].ToString();
            y[i] = 2 * x[i] + (c[i] == "p" ? 1 : 0) + 0.1 * rng.NextGaussian();
            label[i] = x[i] < -0.43 ? "low" : x[i] < 0.43 ? "mid" : "high";
        }
        return new Table([new NumericColumn("x", x), CategoricalColumn.FromStrings("c", c), new NumericColumn("y", y), CategoricalColumn.FromStrings("label", label)]);
    }

    [Fact]
    public void MacroF1_and_RSquared_match_the_hand_computation()
    {
        // Class 0: TP 1, FP 1, FN 1 → 2/4; class 1: TP 1, FP 1, FN 1 → 2/4; macro .5.
        Assert.Equal(0.5, TstrUtility.MacroF1([0, 0, 1, 1], [0, 1, 0, 1], 2), 12);
        // Class 0: TP 1, FN 1 → 2/3; class 1: TP 0, FP 1 → 0; class 2 absent on both sides: left out → 1/3.
        Assert.Equal(1 / 3.0, TstrUtility.MacroF1([0, 0], [0, 1], 3), 12);
        // y = 1,2,3, ŷ = 1,2,4: residual 1, total 2 → R² .5.
        Assert.Equal(0.5, TstrUtility.RSquared([1, 2, 3], [1, 2, 4]), 12);
    }

    [Fact]
    public void Regression_and_multiclass_tstr_learn_planted_signal()
    {
        var train = Draw(600, 1);
        var holdout = Draw(400, 2);
        var regression = TstrUtility.Compute(train, holdout, Draw(600, 3), Schema, "y");
        Assert.Equal(UtilityTask.Regression, regression.Task);
        Assert.True(regression.Real.R2 > 0.95 && regression.Synthetic.R2 > 0.95, $"R² {regression.Real.R2} / {regression.Synthetic.R2}");
        Assert.InRange(regression.Ratio, 0.97, 1.03);

        var multiclass = TstrUtility.Compute(train, holdout, Draw(600, 3), Schema, "label");
        Assert.Equal(UtilityTask.MulticlassClassification, multiclass.Task);
        Assert.True(multiclass.Real.MacroF1 > 0.9, $"macro-F1 {multiclass.Real.MacroF1}");
        Assert.True(double.IsNaN(multiclass.Real.Auc));
        // Same again: deterministic.
        Assert.Equal(multiclass, TstrUtility.Compute(train, holdout, Draw(600, 3), Schema, "label"));
    }

    [Fact]
    public void Detection_cannot_tell_equal_distributions_apart_but_spots_a_shift()
    {
        var options = new DetectionOptions { MaxRowsPerSide = 500 };
        var same = ClassifierDetection.Compute(Draw(500, 5), Draw(500, 6), Schema, options);
        Assert.InRange(same.Auc, 0.4, 0.6);
        Assert.True(same.Score > 0.8, $"score {same.Score}");
        Assert.Equal(5, same.FoldAucs.Count);

        var shifted = ClassifierDetection.Compute(Draw(500, 5), Draw(500, 6, shift: 3), Schema, options);
        Assert.True(shifted.Auc > 0.95, $"AUC {shifted.Auc}");
        Assert.True(shifted.Score < 0.1, $"score {shifted.Score}");
        // Folds trained one at a time give the very same numbers as folds trained in parallel.
        var sequential = ClassifierDetection.Compute(Draw(500, 5), Draw(500, 6, shift: 3), Schema, options with { MaxParallelFolds = 1 });
        Assert.Equal(shifted.FoldAucs, sequential.FoldAucs);
        Assert.Equal(shifted.Auc, sequential.Auc);
    }

    [Fact]
    public void Adult_real_trained_model_predicts_income_and_label_shuffled_synthetic_does_not()
    {
        var train = AdultData.Train.Head(2000);
        var holdout = AdultData.Holdout.Head(2000);
        // Break every link to income: pair each row with the income of another row (a reversal of the sample).
        var reversed = Enumerable.Range(0, 2000).Reverse().ToArray();
        var shuffled = train.WithColumn(train["income"].Take(reversed));
        var result = TstrUtility.Compute(train, holdout, shuffled, AdultData.Schema, "income");
        Assert.Equal(UtilityTask.BinaryClassification, result.Task);
        Assert.True(result.Real.Auc > 0.85, $"real-trained AUC {result.Real.Auc}");
        Assert.InRange(result.Synthetic.Auc, 0.4, 0.6);
        Assert.True(result.Ratio < 0.75, $"ratio {result.Ratio}");
    }

    [Fact]
    public void Adult_detection_cannot_tell_holdout_from_train_but_spots_columns_drawn_independently()
    {
        var train = AdultData.Train.Head(2000);
        var options = new DetectionOptions { MaxRowsPerSide = 2000 };
        var real = ClassifierDetection.Compute(train, AdultData.Holdout.Head(2000), AdultData.Schema, options);
        Assert.InRange(real.Auc, 0.4, 0.6);
        // Every column rotated by its own offset: each column's distribution is intact, the links between them
        // (husband ↔ male, education ↔ education-num, ...) are not, and the detector must see it.
        var holdout = AdultData.Holdout.Head(2000);
        var independent = new Table(holdout.Columns.Select((c, k) => c.Take(Enumerable.Range(0, 2000).Select(i => (i + 97 * k) % 2000).ToArray())));
        var broken = ClassifierDetection.Compute(train, independent, AdultData.Schema, options);
        Assert.True(broken.Auc > 0.8, $"AUC {broken.Auc}");
        Assert.True(broken.Score < 0.4, $"score {broken.Score}");
    }

    [Fact]
    public void Tstr_refuses_id_targets_and_tables_without_target_values()
    {
        var idSchema = Schema.WithColumn(new ColumnSchema { Name = "label", Kind = ColumnKind.Id });
        var e = Assert.Throws<SchemaException>(() => TstrUtility.Compute(Draw(50, 1), Draw(50, 2), Draw(50, 3), idSchema, "label"));
        Assert.Equal("utility.target-kind", e.Code);
        var empty = Draw(50, 3).WithColumn(new NumericColumn("y", new double[50], Bitmask.FromBools(Enumerable.Repeat(true, 50).ToArray())));
        Assert.Throws<ArgumentException>(() => TstrUtility.Compute(Draw(50, 1), Draw(50, 2), empty, Schema, "y"));
    }
}
