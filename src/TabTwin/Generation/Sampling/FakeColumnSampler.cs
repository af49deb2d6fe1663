using System.Globalization;
using Bogus;
using TabTwin.Encoding;
using TabTwin.Generation.Spec;

namespace TabTwin.Generation.Sampling;

/// <summary>
/// Makes one column of fake personal data for a chunk from a seeded Bogus <see cref="Faker"/> per locale. Names and
/// emails come from the chunk's <see cref="FakePeople"/> of the column's person group; addresses, phones and IBANs are
/// of the row's locale (its country), so a German row has a German postcode, phone number and DE IBAN.
/// </summary>
internal sealed class FakeColumnSampler(Distribution.Fake fake, string defaultLocale)
{
    public FakeKind Kind => fake.Kind;
    public string Person => fake.Person;
    public string? LocaleColumn => fake.LocaleColumn;
    public string Locale => fake.Locale ?? defaultLocale;

    public bool NeedsPeople => Kind is FakeKind.FirstName or FakeKind.LastName or FakeKind.FullName or FakeKind.Email or FakeKind.Username;

    public string?[] Generate(int count, Func<int, string> localeOfRow, FakePeople? people, ulong seed)
    {
        var fakers = new Dictionary<string, Faker>(StringComparer.Ordinal);
        var values = new string?[count];
        for (int i = 0; i < count; i++)
        {
            string locale = localeOfRow(i);
            var f = FakePeople.FakerFor(fakers, locale, seed);
            values[i] = Kind switch
            {
                FakeKind.FirstName => people!.First[i],
                FakeKind.LastName => people!.Last[i],
                FakeKind.FullName => $"{people!.First[i]} {people.Last[i]}",
                FakeKind.Email => FakePeople.Email(people!.First[i], people.Last[i], f.Random, locale),
                FakeKind.Username => FakePeople.UserName(people!.First[i], people.Last[i], f.Random),
                FakeKind.Phone => f.Phone.PhoneNumber(),
                FakeKind.StreetAddress => f.Address.StreetAddress(),
                FakeKind.City => f.Address.City(),
                FakeKind.PostalCode => f.Address.ZipCode(),
                FakeKind.State => f.Address.State(),
                FakeKind.Country => CountryName(locale) ?? f.Address.Country(),
                FakeKind.Address => FullAddress(f, locale),
                FakeKind.Company => f.Company.CompanyName(),
                FakeKind.Iban => Iban(f, locale),
                FakeKind.CreditCard => FakeChecksums.CreditCard(f.Random),
                FakeKind.NationalId => FakeChecksums.NationalId(f, locale),
                FakeKind.IpAddress => f.Internet.Ip(),
                FakeKind.Url => f.Internet.Url(),
                _ => throw new ArgumentOutOfRangeException(nameof(fake), Kind, "Unknown fake kind."),
            };
        }
        return values;
    }

    /// <summary>The locale's country in English ("Germany"), or null when the locale names no single country.</summary>
    public static string? CountryName(string locale)
    {
        var code = FakeChecksums.CountryOfLocale(locale);
        if (locale is "en" or "en_US") code = "US";
        if (code is null) return null;
        try { return new RegionInfo(code).EnglishName; }
        catch (ArgumentException) { return null; }
    }

    /// <summary>One line in the country's usual order: "street, postcode city" in most of Europe, "street, city, ST zip" in the US.</summary>
    private static string FullAddress(Faker f, string locale)
    {
        string street = f.Address.StreetAddress();
        return locale switch
        {
            "en" or "en_US" => $"{street}, {f.Address.City()}, {f.Address.StateAbbr()} {f.Address.ZipCode()}",
            "en_GB" or "en_IE" or "en_AU" or "en_CA" => $"{street}, {f.Address.City()} {f.Address.ZipCode()}",
            _ => $"{street}, {f.Address.ZipCode()} {f.Address.City()}",
        };
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> IbanCountries = new();

    /// <summary>An IBAN of the locale's country when Bogus knows its layout (else of any country), with valid mod-97 check digits.</summary>
    private static string Iban(Faker f, string locale)
    {
        var country = FakeChecksums.CountryOfLocale(locale);
        if (country is not null && IbanCountries.GetOrAdd(country, c =>
            {
                try { new Faker("en").Finance.Iban(false, c); return true; }
                catch (KeyNotFoundException) { return false; }
            }))
            return f.Finance.Iban(false, country);
        return f.Finance.Iban(false);
    }
}
