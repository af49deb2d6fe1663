using TabTwin.Evaluation.MultiTable;
using TabTwin.MultiTable;
using TabTwin.Tests.Support;
using Xunit.Abstractions;

namespace TabTwin.Tests.Evaluation;

/// <summary>The whole path on real data: chinook learned by the multi-table synthesizer, sampled, and scored by the multi-table quality report.</summary>
public sealed class MultiTableEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public void Chinook_fitted_and_sampled_keeps_full_integrity_and_scores_above_the_floor()
    {
        var real = TestData.Chinook();
        var synthetic = MultiTableSynthesizer.Fit(real, new MultiTableOptions { Seed = 5 }).Sample(seed: 9);
        var q = MultiTableQuality.Evaluate(real, synthetic);
        foreach (var line in q.SummaryLines()) output.WriteLine(line);

        Assert.Equal(1, q.ReferentialIntegrity);
        Assert.All(q.Relationships, r => Assert.Equal(0, r.SyntheticIntegrity.Orphans));
        // Floors a little under what this seed measured (2026-12-07 after the cardinality, unique-key and self-reference
        // work, on main 14:00 UTC: overall 0.714, column shapes 0.789, pair trends 0.561, cardinality 0.984, intertable trends 0.523; before
        // it 0.639 / 0.806 / 0.513 / 0.862 / 0.374; issue 16 targets 0.90 overall), so a regression of the synthesizer or of
        // the report shows here. Small tables weigh in fully: Playlist's 18 unique names and Employee's 8 rows pull it down.
        Assert.True(q.Overall >= 0.68, $"overall {q.Overall:0.000} < 0.68");
        Assert.True(q.ColumnShapes >= 0.75, $"column shapes {q.ColumnShapes:0.000} < 0.75");
        // Children-per-parent counts are put back on their real distribution: every relationship but the 8-row self-reference
        // and the link table's 18 playlists is at 1.000 for this seed.
        Assert.True(q.Cardinality >= 0.95, $"cardinality {q.Cardinality:0.000} < 0.95");
        Assert.All(q.Relationships, r => Assert.True(r.Cardinality >= 0.85, $"{r.Relationship}: cardinality {r.Cardinality:0.000} < 0.85"));
        Assert.True(q.IntertableTrends >= 0.45, $"intertable trends {q.IntertableTrends:0.000} < 0.45");
    }
}
