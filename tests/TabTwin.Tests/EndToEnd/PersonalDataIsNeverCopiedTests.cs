using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using TabTwin.Registry;

namespace TabTwin.Tests.EndToEnd;

/// <summary>
/// The whole user path on a real table with personal data (Chinook customers): detect, fit, sample.
/// IDs are regenerated in their format and every personal-data value is fake, never one of the real ones.
/// </summary>
public class PersonalDataIsNeverCopiedTests
{
    private static readonly string[] PiiColumns = ["FirstName", "LastName", "Address", "City", "PostalCode", "Phone", "Fax", "Email"];

    [Theory]
    [InlineData("gaussian-copula")]
    [InlineData("independent")]
    public void Chinook_customers_get_fresh_ids_and_fake_personal_data(string synthesizer)
    {
        var real = TableReader.Read(TestData.Dataset("chinook", "Customer.csv"));
        var schema = SchemaDetector.Detect(real);
        Assert.Equal(ColumnKind.Id, schema["CustomerId"].Kind);
        foreach (var c in PiiColumns) Assert.Equal(ColumnKind.Pii, schema[c].Kind);

        var model = SynthesizerRegistry.Get(synthesizer).Create(null).Fit(real, schema, new FitContext(1));
        var synth = model.Sample(500, seed: 9);

        // High-entropy personal data: no real value may reappear. (Single first names, last names, cities and
        // postal codes can coincide with Bogus's own vocabulary; the next test proves those are not taken from the input.)
        foreach (var name in new[] { "Address", "Phone", "Fax", "Email" })
        {
            var realValues = Values(real[name]).ToHashSet();
            var copied = Values(synth[name]).Where(realValues.Contains).ToList();
            Assert.True(copied.Count == 0, $"{name}: copied real values {string.Join(", ", copied.Take(5))}");
            Assert.True(Values(synth[name]).Distinct().Count() > 100, $"{name}: too few distinct fake values");
        }
        var emails = Values(synth["Email"]).ToList();
        Assert.All(emails, e => Assert.Matches(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", e));

        var ids = (NumericColumn)synth["CustomerId"];
        Assert.True(ids.IsInteger);
        Assert.Equal(500, Enumerable.Range(0, ids.Length).Select(i => ids[i]).Distinct().Count());
    }

    [Fact]
    public void Fake_values_do_not_depend_on_the_real_values()
    {
        var real = TableReader.Read(TestData.Dataset("chinook", "Customer.csv"));
        var schema = SchemaDetector.Detect(real);
        // Same table with every personal-data value scrambled: the fake output must be identical.
        var scrambled = real;
        foreach (var name in PiiColumns)
        {
            var col = real[name];
            var values = Enumerable.Range(0, col.Length).Select(i => col.FormatValue(i) is { } v ? new string(v.Reverse().ToArray()) + "#" : null).ToArray();
            scrambled = scrambled.WithColumn(new TextColumn(name, values));
        }
        var a = SynthesizerCatalog.GaussianCopula().Fit(real, schema, new FitContext(1)).Sample(200, 4);
        var b = SynthesizerCatalog.GaussianCopula().Fit(scrambled, schema, new FitContext(1)).Sample(200, 4);
        foreach (var name in PiiColumns)
            Assert.Equal(Values(a[name]), Values(b[name]));
    }

    [Fact]
    public void Locale_changes_the_fake_values()
    {
        var real = TableReader.Read(TestData.Dataset("chinook", "Customer.csv"));
        var schema = SchemaDetector.Detect(real);
        var model = SynthesizerCatalog.GaussianCopula().Fit(real, schema with { Locale = "de" }, new FitContext(1));
        var german = Values(model.Sample(300, 2)["City"]).ToHashSet();
        var english = Values(SynthesizerCatalog.GaussianCopula().Fit(real, schema, new FitContext(1)).Sample(300, 2)["City"]).ToHashSet();
        Assert.True(german.Intersect(english).Count() < 30, "German and English fake cities should mostly differ");
    }

    private static IEnumerable<string> Values(Column c) =>
        Enumerable.Range(0, c.Length).Select(c.FormatValue).OfType<string>();
}
