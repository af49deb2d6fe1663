using TabTwin.Encoding;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using Xunit.Abstractions;

namespace TabTwin.Tests.Encoding;

/// <summary>
/// A categorical column whose every value is rare is an identifier-like label (nycflights13's airline names, each used
/// once): it is written as new labels in the learned shape, never a real one and never left empty. The 16 names are
/// nycflights13's airlines table (CC0, ../shared/datasets/nycflights13/airlines.csv), verbatim.
/// </summary>
public sealed class IdentifierLabelTests(ITestOutputHelper output)
{
    private static readonly string[] Airlines =
    [
        "carrier,name",
        "9E,Endeavor Air Inc.", "AA,American Airlines Inc.", "AS,Alaska Airlines Inc.", "B6,JetBlue Airways", "DL,Delta Air Lines Inc.",
        "EV,ExpressJet Airlines Inc.", "F9,Frontier Airlines Inc.", "FL,AirTran Airways Corporation", "HA,Hawaiian Airlines Inc.",
        "MQ,Envoy Air", "OO,SkyWest Airlines Inc.", "UA,United Air Lines Inc.", "US,US Airways Inc.", "VX,Virgin America",
        "WN,Southwest Airlines Co.", "YV,Mesa Airlines Inc.",
    ];

    [Fact]
    public void Airline_names_are_new_labels_of_the_real_shape_never_real_and_never_empty()
    {
        var path = Path.Combine(TestData.NewTempDir(), "airlines.csv");
        File.WriteAllLines(path, Airlines);
        var table = TableReader.Read(path);
        var schema = new TableSchema { Columns = [new ColumnSchema { Name = "carrier", Kind = ColumnKind.Categorical }, new ColumnSchema { Name = "name", Kind = ColumnKind.Categorical }] };
        var model = (Synthesizers.Cart.CartModel)SynthesizerCatalog.Cart().Fit(table, schema, new FitContext(4));
        var state = model.Encoding.Columns.OfType<CategoricalEncoderState>().Single(c => c.Name == "name");
        Assert.True(state.Categories.Length == 0 && state.RareText is not null, "every name is rare: written by a text model");
        Assert.NotNull(model.Encoding.Columns.OfType<CategoricalEncoderState>().Single(c => c.Name == "carrier").RareShape);   // codes keep their id shape

        var synthetic = model.Sample(400, 9);
        var real = Airlines.Skip(1).Select(l => l[(l.IndexOf(',') + 1)..]).ToList();
        var made = Enumerable.Range(0, synthetic.RowCount).Select(synthetic["name"].FormatValue).ToList();
        output.WriteLine(string.Join(" | ", made.Take(30)));
        Assert.True(made.Count(v => v is null) <= made.Count / 20, $"{made.Count(v => v is null)} of {made.Count} names are empty");
        var names = made.OfType<string>().ToList();
        Assert.DoesNotContain(names, real.Contains);

        // Shape: about as long, made of the same characters (letters, spaces, a full stop), words separated by spaces.
        double realLength = real.Average(v => v.Length), madeLength = names.Average(v => v.Length);
        Assert.InRange(madeLength, 0.6 * realLength, 1.4 * realLength);
        var realChars = real.SelectMany(v => v).ToHashSet();
        Assert.True(names.SelectMany(v => v).Count(realChars.Contains) >= 0.98 * names.Sum(v => v.Length), "characters the real names do not use");
        Assert.True(names.Count(v => v.Contains(' ')) >= 0.7 * names.Count, "most names are several words, as the real ones");
        Assert.True(names.Distinct().Count() >= names.Count / 4, "labels, not one value repeated");
    }

    [Theory]
    [InlineData(true, new[] { "9E", "AA", "B6" })]
    [InlineData(true, new[] { "N10156", "N102UW", "N1" })]
    [InlineData(false, new[] { "Music", "TV Shows", "Classical 101 - Deep Cuts" })]
    [InlineData(false, new[] { "Rock", "Jazz", "Metal", "Blues" + "y" })]
    public void Codes_keep_an_id_shape_and_labels_get_words(bool code, string[] values) =>
        Assert.Equal(code, CategoricalEncoderState.IsCodeLike(values));
}
