using System.Globalization;
using Bogus.DataSets;
using TabTwin.Schema;

namespace TabTwin.Encoding;

/// <summary>
/// What a row's own (synthetic) values say about the fake person or address to make for it: the sex of a
/// sex/gender column, the locale of a country column. Read from the labels alone, never from real records.
/// </summary>
internal static class RowTraits
{
    private static readonly HashSet<string> SexWords = ["sex", "gender", "geschlecht", "sexe", "sexo", "genero", "gendercode", "sexcode"];

    private static readonly Dictionary<string, Name.Gender> SexLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["m"] = Name.Gender.Male, ["male"] = Name.Gender.Male, ["man"] = Name.Gender.Male, ["men"] = Name.Gender.Male,
        ["masculine"] = Name.Gender.Male, ["masc"] = Name.Gender.Male, ["boy"] = Name.Gender.Male, ["mr"] = Name.Gender.Male,
        ["männlich"] = Name.Gender.Male, ["maennlich"] = Name.Gender.Male, ["mann"] = Name.Gender.Male,
        ["h"] = Name.Gender.Male, ["homme"] = Name.Gender.Male, ["masculin"] = Name.Gender.Male,
        ["hombre"] = Name.Gender.Male, ["masculino"] = Name.Gender.Male, ["maschio"] = Name.Gender.Male,
        ["f"] = Name.Gender.Female, ["female"] = Name.Gender.Female, ["woman"] = Name.Gender.Female, ["women"] = Name.Gender.Female,
        ["feminine"] = Name.Gender.Female, ["fem"] = Name.Gender.Female, ["girl"] = Name.Gender.Female, ["mrs"] = Name.Gender.Female,
        ["ms"] = Name.Gender.Female, ["w"] = Name.Gender.Female, ["weiblich"] = Name.Gender.Female, ["frau"] = Name.Gender.Female,
        ["femme"] = Name.Gender.Female, ["féminin"] = Name.Gender.Female, ["mujer"] = Name.Gender.Female,
        ["femenino"] = Name.Gender.Female, ["femmina"] = Name.Gender.Female,
    };

    /// <summary>Labels of a sex column that name neither sex (left to chance).</summary>
    private static readonly HashSet<string> UnknownSexLabels = new(StringComparer.OrdinalIgnoreCase)
        { "u", "unknown", "other", "x", "d", "divers", "diverse", "n/a", "na", "none", "unspecified", "not specified", "nonbinary", "non-binary", "?" };

    /// <summary>Whether the column name says sex or gender (whole words: "genre" is not a gender).</summary>
    public static bool IsSexName(string columnName) => ColumnNameHints.SplitWords(columnName).Any(SexWords.Contains);

    /// <summary>
    /// A reader of the sex of each distinct label of a sex column, or null when some label is neither a known sex
    /// word nor an "unknown" word (then the column is not a sex column: <c>A91</c>, free text). Whole-number codes
    /// follow ISO/IEC 5218 (1 male, 2 female, 0 and 9 unknown) and must include both 1 and 2.
    /// </summary>
    public static Dictionary<string, Name.Gender?>? SexOfLabels(IEnumerable<string> labels)
    {
        var map = new Dictionary<string, Name.Gender?>(StringComparer.Ordinal);
        var distinct = labels.Select(l => l.Trim()).Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length == 0) return null;
        if (distinct.All(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            static int? Code(string l) => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) ? (int)d : null;
            var codes = distinct.Select(Code).ToArray();
            if (codes.Any(c => c is not (0 or 1 or 2 or 9)) || !codes.Contains(1) || !codes.Contains(2)) return null;
            foreach (var l in distinct)
                map[l] = Code(l) switch { 1 => Name.Gender.Male, 2 => Name.Gender.Female, _ => null };
            return map;
        }
        bool anySex = false;
        foreach (var l in distinct)
        {
            string word = l.TrimEnd('.');
            if (SexLabels.TryGetValue(word, out var g)) { map[l] = g; anySex = true; }
            else if (UnknownSexLabels.Contains(word)) map[l] = null;
            else return null;
        }
        return anySex ? map : null;
    }

    /// <summary>Whether the column name says country (whole words).</summary>
    public static bool IsCountryName(string columnName) =>
        ColumnNameHints.SplitWords(columnName).Any(w => w is "country" or "land" or "pays" or "pais" or "countryname");

    /// <summary>
    /// The Bogus locale whose names and addresses fit a country label ("Germany", "DE", "DEU", "USA"), or null when the
    /// label names no country with a Latin-script Bogus locale (names must stay writable as e-mail addresses).
    /// </summary>
    public static string? LocaleOfCountry(string label) =>
        CountryLocales.Value.TryGetValue(label.Trim(), out var locale) ? locale : null;

    // ISO region → the Bogus locale of its people and addresses (Latin-script locales only).
    private static readonly (string Region, string Locale)[] RegionLocales =
    [
        ("US", "en_US"), ("CA", "en_CA"), ("GB", "en_GB"), ("IE", "en_IE"), ("AU", "en_AU"), ("IN", "en_IND"), ("ZA", "en_ZA"),
        ("NG", "en_NG"), ("DE", "de"), ("AT", "de_AT"), ("CH", "de_CH"), ("FR", "fr"), ("BE", "nl_BE"), ("NL", "nl"),
        ("ES", "es"), ("MX", "es_MX"), ("AR", "es"), ("CL", "es"), ("CO", "es"), ("IT", "it"), ("PT", "pt_PT"), ("BR", "pt_BR"),
        ("SE", "sv"), ("NO", "nb_NO"), ("FI", "fi"), ("PL", "pl"), ("CZ", "cz"), ("SK", "sk"), ("TR", "tr"),
        ("RO", "ro"), ("HR", "hr"), ("LV", "lv"), ("ID", "id_ID"),
    ];

    private static readonly Lazy<Dictionary<string, string>> CountryLocales = new(() =>
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (region, locale) in RegionLocales)
        {
            if (!PiiLocales.IsKnown(locale)) continue;
            var info = new RegionInfo(region);
            foreach (var label in new[] { region, info.ThreeLetterISORegionName, info.EnglishName, info.NativeName })
                map.TryAdd(label, locale);
        }
        foreach (var (label, region) in new[] { ("USA", "US"), ("United States of America", "US"), ("UK", "GB"), ("England", "GB"),
                     ("Great Britain", "GB"), ("Czech Republic", "CZ"), ("Holland", "NL") })
            if (map.TryGetValue(region, out var locale)) map.TryAdd(label, locale);
        return map;
    });
}
