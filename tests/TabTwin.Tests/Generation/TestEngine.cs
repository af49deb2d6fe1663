using System.Text.RegularExpressions;
using TabTwin.Encoding;
using TabTwin.Generation.Spec;
using TabTwin.Tables;

namespace TabTwin.Tests.Generation;

/// <summary>
/// A deliberately small single-table generator for the related-tables tests (sequence, simple ids, Poisson, uniform,
/// normal, exponential, categorical, date/datetime ranges), so those tests exercise the relation logic alone.
/// </summary>
internal static class TestEngine
{
    public static Table Generate(GenerationSpec spec, TableSpec table, long rows, ulong seed)
    {
        int n = checked((int)rows);
        var columns = new List<Column>();
        for (int c = 0; c < table.Columns.Count; c++)
        {
            var column = table.Columns[c];
            var random = new SeededRandom(SeededRandom.Derive(seed, (ulong)c));
            columns.Add(column.Distribution switch
            {
                Distribution.Sequence s => new NumericColumn(column.Name, Enumerable.Range(0, n).Select(i => (double)(s.Start + i * s.Step)).ToArray(), isInteger: true),
                Distribution.Id id => Ids(column.Name, id, n),
                Distribution.Categorical k => Categorical(column.Name, k, n, random),
                Distribution.DateTimeRange d => Dates(column, d, n, random),
                var d => Numbers(column, d, n, random),
            });
        }
        return new Table(columns);
    }

    private static Column Ids(string name, Distribution.Id id, int n)
    {
        var match = Regex.Match(id.Format, "^(.*)\\{(0+)\\}(.*)$");
        int width = match.Groups[2].Length;
        var values = Enumerable.Range(0, n).Select(i => (string?)(match.Groups[1].Value + (id.Start + i * id.Step).ToString().PadLeft(width, '0') + match.Groups[3].Value)).ToList();
        return CategoricalColumn.FromStrings(name, values);
    }

    private static Column Categorical(string name, Distribution.Categorical k, int n, SeededRandom random)
    {
        double running = 0;
        var cumulative = k.Weights.Select(w => running += w).ToArray();
        return CategoricalColumn.FromStrings(name, Enumerable.Range(0, n).Select(_ => (string?)k.Values[random.NextWeighted(cumulative)]).ToList());
    }

    private static Column Dates(ColumnSpec column, Distribution.DateTimeRange d, int n, SeededRandom random)
    {
        var ticks = new long[n];
        for (int i = 0; i < n; i++)
        {
            long t = d.From.Ticks + (long)(random.NextDouble() * (d.To.Ticks - d.From.Ticks));
            long step = d.DateOnly ? TimeSpan.TicksPerDay : d.Resolution?.Ticks ?? 1;
            ticks[i] = t - t % step;
        }
        return new DateTimeColumn(column.Name, ticks, format: column.Format ?? (d.DateOnly ? "yyyy-MM-dd" : "yyyy-MM-ddTHH:mm:ss"));
    }

    private static Column Numbers(ColumnSpec column, Distribution d, int n, SeededRandom random)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            double v = d switch
            {
                Distribution.Poisson p => Poisson(p.Lambda, random),
                Distribution.Uniform u => u.Min + random.NextDouble() * (u.Max - u.Min),
                Distribution.Normal g => g.Mean + g.Sd * random.NextGaussian(),
                Distribution.Exponential e => -Math.Log(random.NextOpenUnit()) / e.Rate,
                _ => throw new NotSupportedException($"TestEngine does not draw {d.TypeName}."),
            };
            if (column.Min is { } lo) v = Math.Max(lo, v);
            if (column.Max is { } hi) v = Math.Min(hi, v);
            values[i] = column.Round is { } r ? Math.Round(v, r) : v;
        }
        return new NumericColumn(column.Name, values, isInteger: column.Round == 0);
    }

    private static double Poisson(double lambda, SeededRandom random)
    {
        double limit = Math.Exp(-lambda), product = random.NextDouble();
        int k = 0;
        while (product > limit) { product *= random.NextDouble(); k++; }
        return k;
    }
}
