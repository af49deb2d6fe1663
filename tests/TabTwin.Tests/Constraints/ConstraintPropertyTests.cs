using CsCheck;
using TabTwin.Sampling.Constraints;
using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Tests.Constraints;

/// <summary>Random small tables with random rules: sampling satisfies every rule that holds, and refuses clearly otherwise.</summary>
public class ConstraintPropertyTests
{
    /// <summary>Columns x (integers), y = x + non-negative gap, p (2-decimal prices), q (1..4), t = p × q, c (categories tied to q).</summary>
    private static readonly Gen<Table> Tables = Gen.Select(Gen.Int[8, 40], Gen.Int[0, 1000]).Select((n, seed) =>
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

    [Fact]
    public void Rules_that_hold_on_the_data_hold_on_every_sampled_row()
    {
        Gen.Select(Tables, Subset(Holding, 1), Gen.Int[0, 2], Gen.ULong).Sample((table, rules, which, seed) =>
        {
            var set = new ConstraintSet(rules);
            Assert.True(set.Check(table).IsClean);
            ISynthesizer inner = which switch { 0 => SynthesizerCatalog.Independent(), 1 => SynthesizerCatalog.GaussianCopula(), _ => SynthesizerCatalog.Cart() };
            var model = new ConstrainedSynthesizer(inner, set).Fit(table, ConstraintFixtures.SchemaOf(table), new FitContext(seed));
            var sample = model.Sample(60, seed);
            Assert.Equal(60, sample.RowCount);
            var report = set.Check(sample);
            Assert.True(report.IsClean, report.Format());
        }, iter: 40, threads: 1);
    }

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
