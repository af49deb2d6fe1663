using TabTwin.Generation;
using TabTwin.Generation.Spec;
using TabTwin.Tables;
using static TabTwin.Tests.Generation.GenerationTestKit;

namespace TabTwin.Tests.Generation;

/// <summary>Rank correlations through the copula, conditional distributions and formulas.</summary>
public class DependencyTests
{
    private static double[] AsNumbers(Column c) => c switch
    {
        NumericColumn n => n.Values.ToArray(),
        CategoricalColumn k => k.Codes.ToArray().Select(x => (double)x).ToArray(),
        BooleanColumn b => b.Values.ToArray().Select(x => x ? 1.0 : 0.0).ToArray(),
        DateTimeColumn d => d.Ticks.ToArray().Select(x => (double)x).ToArray(),
        _ => throw new ArgumentException(),
    };

    [Fact]
    public void Rank_correlations_match_the_target_within_003_for_mixed_marginals()
    {
        // Continuous marginals of different shapes plus a datetime: Spearman must land within ±0.03 of the target.
        var t = Generate("""
            a: normal(0, 1)
            b: lognormal(mu=3, sigma=1)
            c: gamma(shape=2, scale=5)
            d: { type: datetime, from: 2020-01-01, to: 2024-01-01 }
            """, 100_000, extra: """
            correlations:
              columns: [a, b, c, d]
              matrix:
                - [1.0, 0.6, -0.3, 0.2]
                - [0.6, 1.0, 0.0, 0.4]
                - [-0.3, 0.0, 1.0, -0.5]
                - [0.2, 0.4, -0.5, 1.0]

            """);
        string[] names = ["a", "b", "c", "d"];
        double[,] target = { { 1, 0.6, -0.3, 0.2 }, { 0.6, 1, 0, 0.4 }, { -0.3, 0, 1, -0.5 }, { 0.2, 0.4, -0.5, 1 } };
        var data = names.Select(n => AsNumbers(t[n])).ToArray();
        for (int i = 0; i < 4; i++)
            for (int j = i + 1; j < 4; j++)
                Assert.InRange(Spearman(data[i], data[j]), target[i, j] - 0.03, target[i, j] + 0.03);
        // The marginals are untouched by the copula.
        Assert.InRange(Numbers(t, "a").Average(), -0.02, 0.02);
        Assert.InRange(Numbers(t, "c").Average(), 9.8, 10.2);
    }

    [Fact]
    public void Discrete_and_categorical_columns_correlate_in_the_target_direction()
    {
        var t = Generate("""
            p: poisson(30)
            x: normal(0, 1)
            k: { type: categorical, values: [low, mid, high], weights: [1, 1, 1] }
            f: boolean(0.5)
            """, 50_000, extra: "correlations:\n  pairs: [[p, x, 0.5], [k, x, 0.6], [f, x, -0.5]]\n");
        double[] x = Numbers(t, "x");
        Assert.InRange(Spearman(AsNumbers(t["p"]), x), 0.47, 0.53); // fine-grained counts: close to the target
        Assert.InRange(Spearman(AsNumbers(t["k"]), x), 0.5, 0.6);  // three levels: ties attenuate, direction kept
        Assert.InRange(Spearman(AsNumbers(t["f"]), x), -0.5, -0.38);
    }

    [Fact]
    public void Impossible_matrix_is_repaired_with_a_warning_naming_the_table_or_rejected()
    {
        const string columns = "a: normal(0, 1)\nb: normal(0, 1)\nc: normal(0, 1)";
        const string matrix = "  columns: [a, b, c]\n  matrix: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]\n";
        var spec = Spec(columns, 20_000, "correlations:\n" + matrix);
        var warning = Assert.Single(DataGenerator.Check(spec));
        Assert.Equal("spec.correlation-repaired", warning.Code);
        Assert.Contains("table 'data'", warning.Message);
        var t = DataGenerator.Generate(spec);
        Assert.True(Spearman(Numbers(t, "a"), Numbers(t, "b")) > 0.3); // the nearest valid matrix keeps the signs
        var strict = Spec(columns, 10, "correlations:\n  repair: false\n" + matrix);
        var e = Assert.Throws<SpecException>(() => DataGenerator.Check(strict));
        Assert.Equal("spec.correlation-invalid", e.Code);
        Assert.Equal("data", e.Table);
        Assert.Equal("correlations", e.Field);
    }

    [Fact]
    public void Conditional_distribution_follows_each_case()
    {
        var t = Generate("""
            segment: { type: categorical, values: { gold: 1, silver: 1, other: 1 } }
            income:
              dependsOn: segment
              cases:
                gold: normal(1000, 10)
                silver: uniform(0, 10)
              round: 1
            """, 30_000);
        var seg = t.Get<CategoricalColumn>("segment");
        var income = t.Get<NumericColumn>("income");
        var gold = new List<double>();
        var silver = new List<double>();
        for (int i = 0; i < t.RowCount; i++)
        {
            switch (seg[i])
            {
                case "gold": gold.Add(income[i]); break;
                case "silver": silver.Add(income[i]); break;
                default: Assert.True(income.Missing[i], "no case and no default: missing"); break;
            }
        }
        Assert.InRange(gold.Average(), 999.5, 1000.5);
        Assert.InRange(silver.Average(), 4.9, 5.1);
        Assert.All(silver, v => Assert.InRange(v, 0, 10));
        Assert.All(gold.Concat(silver), v => Assert.Equal(Math.Round(v, 1), v));
    }

    [Fact]
    public void Formulas_compute_exactly_from_other_columns()
    {
        var t = Generate("""
            total: { formula: "price * quantity", round: 2 }
            price: { type: uniform, min: 1, max: 100, round: 2 }
            quantity: poisson(3)
            big: { formula: "total > 500" }
            """, 5_000);
        var total = t.Get<NumericColumn>("total");
        var price = t.Get<NumericColumn>("price");
        var quantity = t.Get<NumericColumn>("quantity");
        var big = t.Get<BooleanColumn>("big");
        for (int i = 0; i < t.RowCount; i++)
        {
            Assert.Equal(Math.Round(price[i] * quantity[i], 2), total[i]);
            Assert.Equal(total[i] > 500, big[i]);
        }
        Assert.Equal(["total", "price", "quantity", "big"], t.ColumnNames); // spec order kept whatever the dependency order
    }
}
