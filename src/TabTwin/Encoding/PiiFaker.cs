using Bogus;
using TabTwin.Fakes;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Encoding;

/// <summary>
/// A column of realistic fake personal data (made by <see cref="FakeValues"/>) for a metadata PII type, in a chosen locale, deterministic for a seed. Never derived from
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
        var field = FieldOf(type);
        var values = new string?[count];
        for (int i = 0; i < count; i++) values[i] = FakeValues.One(faker, field, locale);
        return new TextColumn(columnName, values);
    }

    /// <summary>The Bogus locales TabTwin accepts (see <see cref="PiiLocales"/>).</summary>
    public static IReadOnlyList<string> KnownLocales => PiiLocales.Known;

    /// <summary>Throws a <see cref="SchemaException"/> with code <c>schema.locale</c> when the locale is not a Bogus locale.</summary>
    public static void ValidateLocale(string? locale, string? column = null, string? file = null) => PiiLocales.Validate(locale, column, file);

    /// <summary>The <see cref="FakeField"/> that stands for a metadata PII type (one to one).</summary>
    private static FakeField FieldOf(PiiType type) => type switch
    {
        PiiType.Email => FakeField.Email,
        PiiType.Phone => FakeField.Phone,
        PiiType.PersonName => FakeField.PersonName,
        PiiType.FirstName => FakeField.FirstName,
        PiiType.LastName => FakeField.LastName,
        PiiType.StreetAddress => FakeField.StreetAddress,
        PiiType.City => FakeField.City,
        PiiType.PostalCode => FakeField.PostalCode,
        PiiType.CreditCard => FakeField.CreditCard,
        PiiType.Iban => FakeField.Iban,
        PiiType.NationalId => FakeField.NationalId,
        PiiType.IpAddress => FakeField.IpAddress,
        PiiType.Url => FakeField.Url,
        PiiType.State => FakeField.State,
        PiiType.Company => FakeField.Company,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown PII type."),
    };

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
