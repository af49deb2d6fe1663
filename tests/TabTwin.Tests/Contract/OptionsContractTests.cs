using System.Text.Json;
using TabTwin.Registry;
using TabTwin.Tests.Cli;

namespace TabTwin.Tests.Contract;

/// <summary>
/// Every synthesizer reads its options through one validated path (SynthesizerJson.ReadOptions): an unknown name is an
/// error with a did-you-mean, an out-of-range value a one-line synthesizer.options error — never accepted silently, and
/// never an internal error at fit time.
/// </summary>
public sealed class OptionsContractTests
{
    /// <summary>Per synthesizer: a misspelt option, the name it should suggest, and an out-of-range value with the words of its message.</summary>
    private static readonly Dictionary<string, (string Typo, string Suggestion, string OutOfRange, string Says)> Cases = new()
    {
        ["independent"] = ("""{"smoothng": 0.5}""", "smoothing", """{"quantileCount": 1}""", "QuantileCount must be in 2..4096 (got 1)"),
        ["gaussian-copula"] = ("""{"shrinkag": 0.1}""", "shrinkage", """{"shrinkage": 2}""", "Shrinkage must be in [0, 1); got 2"),
        ["cart"] = ("""{"maxDepht": 3}""", "maxDepth", """{"maxDepth": 100}""", "MaxDepth must be in 0..64 (got 100)"),
        ["constrained"] = ("""{"maxRonds": 3}""", "maxRounds", """{"maxRounds": 0}""", "maxRounds must be at least 1 (got 0)"),
        ["tvae"] = ("""{"epocs": 3}""", "epochs", """{"epochs": 0}""", "Epochs must be at least 1 (got 0)"),
        ["ctgan"] = ("""{"epocs": 3}""", "epochs", """{"epochs": 0}""", "Epochs must be at least 1 (got 0)"),
        ["mst"] = ("""{"epsilom": 1}""", "epsilon", """{"epsilon": 0}""", "Epsilon must be a finite number greater than 0 (got 0)"),
        ["aim"] = ("""{"delt": 1e-9}""", "delta", """{"delta": 1}""", "Delta must be greater than 0 and less than 1 (got 1)"),
        ["dp-tvae"] = ("""{"trainin": {}}""", "training", """{"training": {"epochs": 0}}""", "Epochs must be at least 1 (got 0)"),
    };

    public static TheoryData<string> Names() => new(SynthesizerRegistry.Names);

    private static TabTwinException Create(string name, string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Assert.Throws<TabTwinException>(() => SynthesizerRegistry.Get(name).Create(doc.RootElement.Clone()));
    }

    [Theory, MemberData(nameof(Names))]
    public void Unknown_option_names_are_errors_with_a_did_you_mean(string name)
    {
        var (typo, suggestion, _, _) = Cases[name];
        var e = Create(name, typo);
        Assert.Equal("synthesizer.options", e.Code);
        Assert.EndsWith($"; did you mean '{suggestion}'?", e.Message);
        Assert.Contains(suggestion, e.Hint); // the hint lists every option name
    }

    [Theory, MemberData(nameof(Names))]
    public void Out_of_range_values_are_one_line_option_errors(string name)
    {
        var (_, _, outOfRange, says) = Cases[name];
        var e = Create(name, outOfRange);
        Assert.Equal("synthesizer.options", e.Code);
        Assert.Equal($"The options for synthesizer '{name}' are not valid: {says}.", e.Message.TrimEnd('.') + ".");
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory, MemberData(nameof(Names))]
    public void Defaults_and_an_empty_object_are_valid(string name)
    {
        Assert.NotNull(SynthesizerRegistry.Get(name).Create(null));
        using var doc = JsonDocument.Parse("{}");
        Assert.NotNull(SynthesizerRegistry.Get(name).Create(doc.RootElement.Clone()));
    }

    [Fact]
    public void Every_registered_synthesizer_has_a_case_and_nested_names_are_checked_too()
    {
        Assert.Equal(SynthesizerRegistry.Names.Order(), Cases.Keys.Order());
        var e = Create("cart", """{"encoding": {"rareCategoryTreshold": 3}}""");
        Assert.Equal("Synthesizer 'cart' has no option 'encoding.rareCategoryTreshold'; did you mean 'encoding.rareCategoryThreshold'?", e.Message);
        // The constraints wrapper passes its inner synthesizer's options to that synthesizer's own check.
        var inner = Create("constrained", """{"inner": "cart", "innerOptions": {"maxDepht": 3}}""");
        Assert.Contains("did you mean 'maxDepth'?", inner.Message);
    }

    [Fact]
    public void The_cli_refuses_bad_options_before_reading_the_input_with_exit_code_2()
    {
        var missing = Path.Combine(Support.TestData.NewTempDir(), "not-there.csv");
        var r = CliRunner.Run("run", missing, "-o", Path.Combine(Support.TestData.NewTempDir(), "out.csv"), "--options", """{"maxDepht":3}""");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: Synthesizer 'cart' has no option 'maxDepht'; did you mean 'maxDepth'?", r.Stderr.Trim());
        var tvae = CliRunner.Run("fit", missing, "-o", Path.Combine(Support.TestData.NewTempDir(), "m.tabtwin"), "--synthesizer", "tvae", "--options", """{"epochs":0}""");
        Assert.Equal(2, tvae.ExitCode);
        Assert.StartsWith("error: The options for synthesizer 'tvae' are not valid: Epochs must be at least 1 (got 0).", tvae.Stderr.Trim());
    }
}
