using System.Text;

namespace TabTwin.Schema;

/// <summary>
/// What a column's name suggests: a key, or a kind of personal data. Names are split into lower-case words
/// at separators and camelCase boundaries ("CustomerId" → customer, id; "e-mail" → e, mail), so hints match
/// whole words, not substrings ("paid" is not an id, "number_of_reviews" is not a key).
/// </summary>
internal sealed class ColumnNameHints
{
    private readonly string[] _words;
    private readonly string _joined;

    public ColumnNameHints(string name)
    {
        Name = name;
        _words = SplitWords(name);
        _joined = string.Concat(_words);
    }

    public string Name { get; }
    public IReadOnlyList<string> Words => _words;

    /// <summary>A readable phrase saying why the name suggests a key (e.g. "name ends in 'id'"), or null.</summary>
    public string? IdHint()
    {
        if (_words.Length == 0) return null;
        string last = _words[^1];
        if (IdWords.Contains(last)) return $"name ends in '{last}'";
        foreach (var w in _words)
            if (w is "uuid" or "guid") return $"name contains '{w}'";
        // All-lower-case compounds such as "customerid": accept an 'id' tail on a longer word that is not an English word ending in -id.
        if (last.Length >= 5 && last.EndsWith("id", StringComparison.Ordinal) && !WordsEndingInId.Contains(last)) return "name ends in 'id'";
        return null;
    }

    /// <summary>Whether the name hint is a reference word (id, key, code, …) rather than a count-like "number"/"no".</summary>
    public bool IsReferenceHint() => IdHint() is { } h && !(h.EndsWith("'number'") || h.EndsWith("'num'") || h.EndsWith("'no'") || h.EndsWith("'nr'"));

    private static readonly HashSet<string> IdWords = ["id", "key", "uuid", "guid", "code", "number", "num", "no", "nr", "ref", "sku", "pk"];
    private static readonly HashSet<string> WordsEndingInId =
        ["valid", "invalid", "fluid", "liquid", "squid", "rapid", "solid", "humid", "stupid", "avoid", "druid", "hybrid", "covid", "arid", "placid", "vivid", "lucid", "timid", "candid", "pyramid", "orchid", "acid", "void"];

    /// <summary>The personal-data type the name suggests, with the matched word(s), or null.</summary>
    public (PiiType Type, string Matched, bool GenericName)? PiiHint()
    {
        // Order matters: "email address" is an e-mail, "ip address" an IP, "phone number" a phone, before address/number.
        if (Has("email") || Has("mail") && (Has("e") || Words.Count == 1) || _joined.Contains("emailaddress")) return (PiiType.Email, "an e-mail address", false);
        if (Has("ip") || Has("ipv4") || Has("ipv6") || _joined.StartsWith("ipaddr", StringComparison.Ordinal)) return (PiiType.IpAddress, "an IP address", false);
        if (Has("iban")) return (PiiType.Iban, "an IBAN", false);
        if ((Has("card") || Has("cc")) && (Has("number") || Has("no") || Has("num") || Has("nr")) || Has("creditcard") || _joined.Contains("creditcard") || Has("ccnumber"))
            return (PiiType.CreditCard, "a card number", false);
        if (Has("ssn") || Has("nino") || _joined.Contains("socialsecurity") || _joined.Contains("nationalid") || _joined.Contains("nationalinsurance")
            || Has("personnummer") || Has("bsn") || Has("cpf"))
            return (PiiType.NationalId, "a national ID", false);
        if (Has("phone") || Has("telephone") || Has("tel") || Has("mobile") || Has("cell") || Has("fax") || Has("cellphone") || Has("phonenumber")
            || _joined.EndsWith("phone", StringComparison.Ordinal))
            return (PiiType.Phone, "a phone number", false);
        if (Has("url") || Has("uri") || Has("website") || Has("homepage") || Has("web") || Has("link") || _joined.EndsWith("url", StringComparison.Ordinal))
            return (PiiType.Url, "a URL", false);
        if (Has("zip") || Has("zipcode") || Has("postal") || Has("postcode") || Has("postalcode") || Has("plz")
            || _joined.EndsWith("postalcode", StringComparison.Ordinal) || _joined.EndsWith("zipcode", StringComparison.Ordinal))
            return (PiiType.PostalCode, "a postal code", false);
        // Name-then-qualifier compounds such as "nameFirst" / "name_last" (as in baseball's People table).
        if (Has("name") && (Has("first") || Has("given") || Has("fore"))) return (PiiType.FirstName, "a first name", false);
        if (Has("name") && (Has("last") || Has("family") || Has("sur"))) return (PiiType.LastName, "a last name", false);
        if (Has("firstname") || Has("forename") || Has("givenname") || Has("fname") || _joined.Contains("firstname") || _joined.Contains("givenname"))
            return (PiiType.FirstName, "a first name", false);
        if (Has("lastname") || Has("surname") || Has("familyname") || Has("lname") || _joined.Contains("lastname") || _joined.Contains("familyname"))
            return (PiiType.LastName, "a last name", false);
        if (Has("fullname") || _joined.Contains("fullname") || _joined.Contains("personname")) return (PiiType.PersonName, "a full name", false);
        if (Has("address") || Has("street") || Has("addr") || Has("address1") || Has("address2") || _joined.EndsWith("address", StringComparison.Ordinal))
            return (PiiType.StreetAddress, "a street address", false);
        if (Has("city") || Has("town") || _joined.EndsWith("city", StringComparison.Ordinal)) return (PiiType.City, "a city", false);
        if (Has("name") || _joined.EndsWith("name", StringComparison.Ordinal)) return (PiiType.PersonName, "a person's name", true);
        return null;
    }

    private bool Has(string word) => Array.IndexOf(_words, word) >= 0;

    /// <summary>Lower-case words of a column name: split at non-letters/digits, lower→upper and UPPER→Upperlower boundaries.</summary>
    internal static string[] SplitWords(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (!char.IsLetterOrDigit(c)) { Flush(); continue; }
            if (current.Length > 0 && char.IsUpper(c))
            {
                char prev = name[i - 1];
                bool nextLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(prev) || char.IsDigit(prev) || (char.IsUpper(prev) && nextLower)) Flush();
            }
            current.Append(char.ToLowerInvariant(c));
        }
        Flush();
        return words.ToArray();

        void Flush()
        {
            if (current.Length > 0) words.Add(current.ToString());
            current.Clear();
        }
    }
}
