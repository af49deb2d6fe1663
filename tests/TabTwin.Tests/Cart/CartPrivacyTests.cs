using System.Globalization;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;
using TabTwin.Tests.GaussianCopula;
using Xunit.Abstractions;

namespace TabTwin.Tests.Cart;

/// <summary>The privacy rules against planted canaries, and what switching them off changes.</summary>
public sealed class CartPrivacyTests(ITestOutputHelper output)
{
    private const int BaseRows = 8000;

    /// <summary>Three unique people with extreme numbers and categories nobody else has.</summary>
    private static readonly Dictionary<string, string>[] Canaries =
    [
        new() { ["age"] = "123", ["workclass"] = "Canary-Works", ["fnlwgt"] = "9876543", ["capital-gain"] = "123456", ["native-country"] = "Atlantis" },
        new() { ["age"] = "121", ["occupation"] = "Canary-keeper", ["fnlwgt"] = "9123456", ["hours-per-week"] = "168", ["native-country"] = "Lemuria" },
        new() { ["age"] = "17", ["education"] = "Canary-PhD", ["capital-loss"] = "77777", ["fnlwgt"] = "8765432", ["native-country"] = "Mu" },
    ];

    [Fact]
    public void Planted_canaries_never_appear_nor_do_their_rare_categories_or_extremes()
    {
        var clean = AdultData.Train.Head(BaseRows);
        var withCanaries = AppendRows(clean, Canaries);
        var synthetic = new CartSynthesizer().Fit(withCanaries, AdultData.Schema, new FitContext(0))
            .Sample(20_000, 3, new SampleContext { MaxThreads = 2 });

        foreach (var canary in Canaries)
            foreach (var (column, value) in canary)
            {
                if (AdultData.NumericalColumns.Contains(column))
                {
                    double planted = double.Parse(value, CultureInfo.InvariantCulture);
                    var values = CartAdultFixture.Values(synthetic, column);
                    if (planted > CartAdultFixture.Values(clean, column).Max())
                        Assert.True(values.Max() <= CartAdultFixture.Values(clean, column).Max(),
                            $"{column}: synthetic max {values.Max()} goes beyond the real data towards the canary's {value}");
                }
                else Assert.False(CartAdultFixture.Counts(synthetic, column).ContainsKey(value), $"{column}: canary category '{value}' was emitted");
            }
        // No synthetic row carries a canary's combination of age and native country.
        var rows = Enumerable.Range(0, synthetic.RowCount).Select(i => synthetic.FormatRow(i)).ToArray();
        int age = synthetic.IndexOf("age"), country = synthetic.IndexOf("native-country");
        foreach (var canary in Canaries)
            Assert.DoesNotContain(rows, r => r[age] == canary["age"] && r[country] == canary["native-country"]);
    }

    [Fact]
    public void Privacy_off_copies_leaf_values_and_privacy_on_does_not()
    {
        var train = AdultData.Train.Head(BaseRows);
        double Copied(CartOptions options)
        {
            var synthetic = new CartSynthesizer(options).Fit(train, AdultData.Schema, new FitContext(0)).Sample(BaseRows, 5);
            var real = CartAdultFixture.Values(train, "fnlwgt");
            var s = (NumericColumn)synthetic["fnlwgt"];
            return Enumerable.Range(0, s.Length).Count(i => real.Contains(s[i])) / (double)s.Length;
        }
        double on = Copied(new CartOptions()), off = Copied(new CartOptions { Privacy = CartPrivacy.Off });
        output.WriteLine($"fnlwgt copied verbatim: privacy on {on:P1}, off {off:P1}");
        // Off: leaves of up to LeafQuantiles rows store (and emit) their raw values; larger leaves store interpolated quantiles.
        Assert.True(off > 0.4, $"with privacy off leaf values are drawn as stored, yet only {off:P1} were copied");
        Assert.True(on < off / 4, $"privacy on ({on:P1} copied) should copy far less than off ({off:P1})");
        Assert.True(on < 0.25, $"with privacy on {on:P1} of fnlwgt values equal a training value");
    }

    [Fact]
    public void Privacy_off_keeps_rare_categories()
    {
        var train = AppendRows(AdultData.Train.Head(2000), Canaries);
        var model = new CartSynthesizer(new CartOptions { Privacy = CartPrivacy.Off }).Fit(train, AdultData.Schema, new FitContext(0));
        var on = new CartSynthesizer().Fit(train, AdultData.Schema, new FitContext(0));
        Assert.True(model.Encoding.Modelled.Single(s => s.Name == "native-country").Cardinality
                    > on.Encoding.Modelled.Single(s => s.Name == "native-country").Cardinality);
    }

    /// <summary><paramref name="table"/> plus rows given as column → text (other columns copied from the first row).</summary>
    internal static Table AppendRows(Table table, IReadOnlyList<Dictionary<string, string>> extra)
    {
        var rows = Enumerable.Range(0, table.RowCount).Select(table.FormatRow).ToList();
        var names = table.ColumnNames.ToArray();
        foreach (var e in extra)
        {
            var row = (string?[])rows[0].Clone();
            foreach (var (column, value) in e) row[Array.IndexOf(names, column)] = value;
            rows.Add(row);
        }
        var columns = new List<Column>();
        for (int c = 0; c < names.Length; c++)
        {
            if (table[c] is NumericColumn)
            {
                var missing = rows.Select(r => r[c] is null).ToArray();
                var values = rows.Select(r => r[c] is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : 0).ToArray();
                columns.Add(new NumericColumn(names[c], values, Bitmask.FromBools(missing), isInteger: true));
            }
            else columns.Add(CategoricalColumn.FromStrings(names[c], rows.Select(r => r[c]).ToArray()));
        }
        return new Table(columns);
    }
}
