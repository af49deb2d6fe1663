using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Synthesizers.GaussianCopula;
using TabTwin.Tables;
using TabTwin.Tests.GaussianCopula;

namespace TabTwin.Tests.Sampling;

/// <summary>CART and the Gaussian copula fitted once on all of UCI Adult (seed 0), shared by the conditional tests.</summary>
public sealed class ConditionalAdultFixture
{
    public ConditionalAdultFixture()
    {
        Real = AdultData.Table;
        var context = new FitContext(0) { MaxThreads = 2 };
        Cart = new CartSynthesizer().Fit(Real, AdultData.Schema, context);
        Copula = new GaussianCopulaSynthesizer().Fit(Real, AdultData.Schema, context);
    }

    public Table Real { get; }
    public CartModel Cart { get; }
    public GaussianCopulaModel Copula { get; }

    public ISynthesizerModel Model(string name) => name == "cart" ? Cart : Copula;

    /// <summary>Total variation distance between the value shares (missing counted as a value) of one column in two tables.</summary>
    public static double Tv(Table a, Table b, string column)
    {
        var ca = Shares(a, column);
        var cb = Shares(b, column);
        return 0.5 * ca.Keys.Union(cb.Keys).Sum(k => Math.Abs(ca.GetValueOrDefault(k) - cb.GetValueOrDefault(k)));
    }

    private static Dictionary<string, double> Shares(Table t, string column)
    {
        var c = t[column];
        var d = new Dictionary<string, double>();
        for (int i = 0; i < c.Length; i++) { var v = c.FormatValue(i) ?? "(missing)"; d[v] = d.GetValueOrDefault(v) + 1.0 / c.Length; }
        return d;
    }

    /// <summary>The rows of <paramref name="table"/> satisfying <paramref name="conditions"/>.</summary>
    public static Table Where(Table table, ConditionSet conditions) =>
        table.Take(Enumerable.Range(0, table.RowCount).Where(i => conditions.Matches(table, i)).ToArray());
}
