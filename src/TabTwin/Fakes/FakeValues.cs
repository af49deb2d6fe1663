using System.Collections.Concurrent;
using System.Globalization;
using Bogus;

namespace TabTwin.Fakes;

/// <summary>The kinds of single fake value <see cref="FakeValues"/> makes (names that must agree with an e-mail come from <see cref="FakePeople"/>).</summary>
internal enum FakeField
{
    Email, PersonName, FirstName, LastName, Phone, StreetAddress, City, PostalCode, State, Country, Address, Company,
    Iban, CreditCard, NationalId, IpAddress, Url,
}

/// <summary>
/// The one place fake personal values are made: a seeded Bogus <see cref="Faker"/> and a locale in, one value out.
/// Metadata-driven faking (<c>PiiFaker</c>) and spec-driven generation both call it, so a phone number, address or
/// IBAN of a locale looks the same whichever way it was asked for. Never derived from real values.
/// </summary>
internal static class FakeValues
{
    public static string One(Faker f, FakeField field, string locale) => field switch
    {
        FakeField.Email => f.Internet.Email(),
        FakeField.PersonName => f.Name.FullName(),
        FakeField.FirstName => f.Name.FirstName(),
        FakeField.LastName => f.Name.LastName(),
        FakeField.Phone => f.Phone.PhoneNumber(),
        FakeField.StreetAddress => f.Address.StreetAddress(),
        FakeField.City => f.Address.City(),
        FakeField.PostalCode => f.Address.ZipCode(),
        FakeField.State => f.Address.State(),
        FakeField.Country => CountryName(locale) ?? f.Address.Country(),
        FakeField.Address => FullAddress(f, locale),
        FakeField.Company => f.Company.CompanyName(),
        FakeField.Iban => Iban(f, locale),
        FakeField.CreditCard => FakeChecksums.CreditCard(f.Random),
        FakeField.NationalId => FakeChecksums.NationalId(f, locale),
        FakeField.IpAddress => f.Internet.Ip(),
        FakeField.Url => f.Internet.Url(),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Unknown fake field."),
    };

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

    private static readonly ConcurrentDictionary<string, bool> IbanCountries = new();

    /// <summary>An IBAN of the locale's country when Bogus knows its layout (else of any country), with valid mod-97 check digits.</summary>
    private static string Iban(Faker f, string locale)
    {
        var country = FakeChecksums.CountryOfLocale(locale);
        // The probe uses a throw-away faker so it never shifts the seeded stream.
        if (country is not null && IbanCountries.GetOrAdd(country, c =>
            {
                try { new Faker("en").Finance.Iban(false, c); return true; }
                catch (KeyNotFoundException) { return false; }
            }))
            return f.Finance.Iban(false, country);
        return f.Finance.Iban(false);
    }
}
