using Bogus;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Encoding;

/// <summary>
/// Realistic fake personal data from Bogus, in a chosen locale, deterministic for a seed. Never derived from
/// real values: the only inputs are the type, locale, count and seed, so no real record can leak through.
/// Thread-safe: every call builds its own <see cref="Faker"/> with its own seeded <see cref="Randomizer"/>
/// (Bogus' global static seed is never touched).
/// </summary>
public static class PiiFaker
{
    /// <summary>A text column of <paramref name="count"/> fake values of <paramref name="type"/>.</summary>
    /// <remarks>
    /// The Bogus seed is derived from (<paramref name="seed"/>, <paramref name="type"/>, <paramref name="columnName"/>)
    /// with a stable hash, so two columns generated with the same caller seed still get independent values.
    /// </remarks>
    public static Column Generate(string columnName, PiiType type, string locale, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(columnName);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ValidateLocale(locale, columnName);
        var faker = new Faker(locale) { Random = new Randomizer(DeriveSeed(seed, type, columnName)) };
        var produce = ValueSource(faker, type, locale);
        var values = new string?[count];
        for (int i = 0; i < count; i++) values[i] = produce();
        return new TextColumn(columnName, values);
    }

    /// <summary>The Bogus locales TabTwin accepts (see <see cref="PiiLocales"/>).</summary>
    public static IReadOnlyList<string> KnownLocales => PiiLocales.Known;

    /// <summary>Throws a <see cref="SchemaException"/> with code <c>schema.locale</c> when the locale is not a Bogus locale.</summary>
    public static void ValidateLocale(string? locale, string? column = null, string? file = null) => PiiLocales.Validate(locale, column, file);

    private static Func<string> ValueSource(Faker f, PiiType type, string locale) => type switch
    {
        PiiType.Email => () => f.Internet.Email(),
        PiiType.Phone => () => f.Phone.PhoneNumber(),
        PiiType.PersonName => () => f.Name.FullName(),
        PiiType.FirstName => () => f.Name.FirstName(),
        PiiType.LastName => () => f.Name.LastName(),
        PiiType.StreetAddress => () => f.Address.StreetAddress(),
        PiiType.City => () => f.Address.City(),
        PiiType.PostalCode => () => f.Address.ZipCode(),
        PiiType.CreditCard => () => FakeChecksums.CreditCard(f.Random),
        PiiType.Iban => IbanSource(f, locale),
        PiiType.NationalId => () => FakeChecksums.NationalId(f, locale),
        PiiType.IpAddress => () => f.Internet.Ip(),
        PiiType.Url => () => f.Internet.Url(),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown PII type."),
    };

    /// <summary>IBANs of the locale's country when Bogus knows its IBAN layout, otherwise of any country.</summary>
    private static Func<string> IbanSource(Faker f, string locale)
    {
        var country = FakeChecksums.CountryOfLocale(locale);
        if (country is not null)
        {
            try
            {
                // Probe with a throw-away faker so the probe does not shift the seeded stream.
                new Faker("en").Finance.Iban(false, country);
                return () => f.Finance.Iban(false, country);
            }
            catch (KeyNotFoundException) { }
        }
        return () => f.Finance.Iban(false);
    }

    /// <summary>A 31-bit Bogus seed from the caller's 64-bit seed, the type and a stable (FNV-1a) hash of the name.</summary>
    internal static int DeriveSeed(ulong seed, PiiType type, string columnName)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in columnName) { h ^= c; h *= 1099511628211UL; }
        ulong z = seed ^ (h * 0x9E3779B97F4A7C15UL) ^ ((ulong)type + 1) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
