using System.Diagnostics;
using TabTwin.Evaluation.MultiTable;
using TabTwin.MultiTable;
using TabTwin.Schema.Relational;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using Xunit.Abstractions;

namespace TabTwin.Tests.MultiTable;

/// <summary>
/// The relational datasets of ../shared/datasets learned and sampled whole: several parents and two keys to one parent
/// plus a composite key (nycflights13), composite keys (lahman_baseball), a chain of depth 4 (berka_financial).
/// </summary>
[Trait("Category", TestData.LargeData)]
public sealed class LargeDatabaseSynthesisTests(ITestOutputHelper output)
{
    private (RelationalData Real, RelationalData Synthetic, MultiTableQualityResult Quality) Run(string dataset)
    {
        var real = dataset == "nycflights13" ? RelationalSamples.Nycflights13() : RelationalSamples.Large(dataset);
        var clock = Stopwatch.StartNew();
        var model = MultiTableSynthesizer.Fit(real, new MultiTableOptions { Seed = 1, Warning = w => output.WriteLine("warning: " + w) });
        var fit = clock.Elapsed;
        var synthetic = model.Sample(seed: 2);
        output.WriteLine($"{dataset}: fit {fit.TotalSeconds:F1} s, sample {(clock.Elapsed - fit).TotalSeconds:F1} s");
        foreach (var t in real.Metadata.ParentsFirst) output.WriteLine($"  {t}: real {real[t].RowCount:N0}, synthetic {synthetic[t].RowCount:N0}");
        Assert.Empty(RelationalSamples.BrokenReferences(synthetic).Take(10));
        Assert.Empty(RelationalSamples.BrokenPrimaryKeys(synthetic));
        var quality = MultiTableQuality.Evaluate(real, synthetic);
        foreach (var line in quality.SummaryLines()) output.WriteLine("  " + line);
        foreach (var r in quality.Relationships) output.WriteLine($"  {r.Relationship}: cardinality {r.Cardinality:F3}, intertable {r.IntertableTrends:F3}");
        // Children-per-row counts are put back on their real distribution and repeated keys repaired rather than dropped:
        // every relationship keeps its cardinality shape (issue 16: ≥ 0.90 each) and every table its real row count.
        Assert.All(quality.Relationships, r => Assert.True(r.Cardinality >= 0.90, $"{r.Relationship}: cardinality {r.Cardinality:F3} < 0.90"));
        Assert.All(real.Metadata.Tables, t => Assert.Equal(real[t].RowCount, synthetic[t].RowCount));
        return (real, synthetic, quality);
    }

    [SkippableFact]
    public void Nycflights13_keeps_every_key_and_long_flights_go_to_far_airports()
    {
        var (real, synthetic, quality) = Run("nycflights13");
        Assert.True(quality.Overall >= QualityFloors["nycflights13"], $"quality {quality.Overall:F3}");
        // Distance and destination longitude go together in the real data (west coast = long flights: r = −0.95); a uniform
        // draw of destinations gives r ≈ 0. Measured 2026-12-07: −0.59 (the capacity of each synthetic airport, its sampled
        // number of arrivals, sends some flights to a farther-off airport with room left).
        double realR = DistanceLongitude(real), synthR = DistanceLongitude(synthetic);
        output.WriteLine($"corr(distance, dest lon): real {realR:F3}, synthetic {synthR:F3}");
        Assert.True(synthR < -0.5, $"corr(distance, dest longitude) synthetic {synthR:F3}, real {realR:F3}");
    }

    [SkippableFact]
    public void Lahman_composite_keys_resolve()
    {
        var (_, synthetic, quality) = Run("lahman_baseball");
        Assert.True(quality.Overall >= QualityFloors["lahman_baseball"], $"quality {quality.Overall:F3}");
        Assert.True(synthetic["Salaries"].RowCount > 10_000);
    }

    [SkippableFact]
    public void Berka_chain_of_depth_four_resolves()
    {
        var (_, synthetic, quality) = Run("berka_financial");
        Assert.True(quality.Overall >= QualityFloors["berka_financial"], $"quality {quality.Overall:F3}");
        Assert.True(synthetic["card"].RowCount > 400);
    }

    /// <summary>Floors a little under what seeds 1 (fit) and 2 (sample) measured on 2026-12-07 (see README), so a regression shows.</summary>
    private static readonly Dictionary<string, double> QualityFloors = new()
    {
        ["nycflights13"] = 0.83, ["lahman_baseball"] = 0.83, ["berka_financial"] = 0.87,
    };

    private static double DistanceLongitude(RelationalData data)
    {
        var flights = data["flights"];
        var airports = data["airports"];
        var lon = Enumerable.Range(0, airports.RowCount).Where(i => !airports["lon"].IsMissing(i))
            .ToDictionary(i => airports["faa"].FormatValue(i)!, i => ((NumericColumn)airports["lon"])[i]);
        var pairs = Enumerable.Range(0, flights.RowCount)
            .Where(i => !flights["distance"].IsMissing(i) && flights["dest"].FormatValue(i) is { } d && lon.ContainsKey(d))
            .Select(i => (X: ((NumericColumn)flights["distance"])[i], Y: lon[flights["dest"].FormatValue(i)!])).ToArray();
        double mx = pairs.Average(p => p.X), my = pairs.Average(p => p.Y);
        double sxy = pairs.Sum(p => (p.X - mx) * (p.Y - my)), sxx = pairs.Sum(p => (p.X - mx) * (p.X - mx)), syy = pairs.Sum(p => (p.Y - my) * (p.Y - my));
        return sxy / Math.Sqrt(sxx * syy);
    }
}
