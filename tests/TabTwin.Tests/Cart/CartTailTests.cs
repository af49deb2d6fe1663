using TabTwin.IO;
using TabTwin.Randomness;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cart;

/// <summary>
/// How far CART's numbers reach (issue 14): never to the few records that alone span a column's extremes, at any table
/// size, yet a populated long tail keeps its range. The former rule clipped to the 0.1 %–99.9 % quantiles: nothing of a
/// table under 1,000 rows (its exact minimum and maximum bounded the draws) and 1,000 rows of a million-row tail.
/// </summary>
public class CartTailTests
{
    [Theory]
    [InlineData("german_credit", "german_credit.csv")]
    [InlineData("penguins", "penguins.csv")]
    [InlineData("titanic", "titanic3.csv")]
    [InlineData("insurance", "insurance.csv")]
    public void On_small_real_tables_no_value_reaches_beyond_the_fifth_most_extreme_training_value(string dataset, string file)
    {
        var train = TableReader.Read(TestData.Dataset(dataset, file));
        var schema = SchemaDetector.Detect(train);
        var synthetic = new CartSynthesizer().Fit(train, schema, new FitContext(0)).Sample(train.RowCount, 0);
        int checkedColumns = 0, wouldHaveEchoed = 0;
        foreach (var column in schema.Columns.Where(c => c.Kind == ColumnKind.Numerical))
        {
            var real = Present(train[column.Name]);
            var fake = Present(synthetic[column.Name]);
            if (real.Length < 10 || fake.Length == 0) continue;
            checkedColumns++;
            Assert.InRange(fake.Min(), real[4], real[^5]);
            Assert.InRange(fake.Max(), real[4], real[^5]);
            // An extreme held by fewer than 5 rows is never emitted (a value held by 5 or more is not rare and may be).
            if (real[0] < real[4]) Assert.DoesNotContain(real[0], fake);
            if (real[^1] > real[^5]) { Assert.DoesNotContain(real[^1], fake); wouldHaveEchoed++; }
        }
        Assert.True(checkedColumns >= 2, $"{dataset}: only {checkedColumns} numeric columns checked");
        Assert.True(wouldHaveEchoed >= 1, $"{dataset}: no column has a maximum held by fewer than 5 rows, so this test proves nothing there");
    }

    [Fact]
    public void A_populated_long_tail_keeps_its_range()
    {
        // 40,000 incomes with a log-normal tail (40 rows above the 99.9 % quantile) and a spend that follows them.
        const int n = 40_000;
        var random = new SeededRandom(11);
        var income = new double[n];
        var spend = new double[n];
        for (int i = 0; i < n; i++)
        {
            income[i] = Math.Round(Math.Exp(10 + 0.8 * random.NextGaussian()));
            spend[i] = Math.Round(0.3 * income[i] * Math.Exp(0.2 * random.NextGaussian()));
        }
        var table = new Table([new NumericColumn("income", income), new NumericColumn("spend", spend)]);
        var synthetic = new CartSynthesizer().Fit(table, SchemaDetector.Detect(table), new FitContext(0)).Sample(n, 0);

        var real = income.Order().ToArray();
        var fake = Present(synthetic["income"]);
        double formerBound = real[(int)Math.Ceiling(0.999 * (n - 1))];
        double beyond = fake.Count(v => v > formerBound) / (double)n;
        Assert.True(fake.Max() > formerBound, $"synthetic max {fake.Max()} stays below the former 99.9 % bound {formerBound}");
        Assert.True(fake.Max() <= real[^5], $"synthetic max {fake.Max()} beyond the fifth largest real value {real[^5]}");
        Assert.InRange(beyond, 0.0003, 0.003); // real: 0.001
    }

    private static double[] Present(Column column)
    {
        var numbers = (NumericColumn)column;
        return Enumerable.Range(0, numbers.Length).Where(i => !numbers.IsMissing(i)).Select(i => numbers[i]).Order().ToArray();
    }
}
