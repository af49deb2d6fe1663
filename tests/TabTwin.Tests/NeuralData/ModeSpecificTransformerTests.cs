using TabTwin.Encoding;
using TabTwin.Synthesizers.NeuralData;
using TabTwin.Tables;
using TabTwin.Tests.GaussianCopula;
using TabTwin.Bundles;
using TabTwin.Randomness;

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

        int clipped = 0, regularValues = 0, pointMassValues = 0;
        foreach (var alphaSpan in transformer.Spans.Where(s => s.Role == SpanRole.Alpha))
        {
            var (source, result) = (encoded[alphaSpan.Column], back[alphaSpan.Column]);
            var layout = transformer.Columns[alphaSpan.Column];
            var modeSpan = transformer.Spans.Single(s => s.Role == SpanRole.Mode && s.Column == alphaSpan.Column);
            var (modes, masses) = (layout.Modes!, layout.PointMasses ?? []);
            for (int i = 0; i < encoded.RowCount; i++)
            {
                Assert.Equal(source.Missing[i], result.Missing[i]);
                if (source.Missing[i]) continue;
                if (masses.Contains(source.Values![i]))
                {
                    pointMassValues++;
                    Assert.Equal(source.Values![i], result.Values![i]); // a point mass comes back exactly
                    continue;
                }
                regularValues++;
                float alpha = matrix[(long)i * transformer.Width + alphaSpan.Start];
                int mode = ModeSpecificTransformer.ArgMax(matrix.AsSpan(i * transformer.Width + modeSpan.Start, modeSpan.Width));
                if (Math.Abs(alpha) >= ModeSpecificTransformer.AlphaLimit) { clipped++; continue; }
                // float32 α carries ~7 significant digits of the offset inside the mode's ±4σ.
                double tolerance = 4 * modes[mode].StdDev * 2e-7 + 1e-9 * Math.Abs(source.Values![i]);
                Assert.True(Math.Abs(result.Values![i] - source.Values![i]) <= tolerance,
                    $"{source.Name} row {i}: {source.Values![i]} came back as {result.Values![i]}");
            }
        }
        Assert.Equal(6, transformer.Spans.Count(s => s.Role == SpanRole.Alpha));
        Assert.True(pointMassValues > 0 && regularValues > 0);
        Assert.True(clipped < 0.005 * regularValues, $"{clipped} of {regularValues} values fell outside their mode's ±4σ");
        foreach (int j in transformer.Spans.Where(s => s.Role == SpanRole.Category).Select(s => s.Column).Where(j => encoded[j].Kind == EncodedKind.Discrete))
        {
            var (source, result) = (encoded[j], back[j]);
            for (int i = 0; i < encoded.RowCount; i++)
            {
                Assert.Equal(source.Missing[i], result.Missing[i]);
                if (!source.Missing[i]) Assert.Equal(source.Codes![i], result.Codes![i]);
            }
        }
    }

    [Fact]
    public void Values_holding_a_large_share_become_exact_point_masses_in_their_own_choice_group()
    {
        var transformer = ModeSpecificTransformer.Fit(AdultEncoded.Value, seed: 0);
        double[] Masses(string name) => transformer.Columns.Single(c => c.Name == name).PointMasses ?? [];
        // Default: values held by ≥ 5 % of the rows, at most 3 per column (the most frequent).
        Assert.Equal([0.0], Masses("capital-gain"));  // ~92% of Adult's rows
        Assert.Equal([0.0], Masses("capital-loss"));  // ~95%
        Assert.Equal([40.0, 45.0, 50.0], Masses("hours-per-week")); // 40 in ~47%, 50 in ~9%, 45 in ~6%
        Assert.Equal([9.0, 10.0, 13.0], Masses("education-num")); // HS-grad, some college, bachelors (masters, 5.3 %, is 4th)
        Assert.Empty(Masses("age"));
        Assert.Empty(Masses("fnlwgt"));
        var gain = transformer.Columns.Single(c => c.Name == "capital-gain");
        Assert.Equal(gain.Modes!.Length + 1, gain.ModeWidth); // the modes and "elsewhere"
        Assert.Equal(2, gain.ChoiceWidth);                     // [regular, 0] (no missing values)
        var choice = transformer.Spans.Single(s => s.Role == SpanRole.Category && s.Column == AdultEncoded.Value.Columns.ToList().FindIndex(c => c.Name == "capital-gain"));
        Assert.Equal(2, choice.Width);
        Assert.Equal(0, transformer.Columns.Single(c => c.Name == "age").ChoiceWidth); // every age is regular: no choice group
    }

    [Fact]
    public void Point_masses_are_the_most_frequent_values_above_the_share_in_ascending_order()
    {
        var values = Enumerable.Range(0, 1000).Select(i => i % 10 < 6 ? 0.0 : i % 10 == 6 ? 99.0 : i % 10 == 7 ? -5.0 : 1000.0 + i).ToArray();
        Assert.Equal([-5.0, 0.0, 99.0], PointMasses.Find(values, 0.05, 3));
        Assert.Equal([-5.0, 0.0], PointMasses.Find(values, 0.05, 2)); // 0 (60 %), then the 10 % tie of −5 and 99 goes to the smaller value
        Assert.Equal([0.0], PointMasses.Find(values, 0.2, 3));
        Assert.Empty(PointMasses.Find(values, 1, 3));                  // 1 turns point masses off
        Assert.Empty(PointMasses.Find(new double[100], 1, 3));         // even for a constant column
        Assert.Equal([0.0], PointMasses.Find(new double[100], 0.5, 3));
        Assert.Empty(PointMasses.Find([], 0.05, 3));
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
        Assert.Equal(workclass.Cardinality + 1, workclass.ChoiceWidth);
        Assert.False(transformer.Columns.Single(c => c.Name == "age").HasMissingSlot);
    }

    [Fact]
    public void Missing_continuous_values_are_a_choice_of_their_own_and_come_back_missing()
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
        Assert.Null(x.PointMasses);
        Assert.False(transformer.Columns[1].HasMissingSlot);
        // x: α, [mode 1, mode 2, elsewhere], choice [regular, missing]; c: [0, 1, 2].
        Assert.Equal([SpanRole.Alpha, SpanRole.Mode, SpanRole.Category, SpanRole.Category], transformer.Spans.Select(s => s.Role));
        Assert.Equal([1, 3, 2, 3], transformer.Spans.Select(s => s.Width));
        Assert.Equal(1 + 3 + 2 + 3, transformer.Width);
        var matrix = transformer.Transform(table, seed: 6);
        Assert.Equal([0f, 0, 0, 1, 0, 1], matrix.AsSpan(0, 6).ToArray()); // row 0 is missing: α 0, elsewhere, missing
        Assert.Equal(1f, matrix[1 * transformer.Width + 4]);               // row 1 is regular
        var back = transformer.Inverse(matrix, n);
        for (int i = 0; i < n; i++) Assert.Equal(missing[i], back[0].Missing[i]);
        Assert.Equal(codes, back[1].Codes);
    }

    [Fact]
    public void A_column_of_only_point_masses_has_just_its_choice_group_and_generated_disagreements_fall_back_to_the_heaviest_mode()
    {
        int n = 1000;
        var onlyMasses = Enumerable.Range(0, n).Select(i => i % 4 == 0 ? 1.0 : 0.0).ToArray();
        var mixed = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? 0.0 : 100 + (i % 7)).ToArray();
        var table = new EncodedTable([
            EncodedColumn.Continuous("flag", onlyMasses, Bitmask.Empty(n)),
            EncodedColumn.Continuous("gain", mixed, Bitmask.Empty(n)),
        ], n);
        var transformer = ModeSpecificTransformer.Fit(table, seed: 1);
        Assert.Equal([0.0, 1.0], transformer.Columns[0].PointMasses!);
        Assert.Empty(transformer.Columns[0].Modes!);
        var flagSpans = transformer.Spans.Where(s => s.Column == 0).ToArray();
        Assert.Equal(SpanRole.Category, Assert.Single(flagSpans).Role);
        Assert.Equal(2, flagSpans[0].Width);
        var back = transformer.Inverse(transformer.Transform(table, seed: 2), n);
        Assert.Equal(onlyMasses, back[0].Values!);

        // A generated row whose choice says "regular" while its mode group says "elsewhere" decodes with the heaviest mode.
        var gain = transformer.Columns[1];
        var modeSpan = transformer.Spans.Single(s => s.Column == 1 && s.Role == SpanRole.Mode);
        var choiceSpan = transformer.Spans.Single(s => s.Column == 1 && s.Role == SpanRole.Category);
        var row = new float[transformer.Width];
        row[flagSpans[0].Start] = 1;
        row[modeSpan.End - 1] = 1;     // elsewhere
        row[choiceSpan.Start] = 1;     // regular
        var heaviest = gain.Modes!.MaxBy(m => m.Weight)!;
        Assert.Equal(heaviest.Mean, transformer.Inverse(row, 1)[1].Values![0], 9); // α = 0
    }

    [Fact]
    public void A_layout_written_before_choice_groups_is_refused_with_a_request_to_fit_again()
    {
        var writer = new ModelBundleWriter();
        writer.WriteJson("neural-data", new { version = 1, columns = new[] { new { name = "x", kind = "discrete", cardinality = 2, hasMissingSlot = false } } },
            TabTwin.Synthesizers.SynthesizerJson.Options);
        var e = Assert.Throws<ModelFileException>(() => ModeSpecificTransformer.Read(ModelBundleReader.FromWriter(writer)));
        Assert.Equal("model.version", e.Code);
        Assert.Contains("layout version 1", e.Message);
        Assert.Contains("Fit the model again", e.Hint);
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
        writer.WriteJson("neural-data", new { version = 2, columns = new[] { new { name = "x", kind = "continuous", cardinality = 0, hasMissingSlot = false, modes = Array.Empty<object>() } } },
            TabTwin.Synthesizers.SynthesizerJson.Options);
        var e = Assert.Throws<ModelFileException>(() => ModeSpecificTransformer.Read(ModelBundleReader.FromWriter(writer)));
        Assert.Equal("model.bad-entry", e.Code);
        Assert.Contains("Continuous column 'x' has no mixture modes", e.Message);
    }
}
