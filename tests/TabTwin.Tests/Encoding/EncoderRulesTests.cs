using System.Text.Json;
using TabTwin.Encoding;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using TabTwin.Bundles;

namespace TabTwin.Tests.Encoding;

public class EncoderRulesTests
{
    private static TableSchema SchemaOf(params (string Name, ColumnKind Kind)[] columns) =>
        new() { Columns = columns.Select(c => new ColumnSchema { Name = c.Name, Kind = c.Kind }).ToArray() };

    private static EncodedTable Discrete(string name, int[] codes, int cardinality) =>
        new([EncodedColumn.Discrete(name, codes, cardinality, Bitmask.Empty(codes.Length))], codes.Length);

    private static EncodedTable Continuous(string name, params double[] values) =>
        new([EncodedColumn.Continuous(name, values, Bitmask.Empty(values.Length))], values.Length);

    [Fact]
    public void All_missing_column_names_the_column_and_row_count()
    {
        var t = new Table([new NumericColumn("x", [1, 2, 3]), new NumericColumn("gone", [0, 0, 0], Bitmask.FromBools([true, true, true]))]);
        var e = Assert.Throws<SchemaException>(() => TableEncoding.Fit(t, SchemaOf(("x", ColumnKind.Numerical), ("gone", ColumnKind.Numerical))));
        Assert.Equal("column.all-missing", e.Code);
        Assert.Equal("gone", e.Column);
        Assert.Contains("all 3 rows", e.Message);
        Assert.Contains("Drop the column", e.Hint);
    }

    [Fact]
    public void Schema_that_does_not_describe_the_table_is_rejected()
    {
        var t = new Table([new NumericColumn("x", [1, 2])]);
        Assert.Equal("schema.unknown-column", Assert.Throws<SchemaException>(() => TableEncoding.Fit(t, SchemaOf(("y", ColumnKind.Numerical)))).Code);
        Assert.Equal("schema.kind-mismatch", Assert.Throws<SchemaException>(() => TableEncoding.Fit(t, SchemaOf(("x", ColumnKind.Datetime)))).Code);
    }

    [Fact]
    public void Booleans_from_numbers_must_be_zero_or_one()
    {
        var t = new Table([new NumericColumn("flag", [0, 1, 2, 1])]);
        var e = Assert.Throws<SchemaException>(() => TableEncoding.Fit(t, SchemaOf(("flag", ColumnKind.Boolean))));
        Assert.Equal("column.kind-unsuitable", e.Code);
        Assert.Equal(3, e.Row);
        Assert.Contains("number 2", e.Message);
    }

    [Fact]
    public void Booleans_from_categories_need_at_most_two_values()
    {
        var t = new Table([CategoricalColumn.FromStrings("f", ["a", "b", "c"])]);
        var e = Assert.Throws<SchemaException>(() => TableEncoding.Fit(t, SchemaOf(("f", ColumnKind.Boolean))));
        Assert.Equal("column.kind-unsuitable", e.Code);
        Assert.Contains("3 distinct values (a, b, c)", e.Message);
    }

    [Fact]
    public void Non_finite_numbers_are_rejected_with_the_row()
    {
        var t = new Table([new NumericColumn("x", [1, double.PositiveInfinity])]);
        var e = Assert.Throws<SchemaException>(() => TableEncoding.Fit(t, SchemaOf(("x", ColumnKind.Numerical))));
        Assert.Equal(("column.kind-unsuitable", 2L), (e.Code, e.Row));
    }

    [Theory]
    [InlineData("Y", "N", "Y")]
    [InlineData("no", "yes", "yes")]
    [InlineData("Male", "Female", "Male")]
    [InlineData("0", "1", "1")]
    public void Two_valued_categories_keep_their_spelling_and_dictionary(string first, string second, string expectedTrue)
    {
        var col = CategoricalColumn.FromStrings("f", [first, second, first, null]);
        var t = new Table([col]);
        var enc = TableEncoding.Fit(t, SchemaOf(("f", ColumnKind.Boolean)));
        var codes = enc.Encode(t)[0].Codes!;
        Assert.Equal(first == expectedTrue ? 1 : 0, codes[0]);
        var back = (CategoricalColumn)enc.Decode(enc.Encode(t), 1)[0];
        Assert.Equal(col.Categories, back.Categories);
        Assert.Equal([first, second, first, null], Enumerable.Range(0, 4).Select(i => back[i]));
    }

    [Fact]
    public void Numeric_zero_one_booleans_decode_as_integers()
    {
        var t = new Table([new NumericColumn("f", [0, 1, 1])]);
        var enc = TableEncoding.Fit(t, SchemaOf(("f", ColumnKind.Boolean)));
        var back = (NumericColumn)enc.Decode(Discrete("f", [1, 0, 1], 2), 1)[0];
        Assert.True(back.IsInteger);
        Assert.Equal(["1", "0", "1"], Enumerable.Range(0, 3).Select(i => back.FormatValue(i)));
    }

    [Fact]
    public void Rare_categories_are_merged_and_never_decoded()
    {
        var values = Enumerable.Repeat("common", 20).Concat(Enumerable.Repeat("usual", 10)).Concat(["secret-1", "secret-2"]).ToArray();
        var t = new Table([CategoricalColumn.FromStrings("c", values)]);
        var enc = TableEncoding.Fit(t, SchemaOf(("c", ColumnKind.Categorical)), new EncodingOptions { RareCategoryThreshold = 5 });
        var e = enc.Encode(t)[0];
        Assert.Equal(3, e.Cardinality);                   // common, usual, rare bucket
        Assert.Equal(2, e.Codes![^1]);
        var state = Assert.IsType<CategoricalEncoderState>(enc.Columns[0]);
        Assert.DoesNotContain("secret-1", JsonSerializer.Serialize<ColumnEncoderState>(state, EncodingJson.Options));
        var decoded = (CategoricalColumn)enc.Decode(Discrete("c", Enumerable.Repeat(2, 600).ToArray(), 3), 5)[0];
        var counts = decoded.CountPerCategory();
        Assert.Equal(["common", "usual"], decoded.Categories);
        Assert.InRange(counts[0] / 600.0, 0.55, 0.78);    // drawn by the kept frequencies (2/3)
    }

    [Fact]
    public void Categorical_numbers_come_back_as_numbers()
    {
        var t = new Table([new NumericColumn("grade", [1, 2, 2, 3])]);
        var enc = TableEncoding.Fit(t, SchemaOf(("grade", ColumnKind.Categorical)), Exact);
        var back = enc.Decode(enc.Encode(t), 0)[0];
        var n = Assert.IsType<NumericColumn>(back);
        Assert.Equal([1.0, 2, 2, 3], n.Values.ToArray());
        Assert.True(n.IsInteger);
    }

    [Fact]
    public void Unseen_category_in_encode_is_a_clear_error()
    {
        var enc = TableEncoding.Fit(new Table([CategoricalColumn.FromStrings("c", ["a", "b"])]), SchemaOf(("c", ColumnKind.Categorical)), Exact);
        var e = Assert.Throws<SchemaException>(() => enc.Encode(new Table([CategoricalColumn.FromStrings("c", ["a", "zzz"])])));
        Assert.Equal(("encoding.unknown-value", 2L), (e.Code, e.Row));
    }

    [Fact]
    public void Numbers_are_clipped_and_rounded_unless_clipping_is_off()
    {
        var t = new Table([new NumericColumn("p", [1.25, 3.5, 2.75], isInteger: false, decimalPlaces: 2)]);
        var schema = SchemaOf(("p", ColumnKind.Numerical));
        var clipped = (NumericColumn)TableEncoding.Fit(t, schema, Exact).Decode(Continuous("p", -4, 2.3456, 99), 0)[0];
        Assert.Equal([1.25, 2.35, 3.5], clipped.Values.ToArray());
        var free = (NumericColumn)TableEncoding.Fit(t, schema, new EncodingOptions { ClipToObservedRange = false }).Decode(Continuous("p", -4, 99.999), 0)[0];
        Assert.Equal([-4.0, 100], free.Values.ToArray());
        Assert.Equal(2, free.DecimalPlaces);
    }

    /// <summary>Exact round trips: every category kept, the range to the real minimum and maximum (the encoding mechanics, not its privacy rules).</summary>
    internal static readonly EncodingOptions Exact = new() { RareCategoryThreshold = 1, MinTailRows = 1 };

    [Fact]
    public void By_default_no_number_or_time_reaches_beyond_the_fifth_most_extreme_real_one()
    {
        var values = Enumerable.Range(1, 20).Select(i => (double)i * i).ToArray(); // 1, 4, ..., 400
        var days = Enumerable.Range(0, 20).Select(i => new DateTime(2020, 1, 1).AddDays(i * i).Ticks).ToArray();
        var t = new Table([new NumericColumn("x", values), new DateTimeColumn("d", days, null, "yyyy-MM-dd")]);
        var enc = TableEncoding.Fit(t, SchemaOf(("x", ColumnKind.Numerical), ("d", ColumnKind.Datetime)));
        var x = (NumericColumn)TableEncoding.Fit(t.Select(["x"]), SchemaOf(("x", ColumnKind.Numerical))).Decode(Continuous("x", -1e6, 1e6), 0)[0];
        Assert.Equal([25.0, 256], x.Values.ToArray()); // the 5th smallest (5²) and the 5th largest (16²)
        var numbers = Assert.IsType<NumericalEncoderState>(enc.Columns[0]);
        Assert.Equal((25.0, 256.0), (numbers.Min, numbers.Max));
        var dates = Assert.IsType<DatetimeEncoderState>(enc.Columns[1]);
        Assert.Equal((days[4], days[^5]), (dates.MinTicks, dates.MaxTicks));
        // MinTailRows = 1 gives the exact range back (for data that is not about people).
        var exact = (NumericalEncoderState)TableEncoding.Fit(t.Select(["x"]), SchemaOf(("x", ColumnKind.Numerical)), Exact).Columns[0];
        Assert.Equal((1.0, 400.0), (exact.Min, exact.Max));
    }

    [Fact]
    public void Date_only_columns_decode_to_whole_days_within_range()
    {
        var days = new[] { new DateTime(2021, 1, 1), new DateTime(2021, 3, 1) };
        var t = new Table([new DateTimeColumn("d", days.Select(d => d.Ticks).ToArray(), null, "dd/MM/yyyy")]);
        var enc = TableEncoding.Fit(t, SchemaOf(("d", ColumnKind.Datetime)));
        double mid = DatetimeEncoderState.ToSeconds(new DateTime(2021, 2, 10, 15, 0, 0).Ticks);
        var back = (DateTimeColumn)enc.Decode(Continuous("d", mid, 0, 1e12), 0)[0];
        Assert.Equal(["11/02/2021", "01/01/2021", "01/03/2021"], Enumerable.Range(0, 3).Select(i => back.FormatValue(i)));
    }

    [Fact]
    public void Schema_datetime_format_overrides_the_source_format()
    {
        var t = new Table([new DateTimeColumn("d", [new DateTime(2021, 1, 1, 9, 30, 0).Ticks, new DateTime(2021, 1, 5, 18, 0, 0).Ticks], null, "yyyy-MM-dd HH:mm")]);
        var schema = new TableSchema { Columns = [new ColumnSchema { Name = "d", Kind = ColumnKind.Datetime, Format = "yyyy/MM/dd" }] };
        var enc = TableEncoding.Fit(t, schema);
        var back = (DateTimeColumn)enc.Decode(enc.Encode(t), 0)[0];
        // Rounded to whole days; 18:00 on the 5th would round to the 6th, past the last observed day, so it clips to the 5th.
        Assert.Equal(["2021/01/01", "2021/01/05"], Enumerable.Range(0, 2).Select(i => back.FormatValue(i)));
        Assert.All([back.Ticks[0], back.Ticks[1]], t => Assert.Equal(0, t % TimeSpan.TicksPerDay));
        var bad = schema with { Columns = [new ColumnSchema { Name = "d", Kind = ColumnKind.Datetime, Format = "%" }] };
        Assert.Equal("schema.datetime-format", Assert.Throws<SchemaException>(() => TableEncoding.Fit(t, bad)).Code);
    }

    [Fact]
    public void Millisecond_timestamps_round_trip_exactly()
    {
        var ticks = Enumerable.Range(0, 100).Select(i => new DateTime(2024, 2, 29, 23, 59, 59).AddMilliseconds(i * 7919 + 1).Ticks).ToArray();
        var t = new Table([new DateTimeColumn("ts", ticks, null, "yyyy-MM-dd HH:mm:ss.fff")]);
        var enc = TableEncoding.Fit(t, SchemaOf(("ts", ColumnKind.Datetime)), Exact);
        Assert.Equal(TimeSpan.TicksPerMillisecond, Assert.IsType<DatetimeEncoderState>(enc.Columns[0]).ResolutionTicks);
        Assert.Equal(ticks, ((DateTimeColumn)enc.Decode(enc.Encode(t), 0)[0]).Ticks.ToArray());
    }

    [Fact]
    public void Timestamps_keep_their_observed_resolution_and_offset_mix()
    {
        var (table, schema) = SampleTables.Mixed(400);
        var enc = TableEncoding.Fit(table, schema);
        var state = Assert.IsType<DatetimeEncoderState>(enc.Columns.Single(c => c.Name == "stamp"));
        Assert.Equal(TimeSpan.TicksPerSecond, state.ResolutionTicks);
        Assert.Equal(new short[] { -300, 0, 60, 120 }, state.OffsetMinutes);
        var encoded = enc.Encode(table);
        var decoded = (DateTimeColumn)enc.Decode(encoded, 9)["stamp"];
        var real = (DateTimeColumn)table["stamp"];
        foreach (var offset in state.OffsetMinutes!)
        {
            double realShare = Enumerable.Range(0, 400).Count(i => !real.IsMissing(i) && real.OffsetMinutes[i] == offset) / 400.0;
            double synthShare = Enumerable.Range(0, 400).Count(i => !decoded.IsMissing(i) && decoded.OffsetMinutes[i] == offset) / 400.0;
            Assert.InRange(synthShare, realShare - 0.08, realShare + 0.08);
        }
    }

    [Fact]
    public void Rare_text_is_replaced_by_generated_text_of_similar_length()
    {
        var values = Enumerable.Repeat("see attached", 6).Concat(Enumerable.Range(0, 60).Select(i => $"unique remark {i} " + new string('x', i % 20))).ToArray();
        var t = new Table([new TextColumn("note", values)]);
        var enc = TableEncoding.Fit(t, SchemaOf(("note", ColumnKind.Text)));
        var state = Assert.IsType<TextEncoderState>(enc.Columns[0]);
        Assert.Equal(["see attached"], state.FrequentValues);
        var decoded = (TextColumn)enc.Decode(Discrete("note", Enumerable.Repeat(1, 200).ToArray(), 2), 3)[0];
        var generated = decoded.Values.ToArray()!;
        // Words used in 5+ rows may recur ("unique remark …"); a whole rare value never does.
        var rare = values.Skip(6).ToHashSet();
        Assert.All(generated, v => Assert.False(rare.Contains(v!), $"real rare value emitted: {v}"));
        double realMean = values.Skip(6).Average(v => v.Length), synthMean = generated.Average(v => v!.Length);
        Assert.InRange(synthMean, realMean * 0.8, realMean * 1.2);
    }

    [Fact]
    public void Encoder_states_serialize_with_closed_kind_names()
    {
        var (table, schema) = SampleTables.Mixed(100);
        var w = new ModelBundleWriter();
        TableEncoding.Fit(table, schema).Write(w);
        var json = ModelBundleReader.FromWriter(w).ReadJson<JsonElement>("encoding").GetRawText();
        foreach (var kind in new[] { "numerical", "datetime", "boolean", "categorical", "text" })
            Assert.Contains($"\"kind\":\"{kind}\"", json);
        Assert.DoesNotContain("TabTwin.", json);
        var forged = json.Replace("\"kind\":\"numerical\"", "\"kind\":\"System.IO.FileInfo\"");
        var w2 = new ModelBundleWriter();
        w2.WriteJson("encoding", JsonDocument.Parse(forged).RootElement);
        Assert.Equal("model.bad-entry", Assert.Throws<ModelFileException>(() => TableEncoding.Read(ModelBundleReader.FromWriter(w2))).Code);
    }

    [Fact]
    public void Id_and_pii_columns_are_generated_not_modelled()
    {
        var ids = Enumerable.Range(1, 50).Select(i => $"CUST-{i:000000}").ToArray();
        var emails = Enumerable.Range(0, 50).Select(i => i % 5 == 0 ? null : $"person{i}@example.org").ToArray();
        var t = new Table([new TextColumn("id", ids), new TextColumn("email", emails), new NumericColumn("x", Enumerable.Range(0, 50).Select(i => (double)i).ToArray())]);
        var schema = new TableSchema
        {
            Columns =
            [
                new ColumnSchema { Name = "id", Kind = ColumnKind.Id },
                new ColumnSchema { Name = "email", Kind = ColumnKind.Pii, Pii = PiiType.Email },
                new ColumnSchema { Name = "x", Kind = ColumnKind.Numerical },
            ],
        };
        var enc = TableEncoding.Fit(t, schema);
        var encoded = enc.Encode(t);
        Assert.Equal(["x"], encoded.Columns.Select(c => c.Name));
        var decoded = enc.Decode(encoded, 4);
        Assert.Equal(["id", "email", "x"], decoded.ColumnNames);
        var newIds = Enumerable.Range(0, 50).Select(i => decoded["id"].FormatValue(i)!).ToArray();
        Assert.Equal(50, newIds.Distinct().Count());
        Assert.All(newIds, v => Assert.Matches("^CUST-\\d{6}$", v));
        var newEmails = Enumerable.Range(0, 50).Select(i => decoded["email"].FormatValue(i)).ToArray();
        Assert.DoesNotContain(newEmails, e => e is not null && emails.Contains(e));
        Assert.InRange(newEmails.Count(e => e is null), 3, 20);
        Assert.Equal(SampleTables.Rows(decoded), SampleTables.Rows(enc.Decode(encoded, 4)));
        Assert.Equal([ColumnType.Text, ColumnType.Text], [decoded["id"].Type, decoded["email"].Type]);
        // A categorical source keeps categorical storage for its generated values.
        var cat = new Table([CategoricalColumn.FromStrings("email", emails)]);
        var catSchema = new TableSchema { Columns = [schema.Columns[1]] };
        var catEnc = TableEncoding.Fit(cat, catSchema);
        Assert.IsType<CategoricalColumn>(catEnc.Decode(catEnc.Encode(cat), 1)[0]);
    }

    [Fact]
    public void Decode_rejects_an_encoded_table_of_another_shape()
    {
        var (table, schema) = SampleTables.Mixed(50);
        var enc = TableEncoding.Fit(table, schema);
        Assert.Throws<ArgumentException>(() => enc.Decode(Continuous("age", 1, 2), 0));
    }
}
