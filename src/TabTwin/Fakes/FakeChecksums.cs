using Bogus;

namespace TabTwin.Fakes;

/// <summary>
/// Fake identifiers whose check digits must be right (card numbers, national IDs), built from a seeded
/// Bogus randomizer. Bogus covers some of these only through <c>Person</c>, whose construction draws many
/// unrelated values; generating them here keeps each value to a few draws and the format under our control.
/// </summary>
internal static class FakeChecksums
{
    /// <summary>A card number with a valid Luhn check digit: Visa, Mastercard, Amex or Discover prefixes and lengths.</summary>
    public static string CreditCard(Randomizer r)
    {
        (string prefix, int length) = r.Number(3) switch
        {
            0 => ("4", 16),
            1 => ((51 + r.Number(4)).ToString(), 16),
            2 => (r.Bool() ? "34" : "37", 15),
            _ => ("6011", 16),
        };
        var digits = new char[length];
        prefix.CopyTo(digits);
        for (int i = prefix.Length; i < length - 1; i++) digits[i] = (char)('0' + r.Number(9));
        digits[length - 1] = (char)('0' + Checksums.LuhnCheckDigit(digits.AsSpan(0, length - 1)));
        return new string(digits);
    }

    /// <summary>A national identity/tax number shaped like the locale's country uses; US SSN-like by default.</summary>
    public static string NationalId(Faker f, string locale)
    {
        var r = f.Random;
        return locale switch
        {
            "en_GB" or "en_IE" => Nino(r),
            "en_CA" or "fr_CA" => CanadianSin(r),
            "de" or "de_AT" or "de_CH" => GermanTaxId(r),
            "fr" or "fr_BE" or "fr_CH" or "fr_LU" => FrenchNir(r),
            "es" or "es_MX" => SpanishDni(r),
            "nl" or "nl_BE" => DutchBsn(r),
            "pt_BR" => BrazilianCpf(r),
            "sv" => SwedishPersonnummer(r),
            _ => UsSsn(r),
        };
    }

    /// <summary>ddd-dd-dddd with the area, group and serial ranges the SSA issues (no 000, 666 or 9xx areas).</summary>
    private static string UsSsn(Randomizer r)
    {
        int area = r.Number(1, 898);
        if (area == 666) area = 667;
        return $"{area:000}-{r.Number(1, 99):00}-{r.Number(1, 9999):0000}";
    }

    private const string NinoFirst = "ABCEGHJKLMNOPRSTWXYZ";
    private const string NinoSecond = "ABCEGHJKLMNPRSTWXYZ";
    private static readonly HashSet<string> NinoBannedPrefixes = ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"];

    /// <summary>UK National Insurance number, e.g. AB123456C.</summary>
    private static string Nino(Randomizer r)
    {
        string prefix;
        do prefix = $"{NinoFirst[r.Number(NinoFirst.Length - 1)]}{NinoSecond[r.Number(NinoSecond.Length - 1)]}";
        while (NinoBannedPrefixes.Contains(prefix));
        return $"{prefix}{r.Number(0, 999999):000000}{"ABCD"[r.Number(3)]}";
    }

    /// <summary>Canadian SIN: 9 digits passing Luhn, written ddd ddd ddd.</summary>
    private static string CanadianSin(Randomizer r)
    {
        var d = RandomDigits(r, 8, firstNonZero: true);
        var s = d + Checksums.LuhnCheckDigit(d);
        return $"{s[..3]} {s[3..6]} {s[6..]}";
    }

    /// <summary>German tax ID (Steuer-IdNr) shape: 11 digits, the last an ISO 7064 MOD 11,10 check digit.</summary>
    private static string GermanTaxId(Randomizer r)
    {
        var d = RandomDigits(r, 10, firstNonZero: true);
        int product = 10;
        foreach (char c in d)
        {
            int sum = (c - '0' + product) % 10;
            if (sum == 0) sum = 10;
            product = sum * 2 % 11;
        }
        int check = 11 - product;
        return d + (check == 10 ? 0 : check);
    }

    /// <summary>French NIR: sex, year, month, department, commune, order (13 digits) + key 97 - (n mod 97).</summary>
    private static string FrenchNir(Randomizer r)
    {
        var body = $"{r.Number(1, 2)}{r.Number(0, 99):00}{r.Number(1, 12):00}{r.Number(1, 95):00}{r.Number(1, 999):000}{r.Number(1, 999):000}";
        long key = 97 - long.Parse(body) % 97;
        return body + key.ToString("00");
    }

    /// <summary>Spanish DNI: 8 digits + the mod-23 control letter.</summary>
    private static string SpanishDni(Randomizer r)
    {
        int n = r.Number(0, 99_999_999);
        return $"{n:00000000}{Checksums.DniLetter(n)}";
    }

    /// <summary>Dutch BSN: 9 digits passing the "11-proof" (9a+8b+…+2h−i ≡ 0 mod 11).</summary>
    private static string DutchBsn(Randomizer r)
    {
        while (true)
        {
            var d = RandomDigits(r, 8, firstNonZero: true);
            int sum = 0;
            for (int i = 0; i < 8; i++) sum += (9 - i) * (d[i] - '0');
            int last = sum % 11;
            if (last <= 9) return d + last;
        }
    }

    /// <summary>Brazilian CPF ddd.ddd.ddd-dd with both mod-11 check digits.</summary>
    private static string BrazilianCpf(Randomizer r)
    {
        var d = RandomDigits(r, 9, firstNonZero: false);
        d += Checksums.CpfCheckDigit(d);
        d += Checksums.CpfCheckDigit(d);
        return $"{d[..3]}.{d[3..6]}.{d[6..9]}-{d[9..]}";
    }

    /// <summary>Swedish personnummer YYMMDD-NNNC with the Luhn check digit over the 9 digits before it.</summary>
    private static string SwedishPersonnummer(Randomizer r)
    {
        var body = $"{r.Number(0, 99):00}{r.Number(1, 12):00}{r.Number(1, 28):00}{r.Number(0, 999):000}";
        return $"{body[..6]}-{body[6..]}{Checksums.LuhnCheckDigit(body)}";
    }

    private static string RandomDigits(Randomizer r, int count, bool firstNonZero)
    {
        var c = new char[count];
        for (int i = 0; i < count; i++) c[i] = (char)('0' + (i == 0 && firstNonZero ? r.Number(1, 9) : r.Number(9)));
        return new string(c);
    }

    /// <summary>The ISO country whose IBANs suit a Bogus locale (null when unclear; the US has no IBAN, so "en" maps to GB).</summary>
    public static string? CountryOfLocale(string locale) => locale switch
    {
        "en" or "en_US" or "en_GB" or "en_AU" or "en_AU_ocker" or "en_BORK" => "GB",
        "en_IE" => "IE",
        "de" => "DE",
        "fr" => "FR",
        "es" => "ES",
        "it" => "IT",
        "nl" => "NL",
        "sv" => "SE",
        "pl" => "PL",
        "nb_NO" => "NO",
        "fi" => "FI",
        "cz" => "CZ",
        "sk" => "SK",
        "tr" => "TR",
        "ro" => "RO",
        "hr" => "HR",
        "lv" => "LV",
        "uk" => "UA",
        "el" => "GR",
        "pt_PT" => "PT",
        "pt_BR" => "BR",
        _ when locale.Length == 5 && locale[2] == '_' => locale[3..],
        _ => null,
    };
}
