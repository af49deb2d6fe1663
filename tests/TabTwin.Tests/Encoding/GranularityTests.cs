using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Tvae;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using TabTwin.Registry;

namespace TabTwin.Tests.Encoding;

/// <summary>
/// Synthetic numbers are written as coarsely as the real ones (issue 14): titanic ages are 96 % whole years, a few
/// half years and a handful of infant ages to four decimals; the synthetic ages must show the same mix, whatever
/// the synthesizer, instead of <c>27.6232</c>.
/// </summary>
public class GranularityTests
{
    private const double Tolerance = 0.05;

    public static TheoryData<string> Synthesizers => new() { "cart", "gaussian-copula", "independent", "tvae", "ctgan" };

    [Theory]
    [MemberData(nameof(Synthesizers))]
    public void Titanic_ages_keep_the_real_share_of_whole_and_half_years(string synthesizer)
    {
        var table = TableReader.Read(TestData.Dataset("titanic", "titanic3.csv")).Select(["pclass", "survived", "sex", "age", "sibsp", "fare"]);
        var schema = SchemaDetector.Detect(table);
        var entry = SynthesizerRegistry.Get(synthesizer);
        ISynthesizer synth = synthesizer switch
        {
            "tvae" => SynthesizerCatalog.Tvae(new TvaeOptions { Epochs = 3 }),
            "ctgan" => SynthesizerCatalog.Ctgan(new Synthesizers.Ctgan.CtganOptions { Epochs = 2 }),
            _ => entry.Create(null),
        };
        var synthetic = synth.Fit(table, schema, new FitContext(3)).Sample(2_000, 5);

        var (realWhole, realHalf) = Shares((NumericColumn)table["age"]);
        var (synthWhole, synthHalf) = Shares((NumericColumn)synthetic["age"]);
        Assert.InRange(realWhole, 0.95, 0.97);                         // the data: 95.7 % whole years
        Assert.InRange(synthWhole, realWhole - Tolerance, realWhole + Tolerance);
        Assert.InRange(synthHalf, realHalf - Tolerance, Math.Min(1, realHalf + Tolerance));
    }

    [Fact]
    public void A_column_of_uniform_decimals_learns_no_preferred_step()
    {
        // Fares are written to four decimals with no preference for whole pounds beyond what the data shows:
        // whatever is learned, decoding the real values gives them back unchanged.
        var table = TableReader.Read(TestData.Dataset("titanic", "titanic3.csv")).Select(["fare", "age"]);
        var schema = SchemaDetector.Detect(table);
        var encoding = TabTwin.Encoding.TableEncoding.Fit(table, schema, EncoderRulesTests.Exact);
        var decoded = encoding.Decode(encoding.Encode(table), seed: 1);
        for (int i = 0; i < table.RowCount; i++)
        {
            Assert.Equal(table["fare"].FormatValue(i), decoded["fare"].FormatValue(i));
            Assert.Equal(table["age"].FormatValue(i), decoded["age"].FormatValue(i));
        }
    }

    /// <summary>Shares of present values that are whole numbers, and that are on the half grid.</summary>
    private static (double Whole, double Half) Shares(NumericColumn c)
    {
        int present = 0, whole = 0, half = 0;
        for (int i = 0; i < c.Length; i++)
        {
            if (c.IsMissing(i)) continue;
            present++;
            if (c[i] == Math.Round(c[i])) whole++;
            if (c[i] * 2 == Math.Round(c[i] * 2)) half++;
        }
        return (whole / (double)present, half / (double)present);
    }
}
