using CsCheck;
using TabTwin.IO;
using TabTwin.Synthesizers.Cart;
using TabTwin.Synthesizers.Cart.Streaming;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using Xunit;

namespace TabTwin.Tests.Cart;

/// <summary>
/// Regression sums on <see cref="ExactTarget"/>'s fixed-point grid are exact: the same bits in any order of rows, which is
/// what lets a fit split its rows across chunks, units and machines. Plain double sums of the same values are not.
/// </summary>
public sealed class ExactTargetTests
{
    private static (double Sum, double Squares) Sums(ExactTarget target, double[] values, IEnumerable<int> order)
    {
        double sum = 0, squares = 0;
        foreach (int i in order)
        {
            double y = target.Value(values[i]);
            sum += y; squares += target.Square(y);
        }
        return (sum, squares);
    }

    [Fact]
    public void Sums_of_a_real_column_are_the_same_bits_in_any_order_and_plain_sums_are_not()
    {
        var table = TableReader.Read(TestData.Dataset("beijing_pm25", "beijing_pm25.csv"));
        var column = (NumericColumn)table["Iws"]; // cumulated wind speed: long-tailed, 0.45 … 585
        var values = Enumerable.Range(0, column.Length).Where(i => !column.IsMissing(i)).Select(i => column[i]).ToArray();
        var rows = Enumerable.Range(0, values.Length).ToArray();
        var target = ExactTarget.Of(values, rows);
        var forward = Sums(target, values, rows);
        bool plainDiffers = false;
        for (int seed = 1; seed <= 5; seed++)
        {
            var shuffled = rows.OrderBy(i => (i * 2654435761u + (uint)seed * 40503u) % 1_000_003).ToArray();
            Assert.Equal(forward, Sums(target, values, shuffled));
            double plain = 0, plainShuffled = 0;
            foreach (int i in rows) plain += values[i] * target.Scale - target.Centre;
            foreach (int i in shuffled) plainShuffled += values[i] * target.Scale - target.Centre;
            plainDiffers |= plain != plainShuffled;
        }
        Assert.True(plainDiffers, "plain double sums of this column depend on the order (why the grid is needed)");
        // The grid costs nothing visible: the variance from exact sums equals the double-precision variance to 1e-7 (relative).
        double n = values.Length, mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / n;
        double gridVariance = (forward.Squares - forward.Sum * forward.Sum / n) / n / (target.Scale * target.Scale);
        Assert.Equal(1, gridVariance / variance, 7);
    }

    [Fact]
    public void Any_split_of_the_rows_adds_up_to_the_whole()
    {
        Gen.Select(Gen.Double[-1e12, 1e12].Array[2, 3_000], Gen.Int[0, 1_000]).Sample((values, cut) =>
        {
            var rows = Enumerable.Range(0, values.Length).ToArray();
            var target = ExactTarget.Of(values, rows);
            cut = Math.Min(cut, values.Length);
            var whole = Sums(target, values, rows);
            var (a, b) = (Sums(target, values, rows[..cut]), Sums(target, values, rows[cut..].Reverse()));
            Assert.Equal(whole.Sum, a.Sum + b.Sum);
            Assert.Equal(whole.Squares, a.Squares + b.Squares);
        });
    }
}
