using System.Text.RegularExpressions;
using TabTwin.Tables;
using static TabTwin.Tests.Generation.GenerationTestKit;
using TabTwin.Fakes;

namespace TabTwin.Tests.Generation;

/// <summary>Datetimes with seasonality, IDs/UUIDs, and fake personal data (check digits, consistent emails, locales).</summary>
public class KeysTimesAndPeopleTests
{
    [Fact]
    public void Datetime_seasonality_shares_match_the_weights()
    {
        var t = Generate("""
            at:
              type: datetime
              from: 2023-01-01
              to: 2025-01-01
              seasonality:
                weekday: [1, 1, 1, 1, 1, 3, 2]
                hour: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 4, 4, 0, 0, 0, 0, 0, 0]
                month: [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
            work: { type: datetime, from: 2024-01-01, to: 2024-03-01, businessHours: true, resolution: minute }
            day: { type: date, from: 2024-01-01, to: 2024-01-31 }
            """, 100_000);
        var at = t.Get<DateTimeColumn>("at");
        var times = Enumerable.Range(0, t.RowCount).Select(at.DateTimeAt).ToArray();
        Assert.All(times, d => Assert.InRange(d, new DateTime(2023, 1, 1), new DateTime(2025, 1, 1)));
        // Weekday shares: weight × number of such days (almost equal over two years) / total weight 10. SE ≈ 0.0013; allow 0.006.
        Assert.Equal(0.3, times.Count(d => d.DayOfWeek == DayOfWeek.Saturday) / 1e5, 0.006);
        Assert.Equal(0.1, times.Count(d => d.DayOfWeek == DayOfWeek.Monday) / 1e5, 0.006);
        Assert.Equal(8 / 16.0, times.Count(d => d.Hour is 16 or 17) / 1e5, 0.006);
        Assert.Equal(0, times.Count(d => d.Hour < 8 || d.Hour >= 18));
        // January has weight 2 (31 days) against 1 for the other months.
        Assert.Equal(62.0 / (62 + 334), times.Count(d => d.Month == 1) / 1e5, 0.006);
        var work = t.Get<DateTimeColumn>("work");
        for (int i = 0; i < t.RowCount; i++)
        {
            var d = work.DateTimeAt(i);
            Assert.InRange(d.Hour, 9, 16);
            Assert.True(d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday);
            Assert.Equal(0, d.Second);
        }
        var day = t.Get<DateTimeColumn>("day");
        Assert.True(day.IsDateOnly);
        Assert.Equal(new DateTime(2024, 1, 31), Enumerable.Range(0, t.RowCount).Max(day.DateTimeAt)); // 'to' date included
    }

    [Fact]
    public void Ids_follow_their_format_and_never_repeat()
    {
        var t = Generate("""
            cust: { type: id, format: "CUST-{000000}" }
            code: { type: id, format: "{A:2}{d:3}" }
            uid: uuid
            seq: { type: sequence, start: 100, step: 5 }
            """, 200_000);
        var cust = t.Get<TextColumn>("cust");
        Assert.Equal("CUST-000001", cust[0]);
        Assert.Equal("CUST-200000", cust[199_999]);
        var code = t.Get<TextColumn>("code").Values.ToArray();
        Assert.All(code, c => Assert.Matches("^[A-Z]{2}[0-9]{3}$", c));
        Assert.Equal(code.Length, code.Distinct().Count()); // 200k of a 676k space: a permutation, no repeats
        var uid = t.Get<TextColumn>("uid").Values.ToArray();
        Assert.All(uid.Take(1000), u => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", u));
        Assert.Equal(uid.Length, uid.Distinct().Count());
        var seq = t.Get<NumericColumn>("seq");
        Assert.Equal(100, seq[0]);
        Assert.Equal(100 + 5 * 199_999, seq[199_999]);
    }

    [Fact]
    public void Id_format_too_small_for_the_rows_is_an_error_naming_the_column()
    {
        var e = Assert.Throws<TabTwin.Generation.Spec.SpecException>(() => Generate("k: { type: id, format: \"K{d:2}\" }", 101));
        Assert.Equal("id.space-too-small", e.Code);
        Assert.Equal("k", e.Column);
        Assert.Equal("format", e.Field);
    }

    [Fact]
    public void Personal_data_is_valid_and_consistent()
    {
        var t = Generate("""
            first: first_name
            last: last_name
            email: email
            card: credit_card
            iban: iban
            full: full_name
            """, 3_000, extra: "locale: en\n");
        var first = t.Get<TextColumn>("first");
        var last = t.Get<TextColumn>("last");
        var email = t.Get<TextColumn>("email");
        for (int i = 0; i < t.RowCount; i++)
        {
            string f = Normalize(first[i]!), l = Normalize(last[i]!), local = email[i]!.Split('@')[0];
            Assert.True(local.Contains(f) || local.Contains(l), $"{email[i]} does not belong to {first[i]} {last[i]}");
            Assert.Matches(@"^[a-z0-9._]+@[a-z0-9.-]+\.[a-z]+$", email[i]!);
            Assert.Equal($"{first[i]} {last[i]}", t.Get<TextColumn>("full")[i]);
            Assert.True(Checksums.LuhnValid(t.Get<TextColumn>("card")[i]), t.Get<TextColumn>("card")[i]);
            Assert.Equal(1, Checksums.IbanMod97(t.Get<TextColumn>("iban")[i]!));
        }
    }

    private static string Normalize(string s) => Regex.Replace(s.Normalize(System.Text.NormalizationForm.FormD).Replace("ß", "ss").ToLowerInvariant(), "[^a-z0-9]", "");

    [Theory]
    [InlineData("de", "DE", @"^\d{5}$")]
    [InlineData("fr", "FR", @"^\d{5}$")]
    [InlineData("es", "ES", @"^\d{5}$")]
    public void Locales_give_their_countrys_addresses_ibans_and_names(string locale, string ibanCountry, string postcode)
    {
        var t = Generate($"first: first_name\nemail: email\niban: iban\nzip: postal_code\ncountry: country\naddress: address\nphone: phone", 500, extra: $"locale: {locale}\n");
        var iban = t.Get<TextColumn>("iban").Values.ToArray();
        Assert.All(iban, v => Assert.StartsWith(ibanCountry, v));
        Assert.All(iban, v => Assert.Equal(1, Checksums.IbanMod97(v!)));
        Assert.All(t.Get<TextColumn>("zip").Values.ToArray(), z => Assert.Matches(postcode, z));
        Assert.Single(t.Get<TextColumn>("country").Values.ToArray().Distinct());
        // Names differ from the English ones: the locale's name list is used.
        var english = Generate("first: first_name", 500, extra: "locale: en\n").Get<TextColumn>("first").Values.ToArray().ToHashSet();
        var names = t.Get<TextColumn>("first").Values.ToArray();
        Assert.True(names.Count(n => !english.Contains(n)) > 100, "locale names should mostly differ from English ones");
    }

    [Fact]
    public void Locale_column_gives_each_row_its_countrys_data()
    {
        var t = Generate("""
            loc: { type: categorical, values: [de, fr] }
            iban: { type: iban, localeColumn: loc }
            """, 2_000);
        var loc = t.Get<CategoricalColumn>("loc");
        var iban = t.Get<TextColumn>("iban");
        for (int i = 0; i < t.RowCount; i++) Assert.StartsWith(loc[i] == "de" ? "DE" : "FR", iban[i]);
    }
}
