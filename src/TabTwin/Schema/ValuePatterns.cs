using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Bogus;
using TabTwin.Fakes;

namespace TabTwin.Schema;

/// <summary>
/// Validators for single values: what a value looks like (e-mail, card number, IBAN, …). Checksums are
/// verified where the format has one (Luhn, IBAN mod-97) so random digit strings rarely pass.
/// </summary>
internal static partial class ValuePatterns
{
    [GeneratedRegex(@"^[A-Za-z0-9._%+'\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"^(?:(?:https?|ftp)://[^\s/$.?#][^\s]*|www\.[^\s.]+\.[^\s]{2,})$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UrlRegex();

    [GeneratedRegex(@"^(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,}(?:/\S*)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BareDomainRegex();

    [GeneratedRegex(@"^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4Regex();

    [GeneratedRegex(@"^\d{3}-\d{2}-\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex SsnRegex();

    [GeneratedRegex(@"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]$", RegexOptions.CultureInvariant)]
    private static partial Regex NinoRegex();

    [GeneratedRegex(@"^\+?[\d\s().\-/]+(?:\s*(?:x|ext\.?)\s*\d{1,5})?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PhoneCharsRegex();

    [GeneratedRegex(@"^\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex NorthAmericanPhoneRegex();

    [GeneratedRegex(@"^[\p{Lu}\p{Lt}][\p{L}\p{M}'’.\-]*(?:[ ,]+[(""]?[\p{L}][\p{L}\p{M}'’.\-]*[)""]?){0,7}$", RegexOptions.CultureInvariant)]
    private static partial Regex PersonLikeRegex();

    public static bool IsEmail(string s) => s.Length <= 254 && EmailRegex().IsMatch(s);

    public static bool IsUrl(string s) => s.Length <= 2048 && UrlRegex().IsMatch(s);

    /// <summary>A URL or a bare domain such as <c>example.com/path</c> (only trusted when the name says "url/website").</summary>
    public static bool IsUrlOrDomain(string s) => IsUrl(s) || (s.Length <= 253 && BareDomainRegex().IsMatch(s));

    public static bool IsIpAddress(string s)
    {
        if (Ipv4Regex().IsMatch(s)) return true;
        // IPv6 needs at least two colons, so "12:30" times never count.
        return s.Count(c => c == ':') >= 2 && IPAddress.TryParse(s, out var a) && a.AddressFamily == AddressFamily.InterNetworkV6;
    }

    public static bool IsSsn(string s) => SsnRegex().IsMatch(s) && !s.StartsWith("000", StringComparison.Ordinal) && !s.StartsWith("666", StringComparison.Ordinal);
    public static bool IsNino(string s) => NinoRegex().IsMatch(s);
    public static bool IsNationalId(string s) => IsSsn(s) || IsNino(s) || IsSpanishDni(s) || IsBrazilianCpf(s);

    [GeneratedRegex(@"^\d{8}-?[A-Z]$", RegexOptions.CultureInvariant)]
    private static partial Regex DniRegex();

    [GeneratedRegex(@"^\d{3}\.\d{3}\.\d{3}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex CpfRegex();

    /// <summary>Spanish DNI: 8 digits and the matching mod-23 control letter.</summary>
    public static bool IsSpanishDni(string s) =>
        DniRegex().IsMatch(s) && Checksums.DniLetter(int.Parse(s.AsSpan(0, 8), CultureInfo.InvariantCulture)) == s[^1];

    /// <summary>Brazilian CPF ddd.ddd.ddd-dd with both mod-11 check digits right (and not all one digit).</summary>
    public static bool IsBrazilianCpf(string s)
    {
        if (!CpfRegex().IsMatch(s)) return false;
        var d = new string(s.Where(char.IsAsciiDigit).ToArray());
        if (d.All(x => x == d[0])) return false;
        return Checksums.CpfCheckDigit(d.AsSpan(0, 9)) == d[9] - '0' && Checksums.CpfCheckDigit(d.AsSpan(0, 10)) == d[10] - '0';
    }

    /// <summary>13-19 digits (spaces/dashes allowed between groups) passing the Luhn check.</summary>
    public static bool IsCreditCard(string s)
    {
        Span<char> digits = stackalloc char[19];
        int n = 0;
        foreach (char c in s)
        {
            if (char.IsAsciiDigit(c)) { if (n == 19) return false; digits[n++] = c; }
            else if (c is not (' ' or '-')) return false;
        }
        return n >= 13 && Checksums.LuhnValid(digits[..n]);
    }

    /// <summary>Country code, two check digits and 11-30 letters/digits (spaces allowed) with a valid mod-97 checksum.</summary>
    public static bool IsIban(string s)
    {
        var compact = s.Replace(" ", "", StringComparison.Ordinal);
        if (compact.Length is < 15 or > 34) return false;
        if (!char.IsAsciiLetterUpper(compact[0]) || !char.IsAsciiLetterUpper(compact[1]) || !char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3])) return false;
        foreach (char c in compact) if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c)) return false;
        return Checksums.IbanMod97(compact) == 1;
    }

    /// <summary>How many digits a phone-like value has, or -1 when it holds characters phones do not use.</summary>
    public static int PhoneDigits(string s) => PhoneCharsRegex().IsMatch(s) ? s.Count(char.IsAsciiDigit) : -1;

    /// <summary>Shaped like a phone number beyond doubt: international (+…), with an area code in parentheses, or NNN-NNN-NNNN.</summary>
    public static bool IsClearlyPhone(string s)
    {
        int digits = PhoneDigits(s);
        if (digits is < 7 or > 15) return false;
        return s.StartsWith('+') || s.Contains('(') || NorthAmericanPhoneRegex().IsMatch(s);
    }

    /// <summary>Any phone-looking value with 7-15 digits (trusted only when the name says "phone").</summary>
    public static bool IsPhoneLike(string s) => PhoneDigits(s) is >= 7 and <= 15;

    /// <summary>Written like a person's name: capitalised words of letters (and ' . - ,), no digits, at most 8 words.</summary>
    public static bool IsPersonLike(string s) => s.Length is >= 2 and <= 80 && PersonLikeRegex().IsMatch(s) && IsWrittenLikeAWord(s);

    /// <summary>
    /// Not a short code: a name or place is capitalised with lower-case letters after the first ("Oslo", "O'Neil"), or,
    /// written all in capitals, at least 5 letters long; either way it has a vowel. So "NE", "F", "USA", "CAUC" never
    /// pass (lower-case "cauc" already fails the capital first letter).
    /// </summary>
    private const string Vowels = "aeiouyæøœåäöüàáâãèéêëìíîïòóôõùúûýÿąęųůěīūō";

    internal static bool IsWrittenLikeAWord(string s)
    {
        bool lower = false, vowel = false;
        int letters = 0;
        foreach (char c in s)
        {
            if (!char.IsLetter(c)) continue;
            letters++;
            lower |= !char.IsUpper(c); // lower case, or a script without case
            vowel |= Vowels.Contains(char.ToLowerInvariant(c)) || c > 'ʯ'; // non-Latin scripts: no vowel test
        }
        return vowel && (lower ? letters >= 2 : letters >= 5);
    }

    /// <summary>Whether any word of the value is a common given name (from Bogus' name lists of several locales).</summary>
    public static bool HasKnownFirstName(string s)
    {
        foreach (var w in s.Split([' ', ',', '(', ')', '"'], StringSplitOptions.RemoveEmptyEntries))
        {
            var word = w.Trim('.', '\'', '-');
            if (word.Length >= 2 && FirstNames.Value.Contains(word)) return true;
        }
        return false;
    }

    /// <summary>Whether the value contains a personal title such as Mr., Mrs., Dr.</summary>
    public static bool HasTitle(string s)
    {
        foreach (var w in s.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
            if (Titles.Contains(w.TrimEnd('.'))) return true;
        return false;
    }

    public static int WordCount(string s) => s.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>A postal code: 3-10 characters of digits/letters (one space or dash allowed) with at least one digit.</summary>
    public static bool IsPostalCodeLike(string s) =>
        s.Length is >= 3 and <= 10 && s.Any(char.IsAsciiDigit) && s.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-');

    /// <summary>A place name: capitalised letters with spaces, dots, dashes or apostrophes, no digits, not a short code (see <see cref="IsWrittenLikeAWord"/>).</summary>
    public static bool IsPlaceNameLike(string s) =>
        s.Length is >= 3 and <= 60 && char.IsUpper(s[0]) && IsWrittenLikeAWord(s)
        && s.All(c => char.IsLetter(c) || c is ' ' or '.' or '-' or '\'' or '’' || char.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark);

    /// <summary>A street address: has letters, 5-120 characters, at most a few words more than a postal line.</summary>
    public static bool IsAddressLike(string s) => s.Length is >= 5 and <= 120 && s.Any(char.IsLetter) && WordCount(s) is >= 2 and <= 12;

    private static readonly HashSet<string> Titles = new(StringComparer.OrdinalIgnoreCase)
        { "mr", "mrs", "miss", "ms", "mx", "dr", "master", "rev", "sir", "lady", "mme", "mlle", "madame", "don", "dona", "prof", "capt", "col", "major", "herr", "frau", "sr", "sra", "srta" };

    private static readonly Lazy<HashSet<string>> FirstNames = new(() =>
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var locale in new[] { "en", "en_US", "en_GB", "de", "fr", "es", "it", "nl", "pt_BR", "pt_PT", "sv", "pl", "nb_NO", "fi", "cz" })
            foreach (var key in new[] { "first_name", "male_first_name", "female_first_name" })
            {
                if (!Database.HasKey("name", key, locale, null)) continue;
                if (Database.Get("name", key, locale, null) is Bogus.Bson.BArray names)
                    for (int i = 0; i < names.Count; i++)
                        if (names[i].StringValue is { Length: >= 2 } n) set.Add(n);
            }
        return set;
    });
}
