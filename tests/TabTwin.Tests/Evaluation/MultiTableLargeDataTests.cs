using TabTwin.Evaluation.MultiTable;
using TabTwin.IO;
using TabTwin.Schema.Relational;
using TabTwin.Tests.Support;
using Xunit.Abstractions;

namespace TabTwin.Tests.Evaluation;

/// <summary>
/// The multi-table quality report on the full relational datasets of ../shared (composite keys, two keys to one
/// parent, chains, orphans in the real data): a database against itself scores 1 on every defined property, and its
/// orphans counted by the report equal those the reader counted on its own.
/// </summary>
[Trait("Category", TestData.LargeData)]
public sealed class MultiTableLargeDataTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData("berka_financial", null)]
    // weather's key (origin, year, month, day, hour) repeats at the autumn clock change: the reader keeps the first row of each.
    [InlineData("nycflights13", null)]
    [InlineData("lahman_baseball", null)]
    public void A_real_database_against_itself_scores_one_and_counts_its_real_orphans(string dataset, string? tables)
    {
        var real = RelationalSource.Read(Path.GetDirectoryName(TestData.LargeDataset(dataset, "foreign_keys.txt"))!,
            new RelationalReadOptions { Orphans = OrphanPolicy.Keep, Tables = tables?.Split(',') });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var q = MultiTableQuality.Evaluate(real, real);
        output.WriteLine($"{dataset}: {real.RowCount:N0} rows, evaluated in {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var line in q.SummaryLines()) output.WriteLine(line);

        foreach (var score in new[] { q.ColumnShapes, q.ColumnPairTrends, q.Cardinality, q.IntertableTrends, q.Overall })
            Assert.True(double.IsNaN(score) || Math.Abs(score - 1) < 1e-12, $"{dataset}: a property scored {score} against itself");
        Assert.Equal(real.Metadata.ForeignKeys.Count, q.Relationships.Count);
        foreach (var r in q.Relationships)
        {
            Assert.Equal(r.RealIntegrity, r.SyntheticIntegrity);
            // The reader counts orphans on its own (KeyIntegrity); both counts must agree.
            int reported = real.Orphans.Where(o => o.ForeignKey.ToString() == r.Relationship).Sum(o => o.Rows);
            Assert.Equal(reported, r.RealIntegrity.Orphans);
        }
    }
}
