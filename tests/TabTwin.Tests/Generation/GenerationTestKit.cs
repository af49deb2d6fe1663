using TabTwin.Generation;
using TabTwin.Generation.Spec;
using TabTwin.Tables;

namespace TabTwin.Tests.Generation;

/// <summary>Small helpers: generate a one-table spec written as YAML columns, read numbers back, rank-correlate.</summary>
internal static class GenerationTestKit
{
    public static GenerationSpec Spec(string columnsYaml, long rows, string extra = "") =>
        SpecReader.FromYaml($"rows: {rows}\n{extra}columns:\n" + string.Join("\n", columnsYaml.Split('\n').Select(l => "  " + l.TrimEnd())));

    public static Table Generate(string columnsYaml, long rows, ulong seed = 1, int threads = 2, string extra = "") =>
        DataGenerator.Generate(Spec(columnsYaml, rows, extra), options: new GenerateOptions { Seed = seed, Threads = threads });

    public static double[] Numbers(Table t, string column)
    {
        var c = t.Get<NumericColumn>(column);
        var list = new List<double>(c.Length);
        for (int i = 0; i < c.Length; i++) if (!c.Missing[i]) list.Add(c[i]);
        return list.ToArray();
    }

    public static (double Mean, double Variance) Moments(double[] x)
    {
        double mean = x.Average();
        double variance = x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1);
        return (mean, variance);
    }

    /// <summary>Spearman correlation with average ranks for ties.</summary>
    public static double Spearman(double[] a, double[] b) => Pearson(Ranks(a), Ranks(b));

    public static double[] Ranks(double[] x)
    {
        var idx = Enumerable.Range(0, x.Length).OrderBy(i => x[i]).ToArray();
        var ranks = new double[x.Length];
        for (int i = 0; i < idx.Length;)
        {
            int j = i;
            while (j + 1 < idx.Length && x[idx[j + 1]] == x[idx[i]]) j++;
            double r = (i + j) / 2.0;
            for (int k = i; k <= j; k++) ranks[idx[k]] = r;
            i = j + 1;
        }
        return ranks;
    }

    public static double Pearson(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>Kolmogorov–Smirnov distance between the sample and a CDF.</summary>
    public static double KsDistance(double[] sample, Func<double, double> cdf)
    {
        var s = (double[])sample.Clone();
        Array.Sort(s);
        double d = 0;
        for (int i = 0; i < s.Length; i++)
        {
            double f = cdf(s[i]);
            d = Math.Max(d, Math.Max(Math.Abs(f - (double)i / s.Length), Math.Abs((i + 1.0) / s.Length - f)));
        }
        return d;
    }

    public static string Csv(Table t)
    {
        using var ms = new MemoryStream();
        var path = Path.Combine(Support.TestData.NewTempDir(), "t.csv");
        TabTwin.IO.TableWriter.Write(t, path);
        return File.ReadAllText(path);
    }
}
