using TabTwin.Encoding;
using TabTwin.Models;
using TabTwin.Synthesizers.NeuralData;
using TabTwin.Tables;
using TabTwin.Tests.GaussianCopula;

namespace TabTwin.Tests.NeuralData;

public class ModeSpecificTransformerTests
{
    private static readonly Lazy<EncodedTable> AdultEncoded = new(() =>
        TableEncoding.Fit(AdultData.Train, AdultData.Schema).Encode(AdultData.Train));

    [Fact]
    public void Round_trip_on_adult_reproduces_every_value_within_the_float_precision_of_alpha()
    {
        var encoded = AdultEncoded.Value;
        var transformer = ModeSpecificTransformer.Fit(encoded, seed: 0, maxThreads: 2);
        var matrix = transformer.Transform(encoded, seed: 1, maxThreads: 2);
        Assert.Equal((long)encoded.RowCount * transformer.Width, matrix.LongLength);
        var back = transformer.Inverse(matrix, encoded.RowCount, maxThreads: 2);

        int clipped = 0, continuousValues = 0;
        foreach (var span in transformer.Spans.Where(s => s.Role == SpanRole.Alpha))
        {
            var (source, result) = (encoded[span.Column], back[span.Column]);
            var layout = transformer.Columns[span.Column];
            var (modes, masses) = (layout.Modes!, layout.PointMasses ?? []);
            for (int i = 0; i < encoded.RowCount; i++)
            {
                continuousValues++;
                float alpha = matrix[(long)i * transformer.Width + span.Start];
                int slot = ModeSpecificTransformer.ArgMax(matrix.AsSpan(i * transformer.Width + span.Start + 1, layout.OneHotWidth));
                if (slot < masses.Length)
                {
                    Assert.Equal(masses[slot], source.Values![i]); // a point mass comes back exactly
                    Assert.Equal(source.Values![i], result.Values![i]);
                    continue;
                }
                int mode = slot - masses.Length;
                if (Math.Abs(alpha) >= ModeSpecificTransformer.AlphaLimit) { clipped++; continue; }
                // float32 α carries ~7 significant digits of the offset inside the mode's ±4σ.
                double tolerance = 4 * modes[mode].StdDev * 2e-7 + 1e-9 * Math.Abs(source.Values![i]);
                Assert.True(Math.Abs(result.Values![i] - source.Values![i]) <= tolerance,
                    $"{source.Name} row {i}: {source.Values![i]} came back as {result.Values![i]}");
            }
        }
        Assert.Equal(6, transformer.Spans.Count(s => s.Role == SpanRole.Alpha));
        Assert.True(clipped < 0.005 * continuousValues, $"{clipped} of {continuousValues} values fell outside their mode's ±4σ");
        foreach (var span in transformer.Spans.Where(s => s.Role == SpanRole.Category))
        {
            var (source, result) = (encoded[span.Column], back[span.Column]);
            for (int i = 0; i < encoded.RowCount; i++)
            {
                Assert.Equal(source.Missing[i], result.Missing[i]);
                if (!source.Missing[i]) Assert.Equal(source.Codes![i], result.Codes![i]);
            }
        }
    }

    [Fact]
    public void Values_holding_a_large_share_become_exact_point_masses()
    {
        var transformer = ModeSpecificTransformer.Fit(AdultEncoded.Value, seed: 0);
        double[] Masses(string name) => transformer.Columns.Single(c => c.Name == name).PointMasses ?? [];
        Assert.Equal([0.0], Masses("capital-gain"));  // ~92% of Adult's rows
        Assert.Equal([0.0], Masses("capital-loss"));  // ~95%
        Assert.Equal([40.0], Masses("hours-per-week")); // ~47%
        Assert.Equal([9.0, 10.0, 13.0], Masses("education-num")); // HS-grad, some college, bachelors
        Assert.Empty(Masses("age"));
        Assert.Empty(Masses("fnlwgt"));
        var gain = transformer.Columns.Single(c => c.Name == "capital-gain");
        Assert.Equal(1 + gain.Modes!.Length, gain.OneHotWidth);
    }

    [Fact]
    public void Layout_is_alpha_then_modes_per_continuous_column_and_one_hot_per_discrete_column()
    {
        var encoded = AdultEncoded.Value;
        var transformer = ModeSpecificTransformer.Fit(encoded, seed: 0);
        var matrix = transformer.Transform(encoded, seed: 1);
        int next = 0;
        foreach (var span in transformer.Spans)
        {
            Assert.Equal(next, span.Start);
            next = span.End;
            Assert.Equal(span.Role == SpanRole.Alpha ? SpanActivation.Tanh : SpanActivation.Softmax, span.Activation);
            if (span.Activation != SpanActivation.Softmax) continue;
            for (int i = 0; i < encoded.RowCount; i += 97)
            {
                var group = matrix.AsSpan(i * transformer.Width + span.Start, span.Width);
                Assert.Equal(1, group.ToArray().Count(v => v == 1));
                Assert.Equal(span.Width - 1, group.ToArray().Count(v => v == 0));
            }
        }
        Assert.Equal(transformer.Width, next);
        // workclass, occupation and native-country have missing values in Adult: their one-hot has a last "missing" slot.
        var workclass = transformer.Columns.Single(c => c.Name == "workclass");
        Assert.True(workclass.HasMissingSlot);
        Assert.Equal(workclass.Cardinality + 1, workclass.OneHotWidth);
        Assert.False(transformer.Columns.Single(c => c.Name == "age").HasMissingSlot);
    }

    [Fact]
    public void Missing_continuous_values_use_the_last_mode_slot_and_come_back_missing()
    {
        var random = new SeededRandom(3);
        int n = 2000;
        var values = new double[n];
        var missing = new bool[n];
        for (int i = 0; i < n; i++) { missing[i] = i % 10 == 0; values[i] = missing[i] ? 0 : (i % 2 == 0 ? 0 : 50) + random.NextGaussian(); }
        var codes = Enumerable.Range(0, n).Select(i => i % 3).ToArray();
        var table = new EncodedTable([
            EncodedColumn.Continuous("x", values, Bitmask.FromBools(missing)),
            EncodedColumn.Discrete("c", codes, 3, Bitmask.FromBools(new bool[n])),
        ], n);
        var transformer = ModeSpecificTransformer.Fit(table, seed: 5);
        var x = transformer.Columns[0];
        Assert.Equal(2, x.Modes!.Length);
        Assert.True(x.HasMissingSlot);
        Assert.False(transformer.Columns[1].HasMissingSlot);
        Assert.Equal(1 + 3 + 3, transformer.Width);
        var matrix = transformer.Transform(table, seed: 6);
        Assert.Equal(1f, matrix[0 * transformer.Width + 3]); // row 0 is missing: the last mode slot
        Assert.Equal(0f, matrix[0 * transformer.Width]);     // and α = 0
        var back = transformer.Inverse(matrix, n);
        for (int i = 0; i < n; i++) Assert.Equal(missing[i], back[0].Missing[i]);
        Assert.Equal(codes, back[1].Codes);
    }

    [Fact]
    public void Fit_and_transform_are_deterministic_for_a_seed_on_any_thread_count()
    {
        var encoded = AdultEncoded.Value;
        var one = ModeSpecificTransformer.Fit(encoded, seed: 42, maxThreads: 1);
        var two = ModeSpecificTransformer.Fit(encoded, seed: 42, maxThreads: 2);
        for (int j = 0; j < one.Columns.Count; j++)
            Assert.Equal(one.Columns[j].Modes ?? [], two.Columns[j].Modes ?? []);
        Assert.Equal(one.Transform(encoded, 7, maxThreads: 1), two.Transform(encoded, 7, maxThreads: 2));
        Assert.NotEqual(one.Transform(encoded, 7), one.Transform(encoded, 8)); // the seed chooses the sampled modes
    }

    [Fact]
    public void Written_transformer_reads_back_identical()
    {
        var encoded = AdultEncoded.Value;
        var transformer = ModeSpecificTransformer.Fit(encoded, seed: 0);
        var writer = new ModelBundleWriter();
        transformer.Write(writer);
        var read = ModeSpecificTransformer.Read(ModelBundleReader.FromWriter(writer));
        Assert.Equal(transformer.Spans, read.Spans);
        Assert.Equal(transformer.Transform(encoded, 3), read.Transform(encoded, 3));
    }

    [Fact]
    public void A_corrupt_layout_is_a_model_file_error()
    {
        var writer = new ModelBundleWriter();
        writer.WriteJson("neural-data", new { version = 1, columns = new[] { new { name = "x", kind = "continuous", cardinality = 0, hasMissingSlot = false, modes = Array.Empty<object>() } } },
            TabTwin.Synthesizers.SynthesizerJson.Options);
        var e = Assert.Throws<ModelFileException>(() => ModeSpecificTransformer.Read(ModelBundleReader.FromWriter(writer)));
        Assert.Equal("model.bad-entry", e.Code);
        Assert.Contains("Continuous column 'x' has no mixture modes", e.Message);
    }
}
