using System.Text.RegularExpressions;
using TabTwin.Evaluation.MultiTable;
using TabTwin.Evaluation.Report;
using TabTwin.Tables;

namespace TabTwin.Tests.Evaluation;

/// <summary>The multi-table HTML report on real chinook: a section and histogram per relationship, a section per table with its column charts.</summary>
public sealed class MultiTableHtmlReportTests
{
    [Fact]
    public void Chinook_report_has_a_children_per_parent_histogram_per_relationship_and_a_section_per_table()
    {
        var real = MultiTableQualityTests.Chinook();
        // Synthetic: every customer in the USA, so one column's shape (and its trends) changes.
        var synthetic = MultiTableQualityTests.Chinook((name, table) => name != "Customer" ? table
            : table.Without("Country").WithColumn(CategoricalColumn.FromStrings("Country", [.. Enumerable.Repeat("USA", table.RowCount)])));
        var result = MultiTableQuality.Evaluate(real, synthetic);
        var html = MultiTableHtmlReport.Render(result, real, synthetic);

        Assert.Equal(result.Relationships.Count, Regex.Matches(html, "<figure class=\"chart\" data-relationship=").Count);
        Assert.Contains("data-relationship=\"Employee.ReportsTo -&gt; Employee.EmployeeId\"", html);
        Assert.Equal(11, Regex.Matches(html, "<h2 data-table=").Count);
        int scoredColumns = result.Tables.Sum(t => t.Schema.Columns.Count);
        Assert.Equal(scoredColumns, Regex.Matches(html, "<figure class=\"chart\" data-column=").Count);
        // Every chart is titled; nothing external, no script.
        Assert.Equal(Regex.Matches(html, "<svg ").Count, Regex.Matches(html, "<svg [^>]*><title>").Count);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("(src|href)=\"https?:", html);
        // The reversed column is named as the worst.
        Assert.Equal(("Customer", "Country"), (result.WorstColumn!.Where, result.WorstColumn.What));
        Assert.Contains("<td>column</td><td>Customer</td><td>Country</td>", html);
    }

    [Fact]
    public void Many_distinct_child_counts_are_grouped_into_ranges_that_keep_every_parent()
    {
        // Counts 0..99 each held by one real parent and none synthetic, except 100 synthetic parents with 0 children.
        var histogram = Enumerable.Range(0, 100).Select(c => new ChildrenPerParent(c, 1, c == 0 ? 100 : 0)).ToList();
        var (labels, real, synthetic) = MultiTableHtmlReport.ChildrenHistogram(histogram);
        Assert.True(labels.Length <= 25, $"{labels.Length} bars");
        Assert.Equal("0–4", labels[0]);
        Assert.Equal(1, real.Sum(), 12);
        Assert.Equal(0.05, real[0], 12);
        Assert.Equal(1, synthetic[0], 12);
    }
}
