using System.Diagnostics;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;
using TabTwin.Tests.GaussianCopula;

namespace TabTwin.Tests.Cart;

/// <summary>One CART fit on the Adult 80/20 training split (seed 0) and one train-size sample, shared by the Adult tests.</summary>
public sealed class CartAdultFixture
{
    public CartAdultFixture()
    {
        var clock = Stopwatch.StartNew();
        Model = new CartSynthesizer().Fit(AdultData.Train, AdultData.Schema, new FitContext(0) { MaxThreads = 2 });
        FitTime = clock.Elapsed;
        Synthetic = Model.Sample(AdultData.Train.RowCount, 1, new SampleContext { MaxThreads = 2 });
        TotalTime = clock.Elapsed;
    }

    public CartModel Model { get; }
    public Table Synthetic { get; }
    public TimeSpan FitTime { get; }
    public TimeSpan TotalTime { get; }

    public static HashSet<double> Values(Table table, string column)
    {
        var c = (NumericColumn)table[column];
        var set = new HashSet<double>();
        for (int i = 0; i < c.Length; i++) if (!c.IsMissing(i)) set.Add(c[i]);
        return set;
    }

    public static Dictionary<string, int> Counts(Table table, string column)
    {
        var counts = new Dictionary<string, int>();
        int index = table.IndexOf(column);
        for (int i = 0; i < table.RowCount; i++)
        {
            var v = table.FormatRow(i)[index];
            if (v is null) continue;
            counts[v] = counts.GetValueOrDefault(v) + 1;
        }
        return counts;
    }
}
