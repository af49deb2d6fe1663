using TabTwin.Bundles;
using TabTwin.DifferentialPrivacy;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Private;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.DifferentialPrivacy;

public sealed class DpTvaeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The categorical columns of the first 4,000 Adult rows as codes (a missing value is one more code).</summary>
    internal static DiscreteTable CodedAdult(int rows = 4000, string[]? only = null)
    {
        var (table, _) = AdultSample.First4000;
        var columns = table.Columns.OfType<CategoricalColumn>().Where(c => only is null || only.Contains(c.Name)).ToArray();
        var codes = columns.Select(c => c.Codes[..rows].ToArray().Select(k => k < 0 ? c.Cardinality : k).ToArray()).ToArray();
        var sizes = columns.Select(c => c.Cardinality + (c.MissingCount > 0 ? 1 : 0)).ToArray();
        return new DiscreteTable([.. columns.Select(c => c.Name)], sizes, codes);
    }

    private static readonly DpTvaeOptions Tiny = new() { EmbeddingDim = 3, CompressDims = [5], DecompressDims = [4], ClipNorm = 1e9 };

    private static double[] Gradient(DpTvaeTrainer t) => [.. t.Parameters.SelectMany(p => p.Grad.AsSpan().ToArray()).Select(g => (double)g)];

    [Fact]
    public void Per_example_norms_and_clipping_match_gradients_computed_one_example_at_a_time()
    {
        var data = CodedAdult(40, ["sex", "race", "relationship", "income"]);
        int[] batch = [0, 3, 7, 12, 19, 25, 33];
        var together = DpTvaeTrainer.ForTests(data, Tiny, 9, batch);
        together.ClippedGradientSum(batch.Length);
        var norms = together.LastSquaredNorms.ToArray();
        var singles = batch.Select(r =>
        {
            var t = DpTvaeTrainer.ForTests(data, Tiny, 9, [r]);
            t.ClippedGradientSum(1);
            return Gradient(t);
        }).ToArray();
        for (int i = 0; i < batch.Length; i++)
        {
            double alone = singles[i].Sum(g => g * g);
            Assert.True(Math.Abs(norms[i] - alone) <= 1e-4 * alone, $"row {batch[i]}: per-example ‖g‖² {norms[i]} vs alone {alone}");
        }
        // Clipped to half the median norm: the batch's gradient is Σ min(1, C/‖g_i‖)·g_i of the one-at-a-time gradients.
        double clip = 0.5 * norms.Select(Math.Sqrt).Order().ElementAt(batch.Length / 2);
        var clipped = DpTvaeTrainer.ForTests(data, Tiny with { ClipNorm = clip }, 9, batch);
        clipped.ClippedGradientSum(batch.Length);
        var actual = Gradient(clipped);
        var expected = new double[actual.Length];
        for (int i = 0; i < batch.Length; i++)
        {
            double f = Math.Min(1, clip / Math.Sqrt(norms[i]));
            for (int k = 0; k < expected.Length; k++) expected[k] += f * singles[i][k];
        }
        double scale = expected.Max(Math.Abs);
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(actual[k] - expected[k]) <= 1e-4 * scale, $"coordinate {k}: {actual[k]} vs {expected[k]}");
        Assert.Contains(norms, n => Math.Sqrt(n) > clip);                 // clipping did bite
    }

    /// <summary>160 steps of 200 expected rows on 4,000 rows (q = 0.05).</summary>
    [Fact]
    public void Unclipped_gradients_match_finite_differences_of_the_loss()
    {
        var data = CodedAdult(40, ["sex", "race", "relationship", "income"]);
        int[] batch = [1, 4, 9, 16];
        var t = DpTvaeTrainer.ForTests(data, Tiny, 5, batch);
        t.TrackLoss = true;
        t.ClippedGradientSum(batch.Length);
        var gradient = t.Parameters.Select(p => p.Grad.AsSpan().ToArray()).ToArray();
        const float h = 1e-3f;
        int checkedCount = 0;
        for (int k = 0; k < t.Parameters.Count; k++)
        {
            var p = t.Parameters[k];
            for (int e = 0; e < p.Length; e += 3)
            {
                float original = p.Value.Data[e];
                double Loss(float value)
                {
                    p.Value.Data[e] = value;
                    p.MarkChanged();
                    t.ClippedGradientSum(batch.Length);
                    return t.LastLoss;
                }
                double numeric = (Loss(original + h) - Loss(original - h)) / (2 * h);
                Loss(original);
                // h small enough that no ReLU changes side between the two evaluations (1e-2 crosses one here).
                Assert.True(Math.Abs(numeric - gradient[k][e]) <= 2e-2 * Math.Max(1, Math.Abs(numeric)),
                    $"parameter {k} element {e}: analytic {gradient[k][e]} vs numeric {numeric}");
                checkedCount++;
            }
        }
        Assert.True(checkedCount > 50);
    }

    private static readonly DpTvaeOptions Quick = new() { Epochs = 8, BatchSize = 200 };

    internal static double MeanMarginalTvd(DiscreteTable real, int[][] synthetic)
    {
        double sum = 0;
        for (int j = 0; j < real.ColumnCount; j++)
        {
            var p = new double[real.Sizes[j]]; var s = new double[real.Sizes[j]];
            foreach (int c in real.Columns[j]) p[c] += 1.0 / real.RowCount;
            foreach (int c in synthetic[j]) s[c] += 1.0 / synthetic[j].Length;
            sum += 0.5 * p.Zip(s, (a, b) => Math.Abs(a - b)).Sum();
        }
        return sum / real.ColumnCount;
    }

    [Fact]
    public void A_fit_at_epsilon_1_charges_the_rest_of_the_budget_and_keeps_the_marginals()
    {
        var data = CodedAdult();
        var accountant = new PrivacyAccountant(1, 1e-6);
        accountant.Charge(new PrivacyCharge("1-way marginals", "Gaussian", accountant.TotalRho * 0.1));
        var network = DpTvaeTrainer.Fit(data, accountant, Quick, seed: 3, maxThreads: 1);
        Assert.Equal(2, accountant.Ledger.Count);
        var charge = accountant.Ledger[^1];
        Assert.Equal((DpTvaeTrainer.Access, DpTvaeTrainer.Mechanism, 0.0), (charge.Access, charge.Mechanism, charge.Rho));
        Assert.NotNull(charge.Curve);
        Assert.InRange(accountant.SpentEpsilon, 0.99, 1 + 1e-6);
        Assert.Equal(160, network.Training.Steps);
        // Measured: mean 1-way total variation over the 9 columns 0.052 at σ ≈ 3.3 (untrained: 0.48).
        var codes = network.Sample(data.RowCount, 5);
        double tvd = MeanMarginalTvd(data, codes);
        output.WriteLine($"mean 1-way TVD {tvd:F4}, σ = {network.Training.NoiseMultiplier:F3}");
        Assert.True(tvd <= 0.07, $"mean 1-way TVD {tvd:F3} (σ = {network.Training.NoiseMultiplier:F2})");
        // The same settings with training switched off (a learning rate that moves nothing) fail that tolerance.
        var untrained = DpTvaeTrainer.Fit(data, new PrivacyAccountant(1, 1e-6), Quick with { LearningRate = 1e-12 }, seed: 3, maxThreads: 1);
        double untrainedTvd = MeanMarginalTvd(data, untrained.Sample(data.RowCount, 5));
        output.WriteLine($"untrained: mean 1-way TVD {untrainedTvd:F4}");
        Assert.True(untrainedTvd > 0.2, $"untrained mean 1-way TVD {untrainedTvd:F3}");
    }

    [Fact]
    public void A_seed_gives_the_same_network_and_samples_on_any_thread_count_and_after_a_round_trip()
    {
        var data = CodedAdult(1500);
        var options = Quick with { Epochs = 2 };
        var one = DpTvaeTrainer.Fit(data, new PrivacyAccountant(2, 1e-6), options, seed: 11, maxThreads: 1);
        var two = DpTvaeTrainer.Fit(data, new PrivacyAccountant(2, 1e-6), options, seed: 11, maxThreads: 2);
        var a = one.Sample(5000, 4, maxThreads: 1);
        Assert.Equal(a, two.Sample(5000, 4, maxThreads: 2));
        Assert.NotEqual(a, two.Sample(5000, 5));
        var writer = new ModelBundleWriter();
        one.Write(writer, "dp-tvae");
        var back = DpTvaeNetwork.Read(ModelBundleReader.FromWriter(writer), "dp-tvae", data.Sizes);
        Assert.Equal(a, back.Sample(5000, 4));
        Assert.Equal(one.Training, back.Training);
        Assert.NotEqual(a, DpTvaeTrainer.Fit(data, new PrivacyAccountant(2, 1e-6), options, seed: 12, maxThreads: 1).Sample(5000, 4));
    }

    private sealed class SyncProgress(Action<StepProgress> report) : IProgress<StepProgress>
    {
        public void Report(StepProgress value) => report(value);
    }

    [Fact]
    public void Progress_names_steps_but_never_a_loss_and_cancellation_stops_training_after_the_charge()
    {
        var data = CodedAdult(1000, ["sex", "race", "income"]);
        var labels = new List<StepProgress>();
        DpTvaeTrainer.Fit(data, new PrivacyAccountant(1, 1e-6), Quick with { Epochs = 2 }, seed: 1, new SyncProgress(labels.Add), maxThreads: 1);
        Assert.Equal(1.0, labels[^1].Fraction);
        Assert.All(labels, p => Assert.DoesNotContain("loss", p.Step));     // a training loss is a statistic no budget paid for
        using var cts = new CancellationTokenSource();
        var accountant = new PrivacyAccountant(1, 1e-6);
        var cancelling = new SyncProgress(_ => cts.Cancel());
        Assert.ThrowsAny<OperationCanceledException>(() =>
            DpTvaeTrainer.Fit(data, accountant, Quick with { Epochs = 2 }, seed: 1, cancelling, cts.Token, maxThreads: 1));
        Assert.Single(accountant.Ledger);                                     // charged before the first read of the rows
    }

    [Fact]
    public void Damaged_or_mismatched_model_entries_are_model_file_errors()
    {
        var data = CodedAdult(300, ["sex", "race"]);
        var network = DpTvaeTrainer.Fit(data, new PrivacyAccountant(2, 1e-6), Quick with { Epochs = 1, BatchSize = 50 }, seed: 1, maxThreads: 1);
        var writer = new ModelBundleWriter();
        network.Write(writer, "m");
        Assert.Throws<ModelFileException>(() => DpTvaeNetwork.Read(ModelBundleReader.FromWriter(writer), "m", [2, 6]));
        Assert.Throws<ModelFileException>(() => DpTvaeNetwork.Read(ModelBundleReader.FromWriter(writer), "other", data.Sizes));
        var damaged = new ModelBundleWriter();
        network.Write(damaged, "m");
        damaged.Arrays["m.decoder.0.weight"] = (ArrayKind.Float32, new byte[12], 3);   // too short for the declared layer sizes
        Assert.Throws<ModelFileException>(() => DpTvaeNetwork.Read(ModelBundleReader.FromWriter(damaged), "m", data.Sizes));
        var nan = new ModelBundleWriter();
        network.Write(nan, "m");
        nan.Arrays["m.decoder.2.bias"] = (ArrayKind.Float32, new byte[4 * data.Sizes.Sum()].Select((_, i) => i % 4 == 3 ? (byte)0x7F : (byte)0xC0).ToArray(), data.Sizes.Sum());
        Assert.Throws<ModelFileException>(() => DpTvaeNetwork.Read(ModelBundleReader.FromWriter(nan), "m", data.Sizes));
    }

    [Fact]
    public void A_budget_spent_elsewhere_leaves_dp_sgd_an_error_not_a_silent_overspend()
    {
        var data = CodedAdult(300, ["sex", "race"]);
        var accountant = new PrivacyAccountant(1, 1e-6);
        accountant.Charge(new PrivacyCharge("everything", "Gaussian", accountant.RemainingRho * 0.999999));
        var e = Assert.Throws<TabTwinException>(() => DpTvaeTrainer.Fit(data, accountant, Quick, seed: 1));
        Assert.Equal("dp.budget-too-small", e.Code);
        Assert.Single(accountant.Ledger);
        Assert.Throws<ArgumentException>(() => DpTvaeTrainer.Fit(data, new PrivacyAccountant(1, 1e-6), Quick with { ClipNorm = 0 }, seed: 1));
    }
}
