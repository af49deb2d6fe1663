using System.Globalization;
using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Generation;

public class CsvSinkTests
{
    [Fact]
    public void Streamed_csv_spells_values_like_the_table_writer()
    {
        var rng = new Random(3);
        var values = Enumerable.Range(0, 5000).Select(i => Math.Round((rng.NextDouble() - 0.5) * Math.Pow(10, i % 9), i % 4)).ToArray();
        values[0] = 0.1 + 0.2; values[1] = -0.05; values[2] = 123456789.5;
        var table = new Table([
            new NumericColumn("d2", values.Select(v => Math.Round(v, 2)).ToArray(), isInteger: false, decimalPlaces: 2),
            new NumericColumn("d3", values.Select(v => Math.Round(v, 3)).ToArray(), isInteger: false, decimalPlaces: 3),
            new NumericColumn("r", values, isInteger: false, decimalPlaces: 0),
            new TextColumn("t", values.Select(v => v > 0 ? "a,\"b\"" : " x").ToArray()),
        ]);
        var dir = TestData.NewTempDir();
        TableWriter.Write(table, Path.Combine(dir, "whole.csv"));
        using (var sink = TableSinks.Open(Path.Combine(dir, "stream.csv")))
        {
            sink.Write(table.Head(2500));
            sink.Write(table.Take(Enumerable.Range(2500, 2500).ToArray()));
            sink.Complete();
        }
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "whole.csv")), File.ReadAllText(Path.Combine(dir, "stream.csv")));
    }
}
