using TabTwin.Synthesizers;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Contract;

/// <summary>
/// Issue 15, item 6: below its minimum (<see cref="TrainingSize"/>) every synthesizer refuses with <c>table.too-small</c>
/// instead of echoing the few real rows; at its minimum it fits and samples.
/// </summary>
public sealed class TrainingSizeContractTests
{
    [Theory, MemberData(nameof(SynthesizerCases.Names), MemberType = typeof(SynthesizerCases))]
    public void Tables_below_the_minimum_are_refused_with_a_coded_error(string name)
    {
        var synthesizer = SynthesizerCases.CreateFast(name);
        Assert.InRange(synthesizer.MinimumRows, TrainingSize.DefaultMinimumRows, 100);
        foreach (int rows in new[] { 1, 2, synthesizer.MinimumRows - 1 })
        {
            var (table, schema) = SampleTables.Mixed(rows);
            var e = Assert.ThrowsAny<TabTwinException>(() => synthesizer.Fit(table, schema, new FitContext(Seed: 1)));
            Assert.Equal("table.too-small", e.Code);
            Assert.Contains($"has {rows} row", e.Message);
            Assert.Contains($"at least {synthesizer.MinimumRows}", e.Message);
        }
    }

    [Theory, MemberData(nameof(SynthesizerCases.Names), MemberType = typeof(SynthesizerCases))]
    public void A_table_of_the_minimum_size_fits_and_samples(string name)
    {
        var synthesizer = SynthesizerCases.CreateFast(name);
        var (table, schema) = SampleTables.Mixed(synthesizer.MinimumRows);
        var model = synthesizer.Fit(table, schema, new FitContext(Seed: 1));
        Assert.Equal(30, model.Sample(30, 2).RowCount);
    }

    [Fact]
    public void Cart_minimum_follows_its_leaf_size_and_privacy_switch()
    {
        Assert.Equal(10, SynthesizerCatalog.Cart().MinimumRows);
        Assert.Equal(40, SynthesizerCatalog.Cart(new() { MinLeafSize = 20 }).MinimumRows);
        Assert.Equal(2, SynthesizerCatalog.Cart(new() { Privacy = TabTwin.Synthesizers.Cart.CartPrivacy.Off }).MinimumRows);
        Assert.Equal(20, SynthesizerCatalog.Ctgan(new() { Pac = 20, BatchSize = 40 }).MinimumRows);
    }
}
