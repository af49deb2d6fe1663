using TabTwin.Encoding;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;
using TabTwin.Tests.Cli;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Hardening;

/// <summary>
/// Capping a column's categories (issue 15, item 4: bounded memory on high-cardinality columns) must be said, not done
/// silently: which column, how many categories, how many rows were pooled — through the library's warning channel
/// (<see cref="FitContext.Warning"/>) and on the CLI's stderr. Data: the airbnb NYC listings' 200-odd neighbourhoods,
/// with the cap lowered to 40 so a real table reaches it.
/// </summary>
public class CategoryCapTests
{
    private static string ListingsCsv()
    {
        var listings = TableReader.Read(TestData.Dataset("airbnb_nyc_2019", "AB_NYC_2019.csv"));
        var path = Path.Combine(TestData.NewTempDir(), "listings.csv");
        TableWriter.Write(new Table([listings["neighbourhood"], listings["room_type"], listings["price"]]), path);
        return path;
    }

    /// <summary>What the cap must report: categories seen at least 5 times, and the rows of those beyond the 40 most frequent.</summary>
    private static (int Frequent, int Pooled, long PooledRows) Expected(Table table)
    {
        var column = table["neighbourhood"];
        var counts = Enumerable.Range(0, column.Length).Where(i => !column.IsMissing(i)).Select(i => column.FormatValue(i)!)
            .Select((v, i) => (v, i)).GroupBy(p => p.v).Select(g => (Count: g.Count(), First: g.Min(p => p.i)))
            .Where(g => g.Count >= 5).OrderByDescending(g => g.Count).ThenBy(g => g.First).ToArray();
        return (counts.Length, counts.Length - 40, counts.Skip(40).Sum(g => (long)g.Count));
    }

    [Fact]
    public void Capped_categories_are_reported_through_the_fit_context_with_column_counts_and_rows()
    {
        var table = TableReader.Read(ListingsCsv());
        var (frequent, pooled, pooledRows) = Expected(table);
        Assert.True(pooled > 50, $"only {pooled} categories beyond the cap");
        var warnings = new List<string>();
        var cart = new CartSynthesizer(new CartOptions { Encoding = new EncodingOptions { RareCategoryThreshold = 5, MaxCategories = 40 } });
        var model = cart.Fit(table, SchemaDetector.Detect(table), new FitContext(0) { Warning = warnings.Add });
        var warning = Assert.Single(warnings);
        Assert.Contains("column 'neighbourhood'", warning);
        Assert.Contains($"{frequent:N0} categories", warning);
        Assert.Contains($"other {pooled:N0} ({pooledRows:N0} rows) are pooled", warning);
        // The cap is what it says: 40 neighbourhoods at most come out.
        var sample = model.Sample(3000, 1);
        Assert.InRange(Enumerable.Range(0, 3000).Select(i => sample["neighbourhood"].FormatValue(i)).Distinct().Count(), 2, 40);
    }

    [Fact]
    public void The_cli_says_on_stderr_which_column_was_capped()
    {
        var path = ListingsCsv();
        var (_, pooled, pooledRows) = Expected(TableReader.Read(path));
        var output = Path.Combine(Path.GetDirectoryName(path)!, "out.csv");
        // The partial "encoding" object fills in CART's defaults: its rare threshold of 5 stays (the expected counts use it).
        var run = CliRunner.Run("run", path, "-o", output, "-n", "500", "-q", "--options", "{\"encoding\":{\"maxCategories\":40}}");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var line = Assert.Single(run.ErrorLines, l => l.StartsWith("warning:"));
        Assert.Contains("column 'neighbourhood'", line);
        Assert.True(line.Contains($"other {pooled:N0} ({pooledRows:N0} rows)"), line);
    }
}
