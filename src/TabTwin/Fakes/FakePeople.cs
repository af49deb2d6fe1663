using System.Globalization;
using System.Text;
using Bogus;
using TabTwin.Randomness;

namespace TabTwin.Fakes;

/// <summary>
/// The fake people of one chunk: per person group and row, a first and last name drawn from that row's locale.
/// Name, email and username columns of the same group all read these, so <c>anna.schmidt@web.de</c> belongs to Anna Schmidt.
/// </summary>
internal sealed class FakePeople(string[] first, string[] last)
{
    public string[] First { get; } = first;
    public string[] Last { get; } = last;

    public static FakePeople Draw(int count, Func<int, string> localeOfRow, ulong seed)
    {
        var fakers = new Dictionary<string, Faker>(StringComparer.Ordinal);
        var first = new string[count];
        var last = new string[count];
        for (int i = 0; i < count; i++)
        {
            var f = FakerFor(fakers, localeOfRow(i), seed);
            var gender = f.Random.Bool() ? Bogus.DataSets.Name.Gender.Female : Bogus.DataSets.Name.Gender.Male;
            first[i] = f.Name.FirstName(gender);
            last[i] = f.Name.LastName(gender);
        }
        return new FakePeople(first, last);
    }

    /// <summary>One seeded Faker per locale (the locale folded into the seed so locales draw independently).</summary>
    public static Faker FakerFor(Dictionary<string, Faker> fakers, string locale, ulong seed)
    {
        if (fakers.TryGetValue(locale, out var f)) return f;
        ulong s = SeededRandom.Derive(seed, StableHash.Of(locale));
        f = new Faker(locale) { Random = new Randomizer((int)(s & 0x7FFFFFFF)) };
        fakers[locale] = f;
        return f;
    }

    /// <summary>An email address made from the person's name (accents removed, lower case) at a common provider of the locale.</summary>
    public static string Email(string first, string last, Randomizer r, string locale)
    {
        string f = Normalize(first), l = Normalize(last);
        if (f.Length == 0 && l.Length == 0) { f = "user"; l = r.Number(1000, 99999).ToString(CultureInfo.InvariantCulture); }
        else if (f.Length == 0) f = l;
        else if (l.Length == 0) l = f;
        string local = r.Number(5) switch
        {
            0 => $"{f}.{l}",
            1 => $"{f[0]}.{l}",
            2 => $"{f}_{l}",
            3 => $"{f}.{l}{r.Number(1, 99)}",
            4 => $"{l}.{f}",
            _ => $"{f}{l}",
        };
        var providers = Providers(locale);
        return $"{local}@{providers[r.Number(providers.Length - 1)]}";
    }

    public static string UserName(string first, string last, Randomizer r)
    {
        string f = Normalize(first), l = Normalize(last);
        if (f.Length == 0) f = "user";
        return r.Bool() ? $"{f}{(l.Length > 0 ? l[0] : 'x')}{r.Number(1, 999)}" : $"{f}.{l}".TrimEnd('.');
    }

    /// <summary>Lower-case ASCII letters and digits of a name: "José-Luis Müller" → "joseluismuller".</summary>
    public static string Normalize(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (char c in decomposed)
        {
            if (c == 'ß') { sb.Append("ss"); continue; }
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    private static string[] Providers(string locale) => locale switch
    {
        "de" or "de_AT" or "de_CH" => ["gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.de"],
        "fr" or "fr_BE" or "fr_CH" or "fr_CA" => ["gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr"],
        "es" or "es_MX" => ["gmail.com", "hotmail.es", "yahoo.es", "outlook.es"],
        "it" => ["gmail.com", "libero.it", "virgilio.it", "hotmail.it"],
        "nl" or "nl_BE" => ["gmail.com", "hotmail.nl", "ziggo.nl", "kpnmail.nl"],
        "en_GB" => ["gmail.com", "hotmail.co.uk", "yahoo.co.uk", "btinternet.com"],
        "pt_BR" => ["gmail.com", "hotmail.com", "uol.com.br", "bol.com.br"],
        _ => ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com"],
    };
}
