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
        // Floors a little under what this seed measured, so a regression of the synthesizer or of the report shows here.
        // 2026-12-08 (this seed): overall 0.603, column shapes 0.677, pair trends 0.457, cardinality 0.990, intertable trends 0.289.
        // Down from 0.714 / 0.789 / 0.561 / 0.984 / 0.523 (2026-12-07) by two privacy rules, not by accident: tables under 10 rows
        // (Employee, MediaType) are regenerated instead of copied, so their real titles, dates and labels — every one held by
        // fewer than 5 rows — no longer appear (their shapes and the Employee → Customer trends fall), and each table's privacy
        // check holds out whole families, which raised protection on Track, Invoice and Album (with the row-wise check instead:
        // overall 0.647, pair trends 0.610). Issue 16 targets 0.90 overall; Playlist's 18 unique names still score 0.
        Assert.True(q.Overall >= 0.58, $"overall {q.Overall:0.000} < 0.58");
        Assert.True(q.ColumnShapes >= 0.64, $"column shapes {q.ColumnShapes:0.000} < 0.64");
        // Children-per-parent counts are put back on their real distribution: every relationship but the 8-row self-reference
        // and the link table's 18 playlists is at 1.000 for this seed.
        Assert.True(q.Cardinality >= 0.95, $"cardinality {q.Cardinality:0.000} < 0.95");
        Assert.All(q.Relationships, r => Assert.True(r.Cardinality >= 0.85, $"{r.Relationship}: cardinality {r.Cardinality:0.000} < 0.85"));
        Assert.True(q.IntertableTrends >= 0.26, $"intertable trends {q.IntertableTrends:0.000} < 0.26");
    }
}
