using TabTwin.Evaluation.Quality;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Ctgan;
using TabTwin.Tables;
using TabTwin.Tests.GaussianCopula;
using TabTwin.Tests.Support;
using TabTwin.Bundles;

namespace TabTwin.Tests.Ctgan;

/// <summary>One short CTGAN fit on the Adult 80/20 training split (seed 0), shared by the tests below.</summary>
public sealed class CtganAdultFixture
{
    public static readonly CtganOptions Options = new() { Epochs = 5 };

    public CtganAdultFixture()
    {
        Progress = [];
        Model = new CtganSynthesizer(Options).Fit(AdultData.Train, AdultData.Schema,
            new FitContext(0, new Collect(Progress)) { MaxThreads = 2 });
        Synthetic = Model.Sample(AdultData.Train.RowCount, 1, new SampleContext { MaxThreads = 2 });
    }

    public CtganModel Model { get; }
    public Table Synthetic { get; }
    public List<StepProgress> Progress { get; }

    private sealed class Collect(List<StepProgress> list) : IProgress<StepProgress>
    {
        public void Report(StepProgress value) { lock (list) list.Add(value); }
    }
}

public class CtganAdultTests(CtganAdultFixture fixture) : IClassFixture<CtganAdultFixture>
{
    [Fact]
    public void Five_epochs_reach_the_measured_quality_levels()
    {
        // Measured at 5 epochs (seed 0): shapes ≈ 0.92, pair trends 0.737 (SDMetrics 0.29: the 13 pairs with a real
        // trend; ≈ 0.84 when every pair counted). A regression in the transformer, the conditional vector or the losses
        // drops these well below the floors. (The independent baseline scores 0.76 on these pairs: CTGAN needs far more
        // than 5 epochs to learn Adult's strong associations, such as education × education-num.)
        var ctgan = QualityReport.Compute(AdultData.Train, fixture.Synthetic, AdultData.Schema);
        Assert.True(ctgan.ColumnShapes >= 0.75, $"CTGAN column shapes {ctgan.ColumnShapes:F3}");
        Assert.True(ctgan.ColumnPairTrends >= 0.68, $"CTGAN pair trends {ctgan.ColumnPairTrends:F3} (all pairs {ctgan.AllPairTrends:F3})");
    }

    [Fact]
    public void Progress_reports_every_epoch_with_both_losses_and_history_is_kept()
    {
        var epochs = fixture.Progress.Where(p => p.Step.StartsWith("epoch", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, epochs.Count);
        Assert.StartsWith("epoch 5/5, G ", epochs[^1].Step);
        Assert.Contains(", D ", epochs[^1].Step);
        Assert.Equal(1.0, epochs[^1].Fraction);
        Assert.Equal([1, 2, 3, 4, 5], fixture.Model.History.Select(h => h.Epoch));
        Assert.All(fixture.Model.History, h => Assert.True(double.IsFinite(h.GeneratorLoss) && double.IsFinite(h.DiscriminatorLoss) && h.GradientPenalty >= 0));
    }

    [Fact]
    public void Saved_model_holds_the_generator_only_and_samples_identically()
    {
        var bundle = new ModelBundleWriter();
        fixture.Model.Write(bundle);
        var loaded = CtganModel.Read(ModelBundleReader.FromWriter(bundle));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(fixture.Model.Options, SynthesizerJson.Options),
            System.Text.Json.JsonSerializer.Serialize(loaded.Options, SynthesizerJson.Options));
        Assert.Equal(fixture.Model.History, loaded.History);
        var a = fixture.Model.Sample(1200, 7);
        var b = loaded.Sample(1200, 7, new SampleContext { MaxThreads = 1 });
        for (int i = 0; i < a.RowCount; i += 37) Assert.Equal(a.FormatRow(i), b.FormatRow(i));
        var reader = ModelBundleReader.FromWriter(bundle);
        Assert.True(reader.HasEntry("ctgan.generator.2.weight"));
        Assert.False(reader.HasEntry("ctgan.critic.0.weight"));
    }

    [Fact]
    public void Discrete_marginals_follow_the_real_frequencies()
    {
        foreach (var column in new[] { "sex", "income", "race" })
        {
            var real = Frequencies(AdultData.Train, column);
            var synthetic = Frequencies(fixture.Synthetic, column);
            double tvd = 0.5 * real.Keys.Union(synthetic.Keys).Sum(k => Math.Abs(real.GetValueOrDefault(k) - synthetic.GetValueOrDefault(k)));
            Assert.True(tvd <= 0.08, $"{column}: total variation distance {tvd:F3}");
        }
    }

    private static Dictionary<string, double> Frequencies(Table table, string column)
    {
        var c = table[column];
        var values = Enumerable.Range(0, c.Length).Select(c.FormatValue).OfType<string>().ToArray();
        return values.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count() / (double)values.Length);
    }
}

public class CtganTrainingTests
{
    private static readonly CtganOptions Tiny = new() { Epochs = 50, BatchSize = 100, EmbeddingDim = 16, GeneratorDim = [32], DiscriminatorDim = [32] };

    [Fact]
    public void Cancellation_stops_training_with_OperationCanceledException()
    {
        var (table, schema) = AdultSample.First4000;
        using var cancel = new CancellationTokenSource();
        var progress = new CancelAfterFirstEpoch(cancel);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new CtganSynthesizer(Tiny).Fit(table, schema, new FitContext(1, progress, cancel.Token)));
        Assert.Equal(1, progress.Epochs);
    }

    [Fact]
    public void Early_stopping_ends_training_before_the_last_epoch()
    {
        var (table, schema) = AdultSample.First4000;
        var model = new CtganSynthesizer(Tiny with { EarlyStopping = 1, EarlyStoppingMinDelta = 10 }).Fit(table, schema, new FitContext(1));
        Assert.Equal(2, model.History.Count); // epoch 1 sets the best; epoch 2 cannot improve it by 10
    }

    [Fact]
    public void Same_seed_gives_identical_models_and_samples_on_any_thread_count()
    {
        var (table, schema) = AdultSample.First4000;
        var options = Tiny with { Epochs = 2, GeneratorDim = [64, 64], DiscriminatorDim = [64] };
        var one = new CtganSynthesizer(options).Fit(table, schema, new FitContext(5) { MaxThreads = 1 });
        var two = new CtganSynthesizer(options).Fit(table, schema, new FitContext(5) { MaxThreads = 2 });
        Assert.Equal(one.History, two.History);
        string Rows(Table t) => string.Join("\n", Enumerable.Range(0, t.RowCount).Select(i => string.Join(",", t.FormatRow(i))));
        var a = Rows(one.Sample(1500, 3, new SampleContext { MaxThreads = 1 }));
        Assert.Equal(a, Rows(two.Sample(1500, 3, new SampleContext { MaxThreads = 2 })));
        Assert.NotEqual(a, Rows(one.Sample(1500, 4)));
        var other = new CtganSynthesizer(options).Fit(table, schema, new FitContext(6) { MaxThreads = 2 });
        Assert.NotEqual(one.History, other.History);
    }

    [Fact]
    public void Training_steps_allocate_no_buffers()
    {
        var (table, schema) = AdultSample.First4000;
        long Allocated(int epochs)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            new CtganSynthesizer(Tiny with { Epochs = epochs, MaxThreads = 1 }).Fit(table, schema, new FitContext(1));
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Allocated(1); // JIT and first-use caches
        long extra = Allocated(6) - Allocated(2);
        // 4 more epochs = 160 more steps. Every buffer is allocated before the first step (one batch of the smallest
        // buffer here is 1,600 bytes, so a per-step buffer would cost > 256 KB). Measured: ~430 bytes per step, from
        // enumerators the neural core's containers box (Sequential.Forward's foreach over IReadOnlyList).
        Assert.True(extra < 160 * 1024, $"{extra} bytes allocated by 4 extra epochs (160 steps)");
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_reason()
    {
        var (table, schema) = AdultSample.First4000;
        var e = Assert.Throws<ArgumentException>(() => new CtganSynthesizer(Tiny with { BatchSize = 105 }).Fit(table, schema, new FitContext(1)));
        Assert.Contains("BatchSize must be at least 2 and a multiple of Pac (10)", e.Message);
    }

    private sealed class CancelAfterFirstEpoch(CancellationTokenSource cancel) : IProgress<StepProgress>
    {
        public int Epochs { get; private set; }
        public void Report(StepProgress value)
        {
            if (!value.Step.StartsWith("epoch", StringComparison.Ordinal)) return;
            Epochs++;
            cancel.Cancel();
        }
    }
}
