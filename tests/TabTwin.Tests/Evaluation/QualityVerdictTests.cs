using TabTwin.Evaluation;
using TabTwin.Evaluation.Quality;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Registry;
using TabTwin.Synthesizers;
using TabTwin.Tests.Support;
using Xunit.Abstractions;

namespace TabTwin.Tests.Evaluation;

/// <summary>
/// The quality verdict on real tables: the <c>independent</c> baseline (every column alone, no association) must never
/// read "excellent", while CART, which models the associations, reads "good" or better.
/// </summary>
public sealed class QualityVerdictTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Tables => new()
    {
        { "adult", "adult.csv" }, { "insurance", "insurance.csv" }, { "titanic", "titanic3.csv" }, { "german_credit", "german_credit.csv" },
        { "penguins", "penguins.csv" }, { "bank_marketing", "bank_full.csv" }, { "credit_default_taiwan", "credit_default_taiwan.csv" }, { "wine_quality", "wine_quality.csv" },
        { "california_housing", "california_housing.csv" }, { "online_shoppers", "online_shoppers_intention.csv" },
    };

    private (QualityResult Quality, string Verdict) Evaluate(string dataset, string file, string synthesizer)
    {
        var real = TableReader.Read(TestData.Dataset(dataset, file));
        var schema = SchemaDetector.Detect(real);
        var synthetic = SynthesizerRegistry.Get(synthesizer).Create(null).Fit(real, schema, new FitContext(0)).Sample(real.RowCount, 0);
        var quality = QualityReport.Compute(real, synthetic, schema);
        string verdict = EvaluationVerdicts.Quality(quality);
        output.WriteLine($"{dataset} {synthesizer}: overall {quality.Overall:F3} (shapes {quality.ColumnShapes:F3}, trends {quality.ColumnPairTrends:F3} over {quality.PairsMeetingThreshold} pairs, all pairs {quality.AllPairTrends:F3}), kept {EvaluationVerdicts.TrendKept(quality):F2} → {verdict}");
        return (quality, verdict);
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void The_independent_baseline_is_never_excellent(string dataset, string file)
    {
        var (quality, verdict) = Evaluate(dataset, file, "independent");
        Assert.DoesNotContain("excellent", verdict);
        // Every one of these tables has real associations, and the baseline keeps none of them beyond chance (it can do
        // worse than independence: on titanic it pools home.dest's rare values, −0.18), so the verdict says they are lost.
        Assert.True(quality.PairsMeetingThreshold > 0, $"{dataset} has no pair with a real trend");
        Assert.True(EvaluationVerdicts.TrendKept(quality) < EvaluationVerdicts.LostTrendKept, $"kept {EvaluationVerdicts.TrendKept(quality):F2}");
        Assert.StartsWith("fair: columns match one by one, but the real data's pair trends are lost", verdict);
    }

    [Fact]
    public void The_baselines_verdict_names_its_worst_pair_on_adult()
    {
        var (quality, verdict) = Evaluate("adult", "adult.csv", "independent");
        // education-num is a code of education (Cramér's V ≈ 1); independent columns break that link entirely.
        Assert.Equal(("education", "education-num"), (quality.WorstTrendPair!.ColumnA, quality.WorstTrendPair.ColumnB));
        Assert.True(quality.WorstTrendPair.Score < 0.3, $"education × education-num {quality.WorstTrendPair.Score:F3}");
        Assert.StartsWith("fair: columns match one by one, but the real data's pair trends are lost", verdict);
        Assert.Contains("; worst pair education × education-num scores 0.2", verdict);
        Assert.Contains("real Cramér's V 1.00", verdict);
    }

    [Theory]
    [InlineData("adult", "adult.csv")]
    [InlineData("california_housing", "california_housing.csv")]
    public void Cart_reads_good_or_better(string dataset, string file)
    {
        var (quality, verdict) = Evaluate(dataset, file, "cart");
        Assert.True(verdict.StartsWith("excellent", StringComparison.Ordinal) || verdict.StartsWith("good", StringComparison.Ordinal), verdict);
        Assert.True(EvaluationVerdicts.TrendKept(quality) > EvaluationVerdicts.LostTrendKept);
    }

    [Fact]
    public void Cart_on_adult_is_excellent_and_names_no_far_off_pair()
    {
        var (_, verdict) = Evaluate("adult", "adult.csv", "cart");
        Assert.Equal("excellent: distributions and the real data's pair trends closely match", verdict);
    }
}
