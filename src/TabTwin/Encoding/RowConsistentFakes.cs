using Bogus;
using Bogus.DataSets;
using TabTwin.Fakes;
using TabTwin.Randomness;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Encoding;

/// <summary>
/// Makes the fake personal columns of one row agree with each other and with the row's modelled values, instead of
/// each column drawing on its own: one fake person per row (first name of the row's sex when the table has a
/// sex/gender column, last name, full name, and an e-mail made from that name) and one fake address per row
/// (street, city, state and postal code from the same locale — the locale of the row's country when the table has a
/// country column, else the schema's — with phone numbers written the way that locale writes them). Only fake values
/// and the row's synthetic labels go in; no real record.
/// </summary>
internal static class RowConsistentFakes
{
    private const ulong PeopleSalt = 0x5EED_0F_9E09_1Eul;

    /// <summary>
    /// Replaces, in place, the decoded pii <paramref name="columns"/> (one per state of <paramref name="states"/>) that belong
    /// to the row's person or address, drawing from <paramref name="seed"/>; <paramref name="columnSeed"/> gives the seed each
    /// column was decoded with, so its missing rows are kept.
    /// </summary>
    public static void Apply(IReadOnlyList<ColumnEncoderState> states, Column[] columns, ulong seed, Func<int, ulong> columnSeed)
    {
        int First(PiiType type)
        {
            for (int i = 0; i < states.Count; i++) if (states[i] is PiiEncoderState p && p.Pii == type) return i;
            return -1;
        }
        int first = First(PiiType.FirstName), last = First(PiiType.LastName), full = First(PiiType.PersonName), email = First(PiiType.Email);
        int street = First(PiiType.StreetAddress), city = First(PiiType.City), postal = First(PiiType.PostalCode), state = First(PiiType.State);
        int[] phones = [.. Enumerable.Range(0, states.Count).Where(i => states[i] is PiiEncoderState { Pii: PiiType.Phone })];
        int sex = SexColumn(states, columns);
        int personParts = (first >= 0 ? 1 : 0) + (last >= 0 ? 1 : 0) + (full >= 0 ? 1 : 0) + (email >= 0 ? 1 : 0);
        bool person = personParts >= 2 || (personParts == 1 && email < 0 && sex >= 0);
        bool address = street >= 0 && (city >= 0 || postal >= 0 || state >= 0);
        if (!person && !address) return;
        bool shortState = state >= 0 && ((PiiEncoderState)states[state]).ShortForm;

        int rows = columns.Length == 0 ? 0 : columns[0].Length;
        string schemaLocale = states.OfType<PiiEncoderState>().First().Locale;
        var localeOf = LocaleOfRow(states, columns, schemaLocale);
        var sexOf = sex >= 0 ? SexOfRow(columns[sex]) : null;

        var values = new Dictionary<int, string?[]>();
        void Want(int column) { if (column >= 0) values[column] = new string?[rows]; }
        if (person) { Want(first); Want(last); Want(full); Want(email); }
        if (address) { Want(street); Want(city); Want(postal); Want(state); }
        foreach (int phone in phones) Want(phone);

        var fakers = new Dictionary<string, Faker>(StringComparer.Ordinal);
        ulong fakeSeed = SeededRandom.Derive(seed, PeopleSalt);
        for (int r = 0; r < rows; r++)
        {
            string locale = localeOf(r);
            var f = FakePeople.FakerFor(fakers, locale, fakeSeed);
            if (person)
            {
                var gender = sexOf?.Invoke(r) ?? (f.Random.Bool() ? Name.Gender.Female : Name.Gender.Male);
                string firstName = f.Name.FirstName(gender), lastName = f.Name.LastName(gender);
                Set(first, r, firstName);
                Set(last, r, lastName);
                Set(full, r, $"{firstName} {lastName}");
                if (email >= 0) values[email][r] = FakePeople.Email(firstName, lastName, f.Random, locale);
            }
            if (address)
            {
                Set(street, r, f.Address.StreetAddress());
                Set(city, r, f.Address.City());
                Set(postal, r, f.Address.ZipCode());
                if (state >= 0) Set(state, r, shortState ? f.Address.StateAbbr() : f.Address.State());
            }
            foreach (int phone in phones) Set(phone, r, f.Phone.PhoneNumber());
        }
        foreach (var (column, fakes) in values)
            columns[column] = ((PiiEncoderState)states[column]).WithMissing(fakes, columnSeed(column));

        void Set(int column, int row, string value)
        {
            if (column >= 0) values[column][row] = value;
        }
    }

    /// <summary>The first modelled column named like sex/gender whose labels all read as a sex (or unknown), or -1.</summary>
    private static int SexColumn(IReadOnlyList<ColumnEncoderState> states, Column[] columns)
    {
        for (int i = 0; i < states.Count; i++)
            if (states[i].IsModelled && RowTraits.IsSexName(states[i].Name) && RowTraits.SexOfLabels(Labels(columns[i])) is not null)
                return i;
        return -1;
    }

    private static Func<int, Name.Gender?> SexOfRow(Column column)
    {
        var map = RowTraits.SexOfLabels(Labels(column))!;
        return r => column.FormatValue(r) is { } v && map.TryGetValue(v.Trim(), out var g) ? g : null;
    }

    /// <summary>
    /// Each row's locale: that of its country when a modelled country column names one, else the schema's. A locale the
    /// user chose (anything but the default <c>en</c>) is kept for every row.
    /// </summary>
    private static Func<int, string> LocaleOfRow(IReadOnlyList<ColumnEncoderState> states, Column[] columns, string schemaLocale)
    {
        if (schemaLocale != "en") return _ => schemaLocale;
        for (int i = 0; i < states.Count; i++)
        {
            if (!states[i].IsModelled || !RowTraits.IsCountryName(states[i].Name)) continue;
            var labels = Labels(columns[i]).ToArray();
            // A country column whose labels mostly name no known country (codes of another scheme) is not used.
            if (labels.Length == 0 || labels.Count(l => RowTraits.LocaleOfCountry(l) is not null) * 2 < labels.Length) continue;
            var column = columns[i];
            return r => column.FormatValue(r) is { } v && RowTraits.LocaleOfCountry(v) is { } l ? l : schemaLocale;
        }
        return _ => schemaLocale;
    }

    private static IEnumerable<string> Labels(Column column)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int r = 0; r < column.Length; r++)
            if (column.FormatValue(r) is { } v && seen.Add(v) && seen.Count > 64) break;
        return seen;
    }
}
