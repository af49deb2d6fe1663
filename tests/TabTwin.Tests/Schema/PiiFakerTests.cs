using System.Net;
using System.Net.Mail;
using System.Numerics;
using TabTwin.Encoding;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Fakes;

namespace TabTwin.Tests.Schema;

public class PiiFakerTests
{
    private static string[] Values(PiiType type, string locale = "en", int count = 200, ulong seed = 42) =>
        ((TextColumn)PiiFaker.Generate("col", type, locale, count, seed)).Values.ToArray().Select(v => v!).ToArray();

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Every_type_makes_the_requested_number_of_present_text_values(PiiType type)
    {
        var col = PiiFaker.Generate("c", type, "en", 300, 1);
        Assert.IsType<TextColumn>(col);
        Assert.Equal(("c", 300, 0), (col.Name, col.Length, col.MissingCount));
        var v = Values(type, count: 300, seed: 1);
        Assert.All(v, s => Assert.False(string.IsNullOrWhiteSpace(s)));
        int floor = type == PiiType.State ? 40 : 50;   // a country has few states (50 in the US)
        Assert.True(v.Distinct().Count() > floor, $"{type}: only {v.Distinct().Count()} distinct values");
    }

    public static TheoryData<PiiType> AllTypes() => new(Enum.GetValues<PiiType>());

    [Fact]
    public void Generated_values_are_recognised_by_detection_as_the_same_type()
    {
        // The faker and the detector agree: what we generate for a type is detected (from values, or the type's name hint) as that type.
        // Cities and postal codes are personal data only beside a street address, so all types are detected in one table.
        var table = new Table(Enum.GetValues<PiiType>().Select(type => PiiFaker.Generate(SchemaJson.EnumName(type), type, "en", 500, 9)).ToArray());
        var schema = SchemaDetector.Detect(table);
        foreach (var type in Enum.GetValues<PiiType>())
        {
            var detected = schema[SchemaJson.EnumName(type)];
            Assert.True(detected.Kind == ColumnKind.Pii && detected.Pii == type, $"{type}: {detected.KindLabel} ({detected.Reason})");
        }
    }

    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    [InlineData("fr")]
    public void Credit_cards_pass_luhn_and_ibans_pass_mod97(string locale)
    {
        Assert.All(Values(PiiType.CreditCard, locale), s => Assert.True(s.Length is >= 13 and <= 19 && Checksums.LuhnValid(s), s));
        Assert.All(Values(PiiType.Iban, locale), s => Assert.Equal(1, IbanMod97Reference(s)));
    }

    /// <summary>Independent IBAN check via BigInteger (not the production code path).</summary>
    private static int IbanMod97Reference(string iban)
    {
        var moved = iban[4..] + iban[..4];
        var digits = string.Concat(moved.Select(c => char.IsDigit(c) ? c.ToString() : (c - 'A' + 10).ToString()));
        return (int)(BigInteger.Parse(digits) % 97);
    }

    [Fact]
    public void Ibans_follow_the_locale_country()
    {
        Assert.All(Values(PiiType.Iban, "de"), s => Assert.StartsWith("DE", s));
        Assert.All(Values(PiiType.Iban, "fr"), s => Assert.StartsWith("FR", s));
        Assert.All(Values(PiiType.Iban, "en"), s => Assert.StartsWith("GB", s));
    }

    [Fact]
    public void Emails_parse_and_ips_parse()
    {
        foreach (var e in Values(PiiType.Email, "de"))
        {
            Assert.True(MailAddress.TryCreate(e, out var m) && m.Address == e, e);
            Assert.Matches(@"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", e);
        }
        Assert.All(Values(PiiType.IpAddress), s => Assert.True(IPAddress.TryParse(s, out _), s));
        Assert.All(Values(PiiType.Url), s => Assert.True(Uri.TryCreate(s, UriKind.Absolute, out _), s));
    }

    [Theory]
    [InlineData("en", @"^\d{3}-\d{2}-\d{4}$")]
    [InlineData("en_US", @"^\d{3}-\d{2}-\d{4}$")]
    [InlineData("en_GB", @"^[A-Z]{2}\d{6}[A-D]$")]
    [InlineData("de", @"^[1-9]\d{10}$")]
    [InlineData("fr", @"^[12]\d{14}$")]
    [InlineData("es", @"^\d{8}[A-Z]$")]
    [InlineData("nl", @"^[1-9]\d{8}$")]
    [InlineData("pt_BR", @"^\d{3}\.\d{3}\.\d{3}-\d{2}$")]
    [InlineData("sv", @"^\d{6}-\d{4}$")]
    [InlineData("en_CA", @"^\d{3} \d{3} \d{3}$")]
    public void National_ids_have_the_locale_shape(string locale, string regex) =>
        Assert.All(Values(PiiType.NationalId, locale), s => Assert.Matches(regex, s));

    [Fact]
    public void National_id_check_digits_are_right()
    {
        Assert.All(Values(PiiType.NationalId, "en"), s => Assert.True(ValuePatterns.IsSsn(s), s));
        Assert.All(Values(PiiType.NationalId, "en_GB"), s => Assert.True(ValuePatterns.IsNino(s), s));
        Assert.All(Values(PiiType.NationalId, "fr"), s => Assert.Equal(97 - long.Parse(s[..13]) % 97, long.Parse(s[13..])));
        Assert.All(Values(PiiType.NationalId, "es"), s => Assert.Equal("TRWAGMYFPDXBNJZSQVHLCKE"[int.Parse(s[..8]) % 23], s[8]));
        Assert.All(Values(PiiType.NationalId, "nl"), s =>
            Assert.Equal(0, (Enumerable.Range(0, 8).Sum(i => (9 - i) * (s[i] - '0')) - (s[8] - '0')) % 11));
        Assert.All(Values(PiiType.NationalId, "en_CA"), s => Assert.True(Checksums.LuhnValid(s.Replace(" ", "")), s));
        Assert.All(Values(PiiType.NationalId, "pt_BR"), s => Assert.True(ValuePatterns.IsBrazilianCpf(s), s));
        Assert.All(Values(PiiType.NationalId, "es"), s => Assert.True(ValuePatterns.IsSpanishDni(s), s));
    }

    [Fact]
    public void Same_seed_same_values_and_different_seed_different_values()
    {
        foreach (var type in Enum.GetValues<PiiType>())
        {
            Assert.Equal(Values(type, seed: 5), Values(type, seed: 5));
            Assert.NotEqual(Values(type, seed: 5), Values(type, seed: 6));
        }
    }

    [Fact]
    public void Generation_is_thread_safe_and_independent_of_other_calls()
    {
        var expected = Values(PiiType.PersonName, "de", 500, 77);
        var results = new string[8][];
        Parallel.For(0, 8, i =>
        {
            Values(PiiType.Email, "fr", 300, (ulong)i); // interleaved unrelated work
            results[i] = Values(PiiType.PersonName, "de", 500, 77);
        });
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Locale_changes_names_and_addresses()
    {
        var en = Values(PiiType.FirstName, "en", 300);
        var de = Values(PiiType.FirstName, "de", 300);
        Assert.True(en.Intersect(de).Count() < 0.5 * en.Distinct().Count(), "en and de first names overlap too much");
        Assert.Contains(Values(PiiType.StreetAddress, "de", 300), s => s.Contains("str", StringComparison.OrdinalIgnoreCase) || s.Contains("weg") || s.Contains("platz"));
        Assert.Contains(Values(PiiType.Phone, "de", 300), s => s.StartsWith('(') || s.StartsWith('0') || s.StartsWith("+49"));
    }

    [Fact]
    public void Column_name_is_part_of_the_stream_so_two_columns_differ()
    {
        var a = ((TextColumn)PiiFaker.Generate("Phone", PiiType.Phone, "en", 50, 3)).Values.ToArray();
        var b = ((TextColumn)PiiFaker.Generate("Fax", PiiType.Phone, "en", 50, 3)).Values.ToArray();
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Unknown_locale_is_a_schema_error_listing_valid_locales()
    {
        var e = Assert.Throws<SchemaException>(() => PiiFaker.Generate("email", PiiType.Email, "klingon", 3, 1));
        Assert.Equal("schema.locale", e.Code);
        Assert.Equal("email", e.Column);
        Assert.StartsWith("Unknown locale 'klingon' for fake personal data; valid locales include en, en_US, en_GB, de, fr", e.Message);
    }

    [Fact]
    public void Zero_count_gives_an_empty_column_and_negative_count_is_a_programmer_error()
    {
        Assert.Equal(0, PiiFaker.Generate("c", PiiType.City, "en", 0, 1).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => PiiFaker.Generate("c", PiiType.City, "en", -1, 1));
    }
}
