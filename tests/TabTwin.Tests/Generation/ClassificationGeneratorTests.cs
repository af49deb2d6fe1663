using TabTwin.Evaluation.Utility;
using TabTwin.Generation.Benchmarks;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using static TabTwin.Tests.Generation.BenchmarkTestMath;

namespace TabTwin.Tests.Generation;

/// <summary>make_classification-style data: class shares, signal where promised and none where not, exact redundancy, determinism.</summary>
public sealed class ClassificationGeneratorTests
{
    private static readonly ClassificationOptions ThreeClasses = new()
    {
        Rows = 6000, Features = 12, Informative = 5, Redundant = 2, Repeated = 1, Classes = 3, Seed = 7,
        Naming = FeatureNaming.ByRole,
    };

    [Fact]
    public void Class_shares_match_the_weights_exactly_without_noise_and_within_noise_with_it()
    {
        var exact = new ClassificationGenerator(ThreeClasses with { Rows = 20_000, Weights = [0.8, 0.15], LabelNoise = 0 }).Generate();
        var counts = Labels(exact, "y").GroupBy(v => v).OrderBy(g => g.Key).Select(g => g.Count()).ToArray();
        Assert.Equal([16_000, 3_000, 1_000], counts);

        var noisy = new ClassificationGenerator(ThreeClasses with { Rows = 20_000, Weights = [0.8, 0.15, 0.05], LabelNoise = 0.05 });
        var labels = Labels(noisy.Generate(), "y");
        var expected = noisy.Parameters.Classification!.ExpectedClassShares;
        Assert.Equal(0.8 * 0.95 + 0.05 / 3, expected[0], 12);
        for (int c = 0; c < 3; c++)
        {
            double share = labels.Count(v => v == c) / 20_000.0;
            // The only randomness is which ~1,000 rows get a random label: sd of a share ≤ sqrt(1000 · 2/9) / 20,000 ≈ 0.0007.
            Assert.InRange(share, expected[c] - 0.004, expected[c] + 0.004);
        }
    }

    [Fact]
    public void Informative_features_separate_the_classes_and_noise_features_do_not()
    {
        var generator = new ClassificationGenerator(ThreeClasses with { LabelNoise = 0, ClassSeparation = 1.5 });
        var table = generator.Generate();
        var informative = generator.Parameters.Classification!.InformativeFeatures;
        var noise = generator.Parameters.Features.Where(f => f.Role == FeatureRole.Noise).Select(f => f.Name).ToArray();
        Assert.Equal(["informative_1", "informative_2", "informative_3", "informative_4", "informative_5"], informative);
        Assert.Equal(4, noise.Length);

        double informativeAccuracy = HoldoutAccuracy(table, informative);
        double noiseAccuracy = HoldoutAccuracy(table, noise);
        // Balanced 3 classes: chance is 1/3. Five informative axes with clusters 3 units apart are easy to learn; the
        // noise columns are independent of the label, so held-out accuracy stays at chance (sd ≈ 0.012 on 1,500 rows).
        Assert.True(informativeAccuracy > 0.8, $"accuracy on informative features {informativeAccuracy:F3}");
        Assert.InRange(noiseAccuracy, 0.28, 0.39);
    }

    private static double HoldoutAccuracy(Table table, IReadOnlyList<string> features)
    {
        var x = Rows(table, features);
        var y = Labels(table, "y");
        int train = 4500;
        var predicted = GradientBoosting.MulticlassPredictions(x[..train], y[..train], x[train..], new BoostingOptions { Seed = 1, Iterations = 60 });
        return predicted.Select((p, i) => p == y[train + i] ? 1.0 : 0.0).Average();
    }

    [Fact]
    public void Redundant_features_are_exact_linear_combinations_with_the_saved_weights()
    {
        // Random shift and scale per feature: redundant = scale_r · (Σ B_ik (x_i / scale_i − shift_i) + shift_r).
        var generator = new ClassificationGenerator(ThreeClasses with { Rows = 500, Shift = null, Scale = null });
        var table = generator.Generate();
        var p = generator.Parameters;
        var informative = p.Classification!.InformativeFeatures;
        var byName = p.Features.ToDictionary(f => f.Name);
        foreach (var redundant in p.Features.Where(f => f.Role == FeatureRole.Redundant))
        {
            var (beta, maxResidual, _) = Fit(table, informative, redundant.Name);
            Assert.True(maxResidual < 1e-8 * redundant.Scale * 100, $"{redundant.Name}: residual {maxResidual}");
            for (int i = 0; i < informative.Length; i++)
            {
                var inf = byName[informative[i]];
                double expected = redundant.Scale * p.Classification.RedundantWeights[i][redundant.RoleIndex] / inf.Scale;
                Assert.Equal(expected, beta[i + 1], 6);
            }
        }
        var repeated = p.Features.Single(f => f.Role == FeatureRole.Repeated);
        var source = byName[repeated.RepeatOf!];
        var copy = Values(table, repeated.Name);
        var original = Values(table, source.Name);
        for (int r = 0; r < table.RowCount; r++)
            Assert.Equal((original[r] / source.Scale - source.Shift + repeated.Shift) * repeated.Scale, copy[r], 6);
    }

    [Fact]
    public void Class_means_sit_on_the_saved_centroids()
    {
        // One cluster per class and no label noise: each class's mean over the informative axes estimates its centroid
        // (the cluster's covariance Aᵀ A has variances ≤ 5 per axis: sd of a mean over 2,000 rows ≤ 0.05).
        var generator = new ClassificationGenerator(ThreeClasses with { ClustersPerClass = 1, LabelNoise = 0 });
        var table = generator.Generate();
        var parameters = generator.Parameters.Classification!;
        var labels = Labels(table, "y");
        foreach (var cluster in parameters.Clusters)
            for (int axis = 0; axis < parameters.InformativeFeatures.Length; axis++)
            {
                var values = Values(table, parameters.InformativeFeatures[axis]);
                double mean = Enumerable.Range(0, labels.Length).Where(i => labels[i] == cluster.Class).Average(i => values[i]);
                Assert.InRange(mean, cluster.Centroid[axis] - 0.25, cluster.Centroid[axis] + 0.25);
                Assert.Equal(1.0, Math.Abs(cluster.Centroid[axis])); // hypercube vertex at ±ClassSeparation
            }
    }

    [Fact]
    public void Output_is_identical_across_chunkings_and_thread_counts_and_changes_with_the_seed()
    {
        var options = ThreeClasses with { Rows = 30_000, Shift = null, Scale = null };
        var whole = new ClassificationGenerator(options).Generate(maxThreads: 4);
        var single = new ClassificationGenerator(options).Generate(maxThreads: 1);
        var chunks = new ClassificationGenerator(options).GenerateChunks(7_001, maxThreads: 2).ToList();
        Assert.Equal(5, chunks.Count);
        int row = 0;
        foreach (var chunk in chunks)
            for (int r = 0; r < chunk.RowCount; r++, row += 1)
                if (r % 97 == 0) Assert.Equal(whole.FormatRow(row), chunk.FormatRow(r));
        for (int c = 0; c < whole.ColumnCount; c++)
            Assert.True(Values(whole, whole[c].Name).SequenceEqual(Values(single, whole[c].Name)), whole[c].Name);
        var other = new ClassificationGenerator(options with { Seed = 8 }).Generate();
        Assert.NotEqual(Values(whole, "informative_1"), Values(other, "informative_1"));
    }

    [Fact]
    public void Shuffling_reorders_rows_and_columns_without_changing_the_records()
    {
        var options = ThreeClasses with { Rows = 3000, LabelNoise = 0 };
        var plain = new ClassificationGenerator(options with { Shuffle = false }).Generate();
        var shuffled = new ClassificationGenerator(options).Generate();
        Assert.Equal(plain.ColumnNames.Order(), shuffled.ColumnNames.Order());
        Assert.NotEqual(plain.ColumnNames, shuffled.ColumnNames);
        // Unshuffled rows come in cluster order: labels 0,1,2,0,1,2 in blocks of 500.
        var plainLabels = Labels(plain, "y");
        Assert.Equal(0, plainLabels[0]);
        Assert.Equal(2, plainLabels[1499]);
        Assert.True(plainLabels.Take(500).All(v => v == 0));
        foreach (var name in plain.ColumnNames)
            Assert.Equal(Values(plain, name).Order(), Values(shuffled, name).Order());
        Assert.NotEqual(Values(plain, "informative_1"), Values(shuffled, "informative_1"));
    }

    [Fact]
    public void Indexed_names_hide_the_roles_which_the_parameters_file_keeps()
    {
        var generator = new ClassificationGenerator(new ClassificationOptions { Rows = 10, Features = 6, Informative = 3, Seed = 1 });
        Assert.Equal(["x0", "x1", "x2", "x3", "x4", "x5", "y"], generator.ColumnNames);
        var dir = TestData.NewTempDir();
        var path = GeneratorParameters.PathBeside(Path.Combine(dir, "bench.csv"));
        Assert.Equal(Path.Combine(dir, "bench.params.json"), path);
        generator.Parameters.Save(path);
        var back = GeneratorParameters.Load(path);
        Assert.Equal("classification", back.Generator);
        Assert.Equal(generator.Parameters.Classification!.InformativeFeatures, back.Classification!.InformativeFeatures);
        Assert.Equal(generator.Parameters.Features, back.Features);
        Assert.Equal(generator.Parameters.Classification.Clusters[1].Centroid, back.Classification.Clusters[1].Centroid);
        Assert.Equal(generator.Options with { }, back.ClassificationOptions! with { Weights = null });
        Assert.Contains("\"role\": \"informative\"", File.ReadAllText(path));
        // The saved options regenerate the same data.
        var again = new ClassificationGenerator(back.ClassificationOptions).Generate();
        Assert.Equal(generator.Generate().FormatRow(3), again.FormatRow(3));
    }

    [Fact]
    public void Inconsistent_options_are_refused_with_the_reason()
    {
        var e = Assert.Throws<ArgumentException>(() => new ClassificationGenerator(new ClassificationOptions { Informative = 2, Classes = 3, ClustersPerClass = 2 }));
        Assert.Contains("Classes (3) × clusters per class (2) must be at most 2^informative = 4", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ClassificationGenerator(new ClassificationOptions { Informative = 3, Classes = 3, Weights = [0.7, 0.5] }));
        Assert.Contains("sum to more than 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ClassificationGenerator(new ClassificationOptions { Features = 4, Informative = 3, Redundant = 2 }));
        Assert.Contains("exceed the 4 features", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(4097)]
    public void Row_permutation_is_a_bijection(int count)
    {
        var permutation = new RowPermutation(count, 99);
        var seen = new bool[count];
        for (int i = 0; i < count; i++) seen[permutation.Map(i)] = true;
        Assert.All(seen, Assert.True);
    }
}
