using System.Text.Json;
using TabTwin.Models;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;
using TabTwin.Tests.GaussianCopula;
using TabTwin.Tests.Support;
using TabTwin.Bundles;
using TabTwin.Registry;

namespace TabTwin.Tests.Cart;

/// <summary>Determinism, model files, options and the visiting order of the CART synthesizer.</summary>
public sealed class CartModelTests
{
    private static readonly Lazy<Table> Small = new(() => AdultData.Train.Head(5000));

    private static string Rows(Table t) => string.Join("\n", Enumerable.Range(0, t.RowCount).Select(i => string.Join("|", t.FormatRow(i))));

    [Fact]
    public void One_and_two_threads_give_identical_models_and_samples()
    {
        var one = new CartSynthesizer().Fit(Small.Value, AdultData.Schema, new FitContext(0) { MaxThreads = 1 });
        var two = new CartSynthesizer().Fit(Small.Value, AdultData.Schema, new FitContext(0) { MaxThreads = 2 });
        // 9,000 rows = three sampling blocks, so blocks really run concurrently.
        var a = Rows(one.Sample(9000, 42, new SampleContext { MaxThreads = 1 }));
        var b = Rows(two.Sample(9000, 42, new SampleContext { MaxThreads = 2 }));
        Assert.Equal(a, b);
        Assert.NotEqual(a, Rows(one.Sample(9000, 43)));
    }

    [Fact]
    public void Saved_model_loads_and_samples_identically()
    {
        var model = new CartSynthesizer().Fit(Small.Value, AdultData.Schema, new FitContext(0));
        var path = Path.Combine(TestData.NewTempDir(), "cart.tabtwin");
        ModelFile.Save(model, path);
        var loaded = Assert.IsType<CartModel>(ModelFile.Load(path));
        Assert.Equal(model.VisitOrder, loaded.VisitOrder);
        Assert.Equal(model.SmallestLeaf, loaded.SmallestLeaf);
        Assert.Equal(Rows(model.Sample(5000, 7)), Rows(loaded.Sample(5000, 7)));
    }

    [Fact]
    public void A_tree_that_splits_on_a_later_column_is_rejected_on_load()
    {
        var model = new CartSynthesizer().Fit(Small.Value, AdultData.Schema, new FitContext(0));
        var writer = new ModelBundleWriter();
        model.Write(writer);
        // Reverse the visiting order: every tree now splits on columns that would not be sampled yet.
        var json = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(writer.Json["cart"].GetRawText())!;
        var order = json["visitOrder"].Deserialize<int[]>()!.Reverse().ToArray();
        json["visitOrder"] = JsonSerializer.SerializeToElement(order);
        writer.Json["cart"] = JsonSerializer.SerializeToElement(json);
        var e = Assert.Throws<ModelFileException>(() => SynthesizerRegistry.Get("cart").Read(ModelBundleReader.FromWriter(writer)));
        Assert.Equal("model.bad-entry", e.Code);
        Assert.Contains("splits on a column visited later", e.Message);
    }

    [Fact]
    public void An_explicit_visit_order_is_used_and_a_bad_one_is_a_clear_error()
    {
        string[] order = ["income", "age", "sex", "race", "native-country", "education", "education-num", "marital-status",
            "relationship", "occupation", "workclass", "hours-per-week", "capital-gain", "capital-loss", "fnlwgt"];
        var model = new CartSynthesizer(new CartOptions { VisitOrder = order }).Fit(Small.Value, AdultData.Schema, new FitContext(0));
        Assert.Equal(order, model.VisitOrder);

        var e = Assert.Throws<TabTwinException>(() =>
            new CartSynthesizer(new CartOptions { VisitOrder = ["income", "age"] }).Fit(Small.Value, AdultData.Schema, new FitContext(0)));
        Assert.Equal("cart.visit-order", e.Code);
        Assert.Contains("must name every modelled column exactly once", e.Message);
        Assert.Contains("fnlwgt", e.Message);
    }

    [Fact]
    public void Automatic_order_starts_with_the_smallest_discrete_column()
    {
        var model = new CartSynthesizer().Fit(Small.Value, AdultData.Schema, new FitContext(0));
        var cardinalities = model.Encoding.Modelled.Where(s => s.EncodedKind == TabTwin.Encoding.EncodedKind.Discrete).ToDictionary(s => s.Name, s => s.Cardinality);
        Assert.Equal(cardinalities.Values.Min(), cardinalities[model.VisitOrder[0]]);
        Assert.Equal(15, model.VisitOrder.Distinct().Count());
    }

    [Fact]
    public void Options_come_from_the_registry_json()
    {
        using var doc = JsonDocument.Parse("""{"privacy":"off","minLeafSize":20,"maxDepth":3,"visitOrder":null}""");
        var synthesizer = Assert.IsType<CartSynthesizer>(SynthesizerRegistry.Get("cart").Create(doc.RootElement));
        Assert.Equal(CartPrivacy.Off, synthesizer.Options.Privacy);
        Assert.Equal(20, synthesizer.Options.MinLeafSize);
        var model = synthesizer.Fit(Small.Value, AdultData.Schema, new FitContext(0));
        Assert.True(model.SmallestLeaf >= 20);
        Assert.All(model.LeafCounts.Values, leaves => Assert.InRange(leaves, 1, 8)); // depth 3 → at most 8 leaves
        Assert.IsType<CartSynthesizer>(SynthesizerCatalog.Cart());
    }

    [Fact]
    public void Invalid_options_are_argument_errors()
    {
        Assert.Throws<ArgumentException>(() => new CartSynthesizer(new CartOptions { MaxBins = 1 }).Fit(Small.Value, AdultData.Schema, new FitContext(0)));
        Assert.Throws<ArgumentException>(() => new CartSynthesizer(new CartOptions { Jitter = 2 }).Fit(Small.Value, AdultData.Schema, new FitContext(0)));
    }
}
