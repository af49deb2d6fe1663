using System.Text.Json;
using TabTwin.IO;
using TabTwin.Registry;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Contract;

/// <summary>
/// No synthesizer echoes what fewer than 5 real records hold (issue 14, "never echo a real record"): a category seen fewer
/// than 5 times, or a number or time beyond the 5th smallest or 5th largest real one. Before this was a rule of the
/// encoding every synthesizer shares, only CART kept it: on titanic, `independent` emitted the one 0.1667-year-old
/// passenger's age and the two rows' parch of 9, and every synthesizer but CART emitted one-off categories.
/// </summary>
public class RareValueContractTests
{
    private static readonly Table Titanic = TableReader.Read(TestData.Dataset("titanic", "titanic3.csv"));

    [Theory]
    [MemberData(nameof(SynthesizerCases.Names), MemberType = typeof(SynthesizerCases))]
    public void No_synthesizer_emits_a_value_fewer_than_five_real_rows_hold(string name)
    {
        var schema = SchemaDetector.Detect(Titanic);
        var synthesizer = name switch
        {
            // The rule belongs to the encoding, not to training: a few epochs show it as well as many.
            "tvae" => Create(name, """{"epochs": 3, "batchSize": 100, "embeddingDim": 16, "compressDims": [32], "decompressDims": [32]}"""),
            "ctgan" => Create(name, """{"epochs": 3, "batchSize": 100, "embeddingDim": 16, "generatorDim": [32], "discriminatorDim": [32]}"""),
            _ => SynthesizerCases.CreateFast(name),
        };
        var synthetic = synthesizer.Fit(Titanic, schema, new FitContext(0)).Sample(3_000, 1);
        int categorical = 0, numeric = 0;
        foreach (var column in schema.Columns)
        {
            var real = Titanic[column.Name];
            var fake = synthetic[column.Name];
            if (column.Kind == ColumnKind.Categorical)
            {
                categorical++;
                var counts = Values(real).GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
                foreach (var v in Values(fake).Distinct())
                    Assert.True(counts.GetValueOrDefault(v) >= 5, $"{name}: '{column.Name}' emitted '{v}', which {counts.GetValueOrDefault(v)} real rows hold");
            }
            else if (column.Kind == ColumnKind.Numerical)
            {
                numeric++;
                var sorted = Enumerable.Range(0, real.Length).Where(i => !real.IsMissing(i)).Select(i => ((NumericColumn)real)[i]).Order().ToArray();
                var drawn = Enumerable.Range(0, fake.Length).Where(i => !fake.IsMissing(i)).Select(i => ((NumericColumn)fake)[i]).ToArray();
                // A DP synthesizer's range is itself a DP release (a noisy histogram on a public grid): it may reach past
                // the fifth-ranked real value, as any value may under DP, but it never reads, so never copies, the extremes.
                // For integer columns a DP synthesizer draws whole numbers uniformly within a bin, so it may hit an extreme
                // value by chance; a continuous column hitting it exactly would be a copy.
                bool integer = ((NumericColumn)real).IsInteger;
                if (synthesizer is IDifferentiallyPrivate && integer) { }
                else if (synthesizer is IDifferentiallyPrivate)
                {
                    Assert.True(sorted[0] == sorted[4] || !drawn.Contains(sorted[0]), $"{name}: '{column.Name}' emitted the real minimum {sorted[0]}");
                    Assert.True(sorted[^1] == sorted[^5] || !drawn.Contains(sorted[^1]), $"{name}: '{column.Name}' emitted the real maximum {sorted[^1]}");
                }
                else
                {
                    Assert.InRange(drawn.Min(), sorted[4], sorted[^5]);
                    Assert.InRange(drawn.Max(), sorted[4], sorted[^5]);
                }
            }
        }
        Assert.True(categorical >= 3 && numeric >= 3, $"titanic should have categorical and numeric columns ({categorical}, {numeric})");
    }

    private static ISynthesizer Create(string name, string json)
    {
        using var doc = JsonDocument.Parse(json);
        return SynthesizerRegistry.Get(name).Create(doc.RootElement.Clone());
    }

    private static IEnumerable<string> Values(Column column) =>
        Enumerable.Range(0, column.Length).Where(i => !column.IsMissing(i)).Select(i => column.FormatValue(i)!);
}
