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

    public ColumnNameHints(string name)
    {
        Name = name;
        _words = SplitWords(name);
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

    /// <summary>
    /// The personal-data type the name suggests, with the matched word(s), or null. Only whole words count
    /// ("ethnicity" is not "city", "capacity" not "city", "telegraph" not "tel"); compounds written as one
    /// lower-case word are listed as words of their own ("zipcode", "firstname", "emailaddress").
    /// </summary>
    public (PiiType Type, string Matched, bool GenericName)? PiiHint()
    {
        // Order matters: "email address" is an e-mail, "ip address" an IP, "phone number" a phone, before address/number.
        if (Any("email", "emailaddress", "emailid") || Has("mail") && (Has("e") || _words.Length == 1)) return (PiiType.Email, "an e-mail address", false);
        if (Any("ip", "ipv4", "ipv6", "ipaddress", "ipaddr")) return (PiiType.IpAddress, "an IP address", false);
        if (Has("iban")) return (PiiType.Iban, "an IBAN", false);
        if ((Any("card", "cc", "credit") && Any("number", "no", "num", "nr")) || Any("creditcard", "ccnumber", "cardnumber", "ccnum"))
            return (PiiType.CreditCard, "a card number", false);
        if (Any("ssn", "nino", "socialsecurity", "nationalid", "personnummer", "bsn", "cpf") || (Has("social") && Has("security"))
            || (Has("national") && Any("id", "insurance")))
            return (PiiType.NationalId, "a national ID", false);
        if (Any("phone", "telephone", "tel", "mobile", "cell", "fax", "cellphone", "phonenumber", "mobilephone", "homephone", "workphone"))
            return (PiiType.Phone, "a phone number", false);
        if (Any("url", "uri", "website", "homepage", "web", "link", "weburl"))
            return (PiiType.Url, "a URL", false);
        if (Any("zip", "zipcode", "postal", "postcode", "postalcode", "plz"))
            return (PiiType.PostalCode, "a postal code", false);
        // Name-then-qualifier compounds such as "nameFirst" / "name_last" (as in baseball's People table).
        if (Has("name") && Any("first", "given", "fore")) return (PiiType.FirstName, "a first name", false);
        if (Has("name") && Any("last", "family", "sur")) return (PiiType.LastName, "a last name", false);
        if (Any("firstname", "forename", "givenname", "fname")) return (PiiType.FirstName, "a first name", false);
        if (Any("lastname", "surname", "familyname", "lname")) return (PiiType.LastName, "a last name", false);
        if (Any("fullname", "personname") || (Has("name") && Any("full", "person")))
            return (PiiType.PersonName, "a full name", false);
        if (Any("address", "street", "addr", "address1", "address2", "addressline", "streetaddress"))
            return (PiiType.StreetAddress, "a street address", false);
        if (Any("city", "town")) return (PiiType.City, "a city", false);
        // "State"/"BillingState"/"state_code" but not "state_holiday" or "marital_state_changed": the word names the column's
        // subject only when it is last, or followed by a word saying which form of it the column holds.
        if (Subject("state", "province", "stateprovince", "territory")) return (PiiType.State, "a state or province", false);
        if (Subject("company", "companyname", "employer", "organization", "organisation", "firm")) return (PiiType.Company, "a company", false);
        if (Has("name")) return (PiiType.PersonName, "a person's name", true);
        return null;
    }

    /// <summary>Whether the type is a quasi-identifier: identifying only in combination, so modelled rather than replaced.</summary>
    public static bool IsQuasiIdentifier(PiiType type) => type is PiiType.City or PiiType.PostalCode or PiiType.State;

    private static readonly HashSet<string> FormWords = ["name", "code", "abbr", "abbreviation", "id", "nm", "cd"];

    /// <summary>One of <paramref name="words"/> is the last word of the name, or is followed only by a form word (name, code, abbr).</summary>
    private bool Subject(params string[] words)
    {
        for (int i = 0; i < _words.Length; i++)
            if (Array.IndexOf(words, _words[i]) >= 0 && (i == _words.Length - 1 || (i == _words.Length - 2 && FormWords.Contains(_words[^1]))))
                return true;
        return false;
    }

    private bool Any(params string[] words)
    {
        foreach (var w in words) if (Has(w)) return true;
        return false;
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
