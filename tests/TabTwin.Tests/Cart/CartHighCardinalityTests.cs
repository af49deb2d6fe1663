using TabTwin.Models;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Tests.Cart;

/// <summary>Thousands of categories: no blow-up in the model, rare ones protected, frequent ones kept with their link to other columns.</summary>
public class CartHighCardinalityTests
{
    [Fact]
    public void Two_thousand_categories_fit_into_a_small_model_and_keep_their_link()
    {
        const int rows = 20_000, categories = 2_000;
        var rng = new SeededRandom(5);
        var codes = new int[rows];
        var amount = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            codes[i] = rng.NextInt(categories);
            amount[i] = Math.Round(codes[i] * 1.5 + rng.NextDouble() * 10, 2);
        }
        var names = Enumerable.Range(0, categories).Select(c => $"C{c:00000}").ToArray();
        var table = new Table([new CategoricalColumn("code", codes, names), new NumericColumn("amount", amount)]);
        var schema = new TableSchema
        {
            Columns = [new ColumnSchema { Name = "code", Kind = ColumnKind.Categorical }, new ColumnSchema { Name = "amount", Kind = ColumnKind.Numerical }],
        };

        var model = SynthesizerCatalog.Cart().Fit(table, schema, new FitContext(0));
        var synthetic = model.Sample(5_000, 1);

        var counts = ((CategoricalColumn)table["code"]).CountPerCategory();
        var rare = names.Where((_, c) => counts[c] < 5).ToHashSet();
        var code = (CategoricalColumn)synthetic["code"];
        var amounts = (NumericColumn)synthetic["amount"];
        int linked = 0, present = 0;
        for (int i = 0; i < synthetic.RowCount; i++)
        {
            var c = code[i];
            if (c is null || amounts.IsMissing(i)) continue;
            Assert.DoesNotContain(c, rare);
            Assert.Contains(c, names);
            present++;
            // The amount stays near 1.5 × the category's number: the tree keeps the link across 2,000 categories.
            if (Math.Abs(amounts[i] - int.Parse(c[1..]) * 1.5) < 150) linked++;
        }
        Assert.True(present > 4_500);
        Assert.True(linked > 0.9 * present, $"only {linked} of {present} rows keep amount ≈ 1.5 × code");
        Assert.True(code.Categories.Count <= categories + 1);

        using var stream = new MemoryStream();
        ModelFile.Save(model, stream);
        Assert.True(stream.Length < 5_000_000, $"model file of {stream.Length:N0} bytes for 2,000 categories");
    }
}
