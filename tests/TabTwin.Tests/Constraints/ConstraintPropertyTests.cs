using CsCheck;
using TabTwin.Sampling.Constraints;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Registry;

namespace TabTwin.Tests.Constraints;

/// <summary>Random small tables with random rules: sampling satisfies every rule that holds, and refuses clearly otherwise.</summary>
public class ConstraintPropertyTests
{
    /// <summary>Columns x (integers), y = x + non-negative gap, p (2-decimal prices), q (1..4), t = p × q, c (categories tied to q).</summary>
    // At least 12 rows: every synthesizer refuses fewer than 10 (table.too-small), and a rule may drop a few.
    private static readonly Gen<Table> Tables = Gen.Select(Gen.Int[12, 40], Gen.Int[0, 1000]).Select((n, seed) =>
    {
        var rng = new Random(seed);
        var x = new double[n]; var y = new double[n]; var p = new double[n]; var q = new double[n]; var t = new double[n];
        var c = new string?[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = rng.Next(-50, 50); y[i] = x[i] + rng.Next(0, 20);
            p[i] = Math.Round(1 + rng.NextDouble() * 50, 2); q[i] = rng.Next(1, 5); t[i] = Math.Round(p[i] * q[i], 2);
            c[i] = "k" + q[i];
        }
        return new Table([new NumericColumn("x", x), new NumericColumn("y", y), new NumericColumn("p", p, isInteger: false, decimalPlaces: 2),
            new NumericColumn("q", q), new NumericColumn("t", t, isInteger: false, decimalPlaces: 2), CategoricalColumn.FromStrings("c", c)]);
    });

    /// <summary>Rules that hold on every table <see cref="Tables"/> makes.</summary>
    private static readonly Constraint[] Holding =
    [
        new InequalityConstraint("x", "y"), new RangeConstraint("q", 1, 4), RangeConstraint.Positive("p", strict: true),
        new FormulaConstraint("t", "p * q"), new FixedCombinationsConstraint(["q", "c"]), new ExpressionConstraint("y - x <= 19"),
        new RangeConstraint("x", -50, 49), new ExpressionConstraint("c in ('k1', 'k2', 'k3', 'k4')"),
    ];

    /// <summary>Rules no such table satisfies (rows exist with y &gt; x, q &lt; 4, ...).</summary>
    private static readonly Constraint[] Broken =
    [
        new InequalityConstraint("y", "x", strict: true), new RangeConstraint("t", null, 0.5), new FormulaConstraint("t", "p + q + 1000"),
        new ExpressionConstraint("q > 4"), RangeConstraint.Negative("p"),
    ];

    private static Gen<Constraint[]> Subset(Constraint[] pool, int min) =>
        Gen.Bool.Array[pool.Length].Where(f => f.Count(b => b) >= min).Select(f => pool.Where((_, i) => f[i]).ToArray());

    /// <summary>
    /// Tiny tables: CART runs with privacy off here, since with privacy on it replaces categories seen fewer than 5 times
    /// by "(other)", which a rule such as c in ('k1', ...) can then never accept. That outcome must be the clear
    /// constraints.infeasible error, never a hang or a wrong row; the second property below checks it.
    /// </summary>
    [Fact]
    public void Rules_that_hold_on_the_data_hold_on_every_sampled_row()
    {
        Gen.Select(Tables, Subset(Holding, 1), Gen.Int[0, 2], Gen.ULong).Sample((table, rules, which, seed) =>
        {
            var set = new ConstraintSet(rules);
            Assert.True(set.Check(table).IsClean);
            var model = new ConstrainedSynthesizer(Inner(which, privacy: false), set).Fit(table, ConstraintFixtures.SchemaOf(table), new FitContext(seed));
            var sample = model.Sample(60, seed);
            Assert.Equal(60, sample.RowCount);
            var report = set.Check(sample);
            Assert.True(report.IsClean, report.Format());
        }, iter: 40, threads: 1);
    }

    [Fact]
    public void With_cart_privacy_on_tiny_tables_sampling_satisfies_the_rules_or_says_they_are_infeasible()
    {
        Gen.Select(Tables, Subset(Holding, 1), Gen.ULong).Sample((table, rules, seed) =>
        {
            var set = new ConstraintSet(rules);
            var fastGiveUp = new ConstraintOptions { MinAcceptance = 0.01 };
            var model = new ConstrainedSynthesizer(Inner(2, privacy: true), set, fastGiveUp).Fit(table, ConstraintFixtures.SchemaOf(table), new FitContext(seed));
            try
            {
                Assert.True(set.Check(model.Sample(60, seed)).IsClean);
            }
            catch (TabTwinException e)
            {
                Assert.Equal("constraints.infeasible", e.Code);
                Assert.Contains("rejected", e.Message);
            }
        }, iter: 25, threads: 1);
    }

    /// <summary>With privacy off every category and the exact range are kept (threshold 1), as CART's "privacy": "off" does.</summary>
    private static readonly TabTwin.Encoding.EncodingOptions Exact = new() { RareCategoryThreshold = 1, MinTailRows = 1 };

    private static ISynthesizer Inner(int which, bool privacy) => which switch
    {
        0 => SynthesizerCatalog.Independent(privacy ? null : new() { Encoding = Exact }),
        1 => SynthesizerCatalog.GaussianCopula(privacy ? null : new() { Encoding = Exact }),
        _ => SynthesizerRegistry.Get("cart").Create(privacy ? null : System.Text.Json.JsonDocument.Parse("""{"privacy":"off"}""").RootElement),
    };

    [Fact]
    public void Rules_the_data_breaks_are_refused_with_a_clear_error()
    {
        Gen.Select(Tables, Subset(Holding, 0), Subset(Broken, 1)).Sample((table, good, bad) =>
        {
            var set = new ConstraintSet(good.Concat(bad));
            var e = Assert.ThrowsAny<TabTwinException>(() =>
                new ConstrainedSynthesizer(SynthesizerCatalog.Independent(), set).Fit(table, ConstraintFixtures.SchemaOf(table), new FitContext(0)));
            Assert.True(e.Code is "constraints.violated-by-data" or "constraints.infeasible", e.Code);
            Assert.Contains("Constraint #", e.Message);
        }, iter: 60, threads: 1);
    }
}
