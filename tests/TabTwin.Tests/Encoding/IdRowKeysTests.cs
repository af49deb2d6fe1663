using TabTwin.Encoding;
using TabTwin.Tables;

namespace TabTwin.Tests.Encoding;

/// <summary>
/// <see cref="IdRowKeys"/>: a key is a function of (format, run size, seed, global row), so windows of rows made apart
/// agree with one run, and keys never repeat over the whole run — even when the run fills the key space exactly.
/// </summary>
public sealed class IdRowKeysTests
{
    private static string?[] Keys(Column column) => [.. Enumerable.Range(0, column.Length).Select(column.FormatValue)];

    [Theory]
    [InlineData("text:CUST-{seq:6:1:1}", 100_000)]
    [InlineData("num:{seq:0:1000:3}", 100_000)]
    [InlineData("num:{d:5}", 90_000)]                      // the whole space: every 5-digit number once
    [InlineData("text:{A:2}{d:2}", 67_600)]                 // the whole space again, for a text pattern
    [InlineData("text:{w:40}", 100_000)]                    // far wider than 2^62: leading characters hashed, trailing permuted
    [InlineData("text:{uuid:D}", 50_000)]
    [InlineData("text:{or:60}N{d:5}{or:40}N{d:3}{A:2}", 150_000)]   // N{d:5} alone holds only 100,000: shapes by space
    [InlineData("text:{or:60}K{d:6}{or:40}Q{d:3}{A:2}", 150_000)]   // every shape holds the run: shapes by weight
    public void Keys_never_repeat_over_a_run_and_windows_agree_with_the_whole(string pattern, int rows)
    {
        var keys = new IdRowKeys(IdFormat.Parse(pattern), "id", rows, 42);
        var whole = Keys(keys.Generate(0, rows));
        Assert.All(whole, k => Assert.NotNull(k));
        Assert.Equal(rows, whole.Distinct(StringComparer.Ordinal).Count());
        var windows = Keys(keys.Generate(0, 12_345)).Concat(Keys(keys.Generate(12_345, rows - 12_345)));
        Assert.Equal(whole, windows);
        var reseeded = Keys(new IdRowKeys(IdFormat.Parse(pattern), "id", rows, 43).Generate(0, rows));
        if (pattern.Contains("seq", StringComparison.Ordinal)) Assert.Equal(whole, reseeded);   // a sequence is the same under any seed
        else Assert.NotEqual(whole, reseeded);
    }

    [Fact]
    public void Keys_keep_the_format_s_shape_and_a_mixture_keeps_its_weights_when_it_can()
    {
        var keys = Keys(new IdRowKeys(IdFormat.Parse("text:{or:60}K{d:6}{or:40}Q{d:3}{A:2}"), "id", 20_000, 1).Generate(0, 20_000));
        Assert.All(keys, k => Assert.Matches("^(K[0-9]{6}|Q[0-9]{3}[A-Z]{2})$", k!));
        Assert.InRange(keys.Count(k => k![0] == 'K') / 20_000.0, 0.57, 0.63);
        var wide = Keys(new IdRowKeys(IdFormat.Parse("text:{w:40}"), "id", 5_000, 1).Generate(0, 5_000));
        Assert.True(wide.Select(k => k![0]).Distinct().Count() > 40, "leading characters vary");
    }

    [Fact]
    public void A_run_larger_than_the_space_or_a_window_past_the_run_is_refused()
    {
        Assert.Equal("id.space-too-small", Assert.Throws<TabTwinException>(() => new IdRowKeys(IdFormat.Parse("num:{d:2}"), "id", 91, 1)).Code);
        Assert.Equal("id.out-of-range", Assert.Throws<TabTwinException>(() => new IdRowKeys(IdFormat.Parse("num:{seq:0:1:1000000000}"), "id", 10_000_000, 1)).Code);
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdRowKeys(IdFormat.Parse("num:{d:2}"), "id", 90, 1).Generate(80, 11));
    }
}
