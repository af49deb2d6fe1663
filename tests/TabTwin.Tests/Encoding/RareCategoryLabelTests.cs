using TabTwin.Encoding;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Encoding;

/// <summary>
/// Pooled rare categories never surface as a made-up label (issue 14): on small real tables where every value of a
/// categorical column is rare, the rare bucket used to decode to the literal "(other)".
/// </summary>
public class RareCategoryLabelTests
{
    [Theory]
    [InlineData("chinook", "Customer.csv")]
    // chinook Employee (8 rows) is below every synthesizer's minimum training size and is refused (table.too-small).
    public void No_synthetic_cell_is_the_label_other(string dataset, string file)
    {
        // Without the street address, City and State are quasi-identifiers modelled as categories, all of whose values
        // are rare in 59 rows (with the address they are faked with it as one unit and never reach the encoder).
        var table = TableReader.Read(TestData.Dataset(dataset, file)).Without("Address");
        var schema = SchemaDetector.Detect(table);
        var model = (Synthesizers.Cart.CartModel)SynthesizerCatalog.Cart().Fit(table, schema, new FitContext(1));
        // The table really has a column whose every value is rare (else this test would prove nothing).
        var allRare = model.Encoding.Columns.OfType<CategoricalEncoderState>().Where(c => c.Categories.Length == 0 && c.HasRareCode).ToList();
        Assert.NotEmpty(allRare);

        var synthetic = model.Sample(500, 2);
        for (int c = 0; c < synthetic.ColumnCount; c++)
            for (int i = 0; i < synthetic.RowCount; i++)
                Assert.NotEqual("(other)", synthetic[c].FormatValue(i));
        foreach (var state in allRare.Where(s => s.Storage.HoldsAnyString))
        {
            // New values in the column's shape, none of them a real value (each was rare: identifying).
            var real = Enumerable.Range(0, table.RowCount).Select(table[state.Name].FormatValue).OfType<string>().ToHashSet();
            var made = Enumerable.Range(0, synthetic.RowCount).Select(synthetic[state.Name].FormatValue).OfType<string>().ToList();
            Assert.NotEmpty(made);
            // Two-letter codes (State: SP, QC, …) meet a real one by chance (25 of 676 pairs); longer values never should.
            Assert.DoesNotContain(made, v => v.Length >= 4 && real.Contains(v));
        }
    }
}
