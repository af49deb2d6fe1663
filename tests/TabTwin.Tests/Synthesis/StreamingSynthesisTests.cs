using System.Text.Json;
using TabTwin.IO;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Synthesizers.GaussianCopula;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using Xunit;

namespace TabTwin.Tests.Synthesis;

/// <summary>The streaming fit's policy: cart and the copula stream every row; other synthesizers say they used a sample, and how large.</summary>
public sealed class StreamingSynthesisTests
{
    private static readonly Lazy<Table> Titanic = new(() => TableReader.Read(TestData.Dataset("titanic", "titanic3.csv"))
        .Select(["pclass", "survived", "sex", "age", "sibsp", "parch", "fare", "embarked"]));

    [Fact]
    public void Cart_streams_every_row_and_other_synthesizers_fit_on_the_sample()
    {
        var source = new InMemoryChunks(Titanic.Value, 200, "titanic");
        var options = new StreamingFitOptions { ReservoirRows = 500 };
        var cart = StreamingSynthesis.Fit(source, "cart", null, t => SchemaDetector.Detect(t), new FitContext(3), options);
        Assert.True(cart.Streamed);
        Assert.Equal(1_309, cart.Rows);
        Assert.Equal(500, cart.SampleRows);
        Assert.Contains("streamed 1,309 rows of 'titanic'", cart.Description);
        Assert.IsType<CartModel>(cart.Model);
        Assert.Equal(1_000, cart.Model.Sample(1_000, 1).RowCount);

        var copula = StreamingSynthesis.Fit(source, "gaussian-copula", null, t => SchemaDetector.Detect(t), new FitContext(3), options);
        Assert.True(copula.Streamed);
        Assert.Contains("streamed 1,309 rows of 'titanic' (category counts, missing rates and correlations from every row", copula.Description);
        Assert.IsType<GaussianCopulaModel>(copula.Model);

        var independent = StreamingSynthesis.Fit(source, "independent", null, t => SchemaDetector.Detect(t), new FitContext(3), options);
        Assert.False(independent.Streamed);
        Assert.Contains("uniform sample of 500 of the 1,309 rows", independent.Description);
    }

    [Fact]
    public void Declared_constraints_hold_in_every_sampled_row()
    {
        var source = new InMemoryChunks(Titanic.Value, 300, "titanic");
        using var constraints = JsonDocument.Parse("""[{"type": "range", "column": "age", "min": 1, "max": 70}]""");
        var result = StreamingSynthesis.Fit(source, "cart", null, t => SchemaDetector.Detect(t) with { Constraints = constraints.RootElement.Clone() },
            new FitContext(0), new StreamingFitOptions { ReservoirRows = 1_000 });
        Assert.Contains("1 declared constraint(s) enforced by resampling", result.Description);
        var ages = (NumericColumn)result.Model.Sample(2_000, 2)["age"];
        for (int i = 0; i < ages.Length; i++)
            if (!ages.IsMissing(i)) Assert.InRange(ages[i], 1, 70);
    }

    /// <summary>
    /// Lahman's HallOfFame is the table where the defaults leak (<see cref="PrivacyCheckTests"/>): the in-memory check raises
    /// its protection level. Streamed, the check runs on the sample — the whole table when it fits the reservoir, when it
    /// must decide exactly as the in-memory check does — and the fit over every row is made at the level it chose.
    /// </summary>
    [Fact]
    public void The_privacy_check_runs_on_the_sample_and_raises_the_level_where_the_in_memory_check_does()
    {
        var table = TableReader.Read(TestData.Dataset("lahman_baseball", "HallOfFame.csv"));
        var inMemory = PrivacyCheck.Run(new CartSynthesizer(), table, SchemaDetector.Detect(table), new FitContext(0), ConstraintSet.Empty);
        Assert.True(inMemory!.ChosenLevel > 1, inMemory.Describe());

        var whole = StreamingSynthesis.Fit(new InMemoryChunks(table, 1_000, "HallOfFame"), "cart", null, t => SchemaDetector.Detect(t), new FitContext(0));
        Assert.Equal(inMemory.Describe(), whole.PrivacyCheck!.Describe());
        Assert.Equal(inMemory.ChosenLevel, ((CartModel)whole.Model).Options.ProtectionLevel);

        // A sample smaller than the table: the level is decided on those rows alone, and still raised.
        var sampled = StreamingSynthesis.Fit(new InMemoryChunks(table, 1_000, "HallOfFame"), "cart", null, t => SchemaDetector.Detect(t), new FitContext(0),
            new StreamingFitOptions { ReservoirRows = 3_000 });
        Assert.Equal(3_000, sampled.PrivacyCheck!.RowsChecked);
        Assert.True(sampled.PrivacyCheck.ChosenLevel > 1, sampled.PrivacyCheck.Describe());
        Assert.Equal(sampled.PrivacyCheck.ChosenLevel, ((CartModel)sampled.Model).Options.ProtectionLevel);

        var off = StreamingSynthesis.Fit(new InMemoryChunks(table, 1_000, "HallOfFame"), "cart", null, t => SchemaDetector.Detect(t), new FitContext(0),
            privacyCheck: PrivacyCheckOptions.Off);
        Assert.Null(off.PrivacyCheck);
        Assert.Equal(1, ((CartModel)off.Model).Options.ProtectionLevel);
    }

    [Fact]
    public void A_source_too_small_for_the_synthesizer_is_refused_with_its_name()
    {
        var tiny = Titanic.Value.Head(8);
        var e = Assert.ThrowsAny<TabTwinException>(() => StreamingSynthesis.Fit(new InMemoryChunks(tiny, 3, "tiny.parquet"), "cart", null,
            t => SchemaDetector.Detect(t), new FitContext(0)));
        Assert.Equal("table.too-small", e.Code);
        Assert.Contains("tiny.parquet", e.Message);
    }
}
