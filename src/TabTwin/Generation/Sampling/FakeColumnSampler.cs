using Bogus;
using TabTwin.Fakes;
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
                FakeKind.Phone => FakeValues.One(f, FakeField.Phone, locale),
                FakeKind.StreetAddress => FakeValues.One(f, FakeField.StreetAddress, locale),
                FakeKind.City => FakeValues.One(f, FakeField.City, locale),
                FakeKind.PostalCode => FakeValues.One(f, FakeField.PostalCode, locale),
                FakeKind.State => FakeValues.One(f, FakeField.State, locale),
                FakeKind.Country => FakeValues.One(f, FakeField.Country, locale),
                FakeKind.Address => FakeValues.One(f, FakeField.Address, locale),
                FakeKind.Company => FakeValues.One(f, FakeField.Company, locale),
                FakeKind.Iban => FakeValues.One(f, FakeField.Iban, locale),
                FakeKind.CreditCard => FakeValues.One(f, FakeField.CreditCard, locale),
                FakeKind.NationalId => FakeValues.One(f, FakeField.NationalId, locale),
                FakeKind.IpAddress => FakeValues.One(f, FakeField.IpAddress, locale),
                FakeKind.Url => FakeValues.One(f, FakeField.Url, locale),
                _ => throw new ArgumentOutOfRangeException(nameof(fake), Kind, "Unknown fake kind."),
            };
        }
        return values;
    }
}
