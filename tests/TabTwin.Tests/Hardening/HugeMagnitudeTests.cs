using System.Globalization;
using CsCheck;
using TabTwin.IO;
using TabTwin.Models;
using TabTwin.Registry;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Hardening;

/// <summary>
/// Numbers of any finite magnitude must not overflow inside a synthesizer (issue 15, item 5): variances, sums of squares,
/// split gains, smoothing and granularity work at 1e-300 as at 1e300. Every synthesizer's fit → save → load → sample
/// round trip either succeeds with finite values in the learned range or refuses with a coded error.
/// The columns are real penguin measurements (flipper length, body mass) rescaled by random powers of ten.
/// </summary>
public class HugeMagnitudeTests
{
    private static readonly Lazy<(double[] Flipper, double[] Mass, string[] Species)> Penguins = new(() =>
    {
        var rows = File.ReadLines(TestData.Dataset("penguins", "penguins.csv")).Skip(1).Select(l => l.Split(','))
            .Where(p => p[4] is not ("NA" or "") && p[5] is not ("NA" or "")).ToArray();
        return (rows.Select(p => double.Parse(p[4], CultureInfo.InvariantCulture)).ToArray(),
                rows.Select(p => double.Parse(p[5], CultureInfo.InvariantCulture)).ToArray(),
                rows.Select(p => p[0]).ToArray());
    });

    /// <summary>The first <paramref name="rows"/> penguins with flipper × 10^<paramref name="flipperExponent"/> and mass × 10^<paramref name="massExponent"/> (sign alternating when asked).</summary>
    private static Table Scaled(int rows, int flipperExponent, int massExponent, bool alternateSign)
    {
        var (flipper, mass, species) = Penguins.Value;
        double Scale(double v, int e, int i) => (alternateSign && i % 2 == 1 ? -1 : 1) * v * Math.Pow(10, e);
        return new Table([
            new NumericColumn("flipper", Enumerable.Range(0, rows).Select(i => Scale(flipper[i], flipperExponent, i)).ToArray(), isInteger: false),
            new NumericColumn("mass", Enumerable.Range(0, rows).Select(i => Scale(mass[i], massExponent, i)).ToArray(), isInteger: false),
            CategoricalColumn.FromStrings("species", species.Take(rows).ToArray()),
        ]);
    }

    private static void RoundTrip(string synthesizer, Table table, string options = "null")
    {
        var schema = SchemaDetector.Detect(table);
        ISynthesizerModel model;
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(options);
            model = SynthesizerRegistry.Get(synthesizer).Create(json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Null ? null : json.RootElement)
                .Fit(table, schema, new FitContext(1));
        }
        catch (TabTwinException) { return; }   // a clean refusal is a fine outcome; anything else fails the test
        var file = new MemoryStream();
        ModelFile.Save(model, file);
        file.Position = 0;
        var loaded = ModelFile.Load(file);
        var sample = loaded.Sample(40, 2);
        foreach (var name in new[] { "flipper", "mass" })
        {
            var real = (NumericColumn)table[name];
            double bound = 4 * Enumerable.Range(0, real.Length).Max(i => Math.Abs(real[i]));
            var column = Assert.IsType<NumericColumn>(sample[name]);
            for (int i = 0; i < column.Length; i++)
                if (!column.Missing[i])
                    Assert.True(double.IsFinite(column[i]) && Math.Abs(column[i]) <= bound,
                        $"{synthesizer}: {name} row {i} = {column[i]:R} (real magnitude up to {bound / 4:R})");
        }
    }

    [Theory]
    [InlineData("cart")]
    [InlineData("gaussian-copula")]
    [InlineData("independent")]
    public void Any_magnitude_round_trips_or_is_refused_cleanly(string synthesizer)
    {
        Gen.Select(Gen.Int[20, 120], Gen.Int[-300, 305], Gen.Int[-300, 305], Gen.Bool)
            .Sample((rows, flipperExponent, massExponent, alternate) => RoundTrip(synthesizer, Scaled(rows, flipperExponent, massExponent, alternate)), iter: 40);
    }

    [Theory]
    [InlineData("tvae", "{\"epochs\":2,\"compressDims\":[16],\"decompressDims\":[16],\"embeddingDim\":8}")]
    [InlineData("ctgan", "{\"epochs\":2,\"generatorDim\":[16],\"discriminatorDim\":[16],\"embeddingDim\":8}")]
    public void Neural_synthesizers_round_trip_huge_and_tiny_magnitudes(string synthesizer, string options)
    {
        foreach (var (f, m) in new[] { (140, -140), (300, 305), (-300, 100) })
            RoundTrip(synthesizer, Scaled(60, f, m, alternateSign: true), options);
    }

    [Fact]
    public void Cart_learns_the_same_relation_from_values_near_1e250_or_1e_250_as_at_unit_scale()
    {
        // Squared sums of a node's values overflowed at such magnitudes: every split gain was NaN, each tree a single
        // leaf, and mass came out unrelated to flipper length (near 1e-250 every gain fell below an absolute floor).
        // Split choices do not depend on the unit.
        var (flipper, mass, species) = Penguins.Value;
        int n = 3_000;
        Table Make(double scale) => new([
            new NumericColumn("flipper", Enumerable.Range(0, n).Select(i => flipper[i % flipper.Length] + (i / flipper.Length) * 0.01).ToArray(), isInteger: false),
            new NumericColumn("mass", Enumerable.Range(0, n).Select(i => mass[i % mass.Length] * scale).ToArray(), isInteger: false),
            CategoricalColumn.FromStrings("species", Enumerable.Range(0, n).Select(i => species[i % species.Length]).ToArray()),
        ]);
        double Correlation(Table t, double scale)
        {
            var x = ((NumericColumn)t["flipper"]).Values.ToArray();
            var y = ((NumericColumn)t["mass"]).Values.ToArray().Select(v => v / scale).ToArray();
            double mx = x.Average(), my = y.Average();
            double sxy = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
            return sxy / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
        }
        foreach (var scale in new[] { 1.0, 1e250, 1e-250 })
        {
            var table = Make(scale);
            var sample = SynthesizerCatalog.Cart().Fit(table, SchemaDetector.Detect(table), new FitContext(3)).Sample(2000, 4);
            Assert.All(((NumericColumn)sample["mass"]).Values.ToArray(), v => Assert.True(double.IsFinite(v)));
            double r = Correlation(sample, scale);
            Assert.True(r is > 0.6 and <= 1, $"scale {scale}: correlation {r} (real: 0.87)");
        }
    }
}
