using TabTwin.IO;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using TabTwin.Registry;

namespace TabTwin.Tests.Constraints;

/// <summary>
/// Exact structures of real tables are found and kept without the user writing a constraint (issue 14): covertype's
/// one-hot soil and wilderness groups, nycflights13's and beijing_pm25's dates split into year/month/day[/hour].
/// </summary>
public class DetectedStructureTests
{
    [Fact]
    public void Covertype_one_hot_groups_are_detected_and_no_synthetic_row_breaks_them()
    {
        var table = Subsample(TableReader.Read(TestData.Dataset("covertype", "covertype_20k.csv")), 3_000);
        var schema = SchemaDetector.Detect(table);
        var detected = StructureDetector.Detect(table, schema);
        var groups = detected.Select(d => d.Rule).OfType<OneHotConstraint>().ToList();
        Assert.Equal(2, groups.Count);
        Assert.Contains(groups, g => g.Columns.Count == 40 && g.Columns.All(c => c.StartsWith("Soil_Type", StringComparison.Ordinal)));
        Assert.Contains(groups, g => g.Columns.Count == 4 && g.Columns.All(c => c.StartsWith("Wilderness_Area", StringComparison.Ordinal)));
        Assert.All(detected, d => Assert.Contains("exactly one 1", d.Reason));

        var rules = StructureDetector.ForFit(table, schema, metadataPath: null);
        var synthetic = new ConstrainedSynthesizer(SynthesizerCatalog.Cart(), rules).Fit(table, schema, new FitContext(1)).Sample(3_000, 2);
        Assert.True(rules.Check(synthetic).IsClean, rules.Check(synthetic).Format());
        foreach (var g in groups)
            for (int i = 0; i < synthetic.RowCount; i++)
                Assert.Equal(1, g.Columns.Count(c => ((NumericColumn)synthetic[c])[i] == 1));
    }

    [Theory]
    [InlineData("nycflights13", "flights.csv", "year,month,day")]
    [InlineData("beijing_pm25", "beijing_pm25.csv", "year,month,day,hour")]
    public void Date_parts_are_synthesized_as_one_date_so_no_impossible_date_appears(string dataset, string file, string parts)
    {
        var table = Subsample(TableReader.Read(TestData.Dataset(dataset, file)), 4_000);
        var schema = SchemaDetector.Detect(table);
        var rule = Assert.Single(StructureDetector.Detect(table, schema).Select(d => d.Rule).OfType<DatePartsConstraint>());
        Assert.Equal(parts.Split(','), rule.Columns);

        var rules = StructureDetector.ForFit(table, schema, metadataPath: null);
        foreach (var synthesizer in new[] { "cart", "gaussian-copula" })
        {
            var synthetic = new ConstrainedSynthesizer(SynthesizerRegistry.Get(synthesizer).Create(null), rules)
                .Fit(table, schema, new FitContext(1)).Sample(4_000, 3);
            int impossible = 0;
            var (y, m, d) = ((NumericColumn)synthetic["year"], (NumericColumn)synthetic["month"], (NumericColumn)synthetic["day"]);
            for (int i = 0; i < synthetic.RowCount; i++)
                if (!y.IsMissing(i) && (m[i] is < 1 or > 12 || d[i] < 1 || d[i] > DateTime.DaysInMonth((int)y[i], (int)m[i]))) impossible++;
            Assert.Equal(0, impossible);
            // Still a calendar spread over the year, not one learned date.
            Assert.True(Enumerable.Range(0, synthetic.RowCount).Select(i => m[i]).Distinct().Count() >= 10);
        }
    }

    [Fact]
    public void A_metadata_file_that_lists_constraints_replaces_detection()
    {
        var table = Subsample(TableReader.Read(TestData.Dataset("beijing_pm25", "beijing_pm25.csv")), 500);
        var schema = SchemaDetector.Detect(table);
        var path = Path.Combine(TestData.NewTempDir(), "meta.json");
        File.WriteAllText(path, """{"version": 1, "columns": [], "constraints": []}""");
        Assert.Empty(StructureDetector.ForFit(table, schema, path));
        Assert.Empty(StructureDetector.DetectUnlessDeclared(table, schema, path));
        File.WriteAllText(path, """{"version": 1, "columns": []}""");
        Assert.Single(StructureDetector.ForFit(table, schema, path));
    }

    /// <summary>A seeded random subsample (these tables are sorted by date: their first rows are one season).</summary>
    private static Table Subsample(Table table, int rows) => TabTwin.Evaluation.HoldoutSplit.Split(table, rows / (double)table.RowCount, seed: 11).Train;
}
