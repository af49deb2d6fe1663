using System.Globalization;
using TabTwin.IO;

namespace TabTwin.Tests.IO;

public class FixedDateFormatTests
{
    [Theory]
    [InlineData("yyyy-MM-dd")]
    [InlineData("yyyy-MM-ddTHH:mm:ss")]
    [InlineData("yyyy-MM-dd HH:mm:ss.fff")]
    [InlineData("yyyy-MM-ddTHH:mm:ss'Z'")]
    [InlineData("dd/MM/yyyy")]
    [InlineData("MM/dd/yyyy HH:mm")]
    [InlineData("dd.MM.yyyy")]
    [InlineData("yyyyMMdd")]
    [InlineData("yyMMdd")]
    [InlineData("yyMMdd HH:mm:ss")]
    public void Agrees_with_DateTime_TryParseExact(string format)
    {
        var parser = FixedDateFormat.For(format);
        Assert.NotNull(parser);
        var rng = new Random(12345);
        var template = new DateTime(2024, 2, 29, 23, 59, 58, 123).ToString(format, CultureInfo.InvariantCulture);
        for (int i = 0; i < 5_000; i++)
        {
            string text;
            if (i % 2 == 0)
            {
                var when = new DateTime(1, 1, 1).AddTicks((long)(rng.NextDouble() * DateTime.MaxValue.Ticks));
                text = when.ToString(format, CultureInfo.InvariantCulture);
            }
            else
            {
                // Mutate one character of a valid value: invalid days/months, letters, wrong separators.
                var chars = template.ToCharArray();
                chars[rng.Next(chars.Length)] = "0123456789-/:.T Zx"[rng.Next(18)];
                text = new string(chars);
            }
            bool expected = DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt);
            bool actual = parser!.TryParse(text, out long ticks);
            Assert.True(expected == actual, $"'{text}' with '{format}': .NET says {expected}, fast path says {actual}");
            if (expected) Assert.Equal(dt.Ticks, ticks);
        }
    }

    [Theory]
    [InlineData("M/d/yyyy")]
    [InlineData("yyyy-MM-ddTHH:mm:sszzz")]
    [InlineData("yyyy-MM-dd HH:mm:ss.FFFFFFF")]
    [InlineData("dd-MMM-yyyy")]
    public void Variable_formats_fall_back_to_dotnet(string format) => Assert.Null(FixedDateFormat.For(format));
}
