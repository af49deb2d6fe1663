using System.Text.RegularExpressions;
using TabTwin.Evaluation;
using TabTwin.Evaluation.Report;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Tests.Evaluation;

/// <summary>The HTML report: one chart per evaluated column, three heatmaps, escaped names, nothing external.</summary>
public sealed class HtmlReportTests
{
    internal const string NastyName = "<b>&\"x\"";

    internal static readonly TableSchema Schema = new()
    {
        Columns =
        [
            new ColumnSchema { Name = "x", Kind = ColumnKind.Numerical },
            new ColumnSchema { Name = NastyName, Kind = ColumnKind.Numerical },
            new ColumnSchema { Name = "c", Kind = ColumnKind.Categorical },
            new ColumnSchema { Name = "flag", Kind = ColumnKind.Boolean },
            new ColumnSchema { Name = "when", Kind = ColumnKind.Datetime },
        ],
    };

    internal static Table Draw(int rows, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var x = new double[rows]; var y = new double[rows]; var c = new string?[rows]; var flag = new bool[rows]; var when = new long[rows];
        for (int i = 0; i < rows; i++)
        {
            x[i] = rng.NextGaussian();
            y[i] = x[i] + 0.5 * rng.NextGaussian();
            c[i] = "pqr"[rng.NextInt(3)].ToString();
            flag[i] = rng.NextInt(2) == 0;
            when[i] = new DateTime(2020, 1, 1).AddDays(rng.NextInt(365)).Ticks;
        }
        return new Table([new NumericColumn("x", x), new NumericColumn(NastyName, y), CategoricalColumn.FromStrings("c", c),
            new BooleanColumn("flag", flag), new DateTimeColumn("when", when)]);
    }

    internal static string Render(out EvaluationResult result)
    {
        Table real = Draw(300, 1), synthetic = Draw(300, 2);
        result = EvaluationReport.Compute(real, synthetic, Schema, new EvaluationOptions { Seed = 1, DetectionRowsPerSide = 200, Holdout = Draw(100, 3), Target = "c" });
        return HtmlReport.Render(result, real, synthetic, Schema);
    }

    [Fact]
    public void Report_has_a_chart_per_column_three_heatmaps_and_escapes_names()
    {
        var html = Render(out _);
        int columnCharts = Regex.Matches(html, "<figure class=\"chart\" data-column=").Count;
        Assert.Equal(5, columnCharts);
        Assert.Equal(3, Regex.Matches(html, "<figure class=\"chart heatmap\">").Count);
        Assert.Equal(8, Regex.Matches(html, "<svg ").Count);
        Assert.Equal(8, Regex.Matches(html, "<svg [^>]*><title>").Count);
        Assert.DoesNotContain(Schema.Columns[1].Name, html);
        Assert.Contains("&lt;b&gt;&amp;&quot;x&quot;", html);
        Assert.Contains("data-column=\"&lt;b&gt;&amp;&quot;x&quot;\"", html);
        // Self-contained: no scripts and no external resources.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("(src|href)=\"https?:", html);
        Assert.Contains("Utility: TSTR ratio (c)", html);
    }

    [Fact]
    public void Skipped_parts_show_their_reason()
    {
        Table real = Draw(200, 1), synthetic = Draw(200, 2);
        var result = EvaluationReport.Compute(real, synthetic, Schema, new EvaluationOptions { Seed = 1, DetectionRowsPerSide = 100 });
        var html = HtmlReport.Render(result, real, synthetic, Schema);
        Assert.Contains("Skipped: no holdout given", html);
        Assert.Contains("class=\"card skipped\"", html);
    }
}
