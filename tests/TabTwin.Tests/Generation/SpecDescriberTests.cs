using TabTwin.Evaluation.Quality;
using TabTwin.Generation;
using TabTwin.Generation.Describe;
using TabTwin.Generation.Spec;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using TabTwin.Randomness;

namespace TabTwin.Tests.Generation;

/// <summary>describe: a real table becomes a spec that re-reads, generates data like the original, and holds no record or rare category.</summary>
public sealed class SpecDescriberTests
{
    private static readonly Lazy<(Table Table, TableSchema Schema)> Adult = new(() =>
    {
        var table = TableReader.Read(TestData.Dataset("adult", "adult.csv"));
        return (table, SchemaDetector.Detect(table));
    });

    private static readonly Lazy<(GenerationSpec Spec, string Yaml)> AdultSpec = new(() =>
    {
        var (table, schema) = Adult.Value;
        var spec = SpecDescriber.Describe(table, schema, new DescribeOptions { TableName = "adult", Seed = 5 });
        return (spec, SpecYamlWriter.ToYaml(spec, ["described from adult.csv"]));
    });

    [Fact]
    public void The_yaml_and_json_read_back_to_the_same_spec()
    {
        var (spec, yaml) = AdultSpec.Value;
        var fromYaml = SpecReader.FromYaml(yaml);
        var fromJson = SpecReader.FromJson(SpecYamlWriter.ToJson(spec));
        Assert.DoesNotContain(SpecValidator.Validate(fromYaml), w => !w.Message.Contains("repair", StringComparison.OrdinalIgnoreCase));
        foreach (var back in new[] { fromYaml, fromJson })
        {
            // Written and re-read, the spec prints the same again (every parameter survives the trip).
            Assert.Equal(yaml, SpecYamlWriter.ToYaml(back, ["described from adult.csv"]));
        }
        var columns = fromYaml.Tables[0].Columns.ToDictionary(c => c.Name);
        Assert.Equal(15, columns.Count);
        Assert.Equal(0, columns["age"].Round);
        Assert.IsType<Distribution.Categorical>(columns["native-country"].Distribution);
        // workclass is written per occupation (its strongest association), with per-category weights.
        var workclass = Assert.IsType<Distribution.Conditional>(columns["workclass"].Distribution);
        Assert.Equal("occupation", workclass.DependsOn);
        Assert.All(workclass.Cases, c => Assert.IsType<Distribution.Categorical>(c.Value));
        Assert.Equal(0.0564, columns["workclass"].Missing, 4); // 1,836 of 32,561 rows are empty
        Assert.Equal(6, fromYaml.Tables[0].Correlations!.Columns.Count);
    }

    [Fact]
    public void Data_generated_from_the_description_matches_the_original_shapes_and_trends()
    {
        var (table, schema) = Adult.Value;
        var generated = DataGenerator.Generate(SpecReader.FromYaml(AdultSpec.Value.Yaml), options: new GenerateOptions { Rows = 10_000, Seed = 1 });
        Assert.Equal(table.ColumnNames, generated.ColumnNames);
        var quality = QualityReport.Compute(table, generated, schema);
        // Marginals are fitted or histogrammed within 1–99 % bounds: column shapes stay high (0.989 measured). Pair
        // trends (SDMetrics 0.29: the 13 pairs with a real trend) keep the numeric rank correlations and, through
        // dependsOn/cases, the strongest category associations: 0.85 measured, against 0.72 when associations are off
        // (the old behaviour, which this bar rejects).
        Assert.True(quality.ColumnShapes > 0.97, $"column shapes {quality.ColumnShapes:F3}");
        Assert.True(quality.ColumnPairTrends > 0.82, $"pair trends {quality.ColumnPairTrends:F3}");
        foreach (var pair in quality.PairDetails.Where(p => p.RealCorrelation is { } r && Math.Abs(r) > 0.1))
            Assert.True(Math.Abs(pair.RealCorrelation!.Value - pair.SyntheticCorrelation!.Value) < 0.08,
                $"{pair.ColumnA}/{pair.ColumnB}: real {pair.RealCorrelation:F3}, generated {pair.SyntheticCorrelation:F3}");
    }

    [Fact]
    public void No_record_and_no_rare_category_appears_in_the_spec()
    {
        var (table, schema) = Adult.Value;
        // Plant a canary person: a unique country, a unique occupation seen 9 times (one short of k), and an extreme,
        // oddly precise weight. None of it may reach the spec.
        var rows = Enumerable.Range(0, table.RowCount).ToArray();
        var canaryRows = new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
        var country = Replace(table.Get<CategoricalColumn>("native-country"), new() { [0] = "Atlantis-Canary" });
        var occupation = Replace(table.Get<CategoricalColumn>("occupation"), canaryRows.ToDictionary(r => r, _ => "Canary-Tamer"));
        var weights = table.Get<NumericColumn>("fnlwgt").Values.ToArray();
        weights[0] = 1_234_567;
        weights[1] = 163_517; // inside the range: an exact value must not be written either
        var planted = table.WithColumn(country).WithColumn(occupation).WithColumn(new NumericColumn("fnlwgt", weights, isInteger: true));
        var yaml = SpecYamlWriter.ToYaml(SpecDescriber.Describe(planted, schema));
        Assert.DoesNotContain("Atlantis", yaml);
        Assert.DoesNotContain("Canary", yaml);
        Assert.DoesNotContain("1234567", yaml);
        Assert.DoesNotContain("163517", yaml);
        // The first row as a whole: none of its distinctive numbers shows up.
        Assert.DoesNotContain("77516", yaml);
        Assert.Contains("\"(other)\"", yaml);
        Assert.DoesNotContain("Holand-Netherlands", yaml); // one row in Adult: rare, pooled into (other)
    }

    [Fact]
    public void Small_tables_publish_nothing_below_k_and_ids_pii_dates_are_described_by_shape()
    {
        int n = 400;
        var random = new TabTwin.Randomness.SeededRandom(3);
        var ids = Enumerable.Range(0, n).Select(i => (string?)$"CUST-{i + 1:000000}").ToList();
        var emails = Enumerable.Range(0, n).Select(i => (string?)$"person{i}@example.org").ToList();
        var days = Enumerable.Range(0, n).Select(_ => new DateTime(2024, 1, 1).AddDays(random.NextInt(366)).Ticks).ToArray();
        var flags = Enumerable.Range(0, n).Select(_ => random.NextBernoulli(0.3)).ToArray();
        var table = new Table([
            CategoricalColumn.FromStrings("id", ids), CategoricalColumn.FromStrings("email", emails),
            new DateTimeColumn("day", days, format: "yyyy-MM-dd"), new BooleanColumn("flag", flags),
        ]);
        var schema = new TableSchema
        {
            Columns =
            [
                new ColumnSchema { Name = "id", Kind = ColumnKind.Id }, new ColumnSchema { Name = "email", Kind = ColumnKind.Pii, Pii = PiiType.Email },
                new ColumnSchema { Name = "day", Kind = ColumnKind.Datetime }, new ColumnSchema { Name = "flag", Kind = ColumnKind.Boolean },
            ],
        };
        var spec = SpecDescriber.Describe(table, schema);
        var columns = spec.Tables[0].Columns.ToDictionary(c => c.Name);
        Assert.Equal(new Distribution.Id("CUST-{seq:6:1:1}"), columns["id"].Distribution);
        Assert.Equal(new Distribution.Fake(FakeKind.Email), columns["email"].Distribution);
        var day = Assert.IsType<Distribution.DateTimeRange>(columns["day"].Distribution);
        Assert.True(day.DateOnly);
        Assert.InRange(day.From, new DateTime(2024, 1, 1), new DateTime(2024, 1, 10));
        Assert.InRange(((Distribution.Boolean)columns["flag"].Distribution).P, 0.25, 0.35);
        var yaml = SpecYamlWriter.ToYaml(spec);
        Assert.DoesNotContain("example.org", yaml);
        Assert.DoesNotContain("CUST-000", yaml);
        var generated = DataGenerator.Generate(SpecReader.FromYaml(yaml), options: new GenerateOptions { Rows = 50, Seed = 2 });
        Assert.Matches("^CUST-\\d{6}$", generated["id"].FormatValue(0)!);
        Assert.Contains("@", generated["email"].FormatValue(0)!);
    }

    private static CategoricalColumn Replace(CategoricalColumn column, Dictionary<int, string> values) =>
        CategoricalColumn.FromStrings(column.Name, Enumerable.Range(0, column.Length).Select(r => values.TryGetValue(r, out var v) ? v : column[r]).ToList());
}
