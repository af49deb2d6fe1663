using System.Diagnostics;
using TabTwin.Evaluation.Quality;
using TabTwin.Synthesizers.GaussianCopula;
using Xunit.Abstractions;

namespace TabTwin.Tests.GaussianCopula;

public sealed class CopulaAdultScratchTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(CategoryOrdering.Frequency)]
    [InlineData(CategoryOrdering.LatentFactor)]
    public void Core_quality_on_adult(CategoryOrdering ordering)
    {
        var train = AdultData.Train;
        var encoded = LocalEncoding.Encode(train);
        var options = new GaussianCopulaOptions { CategoryOrdering = ordering };
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 2 };
        var sw = Stopwatch.StartNew();
        var copula = CopulaFitter.Fit(encoded, options.ToFitSettings(), 0, parallel);
        var fitTime = sw.Elapsed;
        var sampled = CopulaSampler.Sample(copula, train.RowCount, 1, parallel);
        var total = sw.Elapsed;
        var synthetic = LocalEncoding.Decode(sampled, train);
        var q = QualityReport.Compute(train, synthetic, AdultData.Schema);
        output.WriteLine($"fit {fitTime.TotalMilliseconds:0} ms, fit+sample {total.TotalMilliseconds:0} ms");
        output.WriteLine($"shapes {q.ColumnShapes:0.0000} trends {q.ColumnPairTrends:0.0000} overall {q.Overall:0.0000}");
        foreach (var c in copula.Columns) output.WriteLine(c.Summary().ToString());
        foreach (var s in q.ColumnDetails) output.WriteLine($"{s.Column} {s.Metric} {s.Score:0.0000}");
        foreach (var p in q.PairDetails.OrderBy(p => p.Score).Take(15)) output.WriteLine($"{p.ColumnA}~{p.ColumnB} {p.Metric} {p.Score:0.0000}");
    }
}
