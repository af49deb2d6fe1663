using System.Collections.Immutable;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.GaussianCopula;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using TabTwin.Bundles;
using TabTwin.Distributions;

namespace TabTwin.Tests.GaussianCopula;

public sealed class GaussianCopulaSynthesizerTests
{
    private static readonly Lazy<GaussianCopulaModel> AdultModel = new(() =>
        new GaussianCopulaSynthesizer().Fit(AdultData.Train.Head(6000), AdultData.Schema, new FitContext(3)));

    [Fact]
    public void Mixed_table_round_trips_types_missing_values_and_known_categories()
    {
        var (table, schema) = SampleTables.Mixed(600);
        var model = new GaussianCopulaSynthesizer().Fit(table, schema, new FitContext(1));
        var synthetic = model.Sample(900, 5);

        Assert.Equal(900, synthetic.RowCount);
        Assert.Equal(table.ColumnNames, synthetic.ColumnNames);
        for (int c = 0; c < table.ColumnCount; c++) Assert.Equal(table[c].Type, synthetic[c].Type);
        // Missing shares follow the training shares (binomial sd at 900 rows is about 1.3 points).
        foreach (var name in new[] { "age", "price", "stamp", "color" })
            Assert.InRange(synthetic[name].MissingCount / 900.0, table[name].MissingCount / 600.0 - 0.05, table[name].MissingCount / 600.0 + 0.05);
        var known = ((CategoricalColumn)table["color"]).Categories.ToHashSet();
        var colors = (CategoricalColumn)synthetic["color"];
        for (int i = 0; i < colors.Length; i++) if (colors[i] is { } v) Assert.Contains(v, known);
        Assert.Contains(model.Marginals, m => m.Column == "price" && m.Family is not null && m.KsStatistic < 0.1);
        // Every column kind keeps its shape, datetimes and booleans included (text is not scored).
        var quality = TabTwin.Evaluation.Quality.QualityReport.Compute(table, synthetic, schema);
        Assert.All(quality.ColumnDetails, c => Assert.True(c.Score >= 0.9, $"{c.Column}: {c.Metric} {c.Score:0.000}"));
        Assert.Contains(quality.ColumnDetails, c => c.Column == "stamp" && c.Metric == "KSComplement");
    }

    [Fact]
    public void Same_seed_gives_identical_rows_on_one_or_two_threads_across_several_blocks()
    {
        var one = AdultModel.Value.Sample(9000, 42, new SampleContext { MaxThreads = 1 });
        var two = AdultModel.Value.Sample(9000, 42, new SampleContext { MaxThreads = 2 });
        Assert.Equal(SampleTables.Rows(one), SampleTables.Rows(two));
        Assert.NotEqual(SampleTables.Rows(one).Take(50), SampleTables.Rows(AdultModel.Value.Sample(50, 43)));
    }

    [Fact]
    public void A_shorter_sample_is_a_prefix_of_a_longer_one_with_the_same_seed()
    {
        // Blocks are fixed-size and seeded by index, so row i never depends on how many rows were asked for.
        var shortRows = SampleTables.Rows(AdultModel.Value.Sample(5000, 7));
        var longRows = SampleTables.Rows(AdultModel.Value.Sample(9000, 7));
        Assert.Equal(shortRows, longRows.Take(5000));
    }

    [Fact]
    public void Fit_with_the_same_seed_is_reproducible_and_thread_count_independent()
    {
        var data = AdultData.Train.Head(3000);
        var a = new GaussianCopulaSynthesizer().Fit(data, AdultData.Schema, new FitContext(9) { MaxThreads = 1 });
        var b = new GaussianCopulaSynthesizer().Fit(data, AdultData.Schema, new FitContext(9) { MaxThreads = 2 });
        Assert.Equal(a.Copula.Correlation.Values, b.Copula.Correlation.Values);
        Assert.Equal(SampleTables.Rows(a.Sample(500, 1)), SampleTables.Rows(b.Sample(500, 1)));
    }

    [Fact]
    public void Written_then_read_model_samples_identically_and_keeps_its_marginals()
    {
        var model = AdultModel.Value;
        var writer = new ModelBundleWriter();
        model.Write(writer);
        var loaded = GaussianCopulaModel.Read(ModelBundleReader.FromWriter(writer));
        for (int i = 0; i < model.Marginals.Length; i++) Assert.Equal(model.Marginals[i], loaded.Marginals[i]);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(model.Options, SynthesizerJson.Options), System.Text.Json.JsonSerializer.Serialize(loaded.Options, SynthesizerJson.Options));
        Assert.Equal(SampleTables.Rows(model.Sample(3000, 11)), SampleTables.Rows(loaded.Sample(3000, 11)));
    }

    [Fact]
    public void A_damaged_correlation_array_is_refused_on_read()
    {
        var writer = new ModelBundleWriter();
        AdultModel.Value.Write(writer);
        var entry = writer.Arrays["gaussian-copula.correlation"];
        var bytes = (byte[])entry.Bytes.Clone();
        BitConverter.GetBytes(1.5).CopyTo(bytes, 8);                       // correlation (0, 1) = 1.5
        writer.Arrays["gaussian-copula.correlation"] = (entry.Kind, bytes, entry.Length);
        var e = Assert.Throws<ModelFileException>(() => GaussianCopulaModel.Read(ModelBundleReader.FromWriter(writer)));
        Assert.Equal("model.bad-entry", e.Code);
        Assert.Contains("not a valid correlation matrix at (0, 1)", e.Message);
    }

    [Fact]
    public void Dependence_between_numbers_and_between_missingness_and_a_category_is_kept()
    {
        var r = new Random(21);
        int n = 4000;
        var x = new double[n]; var y = new double[n]; var group = new string?[n]; var missing = new bool[n];
        for (int i = 0; i < n; i++)
        {
            double g1 = Gaussian(r), g2 = Gaussian(r);
            x[i] = Math.Exp(g1);                                  // skewed marginal, normal-score correlation 0.7
            y[i] = 0.7 * g1 + Math.Sqrt(1 - 0.49) * g2;
            group[i] = r.NextDouble() < 0.5 ? "a" : "b";
            missing[i] = group[i] == "b" ? r.NextDouble() < 0.6 : r.NextDouble() < 0.05;
        }
        var table = new Table([new NumericColumn("x", x), new NumericColumn("y", y, Bitmask.FromBools(missing)), CategoricalColumn.FromStrings("g", group)]);
        var schema = new TableSchema
        {
            Columns = [new() { Name = "x", Kind = ColumnKind.Numerical }, new() { Name = "y", Kind = ColumnKind.Numerical }, new() { Name = "g", Kind = ColumnKind.Categorical }],
        };
        var synthetic = new GaussianCopulaSynthesizer().Fit(table, schema, new FitContext(2)).Sample(n, 3);

        var sx = (NumericColumn)synthetic["x"]; var sy = (NumericColumn)synthetic["y"]; var sg = (CategoricalColumn)synthetic["g"];
        var logX = new List<double>(); var ys = new List<double>();
        int missingInB = 0, countB = 0, missingInA = 0, countA = 0;
        for (int i = 0; i < n; i++)
        {
            bool isB = sg[i] == "b";
            if (isB) { countB++; if (sy.IsMissing(i)) missingInB++; } else { countA++; if (sy.IsMissing(i)) missingInA++; }
            if (!sy.IsMissing(i)) { logX.Add(Math.Log(sx[i])); ys.Add(sy[i]); }
        }
        double rho = Pearson(logX, ys);
        Assert.True(rho is > 0.65 and < 0.75, $"correlation of log x and y: {rho:0.000}");
        // The copula's binary missing dimension is correlated with g: missingness stays far more common in b.
        Assert.True(missingInB / (double)countB > 0.4, $"missing in b: {missingInB / (double)countB:P1}");
        Assert.True(missingInA / (double)countA < 0.2, $"missing in a: {missingInA / (double)countA:P1}");
    }

    [Fact]
    public void Forced_marginals_are_used_and_reported()
    {
        var options = new GaussianCopulaOptions
        {
            DefaultMarginal = MarginalFamily.Normal,
            MarginalByColumn = ImmutableDictionary<string, MarginalFamily>.Empty.Add("fnlwgt", MarginalFamily.LogNormal),
        };
        var model = new GaussianCopulaSynthesizer(options).Fit(AdultData.Train.Head(2000), AdultData.Schema, new FitContext(0));
        Assert.Equal(MarginalFamily.LogNormal, model.Marginals.Single(m => m.Column == "fnlwgt").Family);
        Assert.Equal(MarginalFamily.Normal, model.Marginals.Single(m => m.Column == "age").Family);
        Assert.Null(model.Marginals.Single(m => m.Column == "sex").Family);
        Assert.Equal(2, model.Marginals.Single(m => m.Column == "sex").CategoryCount);
    }

    [Fact]
    public void A_marginal_for_a_categorical_or_unknown_column_is_a_schema_error()
    {
        var options = new GaussianCopulaOptions { MarginalByColumn = ImmutableDictionary<string, MarginalFamily>.Empty.Add("sex", MarginalFamily.Gamma) };
        var e = Assert.Throws<SchemaException>(() => new GaussianCopulaSynthesizer(options).Fit(AdultData.Train.Head(100), AdultData.Schema, new FitContext(0)));
        Assert.Equal("copula.marginal-column", e.Code);
        Assert.Equal("sex", e.Column);
        Assert.Contains("age, fnlwgt", e.Hint);
    }

    [Fact]
    public void Options_out_of_range_are_refused_and_json_options_are_read()
    {
        Assert.Throws<ArgumentException>(() => new GaussianCopulaOptions { ParametricTolerance = 2 }.Validate());
        Assert.Throws<ArgumentException>(() => new GaussianCopulaOptions { Shrinkage = 1 }.Validate());
        using var doc = System.Text.Json.JsonDocument.Parse(
            """{"defaultMarginal":"gamma","categoryOrdering":"frequency","maximumKnots":64,"marginalByColumn":{"age":"truncated_normal"},"encoding":{"rareCategoryThreshold":5}}""");
        var options = GaussianCopulaOptions.FromJson(doc.RootElement);
        Assert.Equal(MarginalFamily.TruncatedNormal, options.MarginalByColumn["age"]);
        Assert.Equal(5, options.Encoding.RareCategoryThreshold);
        Assert.Contains("\"best_fit\"", System.Text.Json.JsonSerializer.Serialize(new GaussianCopulaOptions(), SynthesizerJson.Options));
        Assert.Equal(MarginalFamily.Gamma, options.DefaultMarginal);
        Assert.Equal(CategoryOrdering.Frequency, options.CategoryOrdering);
        Assert.Equal(64, options.MaximumKnots);
        using var bad = System.Text.Json.JsonDocument.Parse("""{"maximumKnots":1}""");
        Assert.Equal("synthesizer.options", Assert.Throws<TabTwinException>(() => GaussianCopulaOptions.FromJson(bad.RootElement)).Code);
        Assert.Equal(new GaussianCopulaOptions(), GaussianCopulaOptions.FromJson(null));
    }

    [Fact]
    public void Edge_tables_fit_or_fail_with_a_tabtwin_exception()
    {
        var schema = new TableSchema { Columns = [new() { Name = "v", Kind = ColumnKind.Numerical }, new() { Name = "c", Kind = ColumnKind.Categorical }] };
        var empty = new Table([new NumericColumn("v", []), CategoricalColumn.FromStrings("c", [])]);
        Assert.Throws<SchemaException>(() => new GaussianCopulaSynthesizer().Fit(empty, schema, new FitContext(0)));

        var single = new Table([new NumericColumn("v", [3.5]), CategoricalColumn.FromStrings("c", ["x"])]);
        // One row would be echoed (issue 15, item 6): below the minimum training size the fit is refused.
        Assert.Equal("table.too-small", Assert.Throws<SchemaException>(() => new GaussianCopulaSynthesizer().Fit(single, schema, new FitContext(0))).Code);

        var constant = new Table([new NumericColumn("v", Enumerable.Repeat(7.0, 50).ToArray()), CategoricalColumn.FromStrings("c", Enumerable.Repeat("k", 50).ToList())]);
        Assert.All(SampleTables.Rows(new GaussianCopulaSynthesizer().Fit(constant, schema, new FitContext(0)).Sample(30, 2)), row => Assert.Equal("7|k", row));
    }

    [Fact]
    public void Progress_reports_each_step_and_sampling_reaches_one()
    {
        var steps = new List<StepProgress>();
        var progress = new SynchronousProgress(steps);
        var model = new GaussianCopulaSynthesizer().Fit(AdultData.Train.Head(500), AdultData.Schema, new FitContext(0, progress));
        model.Sample(10_000, 0, new SampleContext(progress));
        Assert.Equal(["encoding", "marginals", "normal scores", "correlation"], steps.Select(s => s.Step).Distinct().Take(4));
        Assert.Contains(steps, s => s.Step == "sampling" && s.Fraction == 1);
    }

    private sealed class SynchronousProgress(List<StepProgress> sink) : IProgress<StepProgress>
    {
        public void Report(StepProgress value) { lock (sink) sink.Add(value); }
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private static double Pearson(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Count; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return sab / Math.Sqrt(saa * sbb);
    }
}
