using System.Text.Json;
using TabTwin.Synthesizers;

namespace TabTwin.Tests.Contract;

/// <summary>
/// Every registered synthesizer, with settings small enough for CI. Adding a synthesizer = one line in
/// <see cref="Cases"/> (and one in <see cref="SynthesizerRegistry"/>); a test fails if the two lists differ.
/// </summary>
public static class SynthesizerCases
{
    /// <summary>(registry name, options JSON for a fast run or null for the defaults).</summary>
    private static readonly (string Name, string? FastOptionsJson)[] Cases =
    [
        ("independent", null),
        ("gaussian-copula", null),
        ("cart", null),
        ("constrained", "{\"inner\":\"gaussian-copula\"}"),
        ("tvae", """{"epochs": 30, "batchSize": 100, "embeddingDim": 32, "compressDims": [64, 64], "decompressDims": [64, 64]}"""),
        ("ctgan", """{"epochs": 30, "batchSize": 100, "embeddingDim": 32, "generatorDim": [64, 64], "discriminatorDim": [64, 64]}"""),
    ];

    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var c in Cases) data.Add(c.Name);
            return data;
        }
    }

    public static IEnumerable<string> NameList => Cases.Select(c => c.Name);

    public static ISynthesizer CreateFast(string name)
    {
        var json = Cases.Single(c => c.Name == name).FastOptionsJson;
        using var doc = json is null ? null : JsonDocument.Parse(json);
        return SynthesizerRegistry.Get(name).Create(doc?.RootElement.Clone());
    }
}
