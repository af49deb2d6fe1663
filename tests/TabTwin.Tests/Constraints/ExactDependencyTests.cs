using TabTwin.IO;
using TabTwin.Models;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Constraints;

/// <summary>
/// Exact copies, sums and constant-per-group columns of real tables are found without a user constraint and kept by
/// every synthesizer (issue 14); the list over every in-repo table was reviewed by hand against the data, so a new
/// false positive shows up as a diff.
/// </summary>
public class ExactDependencyTests
{
    private static readonly Dictionary<string, string> Reviewed = new()
    {
        // education-num is education's rank: 16 labels, 16 numbers, one to one.
        ["adult/adult.csv"] = "(education, education-num) only in combinations seen in the data",
        // Each of the 221 neighbourhoods lies in one borough.
        ["airbnb_nyc_2019/AB_NYC_2019.csv"] = "(neighbourhood, neighbourhood_group) only in combinations seen in the data",
        // An invoice's billing state and country are its customer's.
        ["chinook/Invoice.csv"] = "(CustomerId, BillingCountry) only in combinations seen in the data",
        // Every track of an album has the album's price.
        ["chinook/Track.csv"] = "(AlbumId, UnitPrice) only in combinations seen in the data",
        // Living area = above ground + basement, in every sale.
        ["kc_house_sales/kc_house_data.csv"] = "sqft_living = sqft_above + sqft_basement",
        // Only some voting bodies have a note on the votes needed.
        ["lahman_baseball/HallOfFame.csv"] = "(votedBy, needed_note) only in combinations seen in the data",
        // A plane model has one speed and one type.
        ["nycflights13/planes.csv"] = "(model, speed, type) only in combinations seen in the data",
    };

    public static TheoryData<string> InRepoTables()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TestData.Folder, "*.csv.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(TestData.Folder, file)[..^3].Replace('\\', '/'));
        return data;
    }

    [Theory]
    [MemberData(nameof(InRepoTables))]
    public void Exact_dependencies_found_in_every_in_repo_table_are_the_reviewed_ones(string file)
    {
        var table = TableReader.Read(TestData.Dataset(file.Split('/')[0], file.Split('/')[1]));
        var found = StructureDetector.Detect(table, SchemaDetector.Detect(table))
            .Where(d => d.Rule is FormulaConstraint or FixedCombinationsConstraint).Select(d => d.Rule.Describe());
        Assert.Equal(Reviewed.GetValueOrDefault(file, ""), string.Join("; ", found));
    }

    [Fact]
    public void Kc_house_living_area_stays_the_sum_of_its_parts_through_a_saved_model()
    {
        var table = TableReader.Read(TestData.Dataset("kc_house_sales", "kc_house_data.csv"));
        var schema = SchemaDetector.Detect(table);
        var rules = StructureDetector.ForFit(table, schema);
        var (model, fit) = new ConstrainedSynthesizer(SynthesizerCatalog.Cart(), rules).FitWithReport(table, schema, new FitContext(1));
        // sqft_above is missing where sqft_living is not, so the sum cannot be dropped and recomputed: it is kept modelled
        // and overwritten, never enforced by rejection (which kept ~1% of drawn rows, a biased subset).
        Assert.Contains(fit.Transforms, t => t.Contains("overwrites sqft_living", StringComparison.Ordinal));
        Assert.Empty(fit.EnforcedByRejection);
        Assert.Equal(0, model.SampleWithReport(500, 3).Report.Rejected);
        var path = Path.Combine(TestData.NewTempDir(), "kc.tabtwin");
        ModelFile.Save(model, path);
        var synthetic = ModelFile.Load(path).Sample(2_000, 4);
        var (living, above, basement) = ((NumericColumn)synthetic["sqft_living"], (NumericColumn)synthetic["sqft_above"], (NumericColumn)synthetic["sqft_basement"]);
        // Two real rows lack sqft_above; a rule is not judged on a row with a missing part.
        var complete = Enumerable.Range(0, synthetic.RowCount).Where(i => !living.IsMissing(i) && !above.IsMissing(i) && !basement.IsMissing(i)).ToList();
        Assert.True(complete.Count > 1_800, $"only {complete.Count} complete rows");
        Assert.Equal(0, complete.Count(i => Math.Abs(living[i] - above[i] - basement[i]) > 0.5));
        Assert.True(Enumerable.Range(0, synthetic.RowCount).Select(i => living[i]).Distinct().Count() > 100); // still a spread, not copies
        // The parts keep their real share of missing values (2 of 2,000), not a model's guess at the sum's.
        Assert.True(above.MissingCount <= 20, $"{above.MissingCount} of 2,000 sqft_above missing");
    }

    [Theory]
    [InlineData("cart")]
    [InlineData("gaussian-copula")]
    public void Adult_education_and_its_number_stay_one_to_one_and_airbnb_neighbourhoods_stay_in_their_borough(string synthesizer)
    {
        foreach (var (dataset, file, lead, follower, other) in new[]
                 { ("adult", "adult.csv", "education", "education-num", "age"), ("airbnb_nyc_2019", "AB_NYC_2019.csv", "neighbourhood", "neighbourhood_group", "price") })
        {
            var table = TableReader.Read(TestData.Dataset(dataset, file)).Select([lead, follower, other]);
            var schema = SchemaDetector.Detect(table);
            var rules = StructureDetector.ForFit(table, schema);
            var synthetic = new ConstrainedSynthesizer(TabTwin.Registry.SynthesizerRegistry.Get(synthesizer).Create(null), rules)
                .Fit(table, schema, new FitContext(2)).Sample(3_000, 5);
            var real = Pairs(table, lead, follower);
            var made = Pairs(synthetic, lead, follower);
            Assert.Empty(made.Except(real));
            Assert.True(made.Count >= 10, $"{dataset}: only {made.Count} combinations made");
        }
    }

    private static HashSet<(string?, string?)> Pairs(Table t, string a, string b) =>
        Enumerable.Range(0, t.RowCount).Select(i => (t[a].FormatValue(i), t[b].FormatValue(i))).ToHashSet();
}
