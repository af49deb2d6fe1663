using System.Diagnostics;
using TabTwin.Sampling;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Synthesizers.GaussianCopula;
using TabTwin.Tables;
using TabTwin.Tests.GaussianCopula;
using Xunit.Abstractions;

namespace TabTwin.Tests.Sampling;

public class ConditionalProbeTests(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        var table = AdultData.Table;
        var schema = AdultData.Schema;
        var sw = Stopwatch.StartNew();
        ISynthesizerModel[] models = [
            new CartSynthesizer().Fit(table, schema, new FitContext(0) { MaxThreads = 2 }),
            new GaussianCopulaSynthesizer().Fit(table, schema, new FitContext(0) { MaxThreads = 2 }),
        ];
        output.WriteLine($"fit {sw.ElapsedMilliseconds} ms");
        var sets = new[]
        {
            ConditionSet.Of(new EqualsCondition("sex", "Female"), RangeCondition.HalfOpen("age", 30, 40)),
            ConditionSet.Of(new EqualsCondition("race", "Amer-Indian-Eskimo"), RangeCondition.HalfOpen("age", 30, 40)),
            ConditionSet.Of(new EqualsCondition("relationship", "Wife"), RangeCondition.AtLeast("capital-gain", 1)),
        };
        foreach (var model in models)
        {
            sw.Restart();
            var u = model.Sample(26000, 1, new SampleContext { MaxThreads = 2 });
            output.WriteLine($"{model.SynthesizerName} uncond {sw.ElapsedMilliseconds} ms");
            foreach (var set in sets)
            {
                try
                {
                    sw.Restart();
                    var s = model.Sample(26000, set, 1, new SampleContext { MaxThreads = 2 });
                    output.WriteLine($"  {set}: {sw.ElapsedMilliseconds} ms");
                    var realRows = Enumerable.Range(0, table.RowCount).Where(i => set.Matches(table, i)).ToArray();
                    var real = table.Take(realRows);
                    foreach (var col in new[] { "income", "education", "relationship", "marital-status", "occupation" })
                        output.WriteLine($"    {col}: TV cond {Tv(real, s, col):F3}  TV uncond {Tv(real, u, col):F3}");
                }
                catch (TabTwinException e) { output.WriteLine($"  {set}: {e.Code} {e.Message}"); }
            }
        }
    }

    internal static double Tv(Table a, Table b, string column)
    {
        var ca = Counts(a, column); var cb = Counts(b, column);
        double na = ca.Values.Sum(), nb = cb.Values.Sum();
        return 0.5 * ca.Keys.Union(cb.Keys).Sum(k => Math.Abs(ca.GetValueOrDefault(k) / na - cb.GetValueOrDefault(k) / nb));
    }

    internal static Dictionary<string, double> Counts(Table t, string column)
    {
        var c = t[column];
        var d = new Dictionary<string, double>();
        for (int i = 0; i < c.Length; i++) { var v = c.FormatValue(i) ?? "(missing)"; d[v] = d.GetValueOrDefault(v) + 1; }
        return d;
    }
}
