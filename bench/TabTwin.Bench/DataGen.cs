using System.Globalization;
using System.Text;

namespace TabTwin.Bench;

/// <summary>Writes a wide synthetic CSV for load benchmarks (deterministic for the seed).</summary>
internal static class DataGen
{
    private static readonly string[] Cities = ["Berlin", "Paris", "Zürich", "Lisboa", "東京", "New York", "São Paulo", "Oslo", "Madrid", "Roma"];
    private static readonly string[] Segments = ["retail", "sme", "corporate", "private"];
    private static readonly string[] Products = Enumerable.Range(0, 200).Select(i => $"product-{i:000}").ToArray();
    private static readonly string[] Channels = ["web", "app", "branch", "phone", "partner"];

    public static void WriteWideCsv(string path, int rows, int seed)
    {
        var rng = new Random(seed);
        var tmp = path + ".tmp";
        using (var w = new StreamWriter(tmp, false, new UTF8Encoding(false), 1 << 20))
        {
            w.WriteLine("id,age,tenure_months,visits,items,children,score_int,year,balance,income,rate,weight,price,city,segment,product,channel,opened,last_login,active");
            var start = new DateTime(2015, 1, 1);
            for (int i = 0; i < rows; i++)
            {
                string M(string s) => rng.NextDouble() < 0.02 ? "" : s;
                var ci = CultureInfo.InvariantCulture;
                w.Write(i + 1); w.Write(',');
                w.Write(M(rng.Next(18, 90).ToString(ci))); w.Write(',');
                w.Write(M(rng.Next(0, 240).ToString(ci))); w.Write(',');
                w.Write(M(rng.Next(0, 50).ToString(ci))); w.Write(',');
                w.Write(M(rng.Next(1, 20).ToString(ci))); w.Write(',');
                w.Write(M(rng.Next(0, 5).ToString(ci))); w.Write(',');
                w.Write(M(rng.Next(300, 850).ToString(ci))); w.Write(',');
                w.Write(M(rng.Next(1990, 2025).ToString(ci))); w.Write(',');
                w.Write(M((rng.NextDouble() * 100000 - 5000).ToString("0.00", ci))); w.Write(',');
                w.Write(M(Math.Exp(10 + rng.NextDouble() * 2).ToString("0.00", ci))); w.Write(',');
                w.Write(M((rng.NextDouble() * 0.2).ToString("0.0000", ci))); w.Write(',');
                w.Write(M((50 + rng.NextDouble() * 50).ToString("0.0", ci))); w.Write(',');
                w.Write(M((rng.NextDouble() * 500).ToString("0.00", ci))); w.Write(',');
                w.Write(M(Cities[rng.Next(Cities.Length)])); w.Write(',');
                w.Write(M(Segments[rng.Next(Segments.Length)])); w.Write(',');
                w.Write(M(Products[rng.Next(Products.Length)])); w.Write(',');
                w.Write(M(Channels[rng.Next(Channels.Length)])); w.Write(',');
                w.Write(M(start.AddDays(rng.Next(0, 3650)).ToString("yyyy-MM-dd", ci))); w.Write(',');
                w.Write(M(start.AddSeconds(rng.NextDouble() * 3650 * 86400).ToString("yyyy-MM-dd HH:mm:ss", ci))); w.Write(',');
                w.WriteLine(M(rng.Next(2) == 0 ? "true" : "false"));
            }
        }
        File.Move(tmp, path, overwrite: true);
    }
}
