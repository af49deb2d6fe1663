using System.Text.Json;
using System.Text.RegularExpressions;
using TabTwin.Encoding;
using TabTwin.Tables;

namespace TabTwin.Tests.Schema;

public class IdFormatTests
{
    private static TextColumn Text(params string[] v) => new("key", v);
    private static NumericColumn Numbers(IEnumerable<double> v) => new("key", v.ToArray());

    private static string[] Strings(Column c) => Enumerable.Range(0, c.Length).Select(i => c.FormatValue(i)!).ToArray();

    [Fact]
    public void Dense_integer_keys_regenerate_as_a_numeric_sequence_from_the_same_start()
    {
        var f = IdFormat.Learn(Numbers(Enumerable.Range(1, 100).Select(i => (double)i).Reverse()));
        Assert.Equal("num:{seq:0:1:1}", f.Pattern);
        var g = Assert.IsType<NumericColumn>(f.Generate("id", 5, 1));
        Assert.True(g.IsInteger);
        Assert.Equal([1d, 2, 3, 4, 5], g.Values.ToArray());
    }

    [Fact]
    public void Evenly_stepped_and_gappy_integer_keys_keep_start_and_average_step()
    {
        Assert.Equal("num:{seq:0:1000:10}", IdFormat.Learn(Numbers(Enumerable.Range(0, 50).Select(i => 1000.0 + 10 * i))).Pattern);
        // Airbnb-like ids: stored in increasing order with irregular gaps.
        var gappy = new[] { 2539d, 2595, 3647, 3831, 5022, 5099, 5121, 5178, 5203, 5238, 5295, 5441, 5803, 6021, 6090 };
        var f = IdFormat.Learn(Numbers(gappy));
        Assert.Equal("num:{seq:0:2539:254}", f.Pattern);
        Assert.Equal([2539d, 2793, 3047], ((NumericColumn)f.Generate("id", 3, 0)).Values.ToArray());
        // The same numbers in no particular order look like random 4-digit keys.
        Assert.Equal("num:{d:4}", IdFormat.Learn(Numbers(gappy.OrderBy(v => v % 7).ThenBy(v => -v))).Pattern);
    }

    [Fact]
    public void Sparse_fixed_digit_integers_become_random_keys_of_that_many_digits()
    {
        var rng = new Random(11);
        var keys = new HashSet<double>();
        while (keys.Count < 300) keys.Add(rng.Next(10_000_000, 99_999_999));
        var f = IdFormat.Learn(Numbers(keys));
        Assert.Equal("num:{d:8}", f.Pattern);
        var g = (NumericColumn)f.Generate("id", 5000, 3);
        Assert.Equal(5000, g.Values.ToArray().Distinct().Count());
        Assert.All(g.Values.ToArray(), v => Assert.InRange(v, 10_000_000, 99_999_999));
    }

    [Theory]
    [InlineData("text:CUST-{seq:6:1:1}", @"^CUST-\d{6}$", "CUST-000001", "CUST-000002", "CUST-000003", "CUST-000004")]
    [InlineData("text:{seq:5:17:1}", @"^\d{5}$", "00017", "00018", "00019", "00020")]
    [InlineData("text:INV{seq:0:7:1}/A", @"^INV\d+/A$", "INV7/A", "INV8/A", "INV9/A", "INV10/A")]
    [InlineData("text:{uuid:D}", @"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
        "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")]
    [InlineData("text:{UUID:N}", @"^[0-9A-F]{32}$", "3F2504E04F8911D39A0C0305E82C3301", "6BA7B8109DAD11D180B400C04FD430C8")]
    [InlineData("text:{UUID:B}", @"^\{[0-9A-F\-]{36}\}$", "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}", "{6BA7B810-9DAD-11D1-80B4-00C04FD430C8}")]
    [InlineData("text:{x:12}", @"^[0-9a-f]{12}$", "a1b2c3d4e5f6", "0099aabbccdd", "ffee11223344")]
    public void Text_key_shapes_are_learned_and_regenerated(string pattern, string regex, params string[] keys)
    {
        var f = IdFormat.Learn(Text(keys));
        Assert.Equal(pattern, f.Pattern);
        var g = f.Generate("key", 2000, 5);
        Assert.IsType<TextColumn>(g);
        var values = Strings(g);
        Assert.Equal(2000, values.Distinct().Count());
        Assert.All(values, v => Assert.Matches(regex, v));
    }

    [Fact]
    public void Fixed_width_codes_learn_a_per_position_pattern_with_shared_literals()
    {
        var rng = new Random(5);
        var keys = Enumerable.Range(0, 200)
            .Select(_ => $"{(char)('A' + rng.Next(26))}{(char)('A' + rng.Next(26))}{rng.Next(1000, 9999)}-{(char)('a' + rng.Next(6))}{rng.Next(10)}")
            .Distinct().ToArray();
        var f = IdFormat.Learn(Text(keys));
        Assert.Equal("text:{A:2}{d:4}-{a:1}{d:1}", f.Pattern);
        var values = Strings(f.Generate("code", 1000, 8));
        Assert.Equal(1000, values.Distinct().Count());
        Assert.All(values, v => Assert.Matches(@"^[A-Z]{2}\d{4}-[a-z]\d$", v));
    }

    [Fact]
    public void Keys_of_varying_shape_fall_back_to_random_characters_of_the_classes_seen()
    {
        var f = IdFormat.Learn(Text("abc", "hello-world", "x_1", "zz"));
        Assert.Equal("text:{c:11}", f.Pattern);
        Assert.Equal(100, Strings(f.Generate("k", 100, 1)).Distinct().Count());
    }

    [Fact]
    public void Learned_patterns_never_contain_a_whole_real_key()
    {
        var keys = Enumerable.Range(0, 50).Select(i => $"K{i * 7919 % 100000:00000}Z").ToArray();
        var f = IdFormat.Learn(Text(keys));
        Assert.DoesNotContain(keys, k => f.Pattern.Contains(k));
    }

    [Fact]
    public void Same_seed_same_keys_different_seed_different_keys()
    {
        var f = IdFormat.Parse("text:{A:3}{d:5}");
        Assert.Equal(Strings(f.Generate("k", 500, 1)), Strings(f.Generate("k", 500, 1)));
        Assert.NotEqual(Strings(f.Generate("k", 500, 1)), Strings(f.Generate("k", 500, 2)));
    }

    [Fact]
    public void A_pattern_space_almost_as_small_as_the_count_still_gives_distinct_keys()
    {
        var values = Strings(IdFormat.Parse("text:{d:3}").Generate("k", 1000, 4));
        Assert.Equal(1000, values.Distinct().Count());
    }

    [Fact]
    public void A_pattern_space_smaller_than_the_count_is_a_clear_error()
    {
        var e = Assert.Throws<TabTwinException>(() => IdFormat.Parse("text:X{d:2}").Generate("code", 101, 1));
        Assert.Equal("id.space-too-small", e.Code);
        Assert.Equal("code", e.Column);
        Assert.Equal("Column 'code': ID pattern 'text:X{d:2}' can make only 100 distinct keys, but 101 were asked for.", e.Message);
        Assert.Throws<TabTwinException>(() => IdFormat.Parse("num:{d:2}").Generate("code", 91, 1));
    }

    [Fact]
    public void Format_round_trips_through_system_text_json_and_regenerates_identically()
    {
        var f = IdFormat.Learn(Text("CUST-000001", "CUST-000002", "CUST-000003"));
        var json = JsonSerializer.Serialize(f);
        Assert.Equal("{\"pattern\":\"text:CUST-{seq:6:1:1}\"}", json);
        var back = JsonSerializer.Deserialize<IdFormat>(json)!;
        Assert.Equal(f, back);
        Assert.Equal(Strings(f.Generate("k", 10, 3)), Strings(back.Generate("k", 10, 3)));
    }

    [Theory]
    [InlineData("CUST-{seq:6:1:1}", "must start with 'num:' or 'text:'")]
    [InlineData("text:{seq:6:1}", "{seq:WIDTH:START:STEP}")]
    [InlineData("text:{q:3}", "is not a placeholder")]
    [InlineData("text:ABC", "no placeholder")]
    [InlineData("text:{d:3", "unclosed")]
    [InlineData("num:A{d:3}", "exactly one")]
    [InlineData("num:{d:16}", "at most 15")]
    public void Invalid_patterns_are_rejected_with_the_reason(string pattern, string reason)
    {
        var e = Assert.Throws<SchemaException>(() => IdFormat.Parse(pattern));
        Assert.Equal("id.pattern", e.Code);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Literal_braces_are_escaped_and_round_trip()
    {
        var f = IdFormat.Parse("text:{{{d:2}}}");
        Assert.Equal("text:{{{d:2}}}", f.Pattern);
        Assert.All(Strings(f.Generate("k", 20, 1)), v => Assert.Matches(@"^\{\d\d\}$", v));
    }

    [Fact]
    public void Categorical_keys_and_keys_with_missing_rows_are_learned_from_present_values()
    {
        var c = CategoricalColumn.FromStrings("k", ["A-01", null, "A-02", "A-03"]);
        Assert.Equal("text:A-{seq:2:1:1}", IdFormat.Learn(c).Pattern);
        var n = new NumericColumn("n", [5, 0, 6, 7], Bitmask.FromBools([false, true, false, false]));
        Assert.Equal("num:{seq:0:5:1}", IdFormat.Learn(n).Pattern);
    }

    [Fact]
    public void Boolean_columns_cannot_be_keys()
    {
        var e = Assert.Throws<SchemaException>(() => IdFormat.Learn(new BooleanColumn("b", [true, false])));
        Assert.Equal("id.unsupported-type", e.Code);
    }

    [Fact]
    public void Real_key_columns_learn_sensible_patterns_and_generate_unique_keys()
    {
        var airbnb = CsvTestTables.Load("airbnb_nyc_2019", "AB_NYC_2019.csv");
        var f = IdFormat.Learn(airbnb["id"]);
        Assert.Matches(@"^num:\{seq:0:2539:\d+\}$", f.Pattern);
        var g = (NumericColumn)f.Generate("id", airbnb.RowCount, 1);
        Assert.Equal(airbnb.RowCount, g.Values.ToArray().Distinct().Count());

        var people = CsvTestTables.Load("lahman_baseball", "People.csv");
        var pf = IdFormat.Learn(people["playerID"]);
        var keys = Strings(pf.Generate("playerID", people.RowCount, 2));
        Assert.Equal(people.RowCount, keys.Distinct().Count());
        Assert.StartsWith("text:", pf.Pattern);
    }

    [Theory]
    [InlineData("num:{seq:0:1:1}")]
    [InlineData("num:{seq:0:-50:3}")]
    [InlineData("num:{d:8}")]
    [InlineData("text:CUST-{seq:6:1:1}")]
    [InlineData("text:{seq:0:10:5}-X")]
    [InlineData("text:{uuid:D}")]
    [InlineData("text:{UUID:N}")]
    [InlineData("text:{uuid:B}")]
    [InlineData("text:{x:16}")]
    [InlineData("text:{X:10}")]
    [InlineData("text:{A:2}{d:4}")]
    [InlineData("text:{d:3}-{A:3}/{a:2}")]
    public void Learning_generated_keys_gives_back_the_pattern(string pattern)
    {
        var f = IdFormat.Parse(pattern);
        var keys = f.Generate("k", 500, 21);
        Assert.Equal(500, Enumerable.Range(0, 500).Select(keys.FormatValue).Distinct().Count());
        Assert.Equal(pattern, IdFormat.Learn(keys).Pattern);
    }

    [Fact]
    public void Random_patterns_are_uniform_enough_over_their_space()
    {
        // 10,000 draws from 1,000 keys' worth of space x 100: every first digit 0-9 appears about 10% of the time.
        var values = Strings(IdFormat.Parse("text:{d:5}").Generate("k", 10_000, 9));
        var counts = values.GroupBy(v => v[0]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 850, 1150));
    }
}

/// <summary>Keys of several shapes on real data (nycflights13): each shape kept with its share, fixed prefixes kept.</summary>
public class IdShapeMixtureTests
{
    private static string[] Strings(Column c) => Enumerable.Range(0, c.Length).Select(i => c.FormatValue(i)!).ToArray();

    private static string ShapeOf(string key) => new(key.Select(ch => char.IsAsciiDigit(ch) ? '9' : char.IsAsciiLetterUpper(ch) ? 'A' : ch).ToArray());

    [Theory]
    [InlineData("planes.csv", "tailnum")]
    [InlineData("airports.csv", "faa")]
    public void Regenerated_keys_follow_the_real_shapes_in_their_proportions(string file, string column)
    {
        var real = Strings(TabTwin.IO.TableReader.Read(Support.TestData.Dataset("nycflights13", file))[column]);
        var format = IdFormat.Learn(new TextColumn(column, real));
        var fake = Strings(format.Generate(column, real.Length, 7));
        Assert.Equal(real.Length, fake.Distinct().Count());
        var realShapes = real.GroupBy(ShapeOf).ToDictionary(g => g.Key, g => g.Count() / (double)real.Length);
        var fakeShapes = fake.GroupBy(ShapeOf).ToDictionary(g => g.Key, g => g.Count() / (double)fake.Length);
        // Every generated key has a real shape, and the shape shares are close (shapes under 1% are left out).
        Assert.All(fakeShapes.Keys, s => Assert.Contains(s, realShapes.Keys));
        double distance = realShapes.Keys.Union(fakeShapes.Keys).Sum(s => Math.Abs(realShapes.GetValueOrDefault(s) - fakeShapes.GetValueOrDefault(s))) / 2;
        Assert.True(distance < 0.08, $"{column}: shape shares differ by {distance:0.000} (total variation); pattern {format.Pattern}");
        if (column == "tailnum") Assert.All(fake, k => Assert.StartsWith("N", k)); // the fixed prefix every tail number has
        // The learned pattern round-trips through its text form.
        Assert.Equal(format.Pattern, IdFormat.Parse(format.Pattern).Pattern);
    }
}
